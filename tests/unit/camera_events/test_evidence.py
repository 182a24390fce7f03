"""Where a confirmed suggestion's evidence comes from: the live stream's frame and ring
when the camera's stream is being read (a real demo stream in the hub), the recording
around the event (real recorded footage), else no clip with the reason."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commandroom.auth.permissions import SYSTEM
from commandroom.camera_events.evidence import (
    NO_CLIP_SOURCE,
    EvidenceFinder,
    NoEvidence,
    RecordedFootage,
    live_streams,
)
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.config import EvidenceSettings, VideoSettings
from commandroom.files import sha256_file
from commandroom.video import StreamHub
from commandroom.video.packet_sources import SegmentInfo
from tests.support.recording import ClipPacket, ffprobe
from tests.unit.camera_events.conftest import jpeg
from tests.unit.recording import conftest as recording_fixtures
from tests.unit.recording.conftest import RecStack
from tests.unit.video.conftest import wait_until

stack = recording_fixtures.stack
clip = recording_fixtures.clip
clip_path = recording_fixtures.clip_path

EVIDENCE = EvidenceSettings(pre_seconds=2.0, post_seconds=2.0)


def _picture(tmp_path: Path) -> Path:
    path = tmp_path / "event.jpg"
    path.write_bytes(jpeg(width=96, height=64))
    return path


def test_a_clip_is_cut_from_the_recording_around_the_event(
        stack: RecStack, clip: tuple[SegmentInfo, list[ClipPacket]], tmp_path: Path) -> None:
    t0 = time.time() - 60.0
    stack.record(clip, 12.0, t0)
    moment = datetime.fromtimestamp(t0 + 5.0, UTC)
    finder = EvidenceFinder(lambda _: None, RecordedFootage(stack.index, stack.root),
                            EVIDENCE, wall_clock=lambda: t0 + 60.0)
    try:
        evidence = finder.for_event(stack.cam.id, moment, _picture(tmp_path))
        assert evidence.origin == "picture"
        assert evidence.frame.capture_time == moment.timestamp()
        assert evidence.image.shape == (64, 96, 3)
        cut = evidence.clip(2.0, 2.0, tmp_path / "out" / "sighting.mp4").result(30.0)
        assert cut.path.parent == tmp_path / "out" and cut.path.exists()
        assert sha256_file(cut.path) == cut.sha256
        # From the keyframe at or before 3 s (keyframes every 2 s) to 7 s.
        assert 4.0 <= ffprobe(cut.path)["duration"] <= 5.5

        # A moment the camera was not recorded, no stream open: no clip, and why.
        later = finder.for_event(stack.cam.id, moment + timedelta(minutes=5),
                                 _picture(tmp_path))
        with pytest.raises(LookupError, match=NO_CLIP_SOURCE):
            later.clip(2.0, 2.0, tmp_path / "none.mp4").result(5.0)
        with pytest.raises(NoEvidence):  # nor any picture: nothing to make a snapshot of
            finder.for_event(stack.cam.id, moment, None)
    finally:
        finder.close()


def test_the_open_stream_gives_its_frame_and_ring_without_starting_a_reader(
        registry: CameraRegistry, tmp_path: Path) -> None:
    camera = registry.add(SYSTEM, Camera(None, "Demo gate",
                                         "demo://gate?w=320&h=180&fps=25&gop=1"))
    assert camera.id is not None
    hub = StreamHub(VideoSettings(idle_stop_s=0.3), evidence=EVIDENCE)
    lookup = live_streams(registry, hub)
    try:
        assert lookup(camera.id) is None  # nobody reads it: nothing is started for evidence
        assert hub.reader_count() == 0
        tile = hub.subscribe(registry.stream_spec(SYSTEM, camera, True), (320, 180))
        assert wait_until(lambda: tile.slot.seq >= 30)  # a second and more of the ring
        live = lookup(camera.id)
        assert live is not None
        latest = tile.slot.latest()
        assert latest is not None
        finder = EvidenceFinder(lookup, None, EVIDENCE)
        evidence = finder.for_event(camera.id, datetime.fromtimestamp(latest.capture_time, UTC),
                                    None)
        assert evidence.origin == "live" and evidence.image.shape == (180, 320, 3)
        result = evidence.clip(1.0, 0.0, tmp_path / "ring.mp4").result(10.0)
        assert result.path.exists() and sha256_file(result.path) == result.sha256
        tile.release()
        assert wait_until(lambda: hub.reader_count() == 0, 3.0)  # the look held nothing
        assert lookup(camera.id) is None
    finally:
        hub.close()
