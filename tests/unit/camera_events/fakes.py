"""An in-process camera for the intake: the EventClient protocol, nothing faked below it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

from commandroom.camera_events.model import (
    EventClient,
    EventClientError,
    EventEndpoint,
    EventProblem,
    EventSink,
    ProblemCode,
    ProblemSink,
)
from tests.unit.camera_events.conftest import T0, plate_event

Step = Callable[[EventSink, ProblemSink, threading.Event], None]


class FakeDevice:
    """What a camera does on each connection, in order; after a step (unless it raised)
    and after the script: the connection stays open until stopped or aborted."""

    def __init__(self, camera_id: int, connections: list[Step] | None = None) -> None:
        self.camera_id = camera_id
        self.connections = list(connections or [])
        self.endpoints: list[EventEndpoint] = []
        self.aborted = 0
        self.serial = 0

    def events(self, count: int) -> Step:
        def send(sink: EventSink, problems: ProblemSink, stop: threading.Event) -> None:
            for _ in range(count):
                self.serial += 1
                sink(plate_event(self.camera_id, f"鄂A{self.serial:05d}",
                                 T0 + timedelta(seconds=self.serial)))
        return send

    def client(self, endpoint: EventEndpoint) -> EventClient:
        self.endpoints.append(endpoint)
        return FakeClient(self)


class FakeClient:
    def __init__(self, device: FakeDevice) -> None:
        self.device = device
        self._abort = threading.Event()

    def run_once(self, sink: EventSink, problems: ProblemSink, stop: threading.Event) -> None:
        if self.device.connections:
            self.device.connections.pop(0)(sink, problems, stop)
        while not stop.is_set() and not self._abort.wait(0.05):
            pass

    def abort(self) -> None:
        self.device.aborted += 1
        self._abort.set()


def fails(code: ProblemCode, after: Step | None = None) -> Step:
    def step(sink: EventSink, problems: ProblemSink, stop: threading.Event) -> None:
        if after is not None:
            after(sink, problems, stop)
        raise EventClientError(code, "connection reset by 127.0.0.1")
    return step


def then(*steps: Step) -> Step:
    def step(sink: EventSink, problems: ProblemSink, stop: threading.Event) -> None:
        for each in steps:
            each(sink, problems, stop)
    return step


def bad_xml(sink: EventSink, problems: ProblemSink, stop: threading.Event) -> None:
    problems(EventProblem(0, ProblemCode.BAD_XML, "line 1: not well-formed"))
