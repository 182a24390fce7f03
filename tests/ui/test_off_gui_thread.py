"""The smaller paths moved off the GUI thread (issue 14), walked in the real app with
nothing excused: the wall's named-layout menu, the camera dialog, the camera CSV import,
a map marker dropped, a camera's sightings list, quitting. The guard raises on any
database use by UI code on the GUI thread; its record must stay empty."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from commandroom.db.thread_guard import ThreadGuard
from tests.ui.conftest import AppFactory
from ui.console.camera_dialog import CameraDialog


def test_small_paths_never_use_the_database_on_the_gui_thread(
        qtbot: QtBot, make_app: AppFactory, tmp_path: Path,
        gui_thread_database_guard: ThreadGuard) -> None:
    app = make_app("--demo")
    app.db_guard.excused = frozenset()  # not even start-up: the console is up
    gui_thread_database_guard.excused = frozenset()

    # The wall's "Show named layout on wall" menu fills from the console's copy.
    app.layout_actions.save_as("Night")
    [named] = [m for m in app.console.findChildren(QMenu)
               if m.title() == "Show named layout on wall"]
    named.aboutToShow.emit()
    assert [a.text() for a in named.actions()] == ["Night"]

    # The camera dialog saves on the executor and says so meanwhile.
    dialog = CameraDialog(app.registry, app.actor, None, app.console)
    qtbot.addWidget(dialog)
    dialog.name.setText("East Lane")
    dialog.group.setCurrentText("Market")  # a new group, created with the camera
    dialog.main_url.setText("rtsp://127.0.0.1:1/east")
    dialog._save()
    assert dialog.error.text() == "Saving…"
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.saved is not None and dialog.saved.group_id is not None

    # The camera CSV import.
    csv_file = tmp_path / "more.csv"
    csv_file.write_text("name,main_url\nWest Lane,rtsp://127.0.0.1:1/west\n", encoding="utf-8")
    box = app.console.actions_.import_and_report(csv_file)
    qtbot.waitUntil(lambda: app.console.actions_.importing == 0)
    assert box.text().startswith("1 camera(s) imported.")

    # A marker dropped on the map: shown at once, saved on the executor.
    editor = app.sightings_ui.open_map_editor()
    camera_id = dialog.saved.id
    assert camera_id is not None
    editor.canvas.cameras.setdefault(camera_id, dialog.saved)
    assert editor.canvas.place(camera_id, QPointF(200, 150))
    qtbot.waitUntil(lambda: not editor.canvas.busy)
    moved = app.registry.get(app.actor, camera_id)
    assert moved is not None and moved.map_x is not None

    # A camera's sightings list loads on the executor.
    listed = app.sightings_ui.open_camera(camera_id, "East Lane")
    assert listed is not None
    qtbot.waitUntil(lambda: not listed.busy)
    assert listed.summary.text() == "No sightings."

    # Quitting counts the deliveries still pending on the executor, then quits.
    exits: list[int] = []
    app.exit_event_loop = exits.append
    assert app.request_quit() is False  # not yet: the count is on its way
    qtbot.waitUntil(lambda: exits == [0])
    assert app.db_guard.violations == [] and gui_thread_database_guard.violations == []
