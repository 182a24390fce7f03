"""The recording system as the app will run it: recovery at start, recorders on the
fan-out, a full disk answered by deleting the oldest unlocked footage, the forecast."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow
from commandroom.config import Paths, RecordingSettings
from commandroom.recording.forecast import DiskForecastChanged, WriteRateMeter
from commandroom.recording.locks import LockKind, add_lock
from commandroom.recording.recorder import RecorderTuning
from commandroom.recording.service import RecordingSystem
from commandroom.recording.status import GapReason
from commandroom.video.packet_sources import SegmentInfo
from commandroom.video.sinks import SinkFanOut
from tests.support.recording import ClipPacket, feed, ffprobe, packets_in
from tests.support.small_disk import InjectedDisk, TmpfsDisk, can_mount
from tests.unit.recording.conftest import RecStack

Clip = tuple[SegmentInfo, list[ClipPacket]]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR = datetime(2100, 1, 1, tzinfo=UTC)
TUNING = RecorderTuning(retry_initial_s=0.2, retry_max_s=0.4, sync_fragments=False)


@pytest.fixture
def system(stack: RecStack, tmp_path: Path) -> Iterator[RecordingSystem]:
    settings = RecordingSettings(folder=str(stack.root), segment_s=2.0, fragment_s=1.0)
    made = RecordingSystem(stack.sessions, Paths.resolve(tmp_path), settings, stack.audit,
                           stack.bus, "0.1.0", tuning=TUNING)
    yield made
    made.close()


def test_start_recovers_and_recorders_join_the_fan_out(
    stack: RecStack, system: RecordingSystem, clip: Clip
) -> None:
    stray = stack.root / "cam1" / "2026-05-01" / "1_20260501T080000000Z.mp4.part"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"")  # a crash before the first fragment
    report = system.start()
    assert report.emptied == ["cam1/2026-05-01/1_20260501T080000000Z.mp4.part"]
    info, packets = clip
    recorder = system.recorder_for(stack.cam.id, stack.cam.name)
    assert system.recorder_for(stack.cam.id, stack.cam.name) is recorder
    fan = SinkFanOut(recorder)
    feed(fan, info, packets_in(packets, 0, 4.0), time.time() - 4.0)  # footage ends now
    fan.remove(recorder)
    system.stop(stack.cam.id)
    assert system.recording() == []
    segments = stack.index.segments(stack.cam.id, EPOCH, FAR)
    assert [round(s.duration_s) for s in segments] == [2, 2]
    gaps = stack.index.gaps(stack.cam.id, EPOCH, FAR)
    assert [g.reason for g in gaps] == [GapReason.RECORDING_OFF]
    assert system.rate.rate_bps() > 0


@pytest.fixture(params=["tmpfs" if can_mount() else "injected"])
def small_root(request: pytest.FixtureRequest, stack: RecStack,
               tmp_path: Path) -> Iterator[TmpfsDisk | InjectedDisk]:
    disk: TmpfsDisk | InjectedDisk = (
        TmpfsDisk(tmp_path / "disk", 4) if request.param == "tmpfs"
        else InjectedDisk(tmp_path / "disk"))
    stack.root = disk.mountpoint / "recordings"
    try:
        yield disk
    finally:
        disk.close()


def test_a_full_disk_deletes_the_oldest_unlocked_footage_and_recording_goes_on(
    stack: RecStack, small_root: TmpfsDisk | InjectedDisk, clip: Clip, tmp_path: Path
) -> None:
    settings = RecordingSettings(folder=str(stack.root), segment_s=2.0, fragment_s=1.0)
    system = RecordingSystem(stack.sessions, Paths.resolve(tmp_path), settings, stack.audit,
                             stack.bus, tuning=TUNING)
    try:
        system.start()
        small_root.fill(leave_bytes=2_500_000)  # ~11 s of the clip
        info, packets = clip
        recorder = system.recorder_for(stack.cam.id, stack.cam.name)
        if isinstance(small_root, InjectedDisk):
            recorder._segmenter._writer_factory = small_root.writer_factory
        t0 = time.time() - 30  # recent footage: nothing is too old for keep_days
        feed(recorder, info, packets_in(packets, 0, 4.0), t0)
        assert recorder.wait_idle(10)
        first = stack.index.segments(stack.cam.id, EPOCH, FAR)[0]
        with stack.sessions.begin() as session:  # a sighting holds the first 2 s
            add_lock(session, stack.cam.id, first.start_at, first.start_at, LockKind.SIGHTING)
        # 26 s more at 8x: the disk fills, the oldest unlocked files go, it goes on.
        feed(recorder, info, packets_in(packets, 4.0, 30.0), t0, 8.0, new_connection=False)
        assert recorder.wait_idle(10)
        system.stop(stack.cam.id)
    finally:
        system.close()
    segments = stack.index.all_segments()
    assert first.id in {s.id for s in segments}  # locked: kept
    # The disk held ~11 s: recording went on to the end, give or take the last file
    # (each time the disk fills, the fragment being written is lost until room is made).
    assert max(s.end_at for s in segments) >= datetime.fromtimestamp(t0 + 26, UTC)
    assert sum(s.bytes for s in segments) < 2_600_000
    with stack.sessions() as session:
        events = [json.loads(r.details) for r in session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "recording.retention_delete"))]
    deleted = [line.split(",") for e in events for line in str(e["segments"]).split("\n")]
    assert deleted and {row[6] for row in deleted} == {"disk_full"}
    assert str(first.id) not in {row[0] for row in deleted}
    for segment in segments:
        assert ffprobe(stack.root / segment.path)["errors"] == ""


def test_the_forecast_is_published_when_its_warning_flips(
    stack: RecStack, system: RecordingSystem
) -> None:
    seen: list[DiskForecastChanged] = []
    stack.bus.subscribe(DiskForecastChanged, seen.append)
    system.start()
    assert not system.check_disk().warn and seen == []
    system.settings.warn_hours = 10**9  # every disk fills within this at any rate
    # A steady rate: while warning, a new figure (whole hours or minutes) is published too.
    system.rate = WriteRateMeter(clock=lambda: 600.0)
    system.rate._started = 0.0
    system.rate.add(10**6)
    assert system.check_disk().warn
    system.check_disk()
    assert [e.forecast.warn for e in seen] == [True]
