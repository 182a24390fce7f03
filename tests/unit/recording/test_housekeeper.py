"""The housekeeper: retention and the disk forecast run on their own thread, on a timer,
audited, and survive a failing pass; the Core starts and stops it."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow
from commandroom.config import Paths, RecordingSettings, Settings
from commandroom.recording.forecast import DiskForecastChanged, WriteRateMeter
from commandroom.recording.housekeeper import Housekeeper
from commandroom.recording.locks import LockKind, add_lock
from commandroom.recording.retention import SweepResult
from commandroom.recording.service import RecordingSystem
from commandroom.runtime import open_core
from commandroom.video.packet_sources import SegmentInfo
from tests.support.recording import ClipPacket
from tests.unit.recording.conftest import RecStack

Clip = tuple[SegmentInfo, list[ClipPacket]]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR = datetime(2100, 1, 1, tzinfo=UTC)
LONG_AGO = datetime(2026, 5, 1, 8, 0, tzinfo=UTC).timestamp()  # older than keep_days


@pytest.fixture
def system(stack: RecStack, tmp_path: Path) -> Iterator[RecordingSystem]:
    settings = RecordingSettings(folder=str(stack.root), keep_days=30)
    made = RecordingSystem(stack.sessions, Paths.resolve(tmp_path), settings, stack.audit,
                           stack.bus)
    made.start()
    yield made
    made.close()


def test_old_footage_is_swept_on_the_housekeepers_thread_and_audited_locks_kept(
    stack: RecStack, clip: Clip, system: RecordingSystem
) -> None:
    stack.record(clip, 6.0, LONG_AGO, segment_s=2.0)  # three segments, months old
    first, *rest = stack.index.segments(stack.cam.id, EPOCH, FAR)
    with stack.sessions.begin() as session:  # a sighting on the first one
        add_lock(session, stack.cam.id, first.start_at + timedelta(seconds=1),
                 first.start_at + timedelta(seconds=1), LockKind.SIGHTING, "5")
    threads: list[str] = []
    sweep = system.parts.retention.sweep

    def watched_sweep(*args: object, **kwargs: object) -> SweepResult:
        threads.append(threading.current_thread().name)
        return sweep(*args, **kwargs)  # type: ignore[arg-type]

    system.parts.retention.sweep = watched_sweep  # type: ignore[method-assign]
    keeper = Housekeeper(system, sweep_every_s=3600, forecast_every_s=3600).start()
    try:
        assert keeper.wait_passes(1, 10)
    finally:
        keeper.close()
    assert threads == ["recording-housekeeper"]  # never the caller's (GUI) thread
    assert [s.id for s in stack.index.all_segments()] == [first.id]
    for segment in rest:
        assert not (stack.root / segment.path).exists()
    with stack.sessions() as session:
        (event,) = [json.loads(r.details) for r in session.scalars(select(AuditEventRow).where(
            AuditEventRow.action == "recording.retention_delete"))]
    assert {line.split(",")[0] for line in str(event["segments"]).split("\n")} == {
        str(s.id) for s in rest}
    assert keeper.last is not None and keeper.last.forecast is not None


def test_it_sweeps_on_a_timer_and_a_failing_pass_does_not_stop_it(
    stack: RecStack, system: RecordingSystem, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[int] = []

    def flaky_sweep(*_args: object, **_kwargs: object) -> SweepResult:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("database is locked")
        return SweepResult()

    system.parts.retention.sweep = flaky_sweep  # type: ignore[method-assign]
    keeper = Housekeeper(system, sweep_every_s=0.05, forecast_every_s=0.05).start()
    try:
        assert keeper.wait_passes(4, 10)
    finally:
        keeper.close()
    assert len(calls) >= 3
    assert "the retention sweep failed" in caplog.text
    assert not any(t.name == "recording-housekeeper" for t in threading.enumerate())


def test_run_now_sweeps_without_waiting_for_the_timer(
    stack: RecStack, system: RecordingSystem
) -> None:
    keeper = Housekeeper(system, sweep_every_s=3600, forecast_every_s=3600).start()
    try:
        assert keeper.wait_passes(1, 10)
        keeper.run_now()
        assert keeper.wait_passes(2, 10)
        assert keeper.last is not None and keeper.last.sweep is not None
    finally:
        keeper.close()


def test_while_warning_the_forecast_is_published_again_when_the_hours_change(
    stack: RecStack, system: RecordingSystem
) -> None:
    seen: list[DiskForecastChanged] = []
    stack.bus.subscribe(DiskForecastChanged, seen.append)
    system.settings.warn_hours = 24
    clock = [0.0]
    system.rate = WriteRateMeter(window_s=600, clock=lambda: clock[0])
    clock[0] = 600.0
    free = shutil.disk_usage(stack.root).free
    # Mid-hour figures: the disk's free space moving a little (other programs) must not
    # cross a whole hour between the checks.
    system.rate.add(int(free / (10.5 * 3600) * 600))  # the disk is full in ~10.5 h
    first = system.check_disk()
    assert first.warn and first.hours_to_full == pytest.approx(10.5, abs=0.2)
    system.check_disk()  # same hour: nothing new to say
    system.rate.add(int(free / (10.5 * 3600) * 600 * 3.2))  # 4.2 times faster: ~2.5 h
    second = system.check_disk()
    assert second.hours_to_full == pytest.approx(2.5, abs=0.2)
    assert [e.forecast.hours_to_full for e in seen] == [first.hours_to_full,
                                                         second.hours_to_full]
    assert system.forecast == second


def test_the_core_starts_and_stops_the_housekeeper(tmp_path: Path) -> None:
    settings = Settings()
    settings.alerts.ack_port = 0
    core = open_core(Paths.resolve(tmp_path / "data"), settings)
    try:
        core.start()
        assert core.housekeeper.wait_passes(1, 10)
        assert any(t.name == "recording-housekeeper" for t in threading.enumerate())
    finally:
        core.stop()
    assert not any(t.name == "recording-housekeeper" for t in threading.enumerate())


def test_within_the_last_hour_the_warning_counts_down_in_minutes(
    stack: RecStack, system: RecordingSystem
) -> None:
    seen: list[DiskForecastChanged] = []
    stack.bus.subscribe(DiskForecastChanged, seen.append)
    clock = [600.0]
    system.rate = WriteRateMeter(window_s=600, clock=lambda: clock[0])
    system.rate._started = 0.0  # a full window of history
    free = shutil.disk_usage(stack.root).free
    system.rate.add(int(free / (0.5 * 3600) * 600))  # ~30 min to full
    system.check_disk()
    system.rate.add(int(free / (0.5 * 3600) * 600))  # twice as fast: ~15 min
    system.check_disk()
    minutes = [round((e.forecast.hours_to_full or 0) * 60) for e in seen]
    assert len(minutes) == 2 and minutes[0] == pytest.approx(30, abs=1) and \
        minutes[1] == pytest.approx(15, abs=1)
