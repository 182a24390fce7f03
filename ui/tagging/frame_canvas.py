"""The frozen frame at full resolution, scaled to fit; drag to draw a box around someone."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from commandroom.sightings.records import Box


class FrameCanvas(QWidget):
    def __init__(self, image_bgr: np.ndarray[Any, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Our own contiguous copy: the QImage below wraps it for the dialog's lifetime.
        self._rgb = np.ascontiguousarray(image_bgr[:, :, ::-1])
        h, w = self._rgb.shape[:2]
        self._image = QImage(self._rgb.data, w, h, self._rgb.strides[0],
                             QImage.Format.Format_RGB888)
        self.box: Box | None = None
        self._drag_from: QPoint | None = None
        self._drag_to: QPoint | None = None
        self.setMinimumSize(480, 270)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def sizeHint(self) -> QSize:
        return QSize(960, 540)

    def _target(self) -> QRect:
        iw, ih = self._image.width(), self._image.height()
        scale = min(self.width() / iw, self.height() / ih)
        w, h = int(iw * scale), int(ih * scale)
        return QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h)

    def _to_image(self, p: QPoint) -> tuple[int, int]:
        t = self._target()
        sx = self._image.width() / max(1, t.width())
        sy = self._image.height() / max(1, t.height())
        x = min(max(p.x() - t.x(), 0), t.width()) * sx
        y = min(max(p.y() - t.y(), 0), t.height()) * sy
        return int(x), int(y)

    def _to_widget(self, box: Box) -> QRectF:
        t = self._target()
        sx = t.width() / self._image.width()
        sy = t.height() / self._image.height()
        return QRectF(t.x() + box.x * sx, t.y() + box.y * sy, box.w * sx, box.h * sy)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#000000"))
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.drawImage(self._target(), self._image)
        box = self._current_box()
        if box is not None:
            p.setPen(QPen(QColor("#ffd000"), 2))
            p.drawRect(self._to_widget(box))
        p.end()

    def _current_box(self) -> Box | None:
        if self._drag_from is not None and self._drag_to is not None:
            (x1, y1), (x2, y2) = self._to_image(self._drag_from), self._to_image(self._drag_to)
            return Box(min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1))
        return self.box

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = self._drag_to = event.position().toPoint()
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            self._drag_to = event.position().toPoint()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None:
            return
        box = self._current_box()
        self._drag_from = self._drag_to = None
        # A click without a drag clears the box; tiny boxes are slips of the hand.
        self.box = box if box is not None and box.w >= 8 and box.h >= 8 else None
        self.update()

    def set_box(self, box: Box | None) -> None:
        self.box = box
        self.update()
