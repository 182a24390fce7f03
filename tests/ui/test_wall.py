"""The wall on the second screen, driven from the console."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent, QGuiApplication
from pytestqt.qtbot import QtBot

from commandroom.wall import WallAlert
from tests.ui.conftest import AppFactory


def test_two_screens_wall_fullscreen_on_second(qtbot: QtBot, make_app: AppFactory) -> None:
    assert [s.name() for s in QGuiApplication.screens()] == ["main", "wall"]
    app = make_app("--demo")
    window = app.wall.window
    qtbot.waitUntil(window.isVisible)
    assert window.screen().name() == "wall"
    assert window.isFullScreen()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert app.console.screen().name() == "main"
    assert not app.wall.single_screen


def test_send_camera_and_one_reader_per_camera(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    console_cams = [t.camera.id for t in app.console.grid.tiles if t.camera]
    assert len(console_cams) == 4
    # drag from the tree onto the miniature's cell 2
    miniature = app.wall_panel.miniature
    miniature.resize(320, 180)
    _tile, rect = miniature.cell_rects()[2]
    mime = QMimeData()
    mime.setData("application/x-commandroom-camera", QByteArray(str(console_cams[1]).encode()))
    miniature.dropEvent(QDropEvent(QPointF(rect.center()), Qt.DropAction.CopyAction, mime,
                                   Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert app.wall.grid.tiles[2].camera is not None
    assert app.wall.grid.tiles[2].camera.id == console_cams[1]
    # "Show on wall" from a console tile's context menu (signal) and the whole layout
    app.console.grid.show_on_wall.emit(console_cams[0])
    app.wall.send_layout(app.console.grid.state())
    assert [t.camera.id if t.camera else None for t in app.wall.grid.tiles] == console_cams
    qtbot.waitUntil(lambda: all(t.painted_seq > 0 for t in app.wall.grid.tiles), timeout=20_000)
    # the same cameras on console and wall decode once
    assert app.hub.reader_count() == len(set(console_cams))
    app.wall.clear_tile(3)
    assert app.wall.grid.tiles[3].camera is None


def test_freeze_and_tour(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    app.wall.send_layout(app.console.grid.state())
    qtbot.waitUntil(lambda: all(t.painted_seq > 0 for t in app.wall.grid.tiles), timeout=20_000)
    app.wall.set_frozen(True)
    held = [t.current_frame() for t in app.wall.grid.tiles]
    seqs = [t.handle.slot.seq for t in app.wall.grid.tiles if t.handle]
    qtbot.waitUntil(lambda: all(t.handle is not None and t.handle.slot.seq > s + 3
                                for t, s in zip(app.wall.grid.tiles, seqs, strict=True)),
                    timeout=10_000)
    assert [t.current_frame() for t in app.wall.grid.tiles] == held
    app.wall.set_frozen(False)
    assert app.wall.grid.tiles[0].current_frame() is not held[0]
    ids = [c.id for c in app.registry.cameras(app.actor) if c.id is not None]
    app.wall.set_grid("1")
    app.wall.start_tour(ids)
    first = app.wall.grid.tiles[0].camera
    app.wall.tour.advance()
    assert app.wall.grid.tiles[0].camera != first
    app.wall.stop_tour()
    assert not app.wall.tour.running


def test_wall_state_survives_restart(qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    data = tmp_path / "wall-persist"
    app = make_app("--demo", data=data)
    ids = [c.id for c in app.registry.cameras(app.actor) if c.id is not None]
    app.wall.set_grid("9")
    app.wall.show_camera(ids[2], 5)
    app.wall.start_tour(ids[:2])
    saved = app.wall.state()
    app.shutdown()
    again = make_app(data=data)
    assert again.wall.state().grid == "9"
    assert again.wall.state().tour == saved.tour
    assert again.wall.tour.running


def test_screen_removed_and_back(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    wall_screen = next(s for s in QGuiApplication.screens() if s.name() == "wall")
    messages: list[str] = []
    app.wall.message.connect(messages.append)
    # Qt emits screenRemoved before the screen object goes; we play that signal here.
    app.wall.on_screen_removed(wall_screen)
    assert app.wall.detached and not app.wall.window.isVisible()
    assert "disconnected" in messages[-1]
    app.wall.on_screen_added(wall_screen)
    qtbot.waitUntil(lambda: app.wall.window.isVisible() and not app.wall.detached)
    assert app.wall.window.screen().name() == "wall"
    assert "back" in messages[-1]


def test_alert_banner_and_highlight(qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app("--demo")
    app.wall.send_layout(app.console.grid.state())
    target = app.wall.grid.tiles[1]
    assert target.camera is not None
    app.events.publish(WallAlert(
        camera_id=target.camera.id, camera_name=target.camera.name,
        junction=target.camera.junction, who="Zhang San", category="wanted",
        frame_time=datetime.now(UTC)))
    banner = app.wall.window.banner
    qtbot.waitUntil(banner.isVisible)
    assert "Zhang San" in banner.title.text()
    assert target.alert_highlight
    assert sum(t.alert_highlight for t in app.wall.grid.tiles) == 1
    app.wall_panel.clear_alert_button.click()
    assert not banner.isVisible() and not target.alert_highlight


def test_one_screen_wall_is_an_ordinary_window(tmp_path: Path) -> None:
    """With one screen the wall opens as a window and says so (own process: one screen)."""
    import os
    import subprocess
    import sys

    code = (
        "import sys; from PySide6.QtWidgets import QApplication; qa = QApplication([]);"
        "from commandroom.config import Paths, Settings; from ui.app import CommandRoomApp, "
        "build_parser; p = Paths.resolve(sys.argv[1]); p.ensure();"
        "app = CommandRoomApp(p, Settings(), build_parser().parse_args(['--demo'])); app.start();"
        "w = app.wall.window; print(len(qa.screens()), app.wall.single_screen, w.isFullScreen(),"
        " w.isVisible(), repr(w.note.text())); app.shutdown()"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "one")], env=env,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.strip().splitlines()[-1] == \
        "1 True False True 'Only one screen: the wall is shown as a window.'"


def test_named_layout_sent_to_wall(qtbot: QtBot, make_app: AppFactory) -> None:
    from commandroom.cameras.layouts import LayoutState

    app = make_app("--demo")
    ids = [c.id for c in app.registry.cameras(app.actor) if c.id is not None]
    app.layouts.save_named(app.actor, "console", "Market day",
                           LayoutState(grid="6", cameras=[ids[1], ids[0]]))
    state = app.layouts.named(app.actor, "console")["Market day"]
    app.wall.send_layout(state)
    assert app.wall.state().grid == "6"
    assert [t.camera.id for t in app.wall.grid.tiles[:2] if t.camera] == [ids[1], ids[0]]
