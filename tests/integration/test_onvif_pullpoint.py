"""The ONVIF PullPoint client against the emulator's events service over HTTP (127.0.0.1).

``run_once`` runs on a thread of the test's, joined at the end of each test; waits are
on the emulator's condition (every request and push wakes it) or on the collector's.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from commandroom.camera_events.model import (
    CameraEvent,
    EventClientError,
    EventEndpoint,
    EventProblem,
    EventSource,
    EventState,
    EventType,
    ProblemCode,
)
from commandroom.camera_events.onvif_pullpoint import OnvifPullPointClient
from tests.support.onvif_emulator import EmulatorSettings, OnvifEmulator
from tests.support.onvif_emulator_events import (
    CELL_MOTION,
    FIELD_INSIDE,
    LINE_CROSSED,
    MOTION_ALARM,
    PLATE_TOPIC,
    SCENE_CHANGE,
    EventsSettings,
)

pytestmark = pytest.mark.integration
T = 10.0
RULE = {"VideoSourceConfigurationToken": "VideoSourceToken",
        "VideoAnalyticsConfigurationToken": "VideoAnalyticsToken"}


class Run:
    """One ``run_once`` on its own thread, with what it handed over."""

    def __init__(self, client: OnvifPullPointClient) -> None:
        self.client = client
        self.stop = threading.Event()
        self.events: list[CameraEvent] = []
        self.problems: list[EventProblem] = []
        self.error: BaseException | None = None
        self._cond = threading.Condition()
        self.thread = threading.Thread(target=self._run, name="pullpoint-test")
        self.thread.start()

    def _run(self) -> None:
        try:
            self.client.run_once(self._event, self._problem, self.stop)
        except BaseException as exc:  # kept for the test to look at
            self.error = exc
        with self._cond:
            self._cond.notify_all()

    def _event(self, event: CameraEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def _problem(self, problem: EventProblem) -> None:
        with self._cond:
            self.problems.append(problem)
            self._cond.notify_all()

    def changes(self) -> list[CameraEvent]:
        """What happened after subscribing (not the states the camera started us with)."""
        return [e for e in self.events if e.details.get("property_operation") != "Initialized"]

    def wait(self, predicate: Callable[[], bool], timeout: float = T) -> None:
        with self._cond:
            assert self._cond.wait_for(predicate, timeout), (self.events, self.problems)

    def end(self, timeout: float = T) -> None:
        self.stop.set()
        self.client.abort()
        self.thread.join(timeout)
        assert not self.thread.is_alive()


def _client(emu: OnvifEmulator, password: str | None = None, **kw: Any) -> OnvifPullPointClient:
    s = emu.settings
    endpoint = EventEndpoint(4, EventSource.ONVIF, f"http://127.0.0.1:{emu.port}", s.user,
                             s.password if password is None else password)
    return OnvifPullPointClient(endpoint, **kw)


@contextmanager
def running(emu: OnvifEmulator, **kw: Any) -> Iterator[Run]:
    run = Run(_client(emu, **kw))
    try:
        assert emu.events.wait_for(lambda: bool(emu.events.live()), T)
        yield run
    finally:
        run.end()


def _utc(second: int) -> dt.datetime:
    return dt.datetime(2026, 12, 1, 8, 0, second, tzinfo=dt.UTC)


def test_subscribe_pull_and_unsubscribe_as_the_camera_sees_it() -> None:
    with OnvifEmulator(EmulatorSettings()) as emu:
        with running(emu) as run:
            run.wait(lambda: len(run.events) >= 4)  # the four property states, Initialized
            emu.events.push_event(CELL_MOTION, {**RULE, "Rule": "MyMotionDetectorRule"},
                                  {"IsMotion": "true"}, utc_time=_utc(1))
            emu.events.push_event(CELL_MOTION, {**RULE, "Rule": "MyMotionDetectorRule"},
                                  {"IsMotion": "false"}, utc_time=_utc(4))
            run.wait(lambda: len(run.changes()) == 2)
        ops = [entry.op for entry in emu.events.log]
        assert ops[:3] == ["GetEventProperties", "CreatePullPointSubscription", "PullMessages"]
        # Unsubscribed on stop. The long poll under way when the run was aborted is
        # cancelled on our side, but its request may already be on the wire and reach the
        # camera just after the Unsubscribe (seen once in CI): only pulls may follow it.
        assert "Unsubscribe" in ops and emu.events.live() == []
        after = ops[len(ops) - ops[::-1].index("Unsubscribe"):]
        assert set(after) <= {"PullMessages"}, ops
        assert run.error is None and run.problems == []
        start, stop = run.changes()
        assert (start.type, start.state, start.device_time) == (
            EventType.MOTION, EventState.START, _utc(1))
        assert (stop.state, stop.device_time) == (EventState.STOP, _utc(4))
        assert start.topic == CELL_MOTION and start.details["property_operation"] == "Changed"
        assert start.details["Rule"] == "MyMotionDetectorRule" and start.camera_id == 4
        initial = {e.topic: e for e in run.events[:4]}
        assert set(initial) == {MOTION_ALARM, CELL_MOTION, FIELD_INSIDE, SCENE_CHANGE}
        assert all(e.state == EventState.STOP for e in initial.values())
        for topic in (MOTION_ALARM, CELL_MOTION, LINE_CROSSED, FIELD_INSIDE, SCENE_CHANGE,
                      PLATE_TOPIC):
            assert topic in run.client.topics


def test_each_topic_arrives_with_its_type_state_and_plate() -> None:
    with OnvifEmulator(EmulatorSettings()) as emu, running(emu) as run:
        ev = emu.events
        ev.push_event(MOTION_ALARM, {"Source": "VideoSource_1"}, {"State": "true"})
        ev.push_event(LINE_CROSSED, {**RULE, "Rule": "Gate line"}, {"ObjectId": "12"})
        ev.push_event(FIELD_INSIDE, {**RULE, "Rule": "Yard"}, {"IsInside": "true"},
                      key={"ObjectId": "3"})
        ev.push_event(SCENE_CHANGE, {"Source": "VideoSource_1"}, {"State": "true"})
        ev.push_event(PLATE_TOPIC, {**RULE, "Rule": "Lane 1"},
                      {"PlateNumber": "鄂G12345", "PlateColor": "blue"}, utc_time=_utc(9))
        run.wait(lambda: len(run.changes()) == 5)
    got = [(e.type, e.state) for e in run.changes()]
    assert got == [(EventType.MOTION, EventState.START),
                   (EventType.LINE_CROSSING, EventState.PULSE),
                   (EventType.INTRUSION, EventState.START),
                   (EventType.TAMPER, EventState.START),
                   (EventType.PLATE, EventState.PULSE)]
    crossing, field, plate = run.changes()[1], run.changes()[2], run.changes()[4]
    assert crossing.details["Rule"] == "Gate line" and "property_operation" not in crossing.details
    assert field.details["ObjectId"] == "3"
    assert (plate.plate, plate.plate_colour, plate.device_time) == ("鄂G12345", "blue", _utc(9))


def test_renews_before_the_granted_term_ends() -> None:
    """The camera grants 3 s whatever is asked; the subscription outlives many terms."""
    settings = EmulatorSettings(events=EventsSettings(granted_term_s=3.0))
    with OnvifEmulator(settings) as emu, running(emu) as run:
        created = emu.events.ops("CreatePullPointSubscription")[0].at
        assert emu.events.wait_for(lambda: len(emu.events.ops("Renew")) >= 4, 20)
        emu.events.push_event(CELL_MOTION, {**RULE, "Rule": "R"}, {"IsMotion": "true"})
        run.wait(lambda: len(run.changes()) == 1)
        renewals = [created] + [e.at for e in emu.events.ops("Renew")]
    gaps = [b - a for a, b in itertools.pairwise(renewals)]
    assert all(gap < 3.0 for gap in gaps), gaps  # each before the term ran out
    assert renewals[-1] - created > 6.0  # two full terms and more on one subscription
    assert len(emu.events.ops("CreatePullPointSubscription")) == 1 and run.error is None


def test_a_camera_that_renews_only_to_an_absolute_time() -> None:
    settings = EmulatorSettings(clock_skew_s=-3600, events=EventsSettings(
        granted_term_s=3.0, renew_absolute_only=True))
    with OnvifEmulator(settings) as emu, running(emu) as run:
        assert emu.events.wait_for(lambda: len(emu.events.ops("Renew")) >= 4, 20)
        emu.events.push_event(CELL_MOTION, {**RULE, "Rule": "R"}, {"IsMotion": "true"})
        run.wait(lambda: len(run.changes()) == 1)
    assert len(emu.events.ops("CreatePullPointSubscription")) == 1 and run.error is None


def test_expired_subscription_is_reported_and_the_next_run_resubscribes() -> None:
    with OnvifEmulator(EmulatorSettings()) as emu:
        client = _client(emu, pull_timeout_s=2.0)
        first = Run(client)
        assert emu.events.wait_for(lambda: bool(emu.events.live()), T)
        emu.events.force_expire()
        first.thread.join(T)
        assert isinstance(first.error, EventClientError)
        assert first.error.code == ProblemCode.EXPIRED
        assert emu.events.ops("Unsubscribe") == []  # nothing left to unsubscribe
        # While no subscription lives the camera still changes state: a new subscription
        # starts with that state ("Initialized").
        emu.events.push_event(CELL_MOTION, {**RULE, "Rule": "MyMotionDetectorRule"},
                              {"IsMotion": "true"})
        second = Run(client)
        try:
            assert emu.events.wait_for(lambda: bool(emu.events.live()), T)
            for n in range(20):
                emu.events.push_event(LINE_CROSSED, {**RULE, "Rule": "Gate"},
                                      {"ObjectId": str(n)})
            second.wait(lambda: len(second.changes()) == 20)
        finally:
            second.end()
    assert len(emu.events.ops("CreatePullPointSubscription")) == 2
    assert [e.details["ObjectId"] for e in second.changes()] == [str(n) for n in range(20)]
    motion = [e for e in second.events if e.topic == CELL_MOTION]
    assert [(e.state, e.details["property_operation"]) for e in motion] == [
        (EventState.START, "Initialized")]
    assert second.error is None


def test_abort_ends_a_held_pull_and_unsubscribes_within_a_second() -> None:
    with OnvifEmulator(EmulatorSettings()) as emu:
        run = Run(_client(emu, pull_timeout_s=30.0))
        # The camera holds a pull with nothing to send.
        assert emu.events.wait_for(lambda: len(emu.events.ops("PullMessages")) >= 2, T)
        run.stop.set()
        aborted = time.monotonic()
        run.client.abort()
        run.thread.join(T)
        assert not run.thread.is_alive() and run.error is None
        assert time.monotonic() - aborted < 2.0
        (unsubscribe,) = emu.events.ops("Unsubscribe")
        assert unsubscribe.at - aborted < 1.0
        assert emu.events.live() == []


def test_stop_alone_is_honoured_at_the_end_of_the_long_poll() -> None:
    with OnvifEmulator(EmulatorSettings()) as emu:
        run = Run(_client(emu, pull_timeout_s=1.0))
        assert emu.events.wait_for(lambda: len(emu.events.ops("PullMessages")) >= 2, T)
        stopped = time.monotonic()
        run.stop.set()
        run.thread.join(T)
        assert not run.thread.is_alive() and time.monotonic() - stopped < 3.0
        assert len(emu.events.ops("Unsubscribe")) == 1 and run.error is None


@pytest.mark.parametrize("auth", ["wsse", "digest"])
def test_wrong_password_is_auth_failed(auth: str) -> None:
    with OnvifEmulator(EmulatorSettings(auth=auth)) as emu:
        run = Run(_client(emu, password="Wrong-Pass-77"))
        run.thread.join(T)
    assert isinstance(run.error, EventClientError)
    assert run.error.code == ProblemCode.AUTH_FAILED
    assert "Wrong-Pass-77" not in str(run.error) and "Wrong-Pass-77" not in run.error.detail
    assert emu.events.log == []


@pytest.mark.parametrize("events", [EventsSettings(enabled=False),
                                    EventsSettings(pullpoint=False)],
                         ids=["no events service", "PullPoint not implemented"])
def test_a_camera_without_pullpoint_is_unsupported(events: EventsSettings) -> None:
    with OnvifEmulator(EmulatorSettings(events=events)) as emu:
        run = Run(_client(emu))
        run.thread.join(T)
    assert isinstance(run.error, EventClientError)
    assert run.error.code == ProblemCode.UNSUPPORTED


def test_an_unreadable_message_is_reported_and_skipped() -> None:
    with OnvifEmulator(EmulatorSettings()) as emu, running(emu) as run:
        emu.events.push_raw("<wsnt:NotificationMessage><wsnt:Message/></wsnt:NotificationMessage>")
        emu.events.push_event(MOTION_ALARM, {"Source": "VideoSource_1"}, {"State": "true"})
        run.wait(lambda: len(run.changes()) == 1)
    assert [(p.code, p.camera_id) for p in run.problems] == [(ProblemCode.BAD_XML, 4)]
    assert run.changes()[0].state == EventState.START and run.error is None


def test_skewed_camera_clock_and_a_manager_address_behind_nat() -> None:
    """WS-Security needs the camera's clock; the subscription address the camera gives
    (its LAN address) is pointed back at the address we reached it on."""
    settings = EmulatorSettings(clock_skew_s=-3600, xaddr_host="192.168.1.64:80")
    with OnvifEmulator(settings) as emu, running(emu) as run:
        emu.events.push_event(MOTION_ALARM, {"Source": "VideoSource_1"}, {"State": "true"})
        run.wait(lambda: len(run.changes()) == 1)
        camera_time = emu.camera_now()
    event = run.changes()[0]
    assert event.device_time is not None
    assert abs((event.device_time - camera_time).total_seconds()) < 5  # as the camera said
    assert all(authorised for _, authorised in emu.calls)


def test_unreadable_replies_are_reported_and_pulling_goes_on() -> None:
    broken = [b"\x00\x01 not xml", b"<html><body>503 Server busy</body></html>"]
    settings = EmulatorSettings(events=EventsSettings(broken_pulls=list(broken)))
    with OnvifEmulator(settings) as emu, running(emu) as run:
        run.wait(lambda: len(run.problems) == 2)
        emu.events.push_event(MOTION_ALARM, {"Source": "VideoSource_1"}, {"State": "true"})
        run.wait(lambda: len(run.changes()) == 1)
    assert [p.code for p in run.problems] == [ProblemCode.BAD_XML, ProblemCode.BAD_RESPONSE]
    assert run.error is None and len(emu.events.ops("CreatePullPointSubscription")) == 1


def test_a_camera_that_keeps_sending_garbage_is_reconnected() -> None:
    settings = EmulatorSettings(events=EventsSettings(broken_pulls=[b"garbage"] * 3))
    with OnvifEmulator(settings) as emu:
        run = Run(_client(emu))
        run.thread.join(T)
    assert isinstance(run.error, EventClientError)
    assert run.error.code == ProblemCode.BAD_RESPONSE
    assert [p.code for p in run.problems] == [ProblemCode.BAD_XML] * 3
    assert len(emu.events.ops("Unsubscribe")) == 1  # the subscription may live: freed


def test_one_manager_address_for_all_subscriptions_with_reference_parameters() -> None:
    """Axis style: the subscription is named by a SOAP header the client must echo."""
    settings = EmulatorSettings(events=EventsSettings(reference_parameters=True,
                                                      granted_term_s=3.0))
    with OnvifEmulator(settings) as emu, running(emu) as run:
        emu.events.push_event(MOTION_ALARM, {"Source": "VideoSource_1"}, {"State": "true"})
        run.wait(lambda: len(run.changes()) == 1)
        assert emu.events.wait_for(lambda: len(emu.events.ops("Renew")) >= 1, T)
    (live_id,) = {e.subscription for e in emu.events.log if e.subscription}
    assert live_id.startswith("PullSubManager_")  # every request named the subscription
    assert len(emu.events.ops("Unsubscribe")) == 1 and run.error is None


def test_abort_while_the_camera_sits_on_the_subscribe_request() -> None:
    settings = EmulatorSettings(events=EventsSettings(hold_ops={"CreatePullPointSubscription"}))
    with OnvifEmulator(settings) as emu:
        run = Run(_client(emu, request_timeout_s=30.0))
        assert emu.events.wait_for(lambda: bool(emu.events.ops("CreatePullPointSubscription")),
                                   T)
        run.stop.set()
        aborted = time.monotonic()
        run.client.abort()
        run.thread.join(T)
        assert time.monotonic() - aborted < 1.0 and run.error is None
        assert emu.events.live() == [] and emu.events.ops("Unsubscribe") == []
