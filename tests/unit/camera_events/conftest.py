"""The camera-events core on real parts: a file database, the watch list and its plate
matcher, the camera registry with its secret store, the sighting service; the live
stream is the sighting tests' fake handle (frames and clips the test controls)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
from sqlalchemy.orm import Session, sessionmaker

from commandroom.auth.permissions import SYSTEM
from commandroom.camera_events.evidence import EvidenceFinder
from commandroom.camera_events.model import (
    CameraEvent,
    EventPicture,
    EventSource,
    EventState,
    EventType,
)
from commandroom.camera_events.store import CameraEventLog
from commandroom.camera_events.suggestions import SuggestionService
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.config import EventSettings, EvidenceSettings
from commandroom.events import EventBus
from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key
from commandroom.sightings.handle import EvidenceSource
from commandroom.sightings.service import SightingService
from commandroom.watchlist.plate_watch import PlateMatcher
from commandroom.watchlist.service import WatchlistService
from tests.unit.sightings.fakes import FakeHandle
from tests.unit.watchlist import conftest as watchlist_fixtures
from tests.unit.watchlist.support import RecordingAudit

sessions = watchlist_fixtures.sessions
audit = watchlist_fixtures.audit
bus = watchlist_fixtures.bus
service = watchlist_fixtures.service

T0 = datetime(2026, 12, 1, 8, 0, 0, tzinfo=UTC)


def jpeg(width: int = 64, height: int = 48, seed: int = 1) -> bytes:
    image = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return bytes(data.tobytes())


def plate_event(camera_id: int, plate: str, at: datetime = T0, *,
                picture: bytes | None = None, state: EventState = EventState.PULSE,
                device_time: datetime | None = None) -> CameraEvent:
    return CameraEvent(
        camera_id=camera_id, source=EventSource.ISAPI, type=EventType.PLATE, state=state,
        device_time=device_time, received_at=at, topic="ANPR", plate=plate,
        plate_colour="blue", picture=EventPicture(picture) if picture is not None else None,
        details={"lane": "1"})


@pytest.fixture
def registry(tmp_path: Path, sessions: sessionmaker[Session], bus: EventBus,
             audit: RecordingAudit) -> CameraRegistry:
    store = DatabaseSecretStore(sessions, load_or_create_key(tmp_path / "secret.key"))
    return CameraRegistry(sessions, store, bus, audit)


@pytest.fixture
def camera(registry: CameraRegistry) -> Camera:
    return registry.add(SYSTEM, Camera(None, "North gate", "rtsp://127.0.0.1:8554/north",
                                       junction="G107 x Station Rd", event_source="isapi"))


@pytest.fixture
def event_settings() -> EventSettings:
    return EventSettings(max_picture_bytes=100_000)


@pytest.fixture
def event_log(sessions: sessionmaker[Session], bus: EventBus, registry: CameraRegistry,
              audit: RecordingAudit, data_dir: Path,
              event_settings: EventSettings) -> CameraEventLog:
    return CameraEventLog(sessions, bus, registry.directory, audit, data_dir=data_dir,
                          settings=event_settings, clock=lambda: T0)


@pytest.fixture
def plates(service: WatchlistService, bus: EventBus) -> Iterator[PlateMatcher]:
    matcher = PlateMatcher(service, bus)
    yield matcher
    matcher.close()


@pytest.fixture
def sightings(sessions: sessionmaker[Session], audit: RecordingAudit, bus: EventBus,
              data_dir: Path, service: WatchlistService) -> SightingService:
    return SightingService(sessions, audit, bus, service, data_dir=data_dir,
                           evidence=EvidenceSettings(pre_seconds=8.0, post_seconds=12.0))


class Live:
    """The streams open in the hub, as the evidence finder sees them."""

    def __init__(self) -> None:
        self.handles: dict[int, FakeHandle] = {}
        self.wall = T0.timestamp()

    def lookup(self, camera_id: int) -> EvidenceSource | None:
        return self.handles.get(camera_id)


@pytest.fixture
def live() -> Live:
    return Live()


@pytest.fixture
def suggestions(sessions: sessionmaker[Session], bus: EventBus, audit: RecordingAudit,
                plates: PlateMatcher, sightings: SightingService, live: Live, data_dir: Path,
                event_settings: EventSettings) -> Iterator[SuggestionService]:
    finder = EvidenceFinder(live.lookup, None, EvidenceSettings(8.0, 12.0),
                            wall_clock=lambda: live.wall)
    made = SuggestionService(sessions, bus, audit, plates, sightings, finder,
                             data_dir=data_dir, settings=event_settings, clock=lambda: T0)
    yield made
    made.close()
    sightings.wait_for_clips(5.0)
