"""Typing as an officer does: every key goes where the keyboard focus is, never to a widget
the test picked itself, so a window that opens with the focus in the wrong place (or
nowhere) fails the test the way it fails the officer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

_SPECIAL = {"\t": Qt.Key.Key_Tab, "\n": Qt.Key.Key_Return, "\x1b": Qt.Key.Key_Escape}


def focused() -> QWidget:
    """What a key press reaches: the focus widget, else the active window itself."""
    widget = QApplication.focusWidget() or QApplication.activeWindow()
    assert widget is not None, "no window is active: a key press would go nowhere"
    return widget


def type_keys(text: str) -> None:
    """Type ``text``; Tab, Return and Escape as \\t, \\n and \\x1b."""
    for char in text:
        if char in _SPECIAL:
            QTest.keyClick(focused(), _SPECIAL[char])
        else:
            QTest.keyClicks(focused(), char)


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    QTest.keyClick(focused(), key, modifiers)


def double_click(widget: QWidget, pos: QPoint) -> None:
    """A left double-click as the window system delivers it to a Qt 6 widget: press,
    release, press, double-click, release (QTest.mouseDClick skips the release that lets
    an item view take the double-click)."""
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(widget, left, none, pos)
    QTest.mouseRelease(widget, left, none, pos)
    QTest.mousePress(widget, left, none, pos)
    QApplication.sendEvent(widget, QMouseEvent(
        QEvent.Type.MouseButtonDblClick, QPointF(pos), QPointF(widget.mapToGlobal(pos)),
        left, left, none))
    QTest.mouseRelease(widget, left, none, pos)


Step = Callable[[QWidget], None]


@contextmanager
def modals_driven(steps: list[Step], give_up_ms: int = 15_000) -> Iterator[list[QWidget]]:
    """Act on ``exec()``-ed windows opened inside the ``with``: each step gets the next
    modal window once it is the active window (as it is for an officer). Yields the
    windows seen, in order. After ``give_up_ms`` every modal window still open is closed,
    so a failing test ends instead of waiting for a key that never comes."""
    seen: list[QWidget] = []
    waited = [0]

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if not steps or modal is None or not modal.isVisible() or (seen and seen[-1] is modal):
            return
        if QApplication.activeWindow() is not modal and waited[0] < 100:
            waited[0] += 1  # not active yet: the window system has not given it the keys
            return
        waited[0] = 0
        seen.append(modal)
        step = steps.pop(0)
        # Its own timer: a step whose keys open another modal window blocks in that
        # window's exec(), and Qt does not fire a timer again while its slot runs.
        QTimer.singleShot(0, lambda: step(modal))

    def give_up() -> None:
        steps.clear()
        modal = QApplication.activeModalWidget()
        while isinstance(modal, QDialog) and modal.isVisible():
            modal.done(QDialog.DialogCode.Rejected)
            modal = QApplication.activeModalWidget()

    poller, deadline = QTimer(), QTimer()
    poller.timeout.connect(poll)
    deadline.setSingleShot(True)
    deadline.timeout.connect(give_up)
    poller.start(10)
    deadline.start(give_up_ms)
    try:
        yield seen
    finally:
        poller.stop()
        deadline.stop()
