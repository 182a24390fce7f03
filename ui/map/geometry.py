"""Where things go on the map widget: map coordinates (0..1 per axis) <-> widget pixels.

Pure functions (Qt value types only), so placement and hop positions are tested exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt

from commandroom.sightings.trajectory import Hop

MARGIN = 12.0
HOP_OFFSET = 5.0  # px: A→B and B→A are drawn side by side, not on top of each other


def image_rect(image: QSizeF, widget: QSizeF, margin: float = MARGIN) -> QRectF:
    """The image fitted into the widget (aspect kept, centred)."""
    free = QSizeF(max(1.0, widget.width() - 2 * margin), max(1.0, widget.height() - 2 * margin))
    if image.isEmpty():
        image = QSizeF(16, 9)
    fitted = image.scaled(free, Qt.AspectRatioMode.KeepAspectRatio)
    return QRectF((widget.width() - fitted.width()) / 2, (widget.height() - fitted.height()) / 2,
                  fitted.width(), fitted.height())


def to_widget(rect: QRectF, position: tuple[float, float]) -> QPointF:
    return QPointF(rect.x() + position[0] * rect.width(), rect.y() + position[1] * rect.height())


def to_map(rect: QRectF, point: QPointF) -> tuple[float, float]:
    """Widget pixel -> map coordinates, clamped onto the map."""
    x = (point.x() - rect.x()) / rect.width() if rect.width() else 0.0
    y = (point.y() - rect.y()) / rect.height() if rect.height() else 0.0
    return min(1.0, max(0.0, x)), min(1.0, max(0.0, y))


@dataclass(frozen=True)
class HopLine:
    number: int  # 1-based, in time order
    hop: Hop
    start: QPointF
    end: QPointF

    @property
    def middle(self) -> QPointF:
        return (self.start + self.end) / 2

    @property
    def angle(self) -> float:
        return math.atan2(self.end.y() - self.start.y(), self.end.x() - self.start.x())


def hop_lines(hops: Sequence[Hop], rect: QRectF, offset: float = HOP_OFFSET) -> list[HopLine]:
    """One line per hop whose both cameras are on the map, shifted ``offset`` px to the
    right of its direction."""
    lines: list[HopLine] = []
    for number, hop in enumerate(hops, start=1):
        a, b = hop.origin.map_position, hop.destination.map_position
        if a is None or b is None:
            continue
        start, end = to_widget(rect, a), to_widget(rect, b)
        dx, dy = end.x() - start.x(), end.y() - start.y()
        length = math.hypot(dx, dy)
        if length > 0 and offset:
            shift = QPointF(-dy / length * offset, dx / length * offset)
            start, end = start + shift, end + shift
        lines.append(HopLine(number, hop, start, end))
    return lines
