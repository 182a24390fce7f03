"""A recordings folder that is read-only, then full: the recorder says why on the event
bus (what the status bar shows), and the tile sharing its RTSP connection plays on.

Real parts: the RTSP test server, the live reader (StreamHub), the scheduler, and a real
tmpfs (the kernel answers EROFS and ENOSPC). Mounting needs root, as on CI; without it
tests/unit/recording/test_write_failures.py covers the same with injected errors.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.config import Paths, RecordingSettings, VideoSettings
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.files import private_dir
from commandroom.recording.policy import RecordingMode
from commandroom.recording.recorder import RecorderTuning
from commandroom.recording.scheduler import RecordingScheduler
from commandroom.recording.service import RecordingSystem
from commandroom.recording.status import RecorderProblem, RecorderState, RecorderStatusChanged
from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key
from commandroom.video.hub import StreamHub
from commandroom.video.stream_spec import StreamSpec
from tests.support.rtsp import RtspTestServer, wait_for_seq
from tests.support.small_disk import TmpfsDisk, can_mount

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not can_mount(), reason="mounting a tmpfs needs root (CI runs as "
                       "root); the unit tests inject the same errors"),
]
FPS = 25


class Statuses:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.seen: list[RecorderStatusChanged] = []

    def __call__(self, event: RecorderStatusChanged) -> None:
        with self.cond:
            self.seen.append(event)
            self.cond.notify_all()

    def wait_for(self, state: RecorderState, problem: RecorderProblem | None = None,
                 since: int = 0, timeout: float = 20.0) -> None:
        def found() -> bool:
            return any(e.status.state is state and (problem is None
                                                    or e.status.problem is problem)
                       for e in self.seen[since:])
        with self.cond:
            assert self.cond.wait_for(found, timeout), "; ".join(
                f"{e.status.state}:{e.status.problem}:{e.status.detail}" for e in self.seen)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[TmpfsDisk]:
    made = TmpfsDisk(tmp_path / "disk", 16)
    try:
        yield made
    finally:
        made.close()


def test_read_only_then_full_the_tile_plays_on_and_the_state_says_why(
        rtsp_server: RtspTestServer, video_settings: VideoSettings, disk: TmpfsDisk,
        tmp_path: Path) -> None:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    bus = EventBus()
    statuses = Statuses()
    bus.subscribe(RecorderStatusChanged, statuses)
    audit = AuditTrail(sessions)
    secrets = DatabaseSecretStore(sessions, load_or_create_key(tmp_path / "secret.key"))
    registry = CameraRegistry(sessions, secrets, bus, audit)
    root = disk.mountpoint / "recordings"
    private_dir(root)
    recording = RecordingSystem(
        sessions, Paths.resolve(tmp_path),
        RecordingSettings(folder=str(root), segment_s=2.0, fragment_s=0.5),
        audit, bus, tuning=RecorderTuning(retry_initial_s=0.2, retry_max_s=0.5,
                                          sync_fragments=False))
    recording.start()
    hub = StreamHub(video_settings)
    scheduler = RecordingScheduler(recording, hub, registry, bus, linger_s=0.0)
    tile = None
    try:
        disk.read_only(True)  # e.g. a disk remounted read-only after an error
        camera = registry.add(SYSTEM, Camera(None, "Ferry", rtsp_server.url("live1")))
        assert camera.id is not None
        recording.parts.policy.set_mode(SYSTEM, camera.id, RecordingMode.CONTINUOUS)
        scheduler.start()
        assert scheduler.wait_idle(10.0)
        spec = scheduler.stream_for(camera.id)
        assert isinstance(spec, StreamSpec)
        tile = hub.subscribe(spec, (320, 180))  # the tile shares the recorder's connection

        statuses.wait_for(RecorderState.FAILING, RecorderProblem.READ_ONLY)
        seq = wait_for_seq(tile, 1, 10.0).seq
        wait_for_seq(tile, seq + 2 * FPS, 10.0)  # two more seconds of live picture
        assert recording.parts.index.all_segments() == []

        mark = len(statuses.seen)
        disk.read_only(False)
        statuses.wait_for(RecorderState.RECORDING, since=mark)

        mark = len(statuses.seen)
        disk.fill(leave_bytes=200_000)  # a fragment or two, then ENOSPC
        statuses.wait_for(RecorderState.FAILING, RecorderProblem.DISK_FULL, since=mark)
        mark = next(i for i, e in enumerate(statuses.seen) if i >= mark
                    and e.status.problem is RecorderProblem.DISK_FULL)
        seq = tile.slot.seq
        wait_for_seq(tile, seq + 2 * FPS, 10.0)  # live goes on while the disk is full
        disk.free()
        # Recording again: room made by retention (oldest footage) or the freed disk.
        statuses.wait_for(RecorderState.RECORDING, since=mark)
    finally:
        if tile is not None:
            tile.release()
        scheduler.close()
        hub.close()
        recording.close()
        engine.dispose()
