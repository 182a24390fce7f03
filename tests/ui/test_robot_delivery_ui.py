"""The console words what the core reports as codes: a DingTalk refusal caused by the PC's
clock names the minutes (in English and Chinese), and the status bar shows the clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from commandroom.alerts.board import AlertBoard
from commandroom.auth.permissions import Actor, Role
from commandroom.clock_health import ClockHealth, ClockHealthChanged
from tests.support.alert_core import AlertStack, FakeClock, make_stack, sample_content
from tests.support.robot_emulators import DingTalkRobot
from ui.alerts.delivery_texts import clock_text, delivery_error_text
from ui.alerts.install import ClockLabel
from ui.alerts.panel import AlertPanel

OFFICER = Actor("wang", Role.DUTY_OFFICER)
ADMIN = Actor("admin", Role.ADMINISTRATOR)
QM = Path(__file__).resolve().parents[2] / "resources/translations/commandroom_zh_CN.qm"


@pytest.fixture
def chinese() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translator = QTranslator()
    assert translator.load(str(QM))
    app.installTranslator(translator)
    yield
    app.removeTranslator(translator)


@pytest.fixture
def refused(tmp_path: Path) -> Iterator[tuple[AlertStack, ClockHealth]]:
    """One alert whose DingTalk delivery was refused: the platform's clock is 90 min
    ahead of the PC's."""
    clock = FakeClock(datetime.now(UTC))
    stack = make_stack(tmp_path / "ui.db", clock=clock)
    robot = DingTalkRobot(clock=lambda: clock() + timedelta(minutes=90)).start()
    health = ClockHealth(stack.bus, clock)
    try:
        stack.teams.save_channel(ADMIN, stack.team_id("community"), "webhook", "dingtalk",
                                 {"url": robot.url, "preset": "dingtalk",
                                  "signing_secret": robot.secret})
        stack.service.send(OFFICER, 5, sample_content(tmp_path, "missing_person"))
        stack.dispatcher(clock_health=health).run_once()
    finally:
        robot.stop()
    yield stack, health
    stack.close()


def _channel_text(qtbot: QtBot, stack: AlertStack) -> str:
    panel = AlertPanel(AlertBoard(stack.sessions), stack.service, lambda: OFFICER)
    qtbot.addWidget(panel)
    # The panel reads the board off the GUI thread; the rows follow.
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() > 0)
    top = panel.tree.topLevelItem(0)
    assert top is not None and top.childCount() == 1
    child = top.child(0)
    assert child is not None
    return child.text(3)


def test_panel_says_the_pcs_clock_is_90_minutes_behind(
    qtbot: QtBot, refused: tuple[AlertStack, ClockHealth]
) -> None:
    stack, _health = refused
    assert _channel_text(qtbot, stack) == (
        "webhook:retrying (DingTalk refused the signature: the PC's clock is 90 min behind. "
        "Set the clock right; the alert is retried.)")


def test_in_chinese_too(
    qtbot: QtBot, refused: tuple[AlertStack, ClockHealth], chinese: None
) -> None:
    stack, health = refused
    text = _channel_text(qtbot, stack)
    assert "钉钉" in text and "90 分钟" in text and "DingTalk" not in text
    assert clock_text(health.current()) == "时钟偏差 90 分钟"


def test_status_bar_clock_follows_the_measurements(
    qtbot: QtBot, refused: tuple[AlertStack, ClockHealth]
) -> None:
    stack, health = refused
    label = ClockLabel(health.current())
    qtbot.addWidget(label)
    assert label.text() == "Clock 90 min off" and "behind" in label.toolTip()
    stack.bus.subscribe(ClockHealthChanged, lambda e: label.show_reading(e.reading))
    health.record("webhook 127.0.0.1", 2.0)  # the same robot, after the clock was set
    assert label.text() == "Clock OK"


def test_unknown_code_falls_back_to_the_technical_text() -> None:
    assert delivery_error_text("", {}, "SMTP 451: try later") == "SMTP 451: try later"
    assert delivery_error_text("robot_too_long", {"platform": "wecom", "errcode": 40058,
                                                  "limit": 4096}, "") == (
        "WeCom refused the message as longer than 4096 bytes (error 40058)")


def test_a_refused_connection_is_worded_not_quoted_from_the_os(qtbot: QtBot,
                                                               chinese: None) -> None:
    """Before: "could not connect to the receiver ([Errno 111] Connection refused)", the
    OS's English inside a Chinese sentence."""
    import socket

    import httpx

    from commandroom.alerts.channels.base import connection_failed

    with socket.socket() as closed:  # a port on 127.0.0.1 that nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    try:
        httpx.post(f"http://127.0.0.1:{port}/hook", content=b"{}", timeout=2)
    except httpx.TransportError as exc:
        error = connection_failed(exc, "HTTP")
    assert error.code == "connection_failed" and error.params["errno"] == "ECONNREFUSED"
    text = delivery_error_text(error.code, error.params, error.reason)
    assert text == "无法连接接收方：该地址无服务接受连接"
    unresolved = connection_failed(socket.gaierror(-2, "Name or service not known"), "SMTP")
    assert delivery_error_text(unresolved.code, unresolved.params, "") == \
        "无法连接接收方：无法解析接收方的域名"
