"""A station with a camera, a tagged sighting (real PNG and MP4) and recorded footage."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commandroom.auth.permissions import SYSTEM, Actor, Role
from commandroom.cameras.registry import Camera
from commandroom.config import EvidenceSettings, Paths, RecordingSettings, Settings
from commandroom.evidence_package.service import FootageRange, PackageRequest, PackageResult
from commandroom.recording.recorder import RecordedCamera, Recorder, RecorderTuning
from commandroom.runtime import Core
from commandroom.runtime.hooks import CoreHooks
from commandroom.sightings.records import CameraRef
from commandroom.watchlist.records import EntryInput, Kind
from tests.support.recording import clip_feed, feed, packets_in
from tests.support.rtsp import ensure_test_clip
from tests.unit.sightings.fakes import FakeHandle

DUTY = Actor("li", Role.DUTY_OFFICER, 2)
T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)  # 16:00 Beijing time
CAMERA_OFFSET_S = -2.5  # the camera's clock is 2.5 s behind the station's (ONVIF)
CASE = "JX-2026-0417"


@dataclass
class Station:
    core: Core
    data_dir: Path
    camera_id: int
    sighting_id: int
    clip_bytes: bytes
    out: Path

    def request(self, **changes: object) -> PackageRequest:
        values: dict[str, object] = {
            "case_number": CASE, "destination": self.out, "sighting_ids": (self.sighting_id,),
            "footage": (FootageRange(self.camera_id, T0 + timedelta(seconds=3.3),
                                     T0 + timedelta(seconds=7.5)),),
            "place": "城关派出所指挥室"}
        values.update(changes)
        return PackageRequest(**values)  # type: ignore[arg-type]

    def package(self, **changes: object) -> PackageResult:
        return self.core.evidence_packages.export(DUTY, self.request(**changes))


@pytest.fixture(scope="session")
def test_clip() -> Path:
    return ensure_test_clip()


@pytest.fixture
def station(data_dir: Path, test_clip: Path) -> Iterator[Station]:
    paths = Paths.resolve(data_dir)
    core = Core(paths, Settings(evidence=EvidenceSettings(pre_seconds=2.0, post_seconds=2.0)),
                hooks=CoreHooks(keyring=None))
    try:
        camera = core.registry.add(SYSTEM, Camera(None, "Xinhua Rd North", "demo://0",
                                                  junction="新华路 / 车站路", map_x=0.3,
                                                  map_y=0.6))
        assert camera.id is not None
        core.recording.start()
        _record(core, camera.id, camera.name, 12.0, test_clip)
        entry = core.watchlist.create(SYSTEM, EntryInput(kind=Kind.PERSON, name="张三"))
        handle = FakeHandle()
        handle.add_frame(7, (T0 + timedelta(seconds=5)).timestamp(), 320, 180)
        view = core.sightings.tag(DUTY, handle, 7, CameraRef(camera.id, camera.name,
                                                             camera.junction), entry.id)
        clip_bytes = test_clip.read_bytes()[:400_000]  # a real MP4's bytes, as cut
        handle.finish_clip(0, clip_bytes)
        assert core.sightings.wait_for_clips(10)
        yield Station(core, data_dir, camera.id, view.id, clip_bytes, data_dir / "packages")
    finally:
        core.stop()


def _record(core: Core, camera_id: int, name: str, seconds: float, clip: Path) -> None:
    """``seconds`` of the test clip recorded from T0 (fast), the camera clock measured."""
    info, packets = clip_feed(clip, seconds)
    recorder = Recorder(RecordedCamera(camera_id, name), core.recording.parts.index,
                        core.recording.root, RecordingSettings(segment_s=4.0, fragment_s=1.0),
                        bus=core.events, tuning=RecorderTuning(sync_fragments=False),
                        wall_clock=lambda: T0.timestamp() + seconds).start()
    recorder.set_clock_offset(CAMERA_OFFSET_S)
    feed(recorder, info, packets_in(packets, 0, seconds), T0.timestamp())
    recorder.end_segment()
    recorder.close()
