"""Group → camera tree over the camera registry, with a status dot per camera."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel

from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.video.state import StreamState
from ui.common.actor import ActorSource
from ui.video.status_text import STATE_COLOURS
from ui.video.tile import CAMERA_MIME

CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_ID_ROLE = Qt.ItemDataRole.UserRole + 2


def dot_icon(colour: QColor) -> QIcon:
    pix = QPixmap(14, 14)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(colour)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(2, 2, 10, 10)
    p.end()
    return QIcon(pix)


class CameraTreeModel(QStandardItemModel):
    def __init__(self, registry: CameraRegistry, actor: ActorSource) -> None:
        super().__init__()
        self._registry = registry
        self._actor = actor
        self._items: dict[int, QStandardItem] = {}
        self._icons = {state: dot_icon(c) for state, c in STATE_COLOURS.items()}
        self._disabled_icon = dot_icon(QColor("#444a52"))
        self._idle_icon = dot_icon(QColor("#5a6470"))
        self.reload()

    def reload(self) -> None:
        self.clear()
        self._items.clear()
        self.setHorizontalHeaderLabels([self.tr("Cameras")])
        groups = {g.id: g for g in self._registry.groups(self._actor())}
        group_items: dict[int | None, QStandardItem] = {}
        for gid, group in groups.items():
            item = QStandardItem(group.name)
            item.setData(gid, GROUP_ID_ROLE)
            item.setEditable(False)
            item.setDragEnabled(False)
            self.appendRow(item)
            group_items[gid] = item
        for camera in self._registry.cameras(self._actor()):
            parent = group_items.get(camera.group_id)
            if parent is None:
                parent = group_items.get(None)
                if parent is None:
                    parent = QStandardItem(self.tr("Ungrouped"))
                    parent.setEditable(False)
                    parent.setDragEnabled(False)
                    self.appendRow(parent)
                    group_items[None] = parent
            item = QStandardItem(camera.name)
            item.setEditable(False)
            item.setData(camera.id, CAMERA_ID_ROLE)
            item.setToolTip(camera.junction)
            item.setIcon(self._idle_icon if camera.enabled else self._disabled_icon)
            if not camera.enabled:
                item.setForeground(QColor("#6c7480"))
            parent.appendRow(item)
            if camera.id is not None:
                self._items[camera.id] = item

    def set_camera_state(self, camera_id: int, state: StreamState | None) -> None:
        item = self._items.get(camera_id)
        if item is not None:
            item.setIcon(self._icons[state] if state else self._idle_icon)

    def camera_id(self, index: QModelIndex | QPersistentModelIndex) -> int | None:
        value = index.data(CAMERA_ID_ROLE)
        return int(value) if value is not None else None

    def group_id(self, index: QModelIndex | QPersistentModelIndex) -> int | None:
        value = index.data(GROUP_ID_ROLE)
        return int(value) if value is not None else None

    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        for index in indexes:
            cid = self.camera_id(index)
            if cid is not None:
                mime.setData(CAMERA_MIME, QByteArray(str(cid).encode()))
                break
        return mime

    def camera(self, camera_id: int) -> Camera | None:
        return self._registry.get(self._actor(), camera_id)
