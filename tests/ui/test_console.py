"""The console on demo cameras: live tiles, tree, drag and drop, maximise, persistence."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import cv2
import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from commandroom import cli
from commandroom.auth.permissions import SYSTEM, Actor, Role
from commandroom.cameras.layouts import LayoutState
from commandroom.config import Paths, Settings
from commandroom.runtime import Core
from commandroom.video.state import StreamState
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import double_click, focused, press
from ui.app import build_app, build_parser
from ui.models.camera_tree import CAMERA_ID_ROLE
from ui.video.grid import VideoGrid
from ui.video.tile import CAMERA_MIME, VideoTile


def wait_live(qtbot: QtBot, tiles: list[VideoTile], timeout: int = 20_000) -> None:
    qtbot.waitUntil(lambda: all(t.handle is not None and t.painted_seq > 0 for t in tiles),
                    timeout=timeout)


def test_demo_console_shows_four_moving_tiles(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    grid = app.console.grid
    assert len(grid.tiles) == 4
    assert [t.camera.name for t in grid.tiles if t.camera] == [
        "Bus Station", "Market Bridge", "School Gate", "Xinhua Rd North"]
    wait_live(qtbot, grid.tiles)
    for tile in grid.tiles:
        # Two frames at the same tile size (the docks may still settle the layout, and
        # the reader then scales to the new size).
        for _attempt in range(5):
            before, seen = tile.current_frame(), tile.painted_seq
            qtbot.waitUntil(lambda t=tile, n=seen: t.painted_seq > n + 5, timeout=10_000)
            after = tile.current_frame()
            assert before is not None and after is not None
            if before.image.shape == after.image.shape:
                break
        assert before.image.shape == after.image.shape
        assert after.capture_time > before.capture_time
        assert (before.image != after.image).any(), "the picture moves"
        assert tile.handle is not None and tile.handle.status().state is StreamState.LIVE
    # one reader per distinct stream
    assert app.hub.reader_count() == 4


def test_tree_double_click_drop_swap_maximise(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    console, grid = app.console, app.console.grid
    grid.set_grid("9")
    assert len(grid.tiles) == 9 and grid.tiles[4].camera is None
    # double-click a camera in the tree: it goes to the selected tile if empty
    grid.select(grid.tiles[4])
    model = console.tree_model
    qtbot.waitUntil(lambda: model.rowCount() == 1)  # the tree reloads on the next turn
    group = model.index(0, 0)
    cam_index = model.index(0, 0, group)
    camera_id = cam_index.data(CAMERA_ID_ROLE)
    viewport = console.tree.viewport()
    double_click(viewport, console.tree.visualRect(cam_index).center())
    assert grid.tiles[4].camera is not None and grid.tiles[4].camera.id == camera_id
    assert grid.tiles[5].camera is None  # one double-click, one tile
    # drop a camera (as the tree's drag carries it) onto tile 8
    mime = QMimeData()
    mime.setData(CAMERA_MIME, QByteArray(str(camera_id).encode()))
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    grid.tiles[8].dropEvent(drop)
    assert grid.tiles[8].camera is not None and grid.tiles[8].camera.id == camera_id
    # same camera in two tiles: still one reader for it
    assert app.hub.reader_count() <= 4
    # swap tiles 0 and 8
    name0 = grid.tiles[0].camera.name if grid.tiles[0].camera else None
    grid.swap(0, 8)
    assert grid.tiles[8].camera is not None and grid.tiles[8].camera.name == name0
    # maximise with Enter and back with Escape (window shortcuts need the active window)
    console.activateWindow()
    qtbot.waitUntil(console.isActiveWindow)
    grid.select(grid.tiles[8])
    qtbot.keyClick(console, Qt.Key.Key_Return)
    assert grid.maximised is grid.tiles[8]
    assert not grid.tiles[0].isVisible()
    qtbot.keyClick(console, Qt.Key.Key_Escape)
    assert grid.maximised is None and grid.tiles[0].isVisible()
    # Delete closes the selected tile
    qtbot.keyClick(console, Qt.Key.Key_Delete)
    assert grid.tiles[8].camera is None


def test_layout_survives_restart(qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    data = tmp_path / "persist"
    app = make_app("--demo", data=data)
    app.console.grid.set_grid("6")
    app.console.grid.swap(0, 1)
    saved = app.console.grid.state()
    app.shutdown()
    again = make_app(data=data)
    assert again.console.grid.state() == saved
    assert len(again.console.grid.tiles) == 6


def test_snapshot_is_full_resolution_png(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    grid = app.console.grid
    wait_live(qtbot, grid.tiles[:1])
    grid.select(grid.tiles[0])
    path = app.console.snapshot_selected()
    assert path is not None and path.exists()
    image = cv2.imread(str(path))
    frame = grid.tiles[0].current_frame()
    assert frame is not None
    assert (image.shape[1], image.shape[0]) == frame.source_size


def test_csv_import_from_console(qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app("--no-demo")
    csv_file = tmp_path / "cams.csv"
    csv_file.write_text(
        "name,junction,main_url\nA,J1,rtsp://127.0.0.1:1/a\nB,J2,rtsp://127.0.0.1:1/b\n"
        ",J3,rtsp://127.0.0.1:1/c\nC,J4,rtsp://127.0.0.1:1/d\nD,J5,gopher://x\n",
        encoding="gb18030")
    actions = app.console.actions_
    box = actions.import_and_report(csv_file)
    assert box.text() == "Importing cameras from cams.csv…"  # read and saved off the GUI thread
    qtbot.waitUntil(lambda: actions.importing == 0)
    report = actions.last_report
    assert report is not None and report.imported == ["A", "B", "C"]
    text = actions.report_text(report)
    assert "line 4" in text and "line 6" in text and box.text() == text
    qtbot.waitUntil(lambda: app.console.tree_model.rowCount() == 1)
    assert app.console.tree_model.item(0).rowCount() == 3


def test_every_camera_import_problem_ends_in_a_dialog(qtbot: QtBot, make_app: AppFactory,
                                                      tmp_path: Path) -> None:
    app = make_app("--no-demo")
    actions = app.console.actions_
    utf16 = tmp_path / "unicode.csv"  # Excel's "Unicode text": UTF-16 with its mark
    utf16.write_bytes("name,main_url\n东门,rtsp://127.0.0.1:1/a\n".encode("utf-16"))

    def imported(csv: Path) -> QMessageBox:
        box = actions.import_and_report(csv)
        qtbot.waitUntil(lambda: actions.importing == 0)
        return box

    box = imported(utf16)
    assert box.isVisible() and not box.isModal()
    assert box.text().startswith("1 camera(s) imported.")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"name,main_url\nCaf\xe9 Ren\xe9,rtsp://127.0.0.1:1/b\nOK,rtsp://h/c\n")
    box = imported(latin)
    assert "line 2: this line is not UTF-8 text" in box.text()
    assert "Accepted encodings: UTF-8, UTF-16 (with byte-order mark), GB18030." in box.text()
    box = imported(tmp_path / "gone.csv")
    assert box.text() == ("Nothing was imported from gone.csv: The file "
                          f"{tmp_path / 'gone.csv'} could not be used: the file does not exist.")
    app.actor = Actor("viewer", Role.VIEWER)
    box = imported(utf16)
    assert box.text() == ("Nothing was imported from unicode.csv: You are not allowed to do "
                          "this (viewer may not manage_cameras).")
    assert [c.name for c in app.registry.cameras(app.actor)] == ["OK", "东门"]


def test_hidden_window_stops_painting(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    grid = app.console.grid
    wait_live(qtbot, grid.tiles)
    app.console.showMinimized()
    qtbot.waitUntil(lambda: grid.paused, timeout=5000)
    painted = app.console.pump.repaints[grid]
    app.console.pump.tick()
    assert app.console.pump.repaints[grid] == painted
    # the wall still shows the same cameras: their readers go on
    assert app.hub.reader_count() == 4
    # once nobody sees them (wall hidden too), readers stop after idle_stop_s (0.5 s here)
    app.wall.window.hide()
    qtbot.waitUntil(lambda: app.hub.reader_count() == 0, timeout=10_000)
    app.console.showNormal()
    qtbot.waitUntil(lambda: not grid.paused, timeout=5000)
    before = {t.index: t.painted_seq for t in grid.tiles}
    qtbot.waitUntil(lambda: all(t.painted_seq > before[t.index] for t in grid.tiles),
                    timeout=15_000)
    assert app.hub.reader_count() == 4


def test_named_layouts_and_tile_tour(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    grid, actions = app.console.grid, app.layout_actions
    app.console.layout_actions["16"].trigger()  # the toolbar button / shortcut's action
    assert len(grid.tiles) == 16
    grid.set_grid("9")
    actions.save_as("Night shift")
    grid.set_grid("4")
    actions.save_as("Day shift")
    grid.set_grid("1")
    # Through the menus, as the officer does: each entry opens or deletes its own layout.
    actions.open_menu.aboutToShow.emit()
    entries = {a.text(): a for a in actions.open_menu.actions()}
    entries["Night shift"].trigger()
    assert len(grid.tiles) == 9
    entries["Day shift"].trigger()
    assert len(grid.tiles) == 4
    actions.delete_menu.aboutToShow.emit()
    {a.text(): a for a in actions.delete_menu.actions()}["Day shift"].trigger()
    actions.open_menu.aboutToShow.emit()
    assert [a.text() for a in actions.open_menu.actions()] == ["Night shift"]
    actions.open("Night shift")
    assert len(grid.tiles) == 9
    grid.select(grid.tiles[0])
    actions.start_tile_tour()
    seen = {grid.tiles[0].camera.id if grid.tiles[0].camera else None}
    for _ in range(3):
        actions.tour.advance()
        seen.add(grid.tiles[0].camera.id if grid.tiles[0].camera else None)
    assert len(seen) == 4  # every demo camera came through the tile
    actions.stop_tour()
    assert not actions.tour.running


def test_view_command_opens_just_those_streams(qtbot: QtBot, make_app: AppFactory,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMANDROOM_VIEW_PASSWORD", "pw-123456")  # never on the command line
    app = make_app("view", "demo://a?w=320&h=180", "demo://b?w=320&h=180",
                   "demo://c?w=320&h=180", "--user", "officer")
    grid = app.console.grid
    assert len(grid.tiles) == 4  # the smallest grid that fits 3 streams
    assert [t.camera.main_url for t in grid.tiles if t.camera] == [
        "demo://a?w=320&h=180", "demo://b?w=320&h=180", "demo://c?w=320&h=180"]
    assert app.registry.cameras(app.actor) == []  # nothing is saved
    wait_live(qtbot, grid.tiles[:3])
    spec = grid.tiles[0].handle.spec if grid.tiles[0].handle else None
    assert spec is not None and spec.user == "officer" and "pw-123456" not in repr(spec)
    assert spec.password == "pw-123456"


def test_maximised_tile_switches_to_main_stream_without_black(
    qtbot: QtBot, make_app: AppFactory
) -> None:
    app = make_app("--demo")
    grid = app.console.grid
    wait_live(qtbot, grid.tiles)
    tile = grid.tiles[0]
    assert tile.camera is not None and tile.handle is not None
    assert tile.handle.spec.url == tile.camera.sub_url  # small tile: sub stream
    grid.toggle_maximise(tile)
    qtbot.waitUntil(lambda: tile.pending is not None or
                    tile.handle.spec.url == tile.camera.main_url, timeout=5000)
    # until the main stream has its first frame the sub stream's picture stays up
    blank_seen = []
    qtbot.waitUntil(lambda: (blank_seen.append(tile.current_frame() is None) or
                             tile.handle.spec.url == tile.camera.main_url), timeout=15_000)
    assert not any(blank_seen)
    assert tile.current_frame() is not None
    grid.toggle_maximise(tile)
    qtbot.waitUntil(lambda: tile.handle.spec.url == tile.camera.sub_url, timeout=15_000)


def test_custom_grid_and_merged_tiles(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    grid = app.console.grid
    grid.set_grid("custom:4x4")
    assert len(grid.tiles) == 16
    first = grid.tiles[0].camera
    grid.select(grid.tiles[0])
    grid.merge_selected("right")
    grid.merge_selected("down")  # tile 0 now spans 2x2: one big + 12 small
    assert len(grid.tiles) == 13
    assert grid.selected is grid.tiles[0] and grid.tiles[0].camera == first
    state = grid.state()
    assert state.custom_cells is not None and state.custom_cells[0].row_span == 2
    app.shutdown()
    again = make_app(data=app.paths.data_dir)
    assert len(again.console.grid.tiles) == 13  # custom spans survive a restart



def test_demo_flag_for_a_viewer_adds_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    from commandroom.auth.permissions import SYSTEM, Actor, Role
    from commandroom.config import Paths, Settings
    from ui.app import build_app, build_parser

    paths = Paths.resolve(tmp_path / "viewer")
    paths.ensure()
    settings = Settings()
    settings.alerts.ack_port = 0
    app = build_app(paths, settings, build_parser().parse_args(["--demo"]))
    qtbot.addWidget(app.console)
    try:
        app.actor = Actor("li", Role.VIEWER)  # who logged in
        app.start()  # no PermissionDenied: a viewer cannot add the demo cameras
        assert app.registry.cameras(SYSTEM) == []
    finally:
        app.shutdown()


def test_ctrl_i_toggles_the_stream_statistics_on_every_tile(
    qtbot: QtBot, make_app: AppFactory
) -> None:
    app = make_app("--demo")
    console = app.console
    console.activateWindow()
    qtbot.waitUntil(console.isActiveWindow, timeout=5000)
    qtbot.keyClick(console, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert console.grid.show_stats
    assert all(tile.show_stats for tile in console.grid.tiles)
    qtbot.keyClick(console, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert not console.grid.show_stats


def test_quick_double_clicks_in_the_tree_fill_the_next_free_tiles_in_order(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    console, grid, model = app.console, app.console.grid, app.console.tree_model
    grid.set_grid("9")
    for index in range(4):
        grid.clear(index)
    grid.select(grid.tiles[0])
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    group = model.index(0, 0)
    cameras = [model.index(row, 0, group) for row in range(model.rowCount(group))]
    assert len(cameras) == 4
    console.show()
    for index in cameras:  # as fast as the mouse sends them: no wait in between
        double_click(console.tree.viewport(), console.tree.visualRect(index).center())
    wanted = [index.data(CAMERA_ID_ROLE) for index in cameras]
    assert [t.camera.id if t.camera else None for t in grid.tiles] == wanted + [None] * 5
    assert grid.selected is grid.tiles[3]
    wait_live(qtbot, grid.tiles[:4])
    assert app.hub.reader_count() == 4


def test_return_on_a_camera_in_the_tree_puts_it_in_the_grid(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    console, grid, model = app.console, app.console.grid, app.console.tree_model
    grid.set_grid("6")
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    console.activateWindow()
    qtbot.waitUntil(console.isActiveWindow)
    camera = model.index(2, 0, model.index(0, 0))
    console.tree.setFocus()
    console.tree.setCurrentIndex(camera)
    qtbot.waitUntil(lambda: focused() is console.tree)
    press(Qt.Key.Key_Return)
    assert grid.maximised is None  # the window's Return (maximise) did not take it
    assert grid.tiles[4].camera is not None
    assert grid.tiles[4].camera.id == camera.data(CAMERA_ID_ROLE)


def _admin_from_the_command_line(data: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    paths = Paths.resolve(data)
    monkeypatch.setattr(sys, "stdin", io.StringIO("chief-pass-9\n"))
    assert cli.run(["operator", "create", "--username", "chief", "--role", "administrator"],
                   paths=paths) == 0
    return paths


def _shown(grid: VideoGrid) -> list[str]:
    return sorted(t.camera.name for t in grid.tiles if t.camera is not None)


DEMO_NAMES = ["Bus Station", "Market Bridge", "School Gate", "Xinhua Rd North"]


def test_demo_cameras_on_screen_after_a_cancelled_start_and_a_cli_administrator(
        qtbot: QtBot, make_app: AppFactory, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _admin_from_the_command_line(tmp_path / "station", monkeypatch)
    # A first start given up at the log-in (main() shuts the app down unseen) ...
    build_app(paths, Settings(), build_parser().parse_args(["--demo"])).shutdown()
    # ... used to save an empty grid for console and wall: "Live 0/0" ever after.
    app = make_app("--demo", data=tmp_path / "station")
    assert _shown(app.console.grid) == DEMO_NAMES
    assert _shown(app.wall.grid) == DEMO_NAMES


def test_new_demo_cameras_fill_a_saved_grid_that_shows_nothing(
        qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    paths = Paths.resolve(tmp_path / "station")
    paths.ensure()
    core = Core(paths, Settings())
    for scope in ("console", "wall"):  # as an earlier version left them
        core.layouts.save_current(SYSTEM, scope, LayoutState(grid="4", cameras=[None] * 4))
    core.stop()
    app = make_app("--demo", data=tmp_path / "station")
    assert _shown(app.console.grid) == DEMO_NAMES
    assert _shown(app.wall.grid) == DEMO_NAMES
