"""An incident from an alert at the console, by keyboard: Ctrl+Shift+D in the console
chooses the newest alert of the alert panel (the list takes the keyboard), a second press
makes the incident off the GUI thread and opens its timeline, with the alert's teams; the
same alert again opens that incident, it does not make a second."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from commandroom.runtime import CoreHooks
from tests.support.alert_core import FakeClock
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import press
from tests.ui.test_incident_acks_ui import _alert
from tests.ui.test_incidents_ui import START, _active, _sighting
from ui.incidents.timeline_window import IncidentTimelineWindow

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def test_an_alert_becomes_one_incident_by_keyboard(
        qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app("--demo", hooks=CoreHooks(clock=FakeClock(START), keyring=None))
    panel = app.alerts_ui.panel
    _active(qtbot, app.console)
    press(Qt.Key.Key_D, CTRL | SHIFT)  # no alert yet: said so
    assert app.console.statusBar().currentMessage() == \
        "There is no alert to make an incident of."
    alert_id = _alert(app, _sighting(app.paths.data_dir, app.sessions), tmp_path)
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1)

    press(Qt.Key.Key_D, CTRL | SHIFT)  # chooses the newest alert, the list takes the keys
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.tree)
    assert f"Alert #{alert_id} chosen" in app.console.statusBar().currentMessage()
    press(Qt.Key.Key_D, CTRL | SHIFT)
    windows = app.incidents_ui.windows
    qtbot.waitUntil(lambda: any(k[0] == "incident" for k in windows.windows))
    [window] = [w for k, w in windows.windows.items() if k[0] == "incident"]
    assert isinstance(window, IncidentTimelineWindow)
    qtbot.waitUntil(lambda: window.view is not None)
    assert window.view is not None and window.view.number == "JX-2026-0001"
    assert {t.team_key for t in window.view.teams} == {"community", "case"}
    assert app.console.statusBar().currentMessage() == "Incident JX-2026-0001 opened."

    _active(qtbot, app.console)
    panel.tree.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.tree)
    press(Qt.Key.Key_D, CTRL | SHIFT)  # the same alert: its incident, not a second
    qtbot.waitUntil(lambda: "belongs to incident JX-2026-0001"
                    in app.console.statusBar().currentMessage())
    assert [v.number for v in app.core.incidents.list(app.actor)] == ["JX-2026-0001"]
    opened = [k for k in windows.windows if k[0] == "incident"]
    assert opened == [("incident", window.incident_id)]
