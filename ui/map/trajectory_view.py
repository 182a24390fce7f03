"""An entry's trajectory on the area map: numbered stops, arrows, the time of each hop."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from commandroom.cameras.registry import Camera
from commandroom.sightings.trajectory import Hop, Stop
from ui.common.sighting_texts import elapsed_label, local_time
from ui.map.canvas import MARKER_RADIUS, MapCanvas
from ui.map.geometry import HopLine, hop_lines, to_widget

_CAMERA = QColor("#6c7480")
_STOP = QColor("#ffb020")
_HOP = QColor("#ff5a3c")


def _stop_key(stop: Stop) -> tuple[int | None, str]:
    return (stop.camera_id, "") if stop.camera_id is not None else (None, stop.camera_name)


class TrajectoryView(MapCanvas):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hops: list[Hop] = []
        self.stops: list[Stop] = []
        self.cameras: list[Camera] = []

    def set_trajectory(self, stops: Sequence[Stop], hops: Sequence[Hop],
                       cameras: Sequence[Camera] = ()) -> None:
        self.stops = list(stops)
        self.hops = list(hops)
        self.cameras = list(cameras)
        self.update()

    def hop_lines(self) -> list[HopLine]:
        return hop_lines(self.hops, self.image_rect())

    def hop_label(self, line: HopLine) -> str:
        hop = line.hop
        return (f"{line.number}. {local_time(hop.destination.first_seen, with_date=False)}"
                f"  (+{elapsed_label(hop.elapsed)})")

    def paint_overlay(self, painter: QPainter, rect: QRectF) -> None:
        visited = {_stop_key(s) for s in self.stops}
        for camera in self.cameras:
            point = self.camera_point(camera)
            if point is not None and (camera.id, "") not in visited:
                self.paint_camera(painter, point, camera.name, _CAMERA, MARKER_RADIUS - 2)
        lines = self.hop_lines()
        for line in lines:
            self._paint_arrow(painter, line)
        # One marker per camera, with the numbers of every visit ("1, 3").
        visits: dict[tuple[int | None, str], tuple[Stop, list[int]]] = {}
        for number, stop in enumerate(self.stops, start=1):
            visits.setdefault(_stop_key(stop), (stop, []))[1].append(number)
        for stop, numbers in visits.values():
            if stop.map_position is None:
                continue
            point = to_widget(rect, stop.map_position)
            self._paint_stop(painter, point, numbers, stop.camera_name)
        for line in lines:
            self.paint_label(painter, line.middle + QPointF(8, 0), self.hop_label(line),
                             QColor("#ffd7cc"))

    def _paint_arrow(self, painter: QPainter, line: HopLine) -> None:
        angle = line.angle
        back = QPointF(math.cos(angle), math.sin(angle)) * (MARKER_RADIUS + 5)
        start, end = line.start + back, line.end - back
        painter.setPen(QPen(_HOP, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        path = QPainterPath(start)
        path.lineTo(end)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        head = 12.0
        left = end - QPointF(math.cos(angle - 0.4), math.sin(angle - 0.4)) * head
        right = end - QPointF(math.cos(angle + 0.4), math.sin(angle + 0.4)) * head
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_HOP)
        painter.drawPolygon(QPolygonF([end, left, right]))

    def _paint_stop(self, painter: QPainter, point: QPointF, numbers: list[int],
                    name: str) -> None:
        radius = MARKER_RADIUS + 4
        painter.setPen(QPen(QColor("#0b0d10"), 2))
        painter.setBrush(_STOP)
        painter.drawEllipse(point, radius, radius)
        painter.setPen(QColor("#0b0d10"))
        painter.drawText(QRectF(point.x() - radius, point.y() - radius, 2 * radius, 2 * radius),
                         Qt.AlignmentFlag.AlignCenter, str(numbers[0]))
        label = name if len(numbers) == 1 else f"{name}  ({', '.join(map(str, numbers))})"
        self.paint_label(painter, point + QPointF(radius + 4, -radius - 4), label)
