"""A table of sightings (live list, timeline, per camera), thumbnails from the cache."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor

from commandroom.files import absolute
from commandroom.sightings.records import ClipStatus, SightingView
from ui.common.entry_labels import EntryLabels
from ui.common.sighting_texts import clip_label, local_time
from ui.common.thumbnails import ThumbnailCache

PICTURE, WHO, CAMERA, TIME, OPERATOR, CLIP = range(6)
_CLIP_COLOURS = {ClipStatus.PENDING: "#d9a441", ClipStatus.DONE: "#5fb96a",
                 ClipStatus.FAILED: "#e0605a"}
SIGHTING_ID_ROLE = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex


class SightingTableModel(QAbstractTableModel):
    def __init__(self, labels: EntryLabels, thumbnails: ThumbnailCache, data_dir: Path,
                 thumb_size: QSize, newest_first: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._labels = labels
        labels.changed.connect(self.refresh_labels)  # labels read in the background
        self._thumbs = thumbnails
        self._data_dir = data_dir
        self.thumb_size = thumb_size
        self.newest_first = newest_first
        self._rows: list[SightingView] = []
        thumbnails.ready.connect(self._picture_ready)

    # -- contents --------------------------------------------------------------------
    def _order(self, views: list[SightingView]) -> list[SightingView]:
        return sorted(views, key=lambda v: (v.frame_time, v.id), reverse=self.newest_first)

    def set_views(self, views: list[SightingView]) -> None:
        self.beginResetModel()
        self._rows = self._order(views)
        self.endResetModel()

    def add(self, view: SightingView) -> None:
        """Insert one sighting where time order puts it (usually the top)."""
        if self.row_of(view.id) is not None:
            return
        ordered = self._order([*self._rows, view])
        row = ordered.index(view)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows = ordered
        self.endInsertRows()

    def trim(self, limit: int) -> None:
        """Keep the first ``limit`` rows (the live list drops its oldest)."""
        if len(self._rows) > limit:
            self.beginRemoveRows(QModelIndex(), limit, len(self._rows) - 1)
            del self._rows[limit:]
            self.endRemoveRows()

    def update_clip(self, sighting_id: int, status: str, clip_path: str, error: str) -> None:
        row = self.row_of(sighting_id)
        if row is None:
            return
        self._rows[row] = dataclasses.replace(
            self._rows[row], clip_status=ClipStatus(status), clip_path=clip_path,
            clip_error=error)
        self.dataChanged.emit(self.index(row, CLIP), self.index(row, CLIP))

    def refresh_labels(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, WHO), self.index(len(self._rows) - 1, WHO))

    def row_of(self, sighting_id: int) -> int | None:
        return next((i for i, v in enumerate(self._rows) if v.id == sighting_id), None)

    def view_at(self, row: int) -> SightingView:
        return self._rows[row]

    def views(self) -> list[SightingView]:
        return list(self._rows)

    def snapshot_file(self, view: SightingView) -> Path:
        return absolute(self._data_dir, view.snapshot_path)

    # -- Qt model --------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Picture"), self.tr("Who"), self.tr("Camera"), self.tr("Time"),
                self.tr("Operator"), self.tr("Clip"))[section]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self._rows[index.row()]
        column = index.column()
        if role == SIGHTING_ID_ROLE:
            return view.id
        if role == Qt.ItemDataRole.DecorationRole and column == PICTURE:
            return self._thumbs.pixmap(self.snapshot_file(view), self.thumb_size)
        if role == Qt.ItemDataRole.SizeHintRole and column == PICTURE:
            return self.thumb_size + QSize(8, 6)
        if role == Qt.ItemDataRole.ForegroundRole and column == CLIP:
            return QColor(_CLIP_COLOURS.get(view.clip_status, "#d8dde3"))
        if role == Qt.ItemDataRole.ToolTipRole and column == CLIP and view.clip_error:
            return view.clip_error
        if role == Qt.ItemDataRole.ToolTipRole and column in (WHO, CAMERA) and view.note:
            return view.note
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == WHO:
            return self._labels.label(view.watch_entry_id)
        if column == CAMERA:
            return f"{view.camera_name} · {view.junction}" if view.junction else view.camera_name
        if column == TIME:
            return local_time(view.frame_time)
        if column == OPERATOR:
            return view.operator
        if column == CLIP:
            return clip_label(view.clip_status)
        return None

    def _picture_ready(self, path: str) -> None:
        for row, view in enumerate(self._rows):
            if str(self.snapshot_file(view)) == path:
                self.dataChanged.emit(self.index(row, PICTURE), self.index(row, PICTURE),
                                      [Qt.ItemDataRole.DecorationRole])
