"""From a camera on 127.0.0.1 to a suggested sighting, through the Core as the app builds
it: the registry's camera settings, the secret store's credentials, the default protocol
clients (ONVIF PullPoint, Hikvision ISAPI, Dahua), the intake, the store and the plate
matcher. No client is injected: what a station configures is what runs."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from commandroom.auth.permissions import SYSTEM
from commandroom.camera_events.views import SuggestionRaised
from commandroom.cameras.registry import Camera
from commandroom.config import Paths, Settings
from commandroom.runtime.core import Core, open_core
from commandroom.watchlist.records import Category, EntryInput, Kind, Risk
from tests.support.dahua_event_emulator import DahuaEventEmulator
from tests.support.isapi_event_emulator import IsapiEventEmulator
from tests.support.onvif_emulator import EmulatorSettings, OnvifEmulator
from tests.support.onvif_emulator_events import PLATE_TOPIC

pytestmark = pytest.mark.integration
USER, PASSWORD = "admin", "Secret-123"
WAIT_S = 20.0


@pytest.fixture
def core(tmp_path: Path) -> Iterator[Core]:
    settings = Settings()
    settings.alerts.ack_port = 0
    made = open_core(Paths.resolve(tmp_path / "data"), settings)
    made.watchlist.create(SYSTEM, EntryInput(
        kind=Kind.VEHICLE, plate="鄂G12345", category=Category.WANTED, risk=Risk.HIGH,
        reason="theft"))
    yield made
    made.stop()
    left = {t.name for t in threading.enumerate() if t.name.startswith("camera-events")}
    assert not left, left


def _raised(core: Core) -> tuple[list[SuggestionRaised], threading.Event]:
    raised: list[SuggestionRaised] = []
    came = threading.Event()

    def seen(event: SuggestionRaised) -> None:
        raised.append(event)
        came.set()

    core.events.subscribe(SuggestionRaised, seen)
    return raised, came


def test_a_misread_plate_at_a_hikvision_camera_becomes_a_card_with_its_picture(
        core: Core) -> None:
    raised, came = _raised(core)
    with IsapiEventEmulator(heartbeat_s=0.5, user=USER, password=PASSWORD) as camera:
        added = core.registry.add(SYSTEM, Camera(
            None, "Checkpoint east", "rtsp://127.0.0.1:1/main", junction="East gate",
            event_source="isapi", event_url=camera.base_url), user=USER, password=PASSWORD)
        core.start()
        assert camera.wait_for_streams(1, timeout=WAIT_S), "the intake never connected"
        camera.push_plate("鄂G1Z345")  # 2 read as Z: a misread of the listed 鄂G12345
        assert came.wait(WAIT_S), core.camera_events.counts(SYSTEM)
    card = raised[0].suggestion
    assert (card.camera_id, card.plate_read, card.entry_plate) == (added.id, "鄂G1Z345",
                                                                   "鄂G12345")
    assert 0.8 <= card.score < 1.0 and card.entry_risk == "high"
    picture = core.camera_events.picture(SYSTEM, card.event_id)
    assert picture is not None and picture.read_bytes()[:2] == b"\xff\xd8"  # a JPEG
    event = core.camera_events.recent(SYSTEM, camera_id=added.id)[0]
    assert event.picture_sha256 == hashlib.sha256(picture.read_bytes()).hexdigest()


def test_a_plate_at_a_dahua_camera_becomes_a_card(core: Core) -> None:
    raised, came = _raised(core)
    with DahuaEventEmulator(user=USER, password=PASSWORD) as camera:
        added = core.registry.add(SYSTEM, Camera(
            None, "Dahua junction", "rtsp://127.0.0.1:1/main", event_source="dahua",
            event_url=camera.base_url), user=USER, password=PASSWORD)
        core.start()
        assert camera.wait_for_streams(1, timeout=WAIT_S), "the intake never connected"
        camera.push_plate("鄂G12345")
        assert came.wait(WAIT_S), core.camera_events.counts(SYSTEM)
    card = raised[0].suggestion
    assert (card.camera_id, card.plate_read, card.score) == (added.id, "鄂G12345", 1.0)


def test_a_plate_from_an_onvif_pullpoint_becomes_a_card_and_an_unknown_one_does_not(
        core: Core) -> None:
    raised, came = _raised(core)
    settings = EmulatorSettings()
    with OnvifEmulator(settings) as camera:
        added = core.registry.add(SYSTEM, Camera(
            None, "ONVIF junction", "rtsp://127.0.0.1:1/main", event_source="onvif",
            event_url=f"http://127.0.0.1:{camera.port}"),
            user=settings.user, password=settings.password)
        core.start()
        assert camera.events.wait_for(lambda: bool(camera.events.live()), WAIT_S)
        source = {"VideoSourceConfigurationToken": "VideoSourceToken", "Rule": "Lane 1"}
        camera.events.push_event(PLATE_TOPIC, source, {"PlateNumber": "苏E99999"})
        camera.events.push_event(PLATE_TOPIC, source, {"PlateNumber": "鄂G12345"})
        assert came.wait(WAIT_S), core.camera_events.counts(SYSTEM)
        plates = {e.plate for e in core.camera_events.recent(SYSTEM, camera_id=added.id)}
    assert [r.suggestion.plate_read for r in raised] == ["鄂G12345"]
    assert {"苏E99999", "鄂G12345"} <= plates  # both stored; only the listed one is a card
