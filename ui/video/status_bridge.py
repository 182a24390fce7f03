"""Carries stream status callbacks from reader threads to the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from commandroom.video.state import StreamStatus
from commandroom.video.stream_spec import StreamSpec


class StatusBridge(QObject):
    # Emitted from reader threads; Qt queues it to the GUI thread (AutoConnection).
    status_changed = Signal(object, object)  # StreamSpec, StreamStatus

    def on_status(self, spec: StreamSpec, status: StreamStatus) -> None:
        self.status_changed.emit(spec, status)
