"""The map editor: drag a camera marker to where its junction is; drop unplaced cameras
(from the list here, or from the console's camera tree) onto the map.

A drop shows the marker where it fell at once; the position is saved on the UI's
background executor and a refusal puts the marker back, with the reason."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QByteArray, QMimeData, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from commandroom.cameras.registry import Camera
from ui.bridge import FutureBridge
from ui.map.canvas import MARKER_RADIUS, MapCanvas
from ui.map.geometry import to_map, to_widget
from ui.video.tile import CAMERA_MIME

log = logging.getLogger(__name__)

_PLACED = QColor("#4a9eff")
_DRAGGED = QColor("#ffb020")
CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# Saves a camera's new position (called off the GUI thread); returns the saved camera or
# raises with a message.
MoveCamera = Callable[[Camera, float, float], Camera]


class MapEditorCanvas(MapCanvas):
    moved = Signal(object)  # the saved Camera
    failed = Signal(str)

    def __init__(self, move: MoveCamera, error_text: Callable[[BaseException], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._move = move
        self._error_text = error_text
        self._bridge = FutureBridge(self)
        self.cameras: dict[int, Camera] = {}
        self.editable = True
        self._dragging: int | None = None
        self._drag_point: QPointF | None = None
        self.setAcceptDrops(True)
        self.setMouseTracking(True)

    def set_cameras(self, cameras: list[Camera]) -> None:
        self.cameras = {c.id: c for c in cameras if c.id is not None}
        self.update()

    def camera_at(self, point: QPointF) -> int | None:
        best: tuple[float, int] | None = None
        for camera_id, camera in self.cameras.items():
            where = self.camera_point(camera)
            if where is None:
                continue
            distance = (where - point).manhattanLength()
            if distance <= MARKER_RADIUS * 2 and (best is None or distance < best[0]):
                best = (distance, camera_id)
        return best[1] if best else None

    @property
    def busy(self) -> bool:
        """A position is being saved (tests wait on this)."""
        return self._bridge.pending > 0

    def place(self, camera_id: int, point: QPointF) -> bool:
        """Save the camera at this widget point (drop or end of a drag): shown there at
        once, saved off the GUI thread, put back if the core refuses. False: no such
        camera on this map."""
        camera = self.cameras.get(camera_id)
        if camera is None:
            return False
        x, y = to_map(self.image_rect(), point)
        x, y = round(x, 4), round(y, 4)
        self.cameras[camera_id] = replace(camera, map_x=x, map_y=y)
        self.update()

        def saved(stored: Camera) -> None:
            self.cameras[camera_id] = stored
            self.update()
            self.moved.emit(stored)

        def refused(exc: BaseException) -> None:
            self.cameras[camera_id] = camera
            self.failed.emit(self._error_text(exc))
            self.update()

        self._bridge.run(self._move, camera, x, y, on_ok=saved, on_error=refused)
        return True

    # -- dragging a marker -----------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.camera_at(event.position()) if self.editable else None
        if event.button() == Qt.MouseButton.LeftButton and hit is not None:
            self._dragging = hit
            self._drag_point = event.position()
            self.update()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging is not None:
            self._drag_point = event.position()
            self.update()
            return
        over = self.camera_at(event.position()) is not None and self.editable
        self.setCursor(Qt.CursorShape.OpenHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging is not None:
            camera_id, self._dragging, self._drag_point = self._dragging, None, None
            self.place(camera_id, event.position())
            return
        super().mouseReleaseEvent(event)

    # -- dropping an unplaced camera -------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.editable and event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        if self.editable and event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasFormat(CAMERA_MIME):
            return
        try:
            camera_id = int(bytes(event.mimeData().data(CAMERA_MIME).data()).decode())
        except ValueError:
            return
        if self.place(camera_id, event.position()):
            event.acceptProposedAction()

    # -- painting --------------------------------------------------------------------
    def paint_overlay(self, painter: QPainter, rect: QRectF) -> None:
        for camera_id, camera in self.cameras.items():
            if camera_id == self._dragging and self._drag_point is not None:
                self.paint_camera(painter, self._drag_point, camera.name, _DRAGGED)
                continue
            if camera.map_x is not None and camera.map_y is not None:
                point = to_widget(rect, (camera.map_x, camera.map_y))
                self.paint_camera(painter, point, camera.name, _PLACED)


class UnplacedCameraList(QListWidget):
    """Cameras without a map position; drag one onto the map."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)

    def set_cameras(self, cameras: list[Camera]) -> None:
        self.clear()
        for camera in cameras:
            if camera.id is not None and (camera.map_x is None or camera.map_y is None):
                item = QListWidgetItem(camera.name)
                item.setData(CAMERA_ID_ROLE, camera.id)
                item.setToolTip(camera.junction)
                self.addItem(item)

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:  # type: ignore[override]
        mime = QMimeData()
        if items:
            mime.setData(CAMERA_MIME, QByteArray(str(items[0].data(CAMERA_ID_ROLE)).encode()))
        return mime

    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME]


def move_with(registry_update: Callable[[Camera], Camera]) -> MoveCamera:
    """A MoveCamera over ``registry.update(actor, camera)``."""
    return lambda camera, x, y: registry_update(replace(camera, map_x=x, map_y=y))
