"""Painting the timeline: axis, recorded ranges, hatched gaps, lock bars, marks, cursor.

Everything here draws from a ``TimelineSnapshot`` already read off the GUI thread and a
``TimeWindow``; it only computes pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

from commandroom.lookback import SpanKind
from commandroom.lookback.marks import MarkKind
from ui.replay.time_scale import TimeWindow, ticks
from ui.replay.timeline_data import LockBar, MarkDot, SpanBar, TimelineRow

LABEL_W = 130  # camera names on the left
AXIS_H = 20
ROW_H = 28
LOCK_H = 6  # the evidence-lock band along a row's top
MARK_W = 9

BACKGROUND = QColor("#16191d")
ROW_BACKGROUND = QColor("#1f2329")
TEXT = QColor("#c8ccd2")
DIM_TEXT = QColor("#7d848e")
RECORDED = QColor("#2f8f5b")
RECORDED_OPEN = QColor("#38a86a")
UNKNOWN = QColor("#5b6470")
GAP = QColor("#b5533c")
LOCK = QColor("#e0a526")
SIGHTING = QColor("#38c5e8")
ALERT = QColor("#ff4d4d")
NOW = QColor("#e8e8e8")
CURSOR = QColor("#ffd54a")
# Camera events: a small shape per type along the row's upper part (the sightings' and
# alerts' triangles stand on its bottom). A plate read is drawn as a little plate.
EVENT_Y = LOCK_H + 6  # the event shapes' centre, below a row's top
PLATE_EVENT = QColor("#4d9dff")  # blue, as most Chinese plates
EVENT_COLOURS = {
    "motion": QColor("#b48cff"),
    "line_crossing": QColor("#5ee0b0"),
    "intrusion": QColor("#ff6bb5"),
    "tamper": QColor("#ff9f43"),
    "plate": PLATE_EVENT,
}
OTHER_EVENT = QColor("#9aa3ad")
FUTURE = QColor(0, 0, 0, 90)


@dataclass(frozen=True)
class Geometry:
    """Where the time area is: x from ``left`` over ``width`` pixels; rows below the axis."""

    left: float
    width: float

    def x_of(self, window: TimeWindow, moment: float) -> float:
        return self.left + window.x_of(moment, self.width)

    def time_at(self, window: TimeWindow, x: float) -> float:
        return window.time_at(x - self.left, self.width)

    def row_rect(self, index: int) -> QRectF:
        return QRectF(self.left, AXIS_H + index * ROW_H + 2, self.width, ROW_H - 4)


def paint_axis(painter: QPainter, geo: Geometry, window: TimeWindow, height: float) -> None:
    painter.setPen(QPen(DIM_TEXT, 1))
    painter.drawLine(QPointF(geo.left, AXIS_H - 1), QPointF(geo.left + geo.width, AXIS_H - 1))
    metrics = painter.fontMetrics()
    for tick in ticks(window, geo.width):
        x = geo.x_of(window, tick.moment)
        painter.setPen(QPen(TEXT if tick.major else DIM_TEXT, 1))
        painter.drawLine(QPointF(x, AXIS_H - 6), QPointF(x, AXIS_H - 1))
        grid = QColor(TEXT if tick.major else DIM_TEXT)
        grid.setAlpha(70 if tick.major else 35)
        painter.setPen(QPen(grid, 1))
        painter.drawLine(QPointF(x, AXIS_H), QPointF(x, height))
        painter.setPen(TEXT if tick.major else DIM_TEXT)
        painter.drawText(QPointF(x + 3, AXIS_H - 6 - metrics.descent()), tick.label)


def paint_row(painter: QPainter, geo: Geometry, window: TimeWindow, index: int,
              row: TimelineRow, name_rect: QRectF, now: float) -> None:
    rect = geo.row_rect(index)
    painter.fillRect(rect, ROW_BACKGROUND)
    painter.setPen(TEXT)
    painter.drawText(name_rect.adjusted(6, 0, -4, 0),
                     Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                     painter.fontMetrics().elidedText(row.camera_name,
                                                      Qt.TextElideMode.ElideRight,
                                                      int(name_rect.width()) - 10))
    body = rect.adjusted(0, LOCK_H + 1, 0, 0)
    for span in row.spans:
        _paint_span(painter, geo, window, body, span, now)
    for lock in row.locks:
        _paint_lock(painter, geo, window, rect, lock)
    for mark in row.marks:
        _paint_mark(painter, geo, window, rect, mark)


def _clip_x(geo: Geometry, window: TimeWindow, start: float, end: float
            ) -> tuple[float, float] | None:
    x0 = max(geo.left, geo.x_of(window, start))
    x1 = min(geo.left + geo.width, geo.x_of(window, end))
    return (x0, max(x1, x0 + 1)) if x1 >= geo.left and x0 <= geo.left + geo.width else None


def _paint_span(painter: QPainter, geo: Geometry, window: TimeWindow, body: QRectF,
                span: SpanBar, now: float) -> None:
    footage = span.kind in (SpanKind.LOCAL, SpanKind.NVR)
    # What is still to come is not missing: the core answers the whole window, and its
    # part after now, hatched as a gap, read as "no recording" to the right of now.
    end = span.end if footage else min(span.end, now)
    if end <= span.start:
        return
    xs = _clip_x(geo, window, span.start, end)
    if xs is None:
        return
    box = QRectF(xs[0], body.top(), xs[1] - xs[0], body.height())
    if footage:
        painter.fillRect(box, RECORDED_OPEN if span.open else RECORDED)
    elif span.kind == SpanKind.UNKNOWN:
        painter.fillRect(box, QBrush(UNKNOWN, Qt.BrushStyle.Dense5Pattern))
    else:  # a gap: hatched, so it reads as "missing" even without colour
        tint = QColor(GAP)
        tint.setAlpha(60)
        painter.fillRect(box, tint)
        painter.fillRect(box, QBrush(GAP, Qt.BrushStyle.BDiagPattern))


def _paint_lock(painter: QPainter, geo: Geometry, window: TimeWindow, rect: QRectF,
                lock: LockBar) -> None:
    xs = _clip_x(geo, window, lock.start, lock.end)
    if xs is None:
        return
    painter.fillRect(QRectF(xs[0], rect.top(), xs[1] - xs[0], LOCK_H), LOCK)
    padlock_x = max(xs[0], geo.left)
    if padlock_x + 10 <= geo.left + geo.width:
        _paint_padlock(painter, QPointF(padlock_x + 1, rect.top() + LOCK_H + 2))


def _paint_padlock(painter: QPainter, at: QPointF) -> None:
    """A small padlock (drawn, not a glyph: the station's fonts may lack one)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(LOCK, 1.6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    shackle = QPainterPath()
    shackle.moveTo(at + QPointF(2, 6))
    shackle.arcTo(QRectF(at.x() + 2, at.y(), 6, 8), 180, -180)
    painter.drawPath(shackle)
    painter.fillRect(QRectF(at.x(), at.y() + 5, 10, 8), LOCK)
    painter.restore()


def _paint_mark(painter: QPainter, geo: Geometry, window: TimeWindow, rect: QRectF,
                mark: MarkDot) -> None:
    x = geo.x_of(window, mark.moment)
    if not geo.left <= x <= geo.left + geo.width:
        return
    if mark.kind == MarkKind.EVENT:
        _paint_event(painter, QPointF(x, rect.top() + EVENT_Y), mark.event_type)
        return
    colour = ALERT if mark.kind == MarkKind.ALERT else SIGHTING
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(colour, 2))
    painter.drawLine(QPointF(x, rect.top() + LOCK_H), QPointF(x, rect.bottom()))
    half = MARK_W / 2 + (1 if mark.kind == MarkKind.ALERT else 0)
    top = rect.bottom() - half * 1.6
    painter.setBrush(colour)
    painter.setPen(QPen(BACKGROUND, 1))
    painter.drawPolygon(QPolygonF([QPointF(x, top), QPointF(x - half, rect.bottom()),
                                   QPointF(x + half, rect.bottom())]))
    painter.restore()


def event_colour(event_type: str) -> QColor:
    return EVENT_COLOURS.get(event_type, OTHER_EVENT)


def _paint_event(painter: QPainter, at: QPointF, event_type: str) -> None:
    """One shape per type, so they tell apart without colour too."""
    colour = event_colour(event_type)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(BACKGROUND, 1))
    painter.setBrush(colour)
    x, y = at.x(), at.y()
    if event_type == "plate":  # a plate: wider than high, white rim
        painter.setPen(QPen(QColor("#ffffff"), 1))
        painter.drawRoundedRect(QRectF(x - 6, y - 4, 12, 8), 1.5, 1.5)
    elif event_type == "motion":
        painter.drawEllipse(at, 4, 4)
    elif event_type == "line_crossing":
        painter.drawPolygon(QPolygonF([QPointF(x, y - 5), QPointF(x + 4, y),
                                       QPointF(x, y + 5), QPointF(x - 4, y)]))
    elif event_type == "intrusion":
        painter.drawRect(QRectF(x - 4, y - 4, 8, 8))
    elif event_type == "tamper":  # a cross: something is wrong with the picture
        painter.setPen(QPen(colour, 2.2))
        painter.drawLine(QPointF(x - 4, y - 4), QPointF(x + 4, y + 4))
        painter.drawLine(QPointF(x - 4, y + 4), QPointF(x + 4, y - 4))
    elif event_type == "video_loss":  # a ring: the picture is gone
        painter.setPen(QPen(colour, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(at, 3.5, 3.5)
    else:  # anything else the camera calls an event: a small dot
        painter.drawEllipse(at, 2.5, 2.5)
    painter.restore()


def paint_now_and_cursor(painter: QPainter, geo: Geometry, window: TimeWindow, now: float,
                         cursor: float | None, bottom: float) -> None:
    x_now = geo.x_of(window, now)
    if x_now < geo.left + geo.width:  # time still to come: shaded
        left = max(geo.left, x_now)
        painter.fillRect(QRectF(left, AXIS_H, geo.left + geo.width - left, bottom - AXIS_H),
                         FUTURE)
    if geo.left <= x_now <= geo.left + geo.width:
        painter.setPen(QPen(NOW, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x_now, AXIS_H), QPointF(x_now, bottom))
    if cursor is not None:
        x = geo.x_of(window, cursor)
        if geo.left <= x <= geo.left + geo.width:
            painter.setPen(QPen(CURSOR, 2))
            painter.drawLine(QPointF(x, 2), QPointF(x, bottom))
