"""The one way off the GUI thread and the one way back onto it.

Off: :func:`background` is the UI's one executor for service calls (anything that may
touch the database, hash a password, read or write a file of evidence). Nothing the GUI
thread runs opens a database session: ``commandroom.db.thread_guard`` fails a test
that does, and logs it in the app.

Back: a :class:`FutureBridge` hands a call's answer to the GUI thread (``bridge.run(fn,
..., on_ok=..., on_error=...)``); :class:`GuiEvents` hands EventBus events to the GUI
thread (``GuiEvents(bus).subscribe(EventType, slot, owner)``) and forgets the slot when
its owner is destroyed. Both always queue, even from the GUI thread itself, so a slot
never runs inside the publisher's call.

Why two worker threads, not one and not more: a layout save, the alert panel's reload
or an alert being sent take milliseconds; hashing a password (argon2, ~0.3 s), verifying
the whole audit chain, an import or a channel's test message (which waits for a distant
platform) take seconds. With two workers one slow call never holds up every answer,
while SQLite serialises writers anyway and the station's PC has two cores. Writes whose
order matters go through a lane (:meth:`Background.in_order`, :class:`Lane`: tags,
alert sends, team edits, one after the other as their own worker threads used to run
them) or :meth:`Background.latest` (the current layouts: of a burst only the newest
runs). Lanes are queues, not threads.

Threads of their own, on purpose: the thumbnail decoder (ui/common/thumbnails.py: a
long list queues dozens of decodes, an alert must not wait behind them), the clip player
(ui/sightings/player.py: one clip's length), the video readers and the ONVIF loop (core).
None of them opens a database session for the UI.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from sqlalchemy import Engine

from commandroom.db.thread_guard import ThreadGuard
from commandroom.events import EventBus

log = logging.getLogger(__name__)
T = TypeVar("T")
E = TypeVar("E")

WORKERS = 2
THREAD_PREFIX = "ui-service"


class Background(concurrent.futures.Executor):
    """A small thread pool for the UI's service calls; per-key lanes keep order."""

    def __init__(self, workers: int = WORKERS, name: str = THREAD_PREFIX) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._busy: set[Hashable] = set()
        self._queues: dict[Hashable, deque[_Job]] = {}

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any
               ) -> concurrent.futures.Future[T]:
        return self._pool.submit(fn, *args, **kwargs)

    def in_order(self, key: Hashable, fn: Callable[..., T], /, *args: Any
                 ) -> concurrent.futures.Future[T]:
        """Run after every earlier call under ``key`` finished (a lane: tags saved, alerts
        sent, teams edited in the order the officer made them)."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._enqueue(key, _Job(fn, args, future), replace=False)
        return future

    def latest(self, key: Hashable, fn: Callable[[], object]) -> None:
        """Like ``in_order``, but calls still waiting under ``key`` are dropped for this one
        (ten grid changes in a second are one save, and the last one wins). Failures are
        logged: nobody waits for the answer."""
        future: concurrent.futures.Future[object] = concurrent.futures.Future()
        future.add_done_callback(lambda f: _log_failure(key, f))
        self._enqueue(key, _Job(fn, (), future), replace=True)

    def _enqueue(self, key: Hashable, job: _Job, replace: bool) -> None:
        with self._lock:
            queue = self._queues.setdefault(key, deque())
            if replace:
                for dropped in queue:
                    dropped.future.cancel()
                queue.clear()
            queue.append(job)
            if key in self._busy:
                return
            self._busy.add(key)
        self._pool.submit(self._drain, key)

    def _drain(self, key: Hashable) -> None:
        while True:
            with self._lock:
                queue = self._queues.get(key)
                if not queue:
                    self._busy.discard(key)
                    self._queues.pop(key, None)
                    return
                job = queue.popleft()
            if job.future.set_running_or_notify_cancel():
                try:
                    job.future.set_result(job.fn(*job.args))
                except BaseException as exc:  # handed to whoever waits on the future
                    job.future.set_exception(exc)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Run what is queued (a last layout save, an alert being sent), then stop."""
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


class _Job:
    __slots__ = ("args", "fn", "future")

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...],
                 future: concurrent.futures.Future[Any]) -> None:
        self.fn, self.args, self.future = fn, args, future


def _log_failure(key: Hashable, future: concurrent.futures.Future[object]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("background write %r failed", key, exc_info=future.exception())


class Lane(concurrent.futures.Executor):
    """An ``Executor`` for one feature whose calls must stay in order (one after the
    other, as its own single worker used to run them) on the shared pool."""

    def __init__(self, key: str) -> None:
        self.key = key

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any
               ) -> concurrent.futures.Future[T]:
        if kwargs:
            return background().in_order(self.key, lambda: fn(*args, **kwargs))
        return background().in_order(self.key, fn, *args)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing to stop: the pool is the application's (``shutdown_background``)."""


UI_PACKAGES = ("ui",)  # a database call counts when UI code is on the stack


def guard_gui_thread(engine: Engine) -> ThreadGuard:
    """From now on a database connection taken on this (the GUI) thread by UI code raises
    in test runs and is logged in the app (``commandroom.db.thread_guard``)."""
    guard = ThreadGuard(threading.get_ident(), watched_packages=UI_PACKAGES)
    guard.attach(engine)
    return guard


_background: Background | None = None
_background_lock = threading.Lock()


def background() -> Background:
    """The process's UI executor (made on first use, again after a shutdown)."""
    global _background
    with _background_lock:
        if _background is None:
            _background = Background()
        return _background


def shutdown_background() -> None:
    """At application shutdown (and after each UI test): no worker thread is left."""
    global _background
    with _background_lock:
        current, _background = _background, None
    if current is not None:
        current.shutdown()


class FutureBridge(QObject):
    """``bridge.call(future, on_ok, on_error)``: both callbacks run on the GUI thread.

    The done-callback runs on whatever thread finished the future and only emits a
    signal; the bridge lives in the GUI thread, so Qt queues the delivery there. A bridge
    that has been shut (its widget closed) drops late answers instead of touching dead
    widgets.
    """

    _done = Signal(object, object, object)  # future, on_ok, on_error
    busy_changed = Signal(bool)  # True while any call is outstanding

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open = True
        self.pending = 0
        # Queued even when the future is already done: callers never re-enter themselves.
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(self, fn: Callable[..., T], /, *args: Any,
            on_ok: Callable[[T], Any] | None = None,
            on_error: Callable[[BaseException], Any] | None = None
            ) -> concurrent.futures.Future[T]:
        """``fn(*args)`` on the UI executor; the answer comes back through this bridge."""
        if not self._open:
            cancelled: concurrent.futures.Future[T] = concurrent.futures.Future()
            cancelled.cancel()
            return cancelled
        return self.call(background().submit(fn, *args), on_ok, on_error)

    def call(self, future: concurrent.futures.Future[T],
             on_ok: Callable[[T], Any] | None = None,
             on_error: Callable[[BaseException], Any] | None = None
             ) -> concurrent.futures.Future[T]:
        if not self._open:
            future.cancel()
            return future
        self.pending += 1
        if self.pending == 1:
            self.busy_changed.emit(True)

        def done(f: concurrent.futures.Future[T]) -> None:
            # RuntimeError: the bridge's C++ side is gone; nobody is left to tell.
            with contextlib.suppress(RuntimeError):
                self._done.emit(f, on_ok, on_error)

        future.add_done_callback(done)
        return future

    def shut(self) -> None:
        """From now on answers are dropped (call when the owner closes)."""
        self._open = False

    @property
    def is_open(self) -> bool:
        return self._open

    def _deliver(self, future: concurrent.futures.Future[Any],
                 on_ok: Callable[[Any], Any] | None,
                 on_error: Callable[[BaseException], Any] | None) -> None:
        self.pending -= 1
        if self.pending == 0:
            self.busy_changed.emit(False)
        if not self._open or future.cancelled():
            return
        exc = future.exception()
        if exc is None:
            if on_ok is not None:
                on_ok(future.result())
        elif on_error is not None:
            on_error(exc)
        else:
            log.error("unhandled failure behind a future: %s", type(exc).__name__)


class _Relay(QObject):
    """One subscription: lives in the GUI thread as a child of its owner, so it dies with
    the owner; the bus callback only emits ``posted``, Qt queues it here."""

    posted = Signal(object)

    def __init__(self, slot: Callable[[Any], object], owner: QObject) -> None:
        super().__init__(owner)
        self.live = True
        self._slot = slot
        self.posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def _deliver(self, event: object) -> None:
        if self.live:
            self._slot(event)


class GuiEvents:
    """EventBus → GUI thread: every window subscribes through this, nothing else."""

    def __init__(self, bus: EventBus) -> None:
        self.bus = bus

    def subscribe(self, event_type: type[E], slot: Callable[[E], object],
                  owner: QObject) -> Callable[[], None]:
        """``slot(event)`` runs on the GUI thread for each ``event_type`` published on any
        thread, until ``owner`` is destroyed or the returned function is called."""
        relay = _Relay(slot, owner)

        def post(event: E) -> None:
            # RuntimeError: the owner (and so the relay) is being destroyed right now.
            with contextlib.suppress(RuntimeError):
                relay.posted.emit(event)

        unsubscribe_bus = self.bus.subscribe(event_type, post)

        def unsubscribe() -> None:
            unsubscribe_bus()
            with contextlib.suppress(RuntimeError):
                relay.live = False  # events already queued are dropped too

        relay.destroyed.connect(lambda _o=None: unsubscribe_bus())
        return unsubscribe
