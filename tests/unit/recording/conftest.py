"""A database with two cameras, a recordings folder, the test clip as the reader's feed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.trail import AuditTrail
from commandroom.config import RecordingSettings
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.files import private_dir
from commandroom.recording.index import RecordingIndex
from commandroom.recording.recorder import RecordedCamera, Recorder, RecorderTuning
from commandroom.video.packet_sources import SegmentInfo
from tests.support.recording import ClipPacket, add_camera, clip_feed, feed, packets_in
from tests.support.rtsp import ensure_test_clip


@dataclass
class RecStack:
    engine: Engine
    sessions: sessionmaker[Session]
    index: RecordingIndex
    audit: AuditTrail
    root: Path
    cam: RecordedCamera
    cam2: RecordedCamera
    bus: EventBus

    def recorder(self, settings: RecordingSettings | None = None,
                 camera: RecordedCamera | None = None, **kwargs: object) -> Recorder:
        return Recorder(camera or self.cam, self.index, self.root,
                        settings or RecordingSettings(segment_s=4.0, fragment_s=1.0),
                        bus=self.bus, **kwargs)  # type: ignore[arg-type]

    def record(self, clip: tuple[SegmentInfo, list[ClipPacket]], seconds: float, t0: float,
               camera: RecordedCamera | None = None, segment_s: float = 4.0) -> None:
        """Record the clip's first ``seconds`` as arriving from ``t0`` (fast, no pacing);
        the station clock reads the end of the footage when recording stops."""
        info, packets = clip
        recorder = self.recorder(RecordingSettings(segment_s=segment_s, fragment_s=1.0),
                                 camera, tuning=FAST, wall_clock=lambda: t0 + seconds).start()
        feed(recorder, info, packets_in(packets, 0, seconds), t0)
        recorder.end_segment()
        recorder.close()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[RecStack]:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    root = tmp_path / "recordings"
    private_dir(root)
    cam = RecordedCamera(add_camera(sessions, "Xinhua Rd North"), "Xinhua Rd North")
    cam2 = RecordedCamera(add_camera(sessions, "Market Bridge"), "Market Bridge")
    yield RecStack(engine, sessions, RecordingIndex(sessions), AuditTrail(sessions), root,
                   cam, cam2, EventBus())
    engine.dispose()


@pytest.fixture(scope="session")
def clip_path() -> Path:
    return ensure_test_clip()


@pytest.fixture(scope="session")
def clip(clip_path: Path) -> tuple[SegmentInfo, list[ClipPacket]]:
    """30 s of the test clip (640x360@25, keyframe every 2 s) as Annex B packets."""
    return clip_feed(clip_path, 30.0)


FAST = RecorderTuning(sync_fragments=False)  # fdatasync per fragment is for power cuts
