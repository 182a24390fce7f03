"""The intake with in-process fake clients (the EventClient protocol, nothing faked
below it): reconnection with backoff, nothing lost after a reconnection, problems
counted, a full queue counted and never blocking a client, cameras followed, every
thread joined at stop."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from commandroom.auth.permissions import SYSTEM
from commandroom.camera_events import intake as intake_module
from commandroom.camera_events.endpoints import base_url, wanted_endpoints
from commandroom.camera_events.intake import EventIntake
from commandroom.camera_events.model import (
    CameraEvent,
    EventClient,
    EventEndpoint,
    EventSource,
    ProblemCode,
)
from commandroom.camera_events.store import CameraEventLog
from commandroom.camera_events.views import EventIntakeStatus
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.config import EventSettings
from commandroom.events import EventBus
from tests.unit.camera_events.fakes import FakeDevice, bad_xml, fails, then

SETTINGS = EventSettings(backoff_initial_s=0.02, backoff_max_s=0.08, queue_size=1000)


@pytest.fixture
def make_intake(registry: CameraRegistry, bus: EventBus, event_log: CameraEventLog
                ) -> Iterator[Callable[..., EventIntake]]:
    made: list[EventIntake] = []

    def make(factories: dict[EventSource, Callable[[EventEndpoint], EventClient]],
             settings: EventSettings = SETTINGS) -> EventIntake:
        intake = EventIntake(registry.directory, bus, event_log, factories, settings=settings)
        made.append(intake)
        return intake

    yield make
    for intake in made:
        intake.stop()


def wait_for(condition: Callable[[], bool], bus: EventBus, timeout: float = 10.0) -> None:
    """Wait for ``condition``, re-checked whenever the intake publishes something."""
    changed = threading.Event()
    unsubscribe = [bus.subscribe(kind, lambda _: changed.set())
                   for kind in (EventIntakeStatus, object)]
    try:
        deadline = threading.Event()
        timer = threading.Timer(timeout, deadline.set)
        timer.start()
        try:
            while not condition():
                assert not deadline.is_set(), "timed out"
                changed.wait(0.05)
                changed.clear()
        finally:
            timer.cancel()
            timer.join()
    finally:
        for each in unsubscribe:
            each()


def test_it_reconnects_with_backoff_and_loses_nothing_after_reconnecting(
        make_intake: Callable[..., EventIntake], camera: Camera, bus: EventBus,
        event_log: CameraEventLog) -> None:
    assert camera.id is not None
    device = FakeDevice(camera.id)
    device.connections = [
        fails(ProblemCode.DISCONNECTED, device.events(2)),  # dropped mid-stream
        fails(ProblemCode.DISCONNECTED, bad_xml),  # a message skipped, then dropped
        fails(ProblemCode.UNREACHABLE),
        fails(ProblemCode.UNREACHABLE),
        device.events(3),  # back: three more, the connection stays open
    ]
    statuses: list[EventIntakeStatus] = []
    bus.subscribe(EventIntakeStatus, statuses.append)
    intake = make_intake({EventSource.ISAPI: device.client})
    intake.start()
    [worker] = intake.workers().values()

    wait_for(lambda: event_log.counts(SYSTEM)["stored"] >= 5, bus)
    intake.stop()

    counts = event_log.counts(SYSTEM)
    assert (counts["received"], counts["stored"], counts["dropped"]) == (5, 5, 0)
    assert (counts["disconnected"], counts["unreachable"], counts["bad_xml"]) == (2, 2, 1)
    assert counts["problems"] == 5
    assert sorted(e.plate for e in event_log.recent(SYSTEM)) == [
        f"鄂A{n:05d}" for n in range(1, 6)]
    assert worker.attempts == 5 and not worker.thread.is_alive()
    assert list(worker.waits) == [0.02, 0.04, 0.08, 0.08]  # a dropped good one resets it
    assert statuses[0] == EventIntakeStatus(camera.id, True, "")
    assert EventIntakeStatus(camera.id, False, "unreachable") in statuses
    assert intake.statuses() == {camera.id: EventIntakeStatus(camera.id, False, "")}
    assert device.endpoints[0] == EventEndpoint(camera.id, EventSource.ISAPI,
                                                "http://127.0.0.1")


def test_backoff_doubles_to_its_cap_and_resets_after_a_good_connection(
        make_intake: Callable[..., EventIntake], camera: Camera, bus: EventBus,
        event_log: CameraEventLog) -> None:
    assert camera.id is not None
    device = FakeDevice(camera.id)
    device.connections = [fails(ProblemCode.UNREACHABLE)] * 4 + [
        fails(ProblemCode.DISCONNECTED, device.events(1)), fails(ProblemCode.UNREACHABLE)]
    intake = make_intake({EventSource.ISAPI: device.client})
    intake.start()
    [worker] = intake.workers().values()
    wait_for(lambda: len(worker.waits) >= 6, bus)
    assert list(worker.waits)[:6] == [0.02, 0.04, 0.08, 0.08, 0.02, 0.04]


def test_a_full_queue_counts_the_drop_and_never_blocks_the_client(
        make_intake: Callable[..., EventIntake], camera: Camera, bus: EventBus,
        event_log: CameraEventLog, monkeypatch: pytest.MonkeyPatch) -> None:
    assert camera.id is not None
    release = threading.Event()
    writing = threading.Event()
    real_store = event_log.store

    def slow_store(event: CameraEvent) -> object:
        writing.set()
        release.wait(10.0)
        return real_store(event)

    monkeypatch.setattr(event_log, "store", slow_store)
    device = FakeDevice(camera.id)
    sent = threading.Event()
    device.connections = [then(device.events(1), lambda *_: writing.wait(10.0) and None,
                               device.events(9), lambda *_: sent.set())]

    intake = make_intake({EventSource.ISAPI: device.client},
                         replace(SETTINGS, queue_size=3))
    intake.start()
    assert sent.wait(10.0)  # the client got all ten out while the writer was stuck
    counts = event_log.counts(SYSTEM)
    assert (counts["received"], counts["dropped"]) == (10, 6)  # 1 being written, 3 queued
    release.set()
    assert intake.wait_idle(10.0)
    counts = event_log.counts(SYSTEM)
    assert counts["received"] == counts["stored"] + counts["dropped"] == 10


def test_it_follows_the_registry_and_stop_joins_every_thread(
        make_intake: Callable[..., EventIntake], registry: CameraRegistry, camera: Camera,
        bus: EventBus) -> None:
    assert camera.id is not None
    devices: dict[int, FakeDevice] = {}

    def client(endpoint: EventEndpoint) -> EventClient:
        device = devices.setdefault(endpoint.camera_id, FakeDevice(endpoint.camera_id))
        return device.client(endpoint)

    intake = make_intake({EventSource.ISAPI: client, EventSource.DAHUA: client})
    intake.start()
    second = registry.add(SYSTEM, Camera(None, "South gate", "rtsp://127.0.0.1:8554/south",
                                         event_source="dahua", event_channel=3,
                                         onvif_url="http://127.0.0.1:8080/onvif/device_service"),
                          user="admin", password="s3cret")
    assert second.id is not None
    assert set(intake.workers()) == {(camera.id, EventSource.ISAPI),
                                     (second.id, EventSource.DAHUA)}
    wait_for(lambda: second.id in devices and bool(devices[second.id].endpoints), bus)
    assert devices[second.id].endpoints[0] == EventEndpoint(
        second.id, EventSource.DAHUA, "http://127.0.0.1:8080", "admin", "s3cret", 3)

    registry.set_enabled(SYSTEM, camera.id, False)
    assert set(intake.workers()) == {(second.id, EventSource.DAHUA)}
    threads = intake.threads()
    assert len(threads) == 3  # two cameras (one retired) and the writer
    intake.stop()
    assert not any(t.is_alive() for t in threads)
    assert devices[second.id].aborted >= 1


def test_a_missing_client_module_is_reported_unsupported_and_retried(
        make_intake: Callable[..., EventIntake], camera: Camera, bus: EventBus,
        event_log: CameraEventLog) -> None:
    def missing(endpoint: EventEndpoint) -> EventClient:
        raise ImportError("No module named 'commandroom.camera_events.isapi_stream'")

    intake = make_intake({EventSource.ISAPI: missing})
    intake.start()
    wait_for(lambda: event_log.counts(SYSTEM).get("unsupported", 0) >= 2, bus)


def test_where_events_come_from_when_the_camera_names_no_address(camera: Camera) -> None:
    onvif = replace(camera, onvif_url="http://127.0.0.1:8000/onvif/device_service")
    assert base_url(onvif, EventSource.ONVIF) == "http://127.0.0.1:8000/onvif/device_service"
    assert base_url(onvif, EventSource.ISAPI) == "http://127.0.0.1:8000"
    assert base_url(camera, EventSource.DAHUA) == "http://127.0.0.1"  # not the RTSP port
    assert base_url(replace(camera, event_url="https://127.0.0.1:8443"),
                    EventSource.ISAPI) == "https://127.0.0.1:8443"
    with_sub = replace(camera, sub_url="rtsp://127.0.0.1:8554/north-sub")
    assert base_url(with_sub, EventSource.LOCAL_MOTION) == "rtsp://127.0.0.1:8554/north-sub"


def test_local_motion_runs_beside_the_device_source(registry: CameraRegistry,
                                                    camera: Camera) -> None:
    assert camera.id is not None
    registry.update(SYSTEM, replace(camera, motion_detection=True))
    factories = {EventSource.ISAPI: object(), EventSource.LOCAL_MOTION: object()}
    assert set(wanted_endpoints(registry.directory.snapshot, factories)) == {
        (camera.id, EventSource.ISAPI), (camera.id, EventSource.LOCAL_MOTION)}
    # A source without a client (not installed) is simply not connected.
    assert set(wanted_endpoints(registry.directory.snapshot,
                                {EventSource.LOCAL_MOTION: object()})) == {
        (camera.id, EventSource.LOCAL_MOTION)}


def test_a_quiet_camera_is_connected_once_its_connection_has_held(
        make_intake: Callable[..., EventIntake], camera: Camera, bus: EventBus,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert camera.id is not None
    monkeypatch.setattr(intake_module, "GOOD_CONNECTION_S", 0.05)
    connected = threading.Event()
    bus.subscribe(EventIntakeStatus, lambda s: s.connected and connected.set())
    device = FakeDevice(camera.id)  # no event: the connection just stays open
    intake = make_intake({EventSource.ISAPI: device.client})
    intake.start()
    assert connected.wait(10.0)
    assert intake.statuses() == {camera.id: EventIntakeStatus(camera.id, True, "")}
