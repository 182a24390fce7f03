"""The Hikvision alertStream client against the ISAPI emulator over HTTP on 127.0.0.1:
events as the camera sends them, Digest auth, drops, bad parts, abort."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import time
from collections.abc import Iterator

import pytest

from commandroom.camera_events.isapi_stream import IsapiAlertStreamClient
from commandroom.camera_events.model import (
    EventClientError,
    EventEndpoint,
    EventSource,
    EventState,
    EventType,
    ProblemCode,
)
from tests.support.event_client_runner import ClientRun, EventRecorder
from tests.support.isapi_event_emulator import CHINA, IsapiEventEmulator, jpeg

PASSWORD = "Secret-123"


@pytest.fixture
def camera() -> Iterator[IsapiEventEmulator]:
    with IsapiEventEmulator(heartbeat_s=0.1, password=PASSWORD) as emulator:
        yield emulator


def client_for(camera: IsapiEventEmulator, password: str = PASSWORD,
               **options: float) -> IsapiAlertStreamClient:
    endpoint = EventEndpoint(camera_id=7, source=EventSource.ISAPI, base_url=camera.base_url,
                             username="admin", password=password)
    return IsapiAlertStreamClient(endpoint, **options)  # type: ignore[arg-type]


def test_motion_tamper_and_plate_with_pictures_arrive_right(
        camera: IsapiEventEmulator) -> None:
    recorder = EventRecorder()
    run = ClientRun(client_for(camera), recorder)
    try:
        assert camera.wait_for_streams(1)
        when = dt.datetime(2026, 12, 1, 20, 15, 30, tzinfo=CHINA)
        scene, close_up = jpeg(640, 360, 90), jpeg(160, 40, 200)
        camera.push_alert("VMD", when=when)
        camera.push_alert("VMD", when=when, post_count=2)  # a repeat of the same detection
        camera.push_alert("VMD", channel=2)  # another NVR channel: not this camera's
        camera.push_alert("tamperdetection")
        camera.push_plate("鄂G12345", "yellow", pictures={
            "licensePlatePicture.jpg": close_up, "detectionPicture.jpg": scene})
        camera.push_alert("linedetection")
        camera.push_alert("VMD", "inactive")
        events = recorder.wait_events(5)
        # Heartbeats keep coming (videoloss inactive): none of them is an event.
        assert camera.wait_for_heartbeats(camera.heartbeats_sent + 3)
        assert len(recorder.events) == 5
    finally:
        assert run.finish() is None
    kinds = [(e.type, e.state) for e in events]
    assert kinds == [(EventType.MOTION, EventState.START), (EventType.TAMPER, EventState.START),
                     (EventType.PLATE, EventState.PULSE),
                     (EventType.LINE_CROSSING, EventState.PULSE),
                     (EventType.MOTION, EventState.STOP)]
    motion, _, plate, _, _ = events
    assert motion.device_time == dt.datetime(2026, 12, 1, 12, 15, 30, tzinfo=dt.UTC)
    assert motion.received_at.tzinfo is not None and motion.topic == "VMD"
    assert (plate.plate, plate.plate_colour) == ("鄂G12345", "yellow")
    assert plate.picture is not None and plate.picture.data == scene  # the scene, as sent
    assert plate.picture.content_type == "image/jpeg"
    assert all(e.camera_id == 7 and e.source is EventSource.ISAPI for e in events)
    assert recorder.problems == []


def test_wrong_password_is_auth_failed_and_never_logged(
        camera: IsapiEventEmulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "Wrong-Pass-987"
    raised = ClientRun(client_for(camera, password=wrong), EventRecorder()).ended()
    assert isinstance(raised, EventClientError) and raised.code is ProblemCode.AUTH_FAILED
    assert camera.auth_failures == 1  # the digest answer was checked and refused
    assert wrong not in caplog.text and wrong not in str(raised)


def test_dropped_mid_part_raises_disconnected_and_reconnect_loses_nothing(
        camera: IsapiEventEmulator) -> None:
    recorder = EventRecorder()
    client = client_for(camera)
    first = ClientRun(client, recorder)
    assert camera.wait_for_streams(1)
    camera.push_alert("tamperdetection")
    assert len(recorder.wait_events(1)) == 1
    camera.drop_mid_part()
    raised = first.ended()
    assert isinstance(raised, EventClientError) and raised.code is ProblemCode.DISCONNECTED
    assert "mid-part" in raised.detail

    second = ClientRun(client, recorder)  # what the intake does after its backoff
    try:
        assert camera.wait_for_streams(2)
        camera.push_alert("VMD")
        camera.push_plate("鄂A8B123")
        camera.push_alert("fielddetection")
        events = recorder.wait_events(4)
    finally:
        assert second.finish() is None
    assert [e.type for e in events] == [EventType.TAMPER, EventType.MOTION, EventType.PLATE,
                                        EventType.INTRUSION]
    assert events[2].plate == "鄂A8B123" and events[2].picture is not None


def test_bad_xml_and_oversized_parts_are_counted_and_the_stream_goes_on(
        camera: IsapiEventEmulator, caplog: pytest.LogCaptureFixture) -> None:
    recorder = EventRecorder()
    run = ClientRun(client_for(camera, max_part_bytes=1024 * 1024), recorder)
    try:
        assert camera.wait_for_streams(1)
        camera.push_bad_xml()
        camera.push_oversized(3 * 1024 * 1024)
        camera.push_plate("鄂G12345", pictures={"detectionPicture.jpg": b"\xff" * 2_000_000})
        camera.push_alert("tamperdetection")
        events = recorder.wait_events(2)
        problems = recorder.wait_problems(3)
    finally:
        assert run.finish() is None
    assert problems == [ProblemCode.BAD_XML, ProblemCode.OVERSIZED, ProblemCode.OVERSIZED]
    # The plate whose picture was too big still came, without its picture.
    assert [(e.type, e.plate, e.picture) for e in events] == [
        (EventType.PLATE, "鄂G12345", None), (EventType.TAMPER, "", None)]
    assert "bad_xml" in caplog.text and "oversized" in caplog.text


def test_abort_ends_a_blocked_run_once_within_a_second(camera: IsapiEventEmulator) -> None:
    camera.heartbeat_s = 0  # a quiet camera: run_once sits in recv
    run = ClientRun(client_for(camera), EventRecorder())
    assert camera.wait_for_streams(1)
    started = time.monotonic()
    assert run.finish(timeout=1.0) is None
    assert time.monotonic() - started < 1.0
    assert camera.wait_until_no_stream()


def test_silence_longer_than_the_read_timeout_is_a_disconnection(
        camera: IsapiEventEmulator) -> None:
    camera.heartbeat_s = 0  # not even a heartbeat
    run = ClientRun(client_for(camera, read_timeout_s=0.5), EventRecorder())
    raised = run.ended()
    assert isinstance(raised, EventClientError) and raised.code is ProblemCode.DISCONNECTED


def _closed_port() -> int:
    with socket.socket() as probe:  # a port nobody listens on any more
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("address", ["refused", "ftp://127.0.0.1:21", "http://[::1"])
def test_refused_or_unusable_address_is_unreachable(address: str) -> None:
    url = f"http://127.0.0.1:{_closed_port()}" if address == "refused" else address
    endpoint = EventEndpoint(camera_id=1, source=EventSource.ISAPI, base_url=url,
                             username="admin", password=PASSWORD)
    raised = ClientRun(IsapiAlertStreamClient(endpoint), EventRecorder()).ended()
    assert isinstance(raised, EventClientError) and raised.code is ProblemCode.UNREACHABLE


def test_a_client_stopped_and_aborted_runs_again_when_started_again(
        camera: IsapiEventEmulator) -> None:
    """The intake stops a camera (stop + abort) and may start it again with the same
    client (settings changed): the old abort must not end the new run."""
    client, recorder = client_for(camera), EventRecorder()
    first = ClientRun(client, recorder)
    assert camera.wait_for_streams(1)
    assert first.finish() is None
    again = ClientRun(client, recorder)
    try:
        assert camera.wait_for_streams(2)
        camera.push_alert("tamperdetection")
        assert [e.type for e in recorder.wait_events(1)] == [EventType.TAMPER]
    finally:
        assert again.finish() is None
