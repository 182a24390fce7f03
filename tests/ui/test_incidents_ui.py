"""An incident at the console, by keyboard, on a clock the test moves: from the sighting
in focus in the live list (Ctrl+Shift+N), on scene (Ctrl+O), a note (Ctrl+N), resolved as
caught (Ctrl+R, Return): the timeline ends "Caught — 47 min", the list says so too."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from commandroom.incidents import ItemKind, Outcome, State
from commandroom.runtime import CoreHooks
from commandroom.sightings.models import SightingRow
from tests.support.alert_core import FakeClock
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import press, type_keys
from ui.incidents.list_window import IncidentListWindow
from ui.incidents.timeline_window import IncidentTimelineWindow

START = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _active(qtbot: QtBot, window: QWidget) -> None:
    window.activateWindow()  # as the window manager does for a window just opened
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _sighting(data_dir: Path, sessions: object) -> int:
    """A tagged sighting with its snapshot on disk (the timeline shows its thumbnail)."""
    image = np.full((360, 640, 3), (40, 90, 140), np.uint8)
    cv2.putText(image, "North Gate", (30, 200), cv2.FONT_HERSHEY_SIMPLEX, 2, (255,) * 3, 3)
    (data_dir / "snapshots").mkdir(parents=True, exist_ok=True)
    path = data_dir / "snapshots" / "north-gate.jpg"
    cv2.imwrite(str(path), image)
    with sessions.begin() as session:  # type: ignore[attr-defined]
        row = SightingRow(camera_name="North Gate", junction="Xinhua Rd / Station Rd",
                          frame_time=START - dt.timedelta(seconds=20), seq=1,
                          operator="system", snapshot_path="snapshots/north-gate.jpg",
                          snapshot_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                          created_at=START)
        session.add(row)
        session.flush()
        return int(row.id)


def test_from_a_sighting_to_caught_in_47_minutes_by_keyboard(
        qtbot: QtBot, make_app: AppFactory) -> None:
    clock = FakeClock(START)
    app = make_app("--demo", hooks=CoreHooks(clock=clock, keyring=None))
    sighting_id = _sighting(app.paths.data_dir, app.sessions)
    live = app.sightings_ui.live
    live.reload()
    qtbot.waitUntil(lambda: live.model.rowCount() == 1)

    _active(qtbot, app.console)
    live.table.setFocus()  # the officer clicks the row in the live list
    live.table.selectRow(0)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is live.table)
    press(Qt.Key.Key_N, CTRL | SHIFT)  # New incident from this sighting
    windows = app.incidents_ui.windows
    qtbot.waitUntil(lambda: any(k[0] == "incident" for k in windows.windows))
    [window] = [w for k, w in windows.windows.items() if k[0] == "incident"]
    assert isinstance(window, IncidentTimelineWindow)
    qtbot.waitUntil(lambda: window.view is not None)
    assert window.view is not None and window.view.number == "JX-2026-0001"
    [incident] = app.core.incidents.of_sighting(app.actor, sighting_id)
    assert incident.id == window.incident_id
    _active(qtbot, window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.list)

    clock.advance(minutes=30)
    press(Qt.Key.Key_O, CTRL)  # on scene
    qtbot.waitUntil(lambda: window.view is not None and window.view.on_scene_at is not None)
    press(Qt.Key.Key_N, CTRL)  # add a note: the field takes the typing
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.note)
    type_keys("Held at the bus station\n")
    qtbot.waitUntil(lambda: any(i.kind is ItemKind.NOTE for i in window.items))

    clock.advance(minutes=17)
    press(Qt.Key.Key_R, CTRL)  # Resolve…: the outcome chooser, in the window
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.outcome)
    assert window.outcome.currentData() == Outcome.CAUGHT
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.view is not None and window.view.state is State.RESOLVED)
    assert window.result.text() == "Caught — 47 min"
    last = window.list.item(window.list.count() - 1)
    assert last.text().endswith("Caught — 47 min") and last.text().startswith("+47:00")
    first = window.list.item(0)
    assert first.text().startswith("−0:20") and "Xinhua Rd / Station Rd" in first.text()
    qtbot.waitUntil(lambda: not first.icon().isNull())  # the sighting's thumbnail
    assert not window.resolve_button.isVisible() and not window.on_scene_button.isVisible()
    assert window.note_button.isVisible()

    _active(qtbot, app.console)
    press(Qt.Key.Key_D, CTRL)  # the incidents window
    qtbot.waitUntil(lambda: ("incidents", None) in windows.windows)
    listing = windows.windows[("incidents", None)]
    assert isinstance(listing, IncidentListWindow)
    qtbot.waitUntil(lambda: listing.tree.topLevelItemCount() == 1)
    assert listing.tree.topLevelItem(0).text(4) == "Caught — 47 min"  # type: ignore[union-attr]
    _active(qtbot, listing)
    press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: ("incidents", None) not in windows.windows)


def test_ctrl_shift_n_makes_an_incident_of_the_sighting_just_tagged(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo", hooks=CoreHooks(clock=FakeClock(START), keyring=None))
    _active(qtbot, app.console)
    press(Qt.Key.Key_N, CTRL | SHIFT)  # nothing tagged yet: said so, nothing made
    assert "Tag a sighting first" in app.console.statusBar().currentMessage()
    sighting_id = _sighting(app.paths.data_dir, app.sessions)
    view = app.sightings.get(app.actor, sighting_id)
    app.tagging.saved.emit(view)  # as the tag dialog does once the sighting is saved
    press(Qt.Key.Key_N, CTRL | SHIFT)
    qtbot.waitUntil(lambda: "JX-2026-0001" in app.console.statusBar().currentMessage())
