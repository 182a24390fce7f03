"""A team's acknowledgement recorded from the incident timeline by keyboard: Ctrl+K opens
the panel in the window, the first team still waiting is chosen, "by phone" is the
default, the team's member on file is offered; Enter records it off the GUI thread on the
alert (its escalation stops, audited as the officer's), and the timeline shows "by phone"
and the team's time to acknowledge. A team that acknowledged already is said so and not
recorded twice; a team with nobody on file takes a typed name."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from commandroom.alerts.models import TeamMemberRow, TeamRow
from commandroom.audit.trail import AuditEventRow
from commandroom.incidents import ItemKind
from commandroom.runtime import CoreHooks
from tests.support.alert_core import FakeClock, sample_content
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import press, type_keys
from tests.ui.test_incidents_ui import START, _active, _sighting
from ui.incidents.timeline_window import IncidentTimelineWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def _alert(app: object, sighting_id: int, tmp_path: Path) -> int:
    """The sighting sent to both teams; Li Wei on file for the community team only."""
    sessions = app.sessions  # type: ignore[attr-defined]
    with sessions.begin() as session:
        community = session.query(TeamRow).filter_by(key="community").one()
        session.add(TeamMemberRow(team_id=community.id, name="Li Wei"))
    snapshot = app.paths.data_dir / "snapshots" / "north-gate.jpg"  # type: ignore[attr-defined]
    content = sample_content(tmp_path, frame_time=START - dt.timedelta(seconds=20),
                             snapshot_path=str(snapshot),
                             snapshot_sha256=hashlib.sha256(snapshot.read_bytes()).hexdigest())
    service = app.alerting.service  # type: ignore[attr-defined]
    return int(service.send(app.actor, sighting_id, content))  # type: ignore[attr-defined]


def test_a_phone_ack_by_keyboard_shows_by_phone_and_the_time_to_acknowledge(
        qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    clock = FakeClock(START)
    app = make_app("--demo", hooks=CoreHooks(clock=clock, keyring=None))
    alert_id = _alert(app, _sighting(app.paths.data_dir, app.sessions), tmp_path)
    incident = app.core.incidents.create_from_alert(app.actor, alert_id)
    window = app.incidents_ui.open_timeline(incident.id)
    assert isinstance(window, IncidentTimelineWindow)
    qtbot.waitUntil(lambda: window.view is not None)
    _active(qtbot, window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.list)

    clock.advance(minutes=2, seconds=10)  # the community team phones in
    press(Qt.Key.Key_K, CTRL)
    panel = window.ack_panel
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.team)
    assert panel.team.currentText() == "Community policing"
    type_keys("\t")
    assert QApplication.focusWidget() is panel.how and panel.how.currentText() == "by phone"
    type_keys("\t")
    qtbot.waitUntil(lambda: not panel.members_loading and panel.who.currentText() == "Li Wei")
    assert QApplication.focusWidget() is panel.who and not panel.who.isEditable()
    type_keys("\n")
    qtbot.waitUntil(lambda: any(i.kind is ItemKind.ACK for i in window.items))
    assert not panel.isVisible()
    lines = [window.list.item(r).text() for r in range(window.list.count())]
    [ack] = [line for line in lines if "acknowledged" in line]
    assert ack == ("+2:10   Community policing acknowledged by phone (Li Wei) — "
                   "acknowledged in 2 min")
    assert window.teams.text() == \
        "Time to acknowledge: Community policing 2 min, Case handling —"
    # On the alert, as the officer's: the community team's escalation stops.
    status = {a.team_name: (a.status, a.how, a.by)
              for a in app.alerting.service.status(alert_id)}
    assert status["Community policing"] == ("acknowledged", "phone", "Li Wei")
    with app.sessions() as session:
        audited = session.query(AuditEventRow).filter_by(action="alert.acknowledge").all()
    assert [(a.actor, a.subject) for a in audited] == [("system", f"alert:{alert_id}")]

    # Once more for the community team: said, not recorded a second time.
    press(Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.team)
    assert panel.team.currentText() == "Case handling"  # the one still waiting
    press(Qt.Key.Key_Up)
    assert panel.team.currentText() == "Community policing (acknowledged)"
    qtbot.waitUntil(lambda: not panel.members_loading)
    press(Qt.Key.Key_Return)
    assert window.message.text().startswith(
        "Community policing acknowledged already by phone (Li Wei), in 2 min")
    assert panel.isVisible()

    # The case team has nobody on file: who answered is typed; by radio.
    press(Qt.Key.Key_Down)
    assert panel.team.currentText() == "Case handling"
    type_keys("\t")
    press(Qt.Key.Key_Down)
    assert panel.how.currentText() == "by radio"
    type_keys("\t")
    qtbot.waitUntil(lambda: not panel.members_loading and panel.who.isEditable())
    assert QApplication.focusWidget() in (panel.who, panel.who.lineEdit())
    type_keys("Sgt Liu\n")
    qtbot.waitUntil(lambda: window.view is not None
                    and all(t.acked_at is not None for t in window.view.teams))
    acks = [i for i in window.items if i.kind is ItemKind.ACK]
    assert [(i.facts["how"], i.facts["who"]) for i in acks] == [
        ("phone", "Li Wei"), ("radio", "Sgt Liu")]
