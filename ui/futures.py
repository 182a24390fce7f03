"""Hands ``concurrent.futures.Future`` results to the GUI thread (never a wait on it).

The done-callback runs on whatever thread finished the future and only emits a
signal; the bridge lives in the GUI thread, so Qt queues the delivery there. A bridge
that has been shut (its widget closed) drops late answers instead of touching dead
widgets.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)
T = TypeVar("T")


class FutureBridge(QObject):
    """``bridge.call(future, on_ok, on_error)``: both callbacks run on the GUI thread."""

    _done = Signal(object, object, object)  # future, on_ok, on_error
    busy_changed = Signal(bool)  # True while any call is outstanding

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open = True
        self.pending = 0
        # Queued even when the future is already done: callers never re-enter themselves.
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

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
