"""The "Go to time" box: the officer types a moment, the timeline jumps (keyboard only).

Accepted (station local time): ``10:40``, ``10:40:15``, ``2026-11-30 10:40`` (also with
seconds, ``/`` between the date's parts or a ``T`` before the time), and moments relative
to now: ``-5m``, ``-30s``, ``-2h``, ``-1d``, ``-1h30m``. A bare time is today's, or
yesterday's when today's is still to come (at 00:10, ``23:50`` means ten minutes ago).
Anything else is refused with a sentence saying what to type; nothing is lost (the text
stays in the box to correct).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

_TIME = r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
_CLOCK = re.compile(rf"^{_TIME}$")
_DATED = re.compile(rf"^(?P<y>\d{{4}})[-/](?P<mo>\d{{1,2}})[-/](?P<d>\d{{1,2}})(?:[ T]+{_TIME})?$")
_RELATIVE = re.compile(r"^-\s*((?:\d+(?:\.\d+)?\s*[smhd]\s*)+)$")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_UNIT_S = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_tr = QCoreApplication.translate
FUTURE_SLACK_S = 5.0  # a clock a few seconds ahead is "now", not the future


class GoToProblem(StrEnum):
    EMPTY = "empty"
    UNREADABLE = "unreadable"
    NO_SUCH_TIME = "no_such_time"  # 25:00, 2026-02-30
    IN_FUTURE = "in_future"


class GoToTimeError(ValueError):
    def __init__(self, problem: GoToProblem, text: str) -> None:
        super().__init__(f"{problem.value}: {text!r}")
        self.problem = problem
        self.text = text


def parse_moment(text: str, now: float | None = None) -> float:
    """The wall-clock moment (epoch seconds) ``text`` names; raises ``GoToTimeError``."""
    now = time.time() if now is None else now
    raw = text.strip()
    if not raw:
        raise GoToTimeError(GoToProblem.EMPTY, text)
    if raw.lower() == "now":
        return now
    if (relative := _RELATIVE.match(raw.lower())) is not None:
        back = sum(float(n) * _UNIT_S[u] for n, u in _PART.findall(relative.group(1)))
        return now - back
    moment = _absolute(raw, now)
    if moment > now + FUTURE_SLACK_S:
        raise GoToTimeError(GoToProblem.IN_FUTURE, text)
    return moment


def _absolute(raw: str, now: float) -> float:
    clock, dated = _CLOCK.match(raw), _DATED.match(raw)
    found = clock or dated
    if found is None:
        raise GoToTimeError(GoToProblem.UNREADABLE, raw)
    parts = found.groupdict()
    try:
        hour, minute = int(parts["h"] or 0), int(parts["m"] or 0)
        second = int(parts["s"] or 0)
        if dated is not None:
            day = datetime(int(parts["y"]), int(parts["mo"]), int(parts["d"]),
                           hour, minute, second)
            return day.timestamp()
        today = datetime.fromtimestamp(now).replace(hour=hour, minute=minute, second=second,
                                                    microsecond=0)
    except ValueError:
        raise GoToTimeError(GoToProblem.NO_SUCH_TIME, raw) from None
    if today.timestamp() > now + FUTURE_SLACK_S:
        today -= timedelta(days=1)
    return today.timestamp()


def problem_text(problem: GoToProblem) -> str:
    if problem is GoToProblem.EMPTY:
        return _tr("GoToTime", "Type a time, e.g. 10:40, 10:40:15, 2026-11-30 10:40 or -5m.")
    if problem is GoToProblem.NO_SUCH_TIME:
        return _tr("GoToTime", "There is no such time or date. Check the hours (0-23), "
                              "minutes, seconds and the day of the month.")
    if problem is GoToProblem.IN_FUTURE:
        return _tr("GoToTime", "That time has not come yet: nothing is recorded there.")
    return _tr("GoToTime", "Not a time this box understands. Type e.g. 10:40, 10:40:15, "
                          "2026-11-30 10:40 or -5m (5 minutes ago).")


class GoToTimeBox(QWidget):
    """A line over the timeline: type, Enter jumps (``chosen``), Esc closes. The box
    takes the keyboard focus when it opens, so the officer can type at once."""

    chosen = Signal(float)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self.setObjectName("goToTime")
        self._clock = clock
        self.edit = QLineEdit(self)
        self.edit.setObjectName("goToTimeEdit")
        self.edit.setPlaceholderText(self.tr("10:40 · 10:40:15 · 2026-11-30 10:40 · -5m"))
        self.edit.setClearButtonEnabled(True)
        self.edit.returnPressed.connect(self.accept)
        self.edit.installEventFilter(self)
        self.message = QLabel(self)
        self.message.setObjectName("goToTimeMessage")
        self.message.setStyleSheet("color: #ff9a8a;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel(self.tr("Go to time:")))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.message, 2)
        self.hide()

    def open(self) -> None:
        self.message.clear()
        self.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def accept(self) -> None:
        try:
            moment = parse_moment(self.edit.text(), self._clock())
        except GoToTimeError as exc:
            self.message.setText(problem_text(exc.problem))
            return  # the text stays to be corrected
        self.message.clear()
        self.hide()
        self.closed.emit()
        self.chosen.emit(moment)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.edit or not isinstance(event, QKeyEvent):
            return False
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in _OWN_KEYS:
            event.accept()  # the console's Return (maximise) and Escape must not take them
            return True
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.hide()
            self.closed.emit()
            return True
        return False


_OWN_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)
