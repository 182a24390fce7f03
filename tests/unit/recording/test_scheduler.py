"""The recording scheduler: recording subscriptions per camera as the policy says."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.config import Paths, RecordingSettings, VideoSettings
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.recording.policy import RecordingMode, RecordStream
from commandroom.recording.recorder import RecorderTuning
from commandroom.recording.scheduler import RecordingScheduler
from commandroom.recording.service import RecordingSystem
from commandroom.recording.status import GapReason
from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key
from commandroom.video.hub import StreamHub
from tests.unit.video.conftest import wait_until

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR = datetime(2100, 1, 1, tzinfo=UTC)
DEMO = "demo://{name}?w=160&h=90&fps=25&gop=1"


@dataclass
class Station:
    registry: CameraRegistry
    system: RecordingSystem
    hub: StreamHub
    scheduler: RecordingScheduler
    bus: EventBus

    def camera(self, name: str, sub: str = "") -> Camera:
        return self.registry.add(SYSTEM, Camera(None, name, DEMO.format(name=name),
                                                sub_url=sub))

    def segments(self, camera: Camera) -> int:
        assert camera.id is not None
        return len(self.system.parts.index.segments(camera.id, EPOCH, FAR))

    def settle(self) -> None:
        assert self.scheduler.wait_idle(10.0)


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    bus = EventBus()
    audit = AuditTrail(sessions)
    secrets = DatabaseSecretStore(sessions, load_or_create_key(tmp_path / "secret.key"))
    registry = CameraRegistry(sessions, secrets, bus, audit)
    settings = RecordingSettings(folder=str(tmp_path / "rec"), segment_s=1.0, fragment_s=0.5)
    system = RecordingSystem(sessions, Paths.resolve(tmp_path), settings, audit, bus,
                             tuning=RecorderTuning(sync_fragments=False))
    system.start()
    hub = StreamHub(VideoSettings(idle_stop_s=0.3))
    scheduler = RecordingScheduler(system, hub, registry, bus, linger_s=0.0)
    yield Station(registry, system, hub, scheduler, bus)
    scheduler.close()
    hub.close()
    system.close()
    engine.dispose()


def test_demo_camera_records_continuously_with_no_tile(station: Station) -> None:
    camera = station.camera("gate")
    station.scheduler.start()
    station.settle()
    assert camera.id is not None
    assert list(station.scheduler.recorded()) == [camera.id]
    assert station.hub.reader_count() == 1 and station.hub.decoding_count() == 0
    assert wait_until(lambda: station.segments(camera) >= 2, 10.0)


def test_while_shown_follows_the_shown_set_and_off_records_nothing(station: Station) -> None:
    shown = station.camera("shown")
    off = station.camera("never")
    assert shown.id is not None and off.id is not None
    policy = station.system.parts.policy
    policy.set_mode(SYSTEM, shown.id, RecordingMode.WHILE_SHOWN)
    policy.set_mode(SYSTEM, off.id, RecordingMode.OFF)
    station.scheduler.start()
    station.settle()
    assert station.scheduler.recorded() == {}
    assert station.hub.reader_count() == 0

    station.scheduler.set_shown([shown.id, off.id])
    station.settle()
    assert list(station.scheduler.recorded()) == [shown.id]
    assert wait_until(lambda: station.segments(shown) >= 1, 10.0)

    station.scheduler.set_shown([off.id])
    station.settle()
    assert station.scheduler.recorded() == {}
    gaps = station.system.parts.index.gaps(shown.id, EPOCH, FAR)
    assert [(g.reason, g.end_at) for g in gaps][-1] == (GapReason.RECORDING_OFF, None)
    assert station.segments(off) == 0
    assert wait_until(lambda: station.hub.reader_count() == 0, 3.0)


def test_policy_and_camera_changes_apply_at_once(station: Station) -> None:
    camera = station.camera("edited", sub=DEMO.format(name="edited-sub"))
    assert camera.id is not None
    station.scheduler.start()
    station.settle()
    assert station.scheduler.stream_for(camera.id) is not None
    main_spec = station.scheduler.stream_for(camera.id)
    assert main_spec is not None and "edited?" in main_spec.url

    # Record the sub stream instead: the RecordingPolicyChanged event moves it.
    station.system.parts.policy.set_record_stream(SYSTEM, camera.id, RecordStream.SUB)
    station.settle()
    sub_spec = station.scheduler.stream_for(camera.id)
    assert sub_spec is not None and "edited-sub" in sub_spec.url
    assert station.hub.recorded() == [sub_spec]

    # An edited URL (CamerasChanged) moves the same recorder to the new stream.
    station.registry.update(SYSTEM, replace(camera, sub_url=DEMO.format(name="new-sub")))
    station.settle()
    moved = station.scheduler.stream_for(camera.id)
    assert moved is not None and "new-sub" in moved.url
    assert station.system.recording() == [camera.id]

    station.registry.set_enabled(SYSTEM, camera.id, False)
    station.settle()
    assert station.scheduler.recorded() == {} and station.system.recording() == []
