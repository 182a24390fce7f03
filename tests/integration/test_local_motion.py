"""Local motion detection on real RTSP streams through the real stream hub: the test
server's moving ball gives a START, its still SMPTE bars (with a running clock overlay,
as real cameras have) give nothing; at most 5 pictures a second are examined; the
detector joins a tile's reader instead of opening a second one; stop ends it cleanly."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from commandroom.camera_events.local_motion import TOPIC, LocalMotionClient
from commandroom.camera_events.model import (
    CameraEvent,
    EventProblem,
    EventSource,
    EventState,
    EventType,
    ProblemCode,
)
from commandroom.camera_events.motion_detector import MotionTuning
from commandroom.video.hub import StreamHub
from commandroom.video.stream_spec import StreamSpec
from tests.support.rtsp import SECURE_PASSWORD, SECURE_USER, RtspTestServer, wait_for_seq

pytestmark = pytest.mark.integration

CAMERA_ID = 7
CONNECT_S = 15.0  # generous for 2 loaded cores


@dataclass
class Collected:
    """The sink and problem sink handed to run_once; tests wait on it, no sleeps."""

    events: list[CameraEvent] = field(default_factory=list)
    problems: list[EventProblem] = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)

    def sink(self, event: CameraEvent) -> None:
        with self.cond:
            self.events.append(event)
            self.cond.notify_all()

    def problem(self, problem: EventProblem) -> None:
        with self.cond:
            self.problems.append(problem)

    def wait_for(self, state: EventState, timeout: float) -> CameraEvent:
        with self.cond:
            found = self.cond.wait_for(
                lambda: any(e.state is state for e in self.events), timeout)
            assert found, f"no {state} event in {timeout} s; got {self.events}"
            return next(e for e in self.events if e.state is state)


@dataclass
class Running:
    client: LocalMotionClient
    collected: Collected
    thread: threading.Thread
    stop: threading.Event
    errors: list[BaseException]

    def wait_examined(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.client.examined < count:
            assert not self.errors, self.errors
            assert time.monotonic() < deadline, (
                f"examined {self.client.examined} of {count} pictures in {timeout} s")
            time.sleep(0.05)  # the counter has nothing to wait on


@contextmanager
def running(hub: StreamHub, spec: StreamSpec) -> Iterator[Running]:
    """The client on its own thread, as the intake runs it; always stopped and joined."""
    client = LocalMotionClient(CAMERA_ID, hub, spec)
    collected = Collected()
    stop = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            client.run_once(collected.sink, collected.problem, stop)
        except BaseException as exc:  # the test reports it
            errors.append(exc)

    thread = threading.Thread(target=run, name=f"motion-camera-{CAMERA_ID}")
    thread.start()
    try:
        yield Running(client, collected, thread, stop, errors)
    finally:
        stop.set()
        client.abort()
        thread.join(5.0)
        assert not thread.is_alive(), "run_once did not return after stop and abort"


def _live(server: RtspTestServer) -> StreamSpec:
    return StreamSpec(server.url("live1"))  # videotestsrc pattern=ball: it moves


def _still(server: RtspTestServer) -> StreamSpec:
    # SMPTE bars that never move, with the server's clock overlay ticking over them.
    return StreamSpec(server.url("secure"), SECURE_USER, SECURE_PASSWORD)


def test_a_moving_ball_starts_motion_at_no_more_than_5_pictures_a_second(
        rtsp_server: RtspTestServer, hub: StreamHub) -> None:
    with running(hub, _live(rtsp_server)) as motion:
        start = motion.collected.wait_for(EventState.START, CONNECT_S)
        assert start.camera_id == CAMERA_ID
        assert start.source is EventSource.LOCAL_MOTION and start.type is EventType.MOTION
        assert start.topic == TOPIC and start.device_time is None
        assert start.received_at.tzinfo is not None
        assert float(start.details["fraction"]) >= MotionTuning().min_area_fraction
        x, y, w, h = (float(v) for v in start.details["box"].split(","))
        assert 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 and 0.0 < w <= 0.5 and 0.0 < h <= 0.5

        # The rate: pictures examined over a measured interval (the stream sends 25/s).
        first, began = motion.client.examined, time.monotonic()
        motion.stop.wait(3.0)  # an interval to measure over, nothing to wait for
        count, elapsed = motion.client.examined - first, time.monotonic() - began
        assert count <= 5.0 * elapsed + 1, f"{count} pictures in {elapsed:.2f} s"
        assert count >= 2.0 * elapsed, f"only {count} pictures in {elapsed:.2f} s"
    # Stopped while the ball still moves: the motion is ended, not left open.
    stop = motion.collected.events[-1]
    assert stop.state is EventState.STOP and stop.details["ended"] == "stopped"
    assert not motion.errors


def test_a_still_picture_with_a_ticking_clock_gives_no_event(
        rtsp_server: RtspTestServer, hub: StreamHub) -> None:
    tuning = MotionTuning()
    with running(hub, _still(rtsp_server)) as motion:
        # Warm-up, then 5 s of examined pictures.
        motion.wait_examined(tuning.warmup_frames + 25, CONNECT_S + 10.0)
    assert motion.collected.events == []
    assert motion.collected.problems == []
    assert not motion.errors


def test_the_detector_shares_the_tiles_reader_and_opens_no_second_connection(
        rtsp_server: RtspTestServer, hub: StreamHub) -> None:
    spec = _live(rtsp_server)
    describes_before = rtsp_server.event_counts()["DESCRIBE /live1"]
    tile = hub.subscribe(spec, (640, 360))
    try:
        wait_for_seq(tile, 1, CONNECT_S)
        assert hub.reader_count() == 1
        with running(hub, spec) as motion:
            motion.wait_examined(5, CONNECT_S)
            assert hub.reader_count() == 1
            seq = tile.slot.seq
        # The tile goes on from the same reader after the detector left.
        wait_for_seq(tile, seq + 3, CONNECT_S)
        assert hub.reader_count() == 1
    finally:
        tile.release()
    assert rtsp_server.event_counts()["DESCRIBE /live1"] - describes_before == 1


def test_a_tile_opened_after_the_detector_joins_its_reader(
        rtsp_server: RtspTestServer, hub: StreamHub) -> None:
    spec = _live(rtsp_server)
    describes_before = rtsp_server.event_counts()["DESCRIBE /live1"]
    with running(hub, spec) as motion:
        motion.wait_examined(3, CONNECT_S)
        tile = hub.subscribe(spec, (640, 360))
        try:
            frame = wait_for_seq(tile, tile.slot.seq + 3, CONNECT_S)
            assert frame.image.shape[1] == 640  # the tile gets its size, not the detector's
            motion.wait_examined(motion.client.examined + 3, CONNECT_S)
            assert hub.reader_count() == 1
        finally:
            tile.release()
    assert rtsp_server.event_counts()["DESCRIBE /live1"] - describes_before == 1


@pytest.mark.parametrize("how", ["abort", "stop"])
def test_stop_or_abort_ends_run_once_promptly_and_releases_the_stream(
        rtsp_server: RtspTestServer, hub: StreamHub, how: str) -> None:
    with running(hub, _live(rtsp_server)) as motion:
        motion.wait_examined(2, CONNECT_S)
        asked = time.monotonic()
        end: Callable[[], None] = motion.client.abort if how == "abort" else motion.stop.set
        end()
        motion.thread.join(2.0)
        took = time.monotonic() - asked
        assert not motion.thread.is_alive()
        # abort wakes it at once; stop alone is seen within one 200 ms interval.
        assert took < (0.5 if how == "abort" else 1.0), f"{how} took {took:.2f} s"
    assert not motion.errors
    # Its subscription is gone: with no viewer left the hub's reader stops (idle_stop_s).
    deadline = time.monotonic() + 5.0
    while hub.reader_count():
        assert time.monotonic() < deadline, "the detector's reader is still running"
        time.sleep(0.05)  # reader threads end on their own; nothing to wait on


def test_an_aborted_client_does_not_subscribe_again(
        rtsp_server: RtspTestServer, hub: StreamHub) -> None:
    client = LocalMotionClient(CAMERA_ID, hub, _live(rtsp_server))
    client.abort()
    collected = Collected()
    client.run_once(collected.sink, collected.problem, threading.Event())
    assert hub.reader_count() == 0 and collected.events == []


def test_a_camera_lost_mid_motion_ends_it_and_motion_is_found_again_when_it_returns(
        private_rtsp_server: RtspTestServer, hub: StreamHub) -> None:
    """The server dies while the ball moves: STOP (no picture), a problem reported, no
    exception; it comes back on the same port: the hub reconnects, the detector learns
    the scene again and START comes again."""
    server = private_rtsp_server
    client = LocalMotionClient(CAMERA_ID, hub, _live(server), stale_after_s=1.5)
    collected = Collected()
    stop = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            client.run_once(collected.sink, collected.problem, stop)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run, name="motion-lost-camera")
    thread.start()
    try:
        collected.wait_for(EventState.START, CONNECT_S)
        server.kill()
        with collected.cond:
            assert collected.cond.wait_for(
                lambda: len(collected.events) >= 2 and bool(collected.problems), 10.0), (
                collected.events, collected.problems)
            stopped = collected.events[1]
        assert stopped.state is EventState.STOP and stopped.details["ended"] == "no_pictures"
        assert collected.problems[0].code is ProblemCode.DISCONNECTED
        assert "rtsp://" not in collected.problems[0].detail
        server.start()
        with collected.cond:
            assert collected.cond.wait_for(lambda: len(collected.events) >= 3, 30.0), (
                collected.events)
            assert collected.events[2].state is EventState.START
        assert not errors
    finally:
        stop.set()
        client.abort()
        thread.join(5.0)
    assert not thread.is_alive()
