"""Carries stream status callbacks from reader threads to the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from commandroom.video.source import StreamSpec
from commandroom.video.state import StreamStatus


class StatusBridge(QObject):
    # Emitted from reader threads; Qt queues it to the GUI thread (AutoConnection).
    status_changed = Signal(object, object)  # StreamSpec, StreamStatus

    def on_status(self, spec: StreamSpec, status: StreamStatus) -> None:
        self.status_changed.emit(spec, status)
