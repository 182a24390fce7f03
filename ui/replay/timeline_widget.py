"""The timeline under the grid: one row per camera (the focused tile's, or a synchronised
group's), recorded ranges, gaps, sightings and alerts, evidence locks, now and the cursor.

Mouse: click or drag to seek (the row under the pointer names the camera); wheel or
Ctrl+wheel zooms around the pointer, Shift+wheel scrolls. Keys (when it has the focus):
``+``/``-`` zoom, ``←``/``→`` scroll, ``Enter`` seeks at the cursor, ``End`` follows live
again. The widget only paints values it is given (``set_snapshot``); whoever owns it reads
them off the GUI thread when ``window_changed`` says the view moved.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QHelpEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QWheelEvent
from PySide6.QtWidgets import QToolTip, QWidget

from commandroom.lookback import SpanKind
from ui.replay import timeline_paint as paint
from ui.replay.time_scale import KEY_ZOOM, WHEEL_ZOOM, TimeWindow
from ui.replay.timeline_data import TimelineRow, TimelineSnapshot
from ui.replay.timeline_texts import lock_tip, mark_tip, span_tip

DEFAULT_SPAN_S = 3600.0
LIVE_LEAD = 0.04  # when following live, "now" sits this far (of the width) from the right
SCROLL_STEP = 0.1  # of the window per arrow key / wheel notch with Shift
MARK_HIT_PX = 5.0

_OWN_KEYS = (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus, Qt.Key.Key_Left,
             Qt.Key.Key_Right, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_End)


class TimelineWidget(QWidget):
    seek_requested = Signal(int, float)  # camera id, wall-clock moment (epoch s)
    window_changed = Signal()  # zoomed or scrolled: the owner reads the new window's data

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self._clock = clock
        self.following = True  # the right edge keeps up with now
        self.time_window = self._live_window(DEFAULT_SPAN_S)
        self.playhead: float | None = None
        self._replaying = False  # the playhead shows a replay's position (show_replay_at)
        self.cameras: list[tuple[int, str]] = []
        self.snapshot: TimelineSnapshot | None = None
        self._drag_camera: int | None = None
        self._dragged = False
        self.setMinimumHeight(paint.AXIS_H + paint.ROW_H + 4)

    # -- what is shown -----------------------------------------------------------------
    def set_cameras(self, cameras: list[tuple[int, str]]) -> None:
        if cameras != self.cameras:
            self.cameras = list(cameras)
            self.setMinimumHeight(paint.AXIS_H + paint.ROW_H * max(1, len(cameras)) + 4)
            self.updateGeometry()
            self.update()
            self.window_changed.emit()

    def set_snapshot(self, snapshot: TimelineSnapshot) -> None:
        self.snapshot = snapshot
        self.update()

    def rows(self) -> list[TimelineRow]:
        """The snapshot's rows for the cameras shown now (a row still loading is empty)."""
        loaded = {r.camera_id: r for r in self.snapshot.rows} if self.snapshot else {}
        return [loaded.get(cid) or TimelineRow(cid, name, (), (), (), True)
                for cid, name in self.cameras]

    def set_window(self, window: TimeWindow, following: bool = False) -> None:
        self.time_window = window
        self.following = following
        self.update()
        self.window_changed.emit()

    def follow_live(self) -> None:
        self.set_window(self._live_window(self.time_window.span), following=True)

    def tick_live(self) -> None:
        """Called every few seconds: a window that follows live moves with the clock."""
        if self.following:
            self.time_window = self._live_window(self.time_window.span)
            self.update()

    def _live_window(self, span: float) -> TimeWindow:
        return TimeWindow(self._clock() - span * (1 - LIVE_LEAD), span)

    # -- pixels <-> time ---------------------------------------------------------------
    def time_area(self) -> paint.Geometry:
        return paint.Geometry(float(paint.LABEL_W), float(max(1, self.width() - paint.LABEL_W)))

    def x_of(self, moment: float) -> float:
        return self.time_area().x_of(self.time_window, moment)

    def time_at(self, x: float) -> float:
        return self.time_area().time_at(self.time_window, x)

    def row_at(self, y: float) -> int | None:
        index = int((y - paint.AXIS_H) // paint.ROW_H)
        return index if y >= paint.AXIS_H and 0 <= index < len(self.cameras) else None

    # -- zoom, scroll, seek ------------------------------------------------------------
    def zoom(self, factor: float, anchor: float | None = None) -> None:
        if anchor is None:
            anchor = self._clock() if self.following else (
                self.playhead if self.playhead is not None
                and self.time_window.start <= self.playhead <= self.time_window.end
                else self.time_window.start + self.time_window.span / 2)
        zoomed = self.time_window.zoomed(factor, anchor)
        if self.following:
            zoomed = TimeWindow(self._clock() - zoomed.span * (1 - LIVE_LEAD), zoomed.span)
        self.set_window(zoomed, following=self.following)

    def scroll_by(self, fraction: float) -> None:
        self.set_window(self.time_window.moved(self.time_window.span * fraction))

    def go_to(self, moment: float) -> None:
        """The "Go to time" box: centre the window on ``moment`` and seek there."""
        self.set_window(self.time_window.centred_on(moment))
        self.seek(moment, self.cameras[0][0] if self.cameras else None)

    def seek(self, moment: float, camera_id: int | None) -> None:
        moment = min(moment, self._clock())  # nothing is recorded after now
        self.playhead = moment
        self.update()
        if camera_id is not None:
            self.seek_requested.emit(camera_id, moment)

    def show_replay_at(self, position: float | None) -> None:
        """The selected tile's replay is at ``position`` (None: it is live). The cursor
        follows it, and goes when the replay ends; a moment the officer only marked
        (no replay) stays. A drag in progress keeps the pointer's cursor."""
        if self._drag_camera is not None:
            return
        if position is None:
            if self._replaying:
                self._replaying = False
                self.playhead = None
                self.update()
            return
        self._replaying = True
        if position != self.playhead:
            self.playhead = position
            self.update()

    def _camera_at(self, y: float) -> int | None:
        row = self.row_at(y)
        if row is not None:
            return self.cameras[row][0]
        return self.cameras[0][0] if self.cameras else None

    # -- painting ----------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(800, paint.AXIS_H + paint.ROW_H * max(1, len(self.cameras)) + 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), paint.BACKGROUND)
        geo = self.time_area()
        bottom = float(self.height())
        paint.paint_axis(painter, geo, self.time_window, bottom)
        rows = self.rows()
        if not rows:
            painter.setPen(paint.DIM_TEXT)
            painter.drawText(QRectF(geo.left, paint.AXIS_H, geo.width, paint.ROW_H),
                             Qt.AlignmentFlag.AlignCenter,
                             self.tr("Select a tile with a camera to see its recordings."))
        now = self._clock()
        for index, row in enumerate(rows):
            name_rect = QRectF(0, paint.AXIS_H + index * paint.ROW_H, paint.LABEL_W,
                               paint.ROW_H)
            paint.paint_row(painter, geo, self.time_window, index, row, name_rect, now)
        paint.paint_now_and_cursor(painter, geo, self.time_window, now, self.playhead, bottom)
        painter.setPen(paint.DIM_TEXT)
        painter.drawText(QRectF(4, 0, paint.LABEL_W - 8, paint.AXIS_H),
                         Qt.AlignmentFlag.AlignVCenter, self._span_text())
        if self.hasFocus():
            painter.setPen(paint.CURSOR)
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def _span_text(self) -> str:
        span = self.time_window.span
        if span < 3600:
            text = self.tr("%1 min").replace("%1", f"{span / 60:.3g}")
        elif span < 86400:
            text = self.tr("%1 h").replace("%1", f"{span / 3600:.3g}")
        else:
            text = self.tr("%1 days").replace("%1", f"{span / 86400:.3g}")
        return self.tr("%1 · live").replace("%1", text) if self.following else text

    # -- hover -------------------------------------------------------------------------
    def tip_at(self, pos: QPointF) -> str:
        """What is under the pointer, as a sentence (mark, lock, then range or gap)."""
        index = self.row_at(pos.y())
        if index is None or pos.x() < paint.LABEL_W:
            return ""
        row = self.rows()[index]
        moment = self.time_at(pos.x())
        band_top = paint.AXIS_H + index * paint.ROW_H
        if pos.y() <= band_top + paint.LOCK_H + 4:  # the lock band along the row's top
            locks = [lock for lock in row.locks if lock.start <= moment <= lock.end]
            if locks:
                return "\n".join(lock_tip(lock) for lock in locks)
        near = [m for m in row.marks if abs(self.x_of(m.moment) - pos.x()) <= MARK_HIT_PX]
        if near:
            return "\n\n".join(mark_tip(m) for m in near[:5])
        for span in row.spans:
            if span.start <= moment < span.end and moment <= self._clock():
                return span_tip(span)
        return ""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self.tip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.key() in _OWN_KEYS:
                event.accept()  # the console's arrows, Return and End are the grid's
                return True
        return super().event(event)

    # -- mouse and keys ----------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.position().x() < paint.LABEL_W:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._drag_camera = self._camera_at(event.position().y())
        self._dragged = False
        self.seek(self.time_at(event.position().x()), self._drag_camera)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton and self._drag_camera is not None:
            self._dragged = True
            self.playhead = min(self.time_at(max(event.position().x(), paint.LABEL_W)),
                              self._clock())
            self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        # A drag seeks once, where it ends: the replay is not asked to seek per pixel.
        if self._dragged and self.playhead is not None and self._drag_camera is not None:
            self.seek(self.playhead, self._drag_camera)
        self._drag_camera, self._dragged = None, False
        super().mouseReleaseEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        notches = (delta.y() or delta.x()) / 120.0
        if not notches:
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier or not delta.y():
            self.scroll_by(-notches * SCROLL_STEP)
        else:
            self.zoom(WHEEL_ZOOM ** notches, self.time_at(event.position().x()))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(KEY_ZOOM)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / KEY_ZOOM)
        elif key == Qt.Key.Key_Left:
            self.scroll_by(-SCROLL_STEP)
        elif key == Qt.Key.Key_Right:
            self.scroll_by(SCROLL_STEP)
        elif key == Qt.Key.Key_End:
            self.follow_live()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.playhead is not None:
            self.seek(self.playhead, self.cameras[0][0] if self.cameras else None)
        else:
            super().keyPressEvent(event)


def gap_spans(row: TimelineRow) -> list[tuple[float, float, str]]:
    """The row's gaps (start, end, reason code): what the tests and the bench look for."""
    return [(s.start, s.end, s.reason) for s in row.spans if s.kind == SpanKind.GAP]
