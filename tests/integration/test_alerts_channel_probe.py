""""Send test message" from the Teams window: a real message through each kind of channel
to a receiver on 127.0.0.1, and the platform's answer as it came (issue 12 item 5)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from commandroom.alerts.channel_probe import ChannelProbe
from commandroom.auth.permissions import Actor, PermissionDenied, Role
from tests.support.alert_core import AlertStack, make_stack
from tests.support.receivers import (
    MqttCollector,
    SmtpReceiver,
    WebhookReceiver,
    free_port,
    mosquitto,
)

pytestmark = pytest.mark.integration
ADMIN = Actor("admin", Role.ADMINISTRATOR)
SECRET = "robot-secret-789"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[AlertStack]:
    stack = make_stack(tmp_path / "alerts.db")
    yield stack
    stack.close()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    rx = WebhookReceiver(secret=SECRET).start()
    yield rx
    rx.stop()


def _probe(stack: AlertStack) -> ChannelProbe:
    return ChannelProbe(stack.sessions, stack.secrets, stack.audit)


def test_a_wecom_robot_answers_errcode_0_ok(stack: AlertStack, receiver: WebhookReceiver
                                           ) -> None:
    channel = stack.teams.save_channel(
        ADMIN, stack.team_id("case"), "webhook", "WeCom",
        {"url": f"http://127.0.0.1:{receiver.port}/wecom?key={SECRET}", "preset": "wecom"})
    answer = _probe(stack).send_test(ADMIN, channel)
    assert (answer.ok, answer.http_status, answer.errcode, answer.errmsg) == (True, 200, 0, "ok")
    [request] = receiver.delivered.values()
    text = request.json()["markdown"]["content"]
    assert "测试消息 Test message" in text and "案件办理队 Case handling" in text
    assert "无需处置" in text and "no action is needed" in text
    assert SECRET not in answer.target  # the key stays out of what the window shows
    assert "team.channel.test" in stack.audit.actions()


def test_a_refused_robot_shows_its_status_errcode_and_errmsg(
    stack: AlertStack, receiver: WebhookReceiver
) -> None:
    channel = stack.teams.save_channel(
        ADMIN, stack.team_id("case"), "webhook", "WeCom",
        {"url": f"http://127.0.0.1:{receiver.port}/wecom?key=WRONG-KEY", "preset": "wecom"})
    answer = _probe(stack).send_test(ADMIN, channel)
    assert not answer.ok and answer.http_status == 401
    assert (answer.errcode, answer.errmsg) == (310000, "bad wecom key")
    assert answer.error.startswith("HTTP 401") and "WRONG-KEY" not in answer.error


def test_a_signed_generic_webhook_and_a_dingtalk_robot(stack: AlertStack,
                                                       receiver: WebhookReceiver) -> None:
    community = stack.team_id("community")
    generic = stack.teams.save_channel(ADMIN, community, "webhook", "hook",
                                       {"url": receiver.url, "signing_secret": SECRET})
    ding = stack.teams.save_channel(ADMIN, community, "webhook", "DingTalk", {
        "url": f"http://127.0.0.1:{receiver.port}/dingtalk?access_token=T1",
        "preset": "dingtalk", "signing_secret": SECRET})
    probe = _probe(stack)
    first, second = probe.send_test(ADMIN, generic), probe.send_test(ADMIN, ding)
    assert receiver.rejected == []  # both signatures checked out
    assert (first.ok, first.http_status) == (True, 200)
    assert (second.ok, second.errcode, second.errmsg) == (True, 0, "ok")
    docs = [r.json() for r in receiver.delivered.values()]
    assert docs[0]["type"] == "commandroom.test"


def test_nobody_listening_is_said_plainly(stack: AlertStack) -> None:
    channel = stack.teams.save_channel(ADMIN, stack.team_id("case"), "webhook", "hook",
                                       {"url": f"http://127.0.0.1:{free_port()}/hook"})
    answer = _probe(stack).send_test(ADMIN, channel)
    assert not answer.ok and answer.http_status is None and answer.transient
    assert answer.error_code == "connection_failed"
    assert answer.error_params["errno"] == "ECONNREFUSED"


def test_smtp_relay_accepts_the_test_mail(stack: AlertStack) -> None:
    smtp = SmtpReceiver().start()
    try:
        channel = stack.teams.save_channel(ADMIN, stack.team_id("case"), "email", "Duty mail", {
            "host": "127.0.0.1", "port": smtp.port, "security": "none",
            "sender": "room@station.example", "to": ["case@station.example"]})
        answer = _probe(stack).send_test(ADMIN, channel)
        smtp.wait_for_count(1)
    finally:
        smtp.stop()
    assert answer.ok and answer.target == f"127.0.0.1:{smtp.port} → case@station.example"
    assert "测试消息 Test message" in str(smtp.messages[0]["Subject"])


def test_mqtt_broker_acknowledges_the_test(stack: AlertStack, tmp_path: Path) -> None:
    with mosquitto(tmp_path) as port:
        collector = MqttCollector(port, ["commandroom/alerts/community"])
        try:
            channel = stack.teams.save_channel(ADMIN, stack.team_id("community"), "mqtt",
                                               "MQTT", {"host": "127.0.0.1", "port": port})
            answer = _probe(stack).send_test(ADMIN, channel)
            [doc] = collector.wait_for("commandroom/alerts/community")
        finally:
            collector.stop()
    assert answer.ok and answer.target.endswith("commandroom/alerts/community")
    assert doc["type"] == "commandroom.test"


def test_only_the_administrator_sends_tests(stack: AlertStack) -> None:
    with pytest.raises(PermissionDenied):
        _probe(stack).send_test(Actor("sup", Role.SUPERVISOR), 1)
