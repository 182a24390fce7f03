"""From a tag to both teams: preview, send, a real webhook receiver, the panel, the wall."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from commandroom.auth.permissions import SYSTEM, Actor, Role
from commandroom.watchlist.records import Category, EntryInput, Risk
from tests.support.receivers import WebhookReceiver
from tests.ui.conftest import AppFactory
from ui.alerts.panel import ALERT_ROLE, TEAM_ROLE

SECRET = "team-hook-secret-123"


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(secret=SECRET).start()
    yield receiver
    receiver.stop()


@pytest.mark.integration
def test_tag_then_alert_both_teams_panel_and_wall(
    qtbot: QtBot, make_app: AppFactory, webhook: WebhookReceiver
) -> None:
    app = make_app("--demo")
    teams = app.alerting.teams.list_teams()
    assert {t.key for t in teams} == {"community", "case"}
    for team in teams:
        app.alerting.teams.save_channel(SYSTEM, team.id, "webhook", "hook",
                                        {"url": webhook.url, "signing_secret": SECRET})
    entry = app.watchlist.create(SYSTEM, EntryInput(
        name="Zhang San", id_number="11010519491231002X", category=Category.WANTED,
        risk=Risk.HIGH, reason="theft"))
    grid = app.console.grid
    qtbot.waitUntil(lambda: grid.tiles[0].painted_seq > 0, timeout=20_000)
    grid.select(grid.tiles[0])
    wall_tile = next(t for t in app.wall.grid.tiles
                     if t.camera is not None and t.camera.id == grid.tiles[0].camera.id)

    dialog = app.tagging.start_tag()
    assert dialog is not None and dialog.alert_after.isChecked()
    dialog.query.setText("Zhang")
    with qtbot.waitSignal(app.tagging.alert_requested, timeout=10_000):
        dialog.save()
    # The send dialog opens once the entry and the preview are read off the GUI thread.
    qtbot.waitUntil(lambda: app.alerts_ui.dialog is not None, timeout=10_000)
    send = app.alerts_ui.dialog
    assert send is not None
    assert {i.team.key for i in send.items} == {"community", "case"}  # wanted: both teams
    assert all(i.priority == "high" for i in send.items)
    # Seen on screen: the routed teams' boxes under "Also send to" were empty and greyed,
    # which read as "not sent to them". Ticked and greyed; not sent twice (one message
    # each, below).
    boxes = list(send.extra_teams.values())
    assert [(b.isChecked(), b.isEnabled()) for b in boxes] == [(True, False), (True, False)]
    assert all("routing rules" in b.toolTip() for b in boxes)
    preview = send.preview.toPlainText()
    assert "Zhang San" in preview
    # the junction and the camera's place, no map-image numbers, no "Alert #0"
    camera = grid.tiles[0].camera
    assert f"地点 Where: {camera.junction}" in preview
    assert f"摄像机 Camera: {camera.name} · Demo junctions" in preview
    assert "Map" not in preview and "#0" not in preview
    assert "请电话向指挥室签收" in preview  # no reachable ack address in the test settings
    with qtbot.waitSignal(send.sent, timeout=10_000) as sent:
        send.send()
    alert_id = sent.args[0]

    # both teams receive one signed message each, with the snapshot reference
    webhook.wait_for(lambda r: len(r.delivered) == 2, timeout=15)
    assert not webhook.rejected
    bodies = [r.json() for r in webhook.delivered.values()]
    assert all("Zhang San" in str(b) for b in bodies)

    # the panel shows the alert with both teams delivered
    panel = app.alerts_ui.panel
    def team_states() -> list[str]:
        top = panel.tree.topLevelItem(0)
        if top is None or top.data(0, ALERT_ROLE) != alert_id:
            return []
        return [top.child(i).text(2) for i in range(top.childCount())]
    qtbot.waitUntil(lambda: team_states() == ["delivered", "delivered"], timeout=15_000)

    # high priority: the wall shows the banner and marks the camera's tile
    banner = app.wall.window.banner
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    assert "Zhang San" in banner.title.text() and wall_tile.alert_highlight

    # the officer records a phone acknowledgement for the case team, by a listed member
    case = next(t for t in teams if t.key == "case")
    app.alerting.teams.add_member(SYSTEM, case.id, "Wang Fang")
    app.alerting.teams.add_member(SYSTEM, case.id, "Sgt. Li", phone="13800000000")
    top = panel.tree.topLevelItem(0)
    case_row = next(top.child(i) for i in range(top.childCount())
                    if top.child(i).data(0, TEAM_ROLE) == case.id)
    panel.tree.setCurrentItem(case_row)
    ack = panel.ack_selected()
    assert ack is not None
    qtbot.waitUntil(ack.who.isEnabled, timeout=5000)
    assert [ack.who.itemText(i) for i in range(ack.who.count())] == ["Sgt. Li", "Wang Fang"]
    assert not ack.who.isEditable()  # chosen from the list, not typed
    ack.who.setCurrentIndex(0)
    ack.how.setCurrentIndex(ack.how.findData("phone"))
    ack.accept()
    qtbot.waitUntil(lambda: "acknowledged" in team_states(), timeout=10_000)
    # the team filter: only the case team's row is left under the alert
    panel.team_filter.setCurrentIndex(panel.team_filter.findData(case.id))
    qtbot.waitUntil(lambda: team_states() == ["acknowledged"], timeout=5000)
    report = {a.team_id: a for a in app.alerting.service.status(alert_id)}
    assert report[case.id].by == "Sgt. Li" and report[case.id].how == "phone"
    assert entry.id is not None


def test_viewer_sees_no_alerts(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    app.actor = Actor("li", Role.VIEWER)
    app.alerts_ui.panel.reload()
    assert app.alerts_ui.panel.notice.isVisible()
    assert app.alerts_ui.panel.tree.topLevelItemCount() == 0
    assert app.alerts_ui.send_for_last() is None


def test_no_routing_rule_is_worded_and_the_focus_goes_to_the_teams(
    qtbot: QtBot, make_app: AppFactory
) -> None:
    """Seen on screen (also in zh_CN): tagging an unknown person and pressing Enter showed
    the core's "no routing rule matches category 'other'…" in English, with the focus on a
    Send button that could not send."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QCheckBox

    from tests.ui.keyboard import focused, press

    app = make_app("--demo")
    grid = app.console.grid
    qtbot.waitUntil(lambda: grid.tiles[0].painted_seq > 0, timeout=20_000)
    grid.select(grid.tiles[0])
    app.console.activateWindow()
    qtbot.waitUntil(app.console.isActiveWindow)
    press(Qt.Key.Key_T)
    qtbot.waitUntil(lambda: app.tagging.dialog is not None
                    and app.tagging.dialog.isActiveWindow(), timeout=10_000)
    with qtbot.waitSignal(app.tagging.alert_requested, timeout=10_000):
        press(Qt.Key.Key_Return)  # "Unknown person — open a new file": category "other"
    qtbot.waitUntil(lambda: app.alerts_ui.dialog is not None, timeout=10_000)
    send = app.alerts_ui.dialog
    assert send is not None
    send.activateWindow()
    qtbot.waitUntil(lambda: send.status.text() != "", timeout=10_000)
    status = send.status.text()
    assert "no routing rule" not in status and "“other”" in status
    assert "Also send to" in status
    assert not send.send_button.isEnabled()
    # Nobody routed, and yet the officer reads the message before ticking a team.
    draft = send.preview.toPlainText()
    assert "No team yet" in draft and "Bus Station" in draft
    qtbot.waitUntil(send.isActiveWindow)
    box = focused()
    assert isinstance(box, QCheckBox) and box is next(iter(send.extra_teams.values()))
    press(Qt.Key.Key_Space)  # tick the team: the preview follows, Enter can send
    qtbot.waitUntil(lambda: bool(send.items) and send.send_button.isEnabled(),
                    timeout=10_000)
    assert send.status.text() == ""
    press(Qt.Key.Key_Escape)


def test_a_team_without_a_channel_says_so_in_the_panel(
    qtbot: QtBot, make_app: AppFactory
) -> None:
    """Seen on screen (zh_CN walk): an alert to a team with no channel showed "failed" and
    an empty channel column; only the log said why."""
    app = make_app("--demo")  # the demo's teams have no channel yet
    grid = app.console.grid
    qtbot.waitUntil(lambda: grid.tiles[0].painted_seq > 0, timeout=20_000)
    grid.select(grid.tiles[0])
    dialog = app.tagging.start_tag()
    assert dialog is not None
    with qtbot.waitSignal(app.tagging.alert_requested, timeout=10_000):
        dialog.save()
    qtbot.waitUntil(lambda: app.alerts_ui.dialog is not None, timeout=10_000)
    send = app.alerts_ui.dialog
    assert send is not None
    qtbot.waitUntil(lambda: send.status.text() != "", timeout=10_000)  # nobody routed
    next(iter(send.extra_teams.values())).setChecked(True)
    qtbot.waitUntil(lambda: bool(send.items) and send.send_button.isEnabled(),
                    timeout=10_000)
    assert "no channel configured" in send.summary.text()  # said before sending, too
    with qtbot.waitSignal(send.sent, timeout=10_000) as sent:
        send.send()
    panel = app.alerts_ui.panel

    def team_row() -> tuple[str, str, str] | None:
        top = panel.tree.topLevelItem(0)
        if top is None or top.data(0, ALERT_ROLE) != sent.args[0] or not top.childCount():
            return None
        row = top.child(0)
        return row.text(2), row.text(3), row.toolTip(3)
    qtbot.waitUntil(lambda: (team_row() or ("",))[0] == "failed", timeout=15_000)
    row = team_row()
    assert row is not None
    _, channels, tip = row
    assert channels == "no channel configured"
    assert "Ctrl+Shift+M" in tip and "phone" in tip


def test_an_escalated_team_reads_escalated_once(make_app: AppFactory) -> None:
    """Seen on screen: a team's status read "escalated (escalated ×1)"."""
    from datetime import UTC, datetime

    from PySide6.QtWidgets import QTreeWidgetItem

    from commandroom.alerts.board import AlertSummary, ChannelState, TeamState

    panel = make_app("--demo").alerts_ui.panel
    now = datetime(2026, 12, 3, 7, 40, tzinfo=UTC)
    channel = ChannelState("hook", "webhook", "delivered", 1, "", 1)

    def item_of(status: str, escalations: int, stopped: bool = False) -> QTreeWidgetItem:
        team = TeamState(1, "community", "high", status, escalations, "", "", None, None,
                         (channel,), reminders_stopped=stopped)
        summary = AlertSummary(1, 1, now, now, "duty", "high", "wanted", status, "", "",
                               "Bus Station", "", (team,))
        assert summary.escalated == (escalations > 0 and not stopped)
        return panel._team_item(summary, team)

    def status_of(status: str, escalations: int) -> str:
        return item_of(status, escalations).text(2)

    # The alert's incident resolved (the suspect caught): said, and no longer red.
    stopped = item_of("escalated", 2, stopped=True)
    assert stopped.text(2) == "escalated ×2 · incident resolved, no more reminders"
    assert stopped.background(1).color() != item_of("escalated", 2).background(1).color()
    assert status_of("escalated", 1) == "escalated ×1"
    assert status_of("escalated", 2) == "escalated ×2"
    assert status_of("failed", 1) == "failed (escalated ×1)"
    assert status_of("delivered", 0) == "delivered"

