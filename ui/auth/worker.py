"""The audit view's slow work (verifying the whole chain, exporting) on the UI's
background executor: the GUI thread, which also paints the wall, never waits on it.

Results come back through the shared future bridge; after ``shutdown`` late results
are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.bridge import FutureBridge, Lane


class BackgroundRunner(QObject):
    busy_changed = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lane = Lane(name)  # one job at a time, as the audit view expects
        self._bridge = FutureBridge(self)
        self._bridge.busy_changed.connect(self.busy_changed)

    @property
    def pending(self) -> int:
        return self._bridge.pending

    def run(self, fn: Callable[[], Any], on_ok: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> None:
        if not self._bridge.is_open:
            return
        self._bridge.call(self._lane.submit(fn), on_ok, on_error)

    def shutdown(self) -> None:
        """Drop late results; a job already running ends on its own (never waited on)."""
        self._bridge.shut()
