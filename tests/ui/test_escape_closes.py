"""Escape closes the watch list, an entry's timeline and its trajectory, like a dialog;
the watch list asks first when it holds typing not saved yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from commandroom.auth.permissions import SYSTEM
from commandroom.watchlist.records import Category, EntryInput, Risk
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import modals_driven, press, type_keys
from ui.watchlist.window import WatchlistWindow


def _active(qtbot: QtBot, window: QWidget) -> None:
    window.activateWindow()  # as the window manager does for a window just opened
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_escape_closes_the_watch_list_timeline_and_trajectory(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    ui = app.sightings_ui
    entry = app.watchlist.create(SYSTEM, EntryInput(
        name="Zhang San", category=Category.WANTED, risk=Risk.HIGH, reason="theft"))
    _active(qtbot, app.console)
    press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F: the watch list
    assert isinstance(ui.windows.get(("watchlist", None)), WatchlistWindow)
    ui.open_timeline(entry.id)
    ui.open_trajectory(entry.id)
    for key in (("timeline", entry.id), ("trajectory", entry.id), ("watchlist", None)):
        _active(qtbot, ui.windows[key])
        press(Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda k=key: k not in ui.windows)  # closed and deleted
    assert ui.windows == {}
    assert app.console.isVisible()  # only the window with the keys closed


def test_escape_on_unsaved_watch_list_typing_asks_first(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    window = app.sightings_ui.open_watchlist()
    _active(qtbot, window)
    window.form.name.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.form.name)
    type_keys("Li Si")
    questions: list[str] = []

    def keep(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        questions.append(box.text())
        press(Qt.Key.Key_Escape)  # No: keep the window and the typing

    with modals_driven([keep]):
        press(Qt.Key.Key_Escape)
    assert questions == ["Close the watch list and lose the changes not saved?"]
    assert window.isVisible() and window.form.name.text() == "Li Si"
