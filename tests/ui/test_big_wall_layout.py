"""The big-wall preset "4+20" (issue 18): four big tiles and twenty small ones, chosen from
the keyboard on the console and for the wall, named in both languages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from commandroom.cameras.layouts import BIG_WALL, Cell
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import press

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def test_ctrl_2_shows_four_big_and_twenty_small_tiles(qtbot: QtBot,
                                                      make_app: AppFactory) -> None:
    app = make_app("--demo")
    console, grid = app.console, app.console.grid
    cameras = [t.camera.id for t in grid.tiles if t.camera]
    console.activateWindow()
    qtbot.waitUntil(console.isActiveWindow)
    press(Qt.Key.Key_2, CTRL)
    assert grid.state().grid == BIG_WALL and len(grid.tiles) == 24
    assert console.layout_actions[BIG_WALL].isChecked()
    assert console.layout_actions[BIG_WALL].text() == "4 large + 20 small tiles"
    # The cameras shown before keep their tiles: the big ones.
    assert [t.camera.id for t in grid.tiles[:len(cameras)] if t.camera] == cameras
    qtbot.waitUntil(lambda: grid.tiles[0].width() > 1.9 * grid.tiles[4].width())
    # The arrows walk over the spans: big, big, then the small column on the right.
    grid.select(grid.tiles[0])
    press(Qt.Key.Key_Right)
    assert grid.selected is grid.tiles[1]
    press(Qt.Key.Key_Right)
    assert grid.selected is grid.tiles[4]  # row 0, column 4
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    assert grid.selected is not None
    assert grid._spec is not None and grid._spec.cells[grid.selected.index] == Cell(4, 4)


def test_ctrl_alt_2_puts_the_big_wall_layout_on_the_wall(qtbot: QtBot,
                                                         make_app: AppFactory) -> None:
    app = make_app("--demo")
    app.console.activateWindow()
    qtbot.waitUntil(app.console.isActiveWindow)
    press(Qt.Key.Key_2, CTRL | ALT)
    wall = app.wall.grid
    assert wall.state().grid == BIG_WALL and len(wall.tiles) == 24
    assert app.console.grid.state().grid != BIG_WALL  # the console's grid stays
    box = app.wall_panel.layout_box
    assert box.currentData() == BIG_WALL and box.currentText() == "4 large + 20 small tiles"
    # And back through the panel's box, as a mouse user does.
    box.activated.emit(box.findData("9"))
    assert len(wall.tiles) == 9 and box.currentText() == "9 tiles"


@pytest.mark.usefixtures("chinese")
def test_layout_names_in_chinese(make_app: AppFactory) -> None:
    app = make_app("--demo")
    labels = {a.text() for a in app.console.layout_actions.values()}
    box = app.wall_panel.layout_box
    shown = {box.itemText(i) for i in range(box.count())} | labels
    assert not any("tile" in text for text in shown), shown  # all translated
    assert app.console.layout_actions[BIG_WALL].text() == box.itemText(box.findData(BIG_WALL))
