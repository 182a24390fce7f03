"""A live preview of one stream, painted exactly like a console tile (it is one)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QMouseEvent
from PySide6.QtWidgets import QWidget

from commandroom.cameras.registry import Camera
from commandroom.video.hub import StreamHub
from commandroom.video.stream_spec import StreamSpec
from ui.video.tile import VideoTile

PREVIEW_HZ = 25


class PreviewTile(VideoTile):
    """A VideoTile that owns its stream handle and its repaint timer.

    The grid's drag, drop and menu behaviour is switched off: this tile shows a camera
    that is not in the registry yet.
    """

    def __init__(self, hub: StreamHub, parent: QWidget | None = None) -> None:
        super().__init__(0, parent)
        self._hub = hub
        self.setAcceptDrops(False)
        self.setMinimumSize(320, 180)
        self._timer = QTimer(self)
        self._timer.setInterval(1000 // PREVIEW_HZ)
        self._timer.timeout.connect(self._tick)

    def play(self, spec: StreamSpec, title: str) -> None:
        """Show ``spec``; an equal spec already playing keeps its stream (no reconnect)."""
        if self.handle is not None and self.handle.spec == spec:
            return
        self.stop()
        self.camera = Camera(id=None, name=title, main_url=spec.url)
        self.handle = self._hub.subscribe(spec, self.pixel_size())
        self._timer.start()
        self.update()

    def stop(self) -> None:
        self._timer.stop()
        if self.handle is not None:
            self.handle.release()
        self.handle = None
        self.camera = None
        self.painted_seq = -1
        self.update()

    @property
    def playing(self) -> StreamSpec | None:
        return self.handle.spec if self.handle is not None else None

    def _tick(self) -> None:
        if self.isVisible() and self.needs_repaint():
            self.update()

    # -- the grid's gestures do not apply here ----------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        event.ignore()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        event.ignore()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        event.ignore()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        event.ignore()
