"""One background thread for the audit view's slow work (verifying the whole chain,
exporting): the GUI thread, which also paints the wall, never waits on it.

Results come back through the shared future bridge; after ``shutdown`` late results
are dropped.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.futures import FutureBridge


class BackgroundRunner(QObject):
    busy_changed = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._bridge = FutureBridge(self)
        self._bridge.busy_changed.connect(self.busy_changed)

    @property
    def pending(self) -> int:
        return self._bridge.pending

    def run(self, fn: Callable[[], Any], on_ok: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> None:
        if not self._bridge.is_open:
            return
        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix=self._name)
        self._bridge.call(self._pool.submit(fn), on_ok, on_error)

    def shutdown(self) -> None:
        """Drop late results; the thread ends after its current job (never waited on)."""
        self._bridge.shut()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
