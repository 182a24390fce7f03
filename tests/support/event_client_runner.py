"""Runs an ``EventClient.run_once`` on a thread of its own, as the intake does, and
records what it hands over, so that tests can wait on it (no sleeps)."""

from __future__ import annotations

import threading

from commandroom.camera_events.model import CameraEvent, EventClient, EventProblem, ProblemCode


class EventRecorder:
    def __init__(self) -> None:
        self.events: list[CameraEvent] = []
        self.problems: list[EventProblem] = []
        self._changed = threading.Condition()

    def sink(self, event: CameraEvent) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def problem(self, problem: EventProblem) -> None:
        with self._changed:
            self.problems.append(problem)
            self._changed.notify_all()

    def wait_events(self, count: int, timeout: float = 5.0) -> list[CameraEvent]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.events) >= count, timeout)
            return list(self.events)

    def wait_problems(self, count: int, timeout: float = 5.0) -> list[ProblemCode]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.problems) >= count, timeout)
            return [p.code for p in self.problems]


class ClientRun:
    """One ``run_once`` on its own thread; ``finish``/``ended`` join it and give back
    what it raised (None when it returned)."""

    def __init__(self, client: EventClient, recorder: EventRecorder) -> None:
        self.client = client
        self.stop = threading.Event()
        self.raised: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(recorder,),
                                        name="event-client-run", daemon=True)
        self._thread.start()

    def _run(self, recorder: EventRecorder) -> None:
        try:
            self.client.run_once(recorder.sink, recorder.problem, self.stop)
        except BaseException as exc:  # handed to the test, which asserts on it
            self.raised = exc

    def ended(self, timeout: float = 5.0) -> BaseException | None:
        """Wait for run_once to end by itself (a failure)."""
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "run_once did not end"
        return self.raised

    def finish(self, timeout: float = 5.0) -> BaseException | None:
        """Stop as the intake does (stop, then abort) and join."""
        self.stop.set()
        self.client.abort()
        return self.ended(timeout)
