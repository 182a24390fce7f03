"""The event intake: one thread per camera event connection, one writer for the database.

Each camera with an event source (and each with local motion detection) gets a thread
that runs its protocol client's ``run_once`` again and again: after a failure it waits
(1 s, doubling up to 30 s; back to 1 s after a good connection: one that delivered an
event or stayed up ``GOOD_CONNECTION_S``). Problems are counted and logged (redacted);
``EventIntakeStatus`` tells the console who is connected.

Clients hand events to a bounded queue that one writer thread empties into the event
log (and through its ``CameraEventStored`` into the suggestions): the database sees one
writer of events however many cameras burst at once. A full queue never blocks a
client (its socket would stall and the camera drop us); the event is counted as
dropped and logged, so every event read is accounted for: received = stored + dropped
(+ those still queued). The writer also runs the retention sweep, every
``sweep_every_s``.

The intake follows the registry: ``CamerasChanged`` adds, restarts (address, source or
credentials changed) and stops workers. ``stop`` aborts every client, joins every
thread, then writes what is still queued.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from commandroom.camera_events.endpoints import wanted_endpoints
from commandroom.camera_events.model import (
    CameraEvent,
    EventClient,
    EventClientError,
    EventEndpoint,
    EventProblem,
    EventSource,
    ProblemCode,
)
from commandroom.camera_events.store import CameraEventLog
from commandroom.camera_events.views import EventIntakeStatus
from commandroom.cameras.directory import CameraDirectory
from commandroom.cameras.registry import CamerasChanged
from commandroom.config import EventSettings
from commandroom.events import EventBus
from commandroom.redact import redact_text

log = logging.getLogger(__name__)

ClientFactory = Callable[[EventEndpoint], EventClient]
GOOD_CONNECTION_S = 10.0  # up this long (or an event came): connected, backoff reset
JOIN_TIMEOUT_S = 10.0
STORE_RETRY_S = 0.5
_STOP = object()  # the writer's last item


@dataclass(frozen=True)
class Backoff:
    initial_s: float = 1.0
    max_s: float = 30.0

    def next(self, current: float | None) -> float:
        return self.initial_s if current is None else min(self.max_s, current * 2)


class _Worker:
    """One camera's event connection on its own thread."""

    def __init__(self, intake: EventIntake, endpoint: EventEndpoint,
                 factory: ClientFactory) -> None:
        self.endpoint = endpoint
        self._intake = intake
        self._factory = factory
        self.stop_event = threading.Event()
        self._client: EventClient | None = None
        self._lock = threading.Lock()
        self._connected = False
        self._events_this_connection = 0
        self.attempts = 0
        # The last backoff waits taken (tests, diagnostics); bounded for a long outage.
        self.waits: deque[float] = deque(maxlen=64)
        self.thread = threading.Thread(
            target=self._run, daemon=True,
            name=f"camera-events-{endpoint.camera_id}-{endpoint.source.value}")

    def stop(self) -> None:
        self.stop_event.set()
        with self._lock:
            client = self._client
        if client is not None:
            try:
                client.abort()
            except Exception:
                log.exception("camera %d: aborting the event client failed",
                              self.endpoint.camera_id)

    def _run(self) -> None:
        camera_id = self.endpoint.camera_id
        wait: float | None = None
        while not self.stop_event.is_set():
            self.attempts += 1
            started = time.monotonic()
            self._events_this_connection = 0
            code = ProblemCode.DISCONNECTED
            detail = ""
            try:
                client = self._factory(self.endpoint)
                with self._lock:
                    self._client = client
                if self.stop_event.is_set():
                    break
                # A quiet camera is connected too once its connection has held a while.
                held = threading.Timer(GOOD_CONNECTION_S, self._held, (self.attempts,))
                held.daemon = True
                held.start()
                try:
                    client.run_once(self._sink, self._problem, self.stop_event)
                finally:
                    held.cancel()
                    held.join()
            except EventClientError as exc:
                code, detail = exc.code, exc.detail
            except ImportError as exc:  # the client of this source is not installed
                code, detail = ProblemCode.UNSUPPORTED, str(exc)
            except Exception as exc:  # a client's bug must not end the camera's intake
                log.exception("camera %d: the %s event client failed", camera_id,
                              self.endpoint.source.value)
                code, detail = ProblemCode.BAD_RESPONSE, type(exc).__name__
            finally:
                with self._lock:
                    self._client = None
            if self.stop_event.is_set():
                break
            good = self._events_this_connection > 0 or \
                time.monotonic() - started >= GOOD_CONNECTION_S
            wait = self._intake.backoff.next(None if good else wait)
            self._problem(EventProblem(camera_id, code, detail))
            self._set_connected(False, code.value)
            self.waits.append(wait)
            self.stop_event.wait(wait)
        self._set_connected(False, "")

    def _held(self, attempt: int) -> None:
        if attempt == self.attempts and not self.stop_event.is_set() and not self._connected:
            self._set_connected(True, "")

    def _sink(self, event: CameraEvent) -> None:
        self._events_this_connection += 1
        if not self._connected:
            self._set_connected(True, "")
        self._intake.hand_over(event)

    def _problem(self, problem: EventProblem) -> None:
        self._intake.problem(problem)

    def _set_connected(self, connected: bool, problem: str) -> None:
        with self._lock:  # the hold timer and the worker may both say so
            if connected == self._connected and connected:
                return
            self._connected = connected
        self._intake.publish_status(EventIntakeStatus(self.endpoint.camera_id, connected,
                                                      problem))


class EventIntake:
    def __init__(self, cameras: CameraDirectory, events: EventBus, event_log: CameraEventLog,
                 factories: Mapping[EventSource, ClientFactory], *,
                 settings: EventSettings | None = None) -> None:
        self._cameras = cameras
        self._events = events
        self._log = event_log
        self._factories = dict(factories)
        self.settings = settings or EventSettings()
        self.backoff = Backoff(self.settings.backoff_initial_s, self.settings.backoff_max_s)
        self.counters = event_log.counters
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max(1, self.settings.queue_size))
        self._lock = threading.Lock()
        self._workers: dict[tuple[int, EventSource], _Worker] = {}
        self._retired: list[_Worker] = []
        self._writer = threading.Thread(target=self._write, name="camera-events-writer",
                                        daemon=True)
        self._unsubscribe: Callable[[], None] | None = None
        self._started = self._stopped = False
        self._last_drop_log = 0.0
        self._statuses: dict[int, EventIntakeStatus] = {}

    # -- life cycle -----------------------------------------------------------------------
    def start(self) -> None:
        with self._lock:
            if self._started or self._stopped:
                return
            self._started = True
        self._writer.start()
        self._unsubscribe = self._events.subscribe(CamerasChanged, lambda _: self.sync())
        self.sync()

    def stop(self) -> None:
        """Abort every client, join every thread, then store what is still queued."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            workers = list(self._workers.values()) + self._retired
            self._workers, self._retired = {}, []
        if self._unsubscribe is not None:
            self._unsubscribe()
        for worker in workers:
            worker.stop()
        for worker in workers:
            if worker.thread.ident is not None:
                worker.thread.join(JOIN_TIMEOUT_S)
                if worker.thread.is_alive():
                    log.error("camera %d: the event client did not stop",
                              worker.endpoint.camera_id)
        if self._writer.ident is not None:
            self._queue.put(_STOP)  # blocks only while the writer drains a full queue
            self._writer.join()

    def sync(self) -> None:
        """Start, restart and stop workers to match the registry's cameras."""
        wanted = wanted_endpoints(self._cameras.snapshot, self._factories)
        started: list[_Worker] = []
        ended: list[_Worker] = []
        with self._lock:
            if self._stopped or not self._started:
                return
            for key, worker in list(self._workers.items()):
                if wanted.get(key) != worker.endpoint:
                    ended.append(self._workers.pop(key))
            # Joined at stop(), not here: never block the registry's writer on a camera.
            self._retired = [w for w in self._retired if w.thread.is_alive()] + ended
            for key, endpoint in wanted.items():
                if key not in self._workers:
                    worker = _Worker(self, endpoint, self._factories[endpoint.source])
                    self._workers[key] = worker
                    started.append(worker)
            for worker in started:
                worker.thread.start()
        for worker in ended:
            worker.stop()  # outside the lock: an abort may take a moment
        for worker in started:
            log.info("camera %d: taking %s events", worker.endpoint.camera_id,
                     worker.endpoint.source.value)

    def workers(self) -> dict[tuple[int, EventSource], _Worker]:
        with self._lock:
            return dict(self._workers)

    def threads(self) -> list[threading.Thread]:
        """Every thread the intake runs (tests check none is left)."""
        with self._lock:
            workers = list(self._workers.values()) + self._retired
        return [w.thread for w in workers] + [self._writer]

    # -- from the workers --------------------------------------------------------------
    def hand_over(self, event: CameraEvent) -> None:
        """A client's sink: queue for the writer, never blocking the client."""
        self.counters.add("received")
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            self.counters.add("dropped")
            now = time.monotonic()
            if now - self._last_drop_log >= 5.0:  # once per 5 s, not per event
                self._last_drop_log = now
                log.warning("camera events: the queue is full (%d); event of camera %d "
                            "dropped (%d dropped so far)", self._queue.maxsize,
                            event.camera_id, self.counters.snapshot()["dropped"])

    def problem(self, problem: EventProblem) -> None:
        self.counters.add("problems")
        self.counters.add(problem.code.value)
        log.warning("camera %d: events: %s %s", problem.camera_id, problem.code.value,
                    redact_text(problem.detail))

    def publish_status(self, status: EventIntakeStatus) -> None:
        with self._lock:
            self._statuses[status.camera_id] = status
        self._events.publish(status)

    def statuses(self) -> dict[int, EventIntakeStatus]:
        """Each camera's last connection state (the events window when it opens; then it
        follows ``EventIntakeStatus``). No database: safe on any thread."""
        with self._lock:
            return dict(self._statuses)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every queued event is written (tests, the benchmark)."""
        deadline = time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._queue.all_tasks_done.wait(remaining)
        return True

    # -- the writer thread -------------------------------------------------------------
    def _write(self) -> None:
        next_sweep = time.monotonic()
        while True:
            if time.monotonic() >= next_sweep:
                self._sweep()
                next_sweep = time.monotonic() + self.settings.sweep_every_s
            try:
                item = self._queue.get(timeout=max(0.01, next_sweep - time.monotonic()))
            except queue.Empty:
                continue
            try:
                if item is _STOP:
                    return
                assert isinstance(item, CameraEvent)
                self._store(item)
            finally:
                self._queue.task_done()

    def _store(self, event: CameraEvent) -> None:
        for attempt in (1, 2):
            try:
                self._log.store(event)
                return
            except Exception:
                if attempt == 2:
                    log.exception("camera %d: an event could not be stored; dropped",
                                  event.camera_id)
                    self.counters.add("dropped")
                    self.counters.add("store_failed")
                    return
                log.warning("camera %d: storing an event failed; trying again",
                            event.camera_id, exc_info=True)
                time.sleep(STORE_RETRY_S)  # the database was busy: give it a moment

    def _sweep(self) -> None:
        try:
            self._log.sweep()
        except Exception:
            log.exception("camera events: the retention sweep failed; next try in %.0f s",
                          self.settings.sweep_every_s)
