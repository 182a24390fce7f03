"""A live miniature of the wall in the console: drop cameras on it, click to pick a tile.

It paints the frames the wall's tiles already hold (no extra decoding) a few times a
second, which is all a glance needs.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QMenu, QSizePolicy, QWidget

from ui.video.tile import CAMERA_MIME, VideoTile
from ui.wall.controller import WallController


class WallMiniature(QWidget):
    camera_dropped = Signal(int, int)  # wall tile index, camera id

    def __init__(self, wall: WallController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wall = wall
        self.setAcceptDrops(True)
        self.setMinimumSize(240, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.update)
        self._timer.start(250)
        wall.changed.connect(self.update)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(width * 9 / 16)

    def _area(self) -> QRect:
        w = self.width()
        h = min(self.height(), int(w * 9 / 16))
        w = int(h * 16 / 9)
        return QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h)

    def cell_rects(self) -> list[tuple[VideoTile, QRect]]:
        spec = self._wall.grid.state().grid_spec()
        area = self._area()
        cw, ch = area.width() / spec.cols, area.height() / spec.rows
        rects = []
        for tile, cell in zip(self._wall.grid.tiles, spec.cells, strict=False):
            rect = QRectF(area.x() + cell.col * cw, area.y() + cell.row * ch,
                          cell.col_span * cw, cell.row_span * ch).toRect().adjusted(1, 1, -1, -1)
            rects.append((tile, rect))
        return rects

    def tile_at(self, pos: QPoint) -> VideoTile | None:
        for tile, rect in self.cell_rects():
            if rect.contains(pos):
                return tile
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#0f1215"))
        p.fillRect(self._area(), QColor("#000000"))
        font = p.font()
        font.setPointSizeF(8)
        p.setFont(font)
        for tile, rect in self.cell_rects():
            frame = tile.current_frame()
            if frame is not None:
                frame = frame.as_bgra(step=2)  # a GL wall's planes, at a quarter
                buffer, stride = frame.paint_buffer()
                image = QImage(buffer.data, frame.image.shape[1], frame.image.shape[0], stride,
                               QImage.Format.Format_RGB32)
                p.drawImage(rect, image)
            p.setPen(QColor("#d8dde3"))
            name = tile.camera.name if tile.camera else self.tr("empty")
            p.fillRect(QRect(rect.x(), rect.y(), rect.width(), 14), QColor(0, 0, 0, 160))
            p.drawText(rect.adjusted(3, 0, -3, 0), Qt.AlignmentFlag.AlignTop, name)
            colour = QColor("#ff3030") if tile.alert_highlight else (
                QColor("#4a9eff") if tile is self._wall.grid.selected else QColor("#30363e"))
            p.setPen(QPen(colour, 3 if tile.alert_highlight else 1))
            p.drawRect(rect)
        if self._wall.grid.frozen:
            p.setPen(QColor("#ffb040"))
            p.drawText(self._area().adjusted(0, 0, -4, -2),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                       self.tr("FROZEN"))
        if self._wall.detached:
            p.setPen(QColor("#ff7070"))
            p.drawText(self._area(), Qt.AlignmentFlag.AlignCenter,
                       self.tr("Wall screen disconnected"))
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        tile = self.tile_at(event.position().toPoint())
        if tile is not None:
            self._wall.grid.select(tile)
            self.update()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.tile_at(event.position().toPoint()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        tile = self.tile_at(event.position().toPoint())
        if tile is not None and event.mimeData().hasFormat(CAMERA_MIME):
            camera_id = int(bytes(event.mimeData().data(CAMERA_MIME).data()).decode())
            self._wall.show_camera(camera_id, tile.index)
            self.camera_dropped.emit(tile.index, camera_id)
            event.acceptProposedAction()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        tile = self.tile_at(event.pos())
        if tile is None:
            return
        menu = QMenu(self)
        act = menu.addAction(self.tr("Clear this wall tile"))
        act.setEnabled(tile.camera is not None)
        act.triggered.connect(lambda: self._wall.clear_tile(tile.index))
        menu.exec(event.globalPos())
