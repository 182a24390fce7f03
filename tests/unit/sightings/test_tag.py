from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.auth.permissions import SYSTEM
from commandroom.events import EventBus
from commandroom.files import FileCheck
from commandroom.sightings.events import SightingClipReady, SightingCreated
from commandroom.sightings.models import SightingRow
from commandroom.sightings.records import Box, CameraRef, ClipStatus, NewUnknown
from commandroom.sightings.service import FrameGone, SightingService
from commandroom.watchlist.records import Category, EntryInput, Kind
from commandroom.watchlist.service import WatchlistService
from commandroom.watchlist.store import EntryNotFound
from tests.unit.sightings.fakes import FakeHandle
from tests.unit.watchlist.support import DUTY, SUPERVISOR, RecordingAudit

CAM = CameraRef(None, "东门路口 1号", "东门路/人民路")
T0 = datetime(2026, 11, 29, 10, 31, 5, 250000, tzinfo=UTC).timestamp()


@pytest.fixture
def handle() -> FakeHandle:
    fake = FakeHandle()
    fake.add_frame(41, T0 - 0.04)
    fake.add_frame(42, T0)
    return fake


@pytest.fixture
def entry_id(service: WatchlistService) -> int:
    return service.create(SUPERVISOR, EntryInput(name="张伟")).id


def _rows(sessions: sessionmaker[Session]) -> list[SightingRow]:
    with sessions() as session:
        return list(session.scalars(select(SightingRow)))


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_tag_writes_the_exact_frame_as_png_with_sha256_and_one_row(
    sightings: SightingService, handle: FakeHandle, entry_id: int,
    sessions: sessionmaker[Session], audit: RecordingAudit, bus: EventBus,
) -> None:
    created: list[SightingCreated] = []
    bus.subscribe(SightingCreated, created.append)
    view = sightings.tag(DUTY, handle, 41, CAM, entry_id, Box(10, 5, 20, 30), " walking north ")

    png = sightings.data_dir / view.snapshot_path
    assert view.snapshot_path.startswith("evidence/2026/11/29/") and png.suffix == ".png"
    decoded = cv2.imdecode(np.frombuffer(png.read_bytes(), np.uint8), cv2.IMREAD_UNCHANGED)
    assert np.array_equal(decoded, handle.frames[41][0])  # frame 41, lossless, not the latest
    assert view.snapshot_sha256 == hashlib.sha256(png.read_bytes()).hexdigest()

    [row] = _rows(sessions)
    assert (row.id, row.watch_entry_id, row.seq, row.operator) == (view.id, entry_id, 41, "dan")
    assert row.frame_time == datetime.fromtimestamp(T0 - 0.04, UTC)
    assert (row.camera_name, row.junction, row.note) == (CAM.name, CAM.junction, "walking north")
    assert (row.box_x, row.box_y, row.box_w, row.box_h) == (10, 5, 20, 30)
    assert row.clip_status == ClipStatus.PENDING
    assert audit.actions() == ["watchlist.create", "sighting.tag"]
    assert audit.events[-1][3]["snapshot_sha256"] == view.snapshot_sha256
    assert [c.sighting_id for c in created] == [view.id] and not created[0].new_entry
    [clip] = handle.clips
    assert (clip.pre_s, clip.post_s) == (8.0, 12.0)
    assert clip.dest == png.with_suffix(".mp4")
    assert [p.name.startswith(".") for p in _files(sightings.evidence_dir)] == [False]


def test_clip_completion_updates_the_row_and_publishes(
    sightings: SightingService, handle: FakeHandle, entry_id: int, bus: EventBus,
    audit: RecordingAudit,
) -> None:
    ready: list[SightingClipReady] = []
    bus.subscribe(SightingClipReady, ready.append)
    view = sightings.tag(DUTY, handle, 42, CAM, entry_id)
    clip = handle.finish_clip(content=b"\x00\x00\x00\x18ftypmp42 evidence")
    [latest] = sightings.latest(DUTY)
    assert latest.clip_status == ClipStatus.DONE
    assert latest.clip_path == clip.relative_to(sightings.data_dir).as_posix()
    assert latest.clip_sha256 == hashlib.sha256(clip.read_bytes()).hexdigest()
    assert ready == [SightingClipReady(view.id, "done", latest.clip_path)]
    assert audit.actions()[-1] == "sighting.clip"
    result = sightings.verify(DUTY, view.id)
    assert (result.snapshot, result.clip, result.intact) == ("verified", "verified", True)


def test_clip_finished_on_another_thread(
    sightings: SightingService, handle: FakeHandle, entry_id: int, bus: EventBus
) -> None:
    done = threading.Event()
    bus.subscribe(SightingClipReady, lambda _event: done.set())
    sightings.tag(DUTY, handle, 42, CAM, entry_id)
    worker = threading.Thread(target=handle.finish_clip, name="fake-clip-writer")
    worker.start()
    assert done.wait(5.0)
    worker.join()
    assert sightings.wait_for_clips(timeout=1.0)
    assert sightings.latest(DUTY)[0].clip_status == ClipStatus.DONE


def test_waiting_for_clips_waits_until_the_outcome_is_recorded(
    sightings: SightingService, handle: FakeHandle, entry_id: int, bus: EventBus
) -> None:
    """concurrent.futures wakes a waiter before it runs the done-callbacks: shutdown (and a
    test) must not go on while the clip's row still says "pending"."""
    recording = threading.Event()
    release = threading.Event()

    def slow_reader(_event: SightingClipReady) -> None:  # holds the callback mid-way
        recording.set()
        assert release.wait(5.0)

    bus.subscribe(SightingClipReady, slow_reader)
    sightings.tag(DUTY, handle, 42, CAM, entry_id)
    worker = threading.Thread(target=handle.finish_clip, name="fake-clip-writer")
    worker.start()
    assert recording.wait(5.0)
    assert handle.clips[0].future.done()
    assert not sightings.wait_for_clips(timeout=0.2)  # done, but its outcome not yet through
    release.set()
    assert sightings.wait_for_clips(timeout=5.0)
    worker.join()
    assert sightings.latest(DUTY)[0].clip_status == ClipStatus.DONE


def test_clip_failures_are_recorded_with_the_reason(
    sightings: SightingService, handle: FakeHandle, entry_id: int, bus: EventBus
) -> None:
    ready: list[SightingClipReady] = []
    bus.subscribe(SightingClipReady, ready.append)
    first = sightings.tag(DUTY, handle, 42, CAM, entry_id)
    handle.clips[0].future.set_exception(
        RuntimeError("reader stopped for rtsp://admin:secret@10.0.0.5/live")
    )
    handle.clip_error = RuntimeError("stream offline")
    second = sightings.tag(DUTY, handle, 41, CAM, entry_id)
    by_id = {v.id: v for v in sightings.latest(DUTY)}
    assert by_id[first.id].clip_status == by_id[second.id].clip_status == ClipStatus.FAILED
    assert "secret" not in by_id[first.id].clip_error
    assert "reader stopped" in by_id[first.id].clip_error
    assert by_id[second.id].clip_error == "stream offline"
    assert [e.status for e in ready] == ["failed", "failed"]
    assert sightings.verify(DUTY, first.id).clip == FileCheck.NONE


def test_a_changed_byte_is_altered_and_a_removed_file_missing(
    sightings: SightingService, handle: FakeHandle, entry_id: int
) -> None:
    view = sightings.tag(DUTY, handle, 42, CAM, entry_id)
    clip = handle.finish_clip()
    png = sightings.data_dir / view.snapshot_path
    data = bytearray(png.read_bytes())
    data[len(data) // 2] ^= 0x01
    png.write_bytes(bytes(data))
    clip.unlink()
    result = sightings.verify(DUTY, view.id)
    assert (result.snapshot, result.clip, result.intact) == ("altered", "missing", False)


def test_unknown_person_opens_a_new_file(
    sightings: SightingService, service: WatchlistService, handle: FakeHandle, bus: EventBus
) -> None:
    created: list[SightingCreated] = []
    bus.subscribe(SightingCreated, created.append)
    service.search(DUTY, "x")  # index loaded: the new entry must be added to it
    view = sightings.tag(DUTY, handle, 42, CAM, NewUnknown(Kind.VEHICLE))
    assert view.watch_entry_id is not None and created[0].new_entry
    entry = service.get(DUTY, view.watch_entry_id)
    assert (entry.kind, entry.category) == (Kind.VEHICLE, Category.OTHER)
    assert entry.name == "Unknown vehicle (东门路口 1号, 2026-11-29 10:31 UTC)"
    assert [h.id for h in service.search(DUTY, "unknown vehicle")] == [entry.id]


def test_failed_insert_leaves_no_file_and_no_row(
    sightings: SightingService, handle: FakeHandle, entry_id: int,
    sessions: sessionmaker[Session], audit: RecordingAudit,
) -> None:
    audit.fail_on = "sighting.tag"  # the database write fails after the PNG was renamed
    with pytest.raises(RuntimeError, match="simulated"):
        sightings.tag(DUTY, handle, 42, CAM, entry_id)
    audit.fail_on = None
    with pytest.raises(EntryNotFound):
        sightings.tag(DUTY, handle, 42, CAM, entry_id + 100)
    assert _rows(sessions) == []
    assert _files(sightings.evidence_dir) == []
    assert handle.clips == []


def test_recover_removes_temp_files_and_fails_interrupted_clips(
    sightings: SightingService, handle: FakeHandle, entry_id: int,
    sessions: sessionmaker[Session], audit: RecordingAudit, bus: EventBus,
    service: WatchlistService,
) -> None:
    # A clip left pending by an earlier run (another service instance, now gone) ...
    earlier = SightingService(sessions, audit, bus, service, data_dir=sightings.data_dir)
    view = earlier.tag(DUTY, handle, 42, CAM, entry_id)
    # ... and one this instance is still cutting, whose .part must survive.
    busy = sightings.tag(DUTY, handle, 41, CAM, entry_id)
    busy_part = handle.clips[1].dest.with_name(f".{handle.clips[1].dest.name}.part")
    busy_part.write_bytes(b"being written")
    png = sightings.data_dir / view.snapshot_path
    stale = png.with_name(".0123abcd.png.tmp")  # a crash between temp write and rename
    stale.write_bytes(b"half a png")
    stale_clip = png.with_name(".0123abcd.mp4.part")  # the video engine's unfinished clip
    stale_clip.write_bytes(b"half an mp4")
    assert sightings.recover(SYSTEM) == (2, 1)
    assert not stale.exists() and not stale_clip.exists() and png.exists()
    assert busy_part.exists()
    by_id = {v.id: v for v in sightings.latest(DUTY)}
    assert by_id[view.id].clip_status == ClipStatus.FAILED
    assert "interrupted" in by_id[view.id].clip_error
    assert by_id[busy.id].clip_status == ClipStatus.PENDING
    assert sightings.verify(DUTY, view.id).snapshot == FileCheck.VERIFIED


def test_a_frame_no_longer_held_is_refused(
    sightings: SightingService, handle: FakeHandle, entry_id: int
) -> None:
    with pytest.raises(FrameGone, match="frame 7 of 东门路口 1号"):
        sightings.tag(DUTY, handle, 7, CAM, entry_id)
    assert _files(sightings.evidence_dir) == []


def test_box_is_clamped_to_the_frame_and_an_outside_box_refused(
    sightings: SightingService, handle: FakeHandle, entry_id: int
) -> None:
    view = sightings.tag(DUTY, handle, 42, CAM, entry_id, Box(-3, 40, 20, 20))
    assert view.box == Box(0, 40, 17, 8)  # the frame is 64 x 48
    with pytest.raises(ValueError, match="outside the 64x48 frame"):
        sightings.tag(DUTY, handle, 42, CAM, entry_id, Box(70, 0, 10, 10))
    assert sightings.tag(DUTY, handle, None, CAM, entry_id).seq == 42  # None: latest frame
