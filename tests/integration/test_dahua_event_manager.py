"""The Dahua eventManager client against the Dahua emulator over HTTP on 127.0.0.1:
the documented attach request and stream, Digest auth, drops, bad parts, abort."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator

import pytest

from commandroom.camera_events.dahua_stream import DahuaEventManagerClient
from commandroom.camera_events.model import (
    EventClientError,
    EventEndpoint,
    EventSource,
    EventState,
    EventType,
    ProblemCode,
)
from tests.support.dahua_event_emulator import DahuaEventEmulator
from tests.support.event_client_runner import ClientRun, EventRecorder

PASSWORD = "Secret-123"


@pytest.fixture
def camera() -> Iterator[DahuaEventEmulator]:
    # Heartbeats as the client asks for them (heartbeat=1 in its query: the fastest).
    with DahuaEventEmulator(password=PASSWORD) as emulator:
        yield emulator


def client_for(camera: DahuaEventEmulator, password: str = PASSWORD, channel: int = 1,
               **options: float) -> DahuaEventManagerClient:
    endpoint = EventEndpoint(camera_id=3, source=EventSource.DAHUA, base_url=camera.base_url,
                             username="admin", password=password, channel=channel)
    return DahuaEventManagerClient(endpoint, heartbeat_s=1, **options)  # type: ignore[arg-type]


def test_motion_tamper_and_plate_arrive_right(camera: DahuaEventEmulator) -> None:
    recorder = EventRecorder()
    run = ClientRun(client_for(camera), recorder)
    try:
        assert camera.wait_for_streams(1)
        read_at = dt.datetime(2026, 12, 1, 12, 15, 30, tzinfo=dt.UTC)
        camera.push_event("VideoMotion", "Start")
        camera.push_event("VideoMotion", "Start", index=1)  # another NVR channel
        camera.push_event("VideoBlind", "Start")
        camera.push_plate("鄂G12345", "Yellow", when=read_at)
        camera.push_event("CrossRegionDetection", "Start",
                          data={"Name": "Gate", "Direction": "Enter"})
        camera.push_event("VideoMotion", "Stop")
        events = recorder.wait_events(5)
        # Heartbeat parts keep the stream alive and are not events.
        assert camera.wait_for_heartbeats(1)
        assert len(recorder.events) == 5
    finally:
        assert run.finish() is None
    assert camera.requested_paths[-1] == (
        "/cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=1")
    assert [(e.type, e.state) for e in events] == [
        (EventType.MOTION, EventState.START), (EventType.TAMPER, EventState.START),
        (EventType.PLATE, EventState.PULSE), (EventType.INTRUSION, EventState.START),
        (EventType.MOTION, EventState.STOP)]
    plate = events[2]
    assert (plate.plate, plate.plate_colour, plate.topic) == ("鄂G12345", "Yellow",
                                                              "TrafficJunction")
    assert plate.device_time == read_at and plate.received_at.tzinfo is not None
    assert events[3].details["name"] == "Gate" and events[0].device_time is None
    assert all(e.camera_id == 3 and e.source is EventSource.DAHUA for e in events)
    assert recorder.problems == []


def test_nvr_channel_picks_its_own_index(camera: DahuaEventEmulator) -> None:
    recorder = EventRecorder()
    run = ClientRun(client_for(camera, channel=2), recorder)
    try:
        assert camera.wait_for_streams(1)
        camera.push_event("VideoMotion", index=0)
        camera.push_event("VideoLoss", index=1)
        events = recorder.wait_events(1)
    finally:
        assert run.finish() is None
    assert [(e.type, e.details["channel"]) for e in events] == [(EventType.VIDEO_LOSS, "2")]


def test_wrong_password_is_auth_failed_and_never_logged(
        camera: DahuaEventEmulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "Wrong-Pass-987"
    raised = ClientRun(client_for(camera, password=wrong), EventRecorder()).ended()
    assert isinstance(raised, EventClientError) and raised.code is ProblemCode.AUTH_FAILED
    assert camera.auth_failures == 1
    assert wrong not in caplog.text and wrong not in str(raised)


def test_dropped_mid_part_raises_disconnected_and_reconnect_loses_nothing(
        camera: DahuaEventEmulator) -> None:
    recorder = EventRecorder()
    client = client_for(camera)
    first = ClientRun(client, recorder)
    assert camera.wait_for_streams(1)
    camera.push_event("VideoBlind")
    assert len(recorder.wait_events(1)) == 1
    camera.drop_mid_part()
    raised = first.ended()
    assert isinstance(raised, EventClientError) and raised.code is ProblemCode.DISCONNECTED
    assert "mid-part" in raised.detail

    second = ClientRun(client, recorder)
    try:
        assert camera.wait_for_streams(2)
        camera.push_event("VideoMotion")
        camera.push_plate("鄂A8B123")
        camera.push_event("CrossLineDetection", "Pulse")
        events = recorder.wait_events(4)
    finally:
        assert second.finish() is None
    assert [e.type for e in events] == [EventType.TAMPER, EventType.MOTION, EventType.PLATE,
                                        EventType.LINE_CROSSING]


def test_bad_text_and_oversized_parts_are_counted_and_the_stream_goes_on(
        camera: DahuaEventEmulator, caplog: pytest.LogCaptureFixture) -> None:
    recorder = EventRecorder()
    run = ClientRun(client_for(camera, max_part_bytes=64 * 1024), recorder)
    try:
        assert camera.wait_for_streams(1)
        camera.push_bad_text()
        camera.push_oversized(1024 * 1024)
        camera.push_plate("鄂G12345")
        events = recorder.wait_events(1)
        problems = recorder.wait_problems(2)
    finally:
        assert run.finish() is None
    assert problems == [ProblemCode.BAD_XML, ProblemCode.OVERSIZED]
    assert [(e.type, e.plate) for e in events] == [(EventType.PLATE, "鄂G12345")]
    assert "bad_xml" in caplog.text and "oversized" in caplog.text


def test_abort_ends_a_blocked_run_once_within_a_second() -> None:
    with DahuaEventEmulator(heartbeat_s=0, password=PASSWORD) as quiet:  # never a byte
        run = ClientRun(client_for(quiet), EventRecorder())
        assert quiet.wait_for_streams(1)
        started = time.monotonic()
        assert run.finish(timeout=1.0) is None
        assert time.monotonic() - started < 1.0


def test_abort_without_stop_is_a_disconnection_not_a_hang() -> None:
    with DahuaEventEmulator(heartbeat_s=0, password=PASSWORD) as quiet:
        client = client_for(quiet)
        run = ClientRun(client, EventRecorder())
        assert quiet.wait_for_streams(1)
        client.abort()
        raised = run.ended(timeout=1.0)
    assert isinstance(raised, EventClientError) and raised.code is ProblemCode.DISCONNECTED


def test_silence_longer_than_the_read_timeout_is_a_disconnection() -> None:
    with DahuaEventEmulator(heartbeat_s=0, password=PASSWORD) as quiet:
        raised = ClientRun(client_for(quiet, read_timeout_s=0.5), EventRecorder()).ended()
    assert isinstance(raised, EventClientError) and raised.code is ProblemCode.DISCONNECTED
