"""One background thread for the audit view's slow work (verifying the whole chain,
exporting): the GUI thread, which also paints the wall, never waits on it.

Results come back through a queued signal; after ``shutdown`` late results are dropped.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)


class BackgroundRunner(QObject):
    _done = Signal(object, object, object)  # future, on_ok, on_error
    busy_changed = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._open = True
        self.pending = 0
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(self, fn: Callable[[], Any], on_ok: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> None:
        if not self._open:
            return
        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix=self._name)
        self.pending += 1
        if self.pending == 1:
            self.busy_changed.emit(True)
        future = self._pool.submit(fn)

        def done(f: concurrent.futures.Future[Any]) -> None:
            # RuntimeError: our C++ side is gone, nobody is left to tell.
            with contextlib.suppress(RuntimeError):
                self._done.emit(f, on_ok, on_error)

        future.add_done_callback(done)

    def shutdown(self) -> None:
        """Drop late results; the thread ends after its current job (never waited on)."""
        self._open = False
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _deliver(self, future: concurrent.futures.Future[Any],
                 on_ok: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> None:
        self.pending -= 1
        if self.pending == 0:
            self.busy_changed.emit(False)
        if not self._open or future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            on_error(exc)
        else:
            on_ok(future.result())
