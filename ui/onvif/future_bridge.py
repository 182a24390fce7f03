"""Hands ``concurrent.futures.Future`` results to the GUI thread (never a wait on it).

The ONVIF core answers with Futures completed on its own loop thread. The done-callback
only emits a signal; the bridge lives in the GUI thread, so Qt queues the call there.
A bridge that has been shut (its widget closed) drops late answers instead of touching
dead widgets.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from commandroom.onvif import OnvifError

log = logging.getLogger(__name__)
T = TypeVar("T")


def error_text(exc: BaseException) -> str:
    """The sentence the officer sees. Core errors already are one; anything else is not
    shown raw (it might be a traceback-ish repr), it is logged."""
    if isinstance(exc, OnvifError):
        return str(exc)
    log.warning("unexpected failure behind an ONVIF future: %s", type(exc).__name__)
    return QCoreApplication.translate(
        "FutureBridge", "The request failed unexpectedly (%1).").replace(
            "%1", type(exc).__name__)


class FutureBridge(QObject):
    """``bridge.call(future, on_ok, on_error)``: both callbacks run on the GUI thread."""

    _done = Signal(object, object, object)  # future, on_ok, on_error
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open = True
        self.pending = 0
        # Queued even when the future is already done: callers never re-enter themselves.
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def call(self, future: concurrent.futures.Future[T],
             on_ok: Callable[[T], Any] | None = None,
             on_error: Callable[[str], Any] | None = None) -> concurrent.futures.Future[T]:
        if not self._open:
            future.cancel()
            return future
        self.pending += 1
        if self.pending == 1:
            self.busy_changed.emit(True)

        def done(f: concurrent.futures.Future[T]) -> None:
            # RuntimeError: the bridge's C++ object is gone, there is nobody to tell.
            with contextlib.suppress(RuntimeError):
                self._done.emit(f, on_ok, on_error)

        future.add_done_callback(done)
        return future

    def shut(self) -> None:
        """From now on answers are dropped (call when the owning widget closes)."""
        self._open = False

    @property
    def is_open(self) -> bool:
        return self._open

    def _deliver(self, future: concurrent.futures.Future[Any],
                 on_ok: Callable[[Any], Any] | None,
                 on_error: Callable[[str], Any] | None) -> None:
        self.pending -= 1
        if self.pending == 0:
            self.busy_changed.emit(False)
        if not self._open or future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            if on_error is not None:
                on_error(error_text(exc))
            return
        if on_ok is not None:
            on_ok(future.result())
