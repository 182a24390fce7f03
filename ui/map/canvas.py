"""A widget that shows the map image fitted to its size; views paint their overlay on it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from commandroom.cameras.registry import Camera
from ui.common.thumbnails import load_scaled
from ui.map.geometry import image_rect, to_widget

MAX_MAP_PIXELS = QSize(2560, 2560)  # scaled once at load: painting stays cheap
MARKER_RADIUS = 7.0


class MapCanvas(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(480, 320)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.map_image = QImage()
        self._label_font = QFont(self.font())
        self._label_font.setPointSizeF(9.0)

    def set_map(self, path: Path | None) -> None:
        self.map_image = load_scaled(path, MAX_MAP_PIXELS) if path is not None else QImage()
        self.update()

    def image_rect(self) -> QRectF:
        size = QSizeF(self.map_image.size()) if not self.map_image.isNull() else QSizeF(16, 10)
        return image_rect(size, QSizeF(self.size()))

    def camera_point(self, camera: Camera) -> QPointF | None:
        if camera.map_x is None or camera.map_y is None:
            return None
        return to_widget(self.image_rect(), (camera.map_x, camera.map_y))

    # -- painting --------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#0b0d10"))
        rect = self.image_rect()
        if self.map_image.isNull():
            painter.fillRect(rect, QColor("#14181d"))
            painter.setPen(QPen(QColor("#1f252c"), 1))
            for i in range(1, 10):
                x = rect.x() + rect.width() * i / 10
                y = rect.y() + rect.height() * i / 10
                painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
                painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            painter.setPen(QColor("#6c7480"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter,
                             self.tr("No map image yet: use “Load map image…”."))
        else:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(rect, self.map_image)
        self.paint_overlay(painter, rect)
        painter.end()

    def paint_overlay(self, painter: QPainter, rect: QRectF) -> None:
        """Subclasses draw cameras, hops, … over the map."""

    def paint_camera(self, painter: QPainter, point: QPointF, name: str, colour: QColor,
                     radius: float = MARKER_RADIUS) -> None:
        painter.setPen(QPen(QColor("#0b0d10"), 2))
        painter.setBrush(colour)
        painter.drawEllipse(point, radius, radius)
        self.paint_label(painter, point + QPointF(radius + 4, -radius - 2), name)

    def paint_label(self, painter: QPainter, at: QPointF, text: str,
                    colour: QColor | None = None) -> None:
        """Text on a dark plate, readable over any map."""
        painter.setFont(self._label_font)
        metrics = painter.fontMetrics()
        box = QRectF(metrics.boundingRect(text)).adjusted(-4, -2, 4, 2)
        box.moveTopLeft(at + QPointF(0, -box.height() / 2))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(11, 13, 16, 200))
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(colour or QColor("#e8ecf0"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
