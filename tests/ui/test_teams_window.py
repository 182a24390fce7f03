"""The administrator's Teams window (issue 12 item 5), the acknowledgement-link warning
(issue 13 item 6) and the Chinese wording of teams and priorities (issue 12 item 8).

Keys go to ``QApplication.focusWidget()``, as a person's typing would; the test message
goes to the webhook receiver on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from commandroom.alerts.channel_probe import ProbeAnswer
from commandroom.auth.permissions import SYSTEM, Actor, Role
from commandroom.config import Settings
from tests.support.alert_core import sample_content
from tests.support.receivers import WebhookReceiver
from tests.ui.conftest import AppFactory
from ui.alerts.send_dialog import AlertSendDialog
from ui.alerts.teams_window import TeamsWindow
from ui.app import CommandRoomApp

SECRET = "teams-window-secret-42"


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(secret=SECRET).start()
    yield receiver
    receiver.stop()


def _focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _type(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(_focus(), text)


def _open_by_shortcut(qtbot: QtBot, app: CommandRoomApp) -> TeamsWindow:
    console = app.console
    console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    qtbot.keyClick(console, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: app.alerts_ui.teams_window is not None, timeout=10_000)
    window = app.alerts_ui.teams_window
    assert window is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.team, timeout=5000)
    return window


def _reached_by_tab(qtbot: QtBot, start: QWidget, presses: int = 60) -> set[QWidget]:
    reached = set()
    for _ in range(presses):
        qtbot.keyClick(_focus(), Qt.Key.Key_Tab)
        reached.add(_focus())
    start.setFocus()
    return reached


def test_the_administrator_sets_up_a_member_and_a_channel_and_tests_it(
    qtbot: QtBot, make_app: AppFactory, webhook: WebhookReceiver, tmp_path: Path
) -> None:
    app = make_app("--demo")
    window = _open_by_shortcut(qtbot, app)
    assert window.team.currentText() == "Community policing"
    members = window.members
    assert {window.team_name, window.new_key, members.name, members.phone,
            members.radio} <= _reached_by_tab(qtbot, window.team)

    # A member, typed as a person would.
    members.name.setFocus()
    _type(qtbot, "Zhou Min")
    qtbot.keyClick(_focus(), Qt.Key.Key_Tab)
    assert _focus() is members.phone
    _type(qtbot, "139 0000 1111")
    qtbot.mouseClick(members.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: members.view.rowCount() == 1, timeout=10_000)
    assert members.view.item(0, 0).text() == "Zhou Min"
    assert members.view.item(0, 1).text() == "139 0000 1111"

    # A signed webhook channel; its secret goes to the store and is never shown back.
    window.tabs.setCurrentWidget(window.channels)
    form = window.channels.form
    assert {form.name, form.type, form.url, form.signing_secret} <= _reached_by_tab(
        qtbot, form.name)
    form.name.setFocus()
    _type(qtbot, "Duty hook")
    form.url.setFocus()
    _type(qtbot, webhook.url)
    qtbot.keyClick(_focus(), Qt.Key.Key_Tab)
    assert _focus() is form.signing_secret
    assert form.signing_secret.echoMode() == QLineEdit.EchoMode.Password
    _type(qtbot, SECRET)
    qtbot.mouseClick(window.channels.save_button, Qt.MouseButton.LeftButton)
    view = window.channels.view
    qtbot.waitUntil(lambda: view.rowCount() == 1, timeout=10_000)
    assert view.selectionModel().selectedRows()[0].row() == 0  # the saved one is selected
    assert view.item(0, 3).text() == "Signing secret"
    assert form.signing_secret.text() == ""
    assert "stored" in form.signing_secret.placeholderText()
    assert SECRET not in window.channels.answer.toPlainText()

    # Send test message: off the GUI thread, the platform's answer shown.
    with qtbot.waitSignal(window.answered, timeout=15_000) as answered:
        qtbot.mouseClick(window.channels.test_button, Qt.MouseButton.LeftButton)
    answer: ProbeAnswer = answered.args[0]
    assert answer.ok and webhook.rejected == []  # the stored secret signed it
    shown = window.channels.answer.toPlainText()
    assert "Test message accepted" in shown
    assert "HTTP 200" in shown and "errcode 0" in shown and "errmsg “ok”" in shown
    assert [r.json()["type"] for r in webhook.delivered.values()] == ["commandroom.test"]

    # The secret is in no log line.
    for log_file in (tmp_path / "data" / "logs").glob("*.log*"):
        assert SECRET not in log_file.read_text(encoding="utf-8", errors="replace")

    # Esc closes.
    qtbot.keyClick(_focus(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: app.alerts_ui.teams_window is None, timeout=5000)


def test_a_supervisor_is_refused_by_the_core_and_no_window_opens(
    qtbot: QtBot, make_app: AppFactory
) -> None:
    app = make_app("--demo")
    app.actor = Actor("chen", Role.SUPERVISOR)
    app.alerts_ui.open_teams()
    qtbot.waitUntil(lambda: app.alerts_ui.last_message is not None, timeout=10_000)
    box = app.alerts_ui.last_message
    assert box is not None and "edit_teams" in box.text() and "chen" in box.text()
    assert app.alerts_ui.teams_window is None
    box.close()


def test_without_a_reachable_address_the_status_bar_and_the_window_warn(
    qtbot: QtBot, make_app: AppFactory
) -> None:
    app = make_app("--demo")
    warning = app.alerts_ui.link_warning
    assert warning.isVisible() and "by phone" in warning.text()
    assert "alerts.ack_public_url" in warning.toolTip()
    app.alerts_ui.open_teams()
    qtbot.waitUntil(lambda: app.alerts_ui.teams_window is not None, timeout=10_000)
    window = app.alerts_ui.teams_window
    assert window is not None and window.link_warning.isVisible()
    assert "Acknowledgement links are off" in window.link_warning.text()
    window.close()


def test_with_an_https_address_there_is_no_warning_but_a_team_without_members_is_named(
    qtbot: QtBot, make_app: AppFactory, tmp_path: Path
) -> None:
    settings = Settings()
    settings.alerts.ack_public_url = "https://ack.station.example"
    app = make_app("--demo", settings=settings)
    assert not app.alerts_ui.link_warning.isVisible()
    app.alerts_ui.open_teams()
    qtbot.waitUntil(lambda: app.alerts_ui.teams_window is not None, timeout=10_000)
    window = app.alerts_ui.teams_window
    assert window is not None and not window.link_warning.isVisible()
    assert "No members on file" in window.team_warning.text()
    window.close()


def test_seeded_teams_and_priorities_read_in_chinese(
    qtbot: QtBot, make_app: AppFactory, chinese: None, tmp_path: Path
) -> None:
    """Issue 12 item 8: "( high 优先级 )" and English team names in the Chinese UI."""
    app = make_app("--demo")
    teams = app.alerting.teams.list_teams()
    with ThreadPoolExecutor(1) as worker:
        dialog = AlertSendDialog(app.alerting.service, teams, sample_content(tmp_path), 1,
                                 app.current_actor, worker)
        qtbot.addWidget(dialog)
        # The preview (routing rules, channels) is read off the GUI thread.
        qtbot.waitUntil(lambda: dialog.summary.text() != "", timeout=10_000)
        summary = dialog.summary.text()
        assert "社区警务队（高优先级）" in summary and "案件办理队（高优先级）" in summary
        assert "high" not in summary and "Community policing" not in summary
        assert [box.text() for box in dialog.extra_teams.values()] == ["社区警务队",
                                                                      "案件办理队"]
        dialog.close()
    panel = app.alerts_ui.panel
    assert [panel.team_filter.itemText(i) for i in range(1, 3)] == ["社区警务队", "案件办理队"]

    # Renamed by the administrator: shown as typed, in every language.
    community = next(t for t in teams if t.key == "community")
    app.alerting.teams.rename_team(SYSTEM, community.id, "城关社区队")
    qtbot.waitUntil(lambda: panel.team_filter.itemText(1) == "城关社区队", timeout=10_000)
    app.alerts_ui.open_teams()
    qtbot.waitUntil(lambda: app.alerts_ui.teams_window is not None, timeout=10_000)
    window = app.alerts_ui.teams_window
    assert window is not None
    assert [window.team.itemText(i) for i in range(2)] == ["城关社区队", "案件办理队"]
    window.close()


@pytest.mark.parametrize(("kind", "config", "stored", "shown"), [
    ("webhook", {"url": "https://qyapi.example/send", "preset": "wecom"}, ("key",),
     "WeCom robot"),
    ("webhook", {"url": "https://oapi.example/robot/send", "preset": "dingtalk"},
     ("access_token", "signing_secret"), "DingTalk robot"),
    ("email", {"host": "mail.example", "port": 465, "security": "ssl", "sender": "a@b.c",
               "to": ["x@b.c", "y@b.c"]}, ("password",), "E-mail (SMTP)"),
    ("mqtt", {"host": "mq.example", "port": 8883, "tls": True,
              "topic_prefix": "station/alerts"}, (), "MQTT"),
])
def test_a_stored_channel_comes_back_into_the_form_as_it_was_saved(
    qtbot: QtBot, kind: str, config: dict[str, object], stored: tuple[str, ...], shown: str
) -> None:
    from commandroom.alerts.team_overview import ChannelView
    from ui.alerts.channel_form import ChannelForm

    form = ChannelForm()
    qtbot.addWidget(form)
    form.show_channel(ChannelView(1, 1, kind, "ch", dict(config), True, stored))
    assert form.type.currentText() == shown
    definition = form.definition()  # secrets left empty: the stored ones are kept
    assert {k: definition[k] for k in config} == config
    for part in stored:
        label = form.secret_label(part)
        assert label != part
    fields = [f for fields in form._secrets.values() for f in fields]
    assert all(f.text() == "" for f in fields)
    assert sum("stored" in f.placeholderText() for f in fields if f.isVisibleTo(form)) \
        == len(stored)
