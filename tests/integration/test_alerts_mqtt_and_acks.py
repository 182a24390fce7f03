"""MQTT alerts through Debian's mosquitto on 127.0.0.1, and acknowledgements by MQTT and
by the signed link served by the app's ack endpoint."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from commandroom.alerts.ack_server import AckHttpServer
from commandroom.alerts.events import AlertAcknowledged, DeliveryChanged
from commandroom.alerts.mqtt_acks import MqttAckListener
from commandroom.auth.permissions import Actor, Role
from commandroom.config import AlertSettings
from commandroom.db.base import utcnow
from tests.support.alert_core import AlertStack, make_stack, member_id, sample_content
from tests.support.receivers import EventWaiter, MqttCollector, free_port, mosquitto

pytestmark = pytest.mark.integration
OFFICER = Actor("wang", Role.DUTY_OFFICER)
ADMIN = Actor("admin", Role.ADMINISTRATOR)
TOPICS = ["commandroom/alerts/community", "commandroom/alerts/case"]


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[int]:
    with mosquitto(tmp_path) as port:
        yield port


@pytest.fixture
def ack_port() -> int:
    return free_port()


@pytest.fixture
def stack(tmp_path: Path, broker: int, ack_port: int) -> Iterator[AlertStack]:
    stack = make_stack(tmp_path / "alerts.db", ack_base_url=f"http://127.0.0.1:{ack_port}")
    for key in ("community", "case"):
        stack.teams.save_channel(
            ADMIN, stack.team_id(key), "mqtt", "mqtt", {"host": "127.0.0.1", "port": broker}
        )
    yield stack
    stack.close()


def _send_and_receive(
    stack: AlertStack, broker: int, tmp_path: Path
) -> tuple[int, dict[str, dict[str, Any]], MqttCollector]:
    collector = MqttCollector(broker, [*TOPICS, "commandroom/alerts/+/ack/result"])
    dispatcher = stack.dispatcher()
    dispatcher.start()
    try:
        alert_id = stack.service.send(OFFICER, 9, sample_content(tmp_path))
        docs = {t.rsplit("/", 1)[1]: collector.wait_for(t)[0] for t in TOPICS}
    finally:
        dispatcher.stop()
    return alert_id, docs, collector


def _ack_by_mqtt(collector: MqttCollector, acked: EventWaiter, alert_id: int,
                 docs: dict[str, dict[str, Any]], team: str, by: str) -> Any:
    """A team's app acknowledges the alert it received; returns the AlertAcknowledged."""
    doc = docs[team]
    collector.publish(f"commandroom/alerts/{team}/ack", {
        "alert_id": alert_id, "idempotency_key": doc["idempotency_key"],
        "by": by, "token": doc["ack"]["token"]})
    [event] = acked.wait_for(lambda ev: len(ev) == 1)
    return event


def test_each_team_gets_the_alert_on_its_topic_with_the_snapshot(
    stack: AlertStack, broker: int, tmp_path: Path
) -> None:
    alert_id, docs, collector = _send_and_receive(stack, broker, tmp_path)
    collector.stop()
    content = sample_content(tmp_path)
    for team, doc in docs.items():
        assert doc["team"]["key"] == team and doc["alert_id"] == alert_id
        snapshot = base64.b64decode(doc["snapshot"]["base64"])
        assert hashlib.sha256(snapshot).hexdigest() == content.snapshot_sha256
        assert doc["ack"]["mqtt_topic"] == f"commandroom/alerts/{team}/ack"
    assert {d.status for d in stack.deliveries()} == {"delivered"}  # PUBACK received


def test_broker_down_means_retry_not_loss(stack: AlertStack, tmp_path: Path) -> None:
    stack.teams.save_channel(
        ADMIN,
        stack.team_id("community"),
        "mqtt",
        "mqtt",
        {"host": "127.0.0.1", "port": free_port()},  # nobody listens there
    )
    waiter = EventWaiter(stack.bus, DeliveryChanged)
    dispatcher = stack.dispatcher()
    dispatcher.start()
    try:
        stack.service.send(OFFICER, 9, sample_content(tmp_path, "fraud_risk"))
        [event, *_] = waiter.wait_for(lambda ev: len(ev) >= 1)
    finally:
        dispatcher.stop()
    assert event.status == "retrying" and "MQTT connection failed" in event.error


def test_ack_by_mqtt_counts_once_and_forgeries_are_refused(
    stack: AlertStack, broker: int, tmp_path: Path
) -> None:
    alert_id, docs, collector = _send_and_receive(stack, broker, tmp_path)
    listener = MqttAckListener(
        stack.sessions, stack.acks, stack.signer, {"host": "127.0.0.1", "port": broker}
    )
    acked = EventWaiter(stack.bus, AlertAcknowledged)
    listener.start()
    try:
        assert listener.ready.wait(10)
        doc = docs["case"]
        ack = {
            "alert_id": alert_id,
            "idempotency_key": doc["idempotency_key"],
            "by": "Sgt Liu",
            "token": doc["ack"]["token"],
        }
        result_topic = "commandroom/alerts/case/ack/result"
        collector.publish("commandroom/alerts/case/ack", {**ack, "token": "forged"})
        collector.publish("commandroom/alerts/community/ack", ack)  # another team's topic
        collector.publish("commandroom/alerts/case/ack", ack)
        collector.publish("commandroom/alerts/case/ack", ack)  # replayed
        results = collector.wait_for(result_topic, 3)
        [event] = acked.wait_for(lambda ev: len(ev) == 1)
        other = collector.wait_for("commandroom/alerts/community/ack/result")
    finally:
        listener.stop()
        collector.stop()
    assert [r["accepted"] for r in results] == [False, True, False]
    assert "does not match" in results[0]["reason"]
    assert "Already acknowledged by Sgt Liu" in results[2]["reason"]
    assert other[0]["accepted"] is False
    assert (event.team_id, event.by, event.how) == (stack.team_id("case"), "Sgt Liu", "mqtt")
    assert event.seconds_from_sighting >= 5  # the sighting's frame was 5 s old
    status = {a.team_id: a.status for a in stack.service.status(alert_id)}
    assert status == {
        stack.team_id("community"): "delivered",
        stack.team_id("case"): "acknowledged",
    }


def test_an_mqtt_ack_naming_someone_off_the_team_list_is_refused(
    stack: AlertStack, broker: int, tmp_path: Path
) -> None:
    """Issue 13 item 6: the MQTT path, too, names a member of the team or nobody."""
    alert_id, docs, collector = _send_and_receive(stack, broker, tmp_path)
    listener = MqttAckListener(
        stack.sessions, stack.acks, stack.signer, {"host": "127.0.0.1", "port": broker}
    )
    acked = EventWaiter(stack.bus, AlertAcknowledged)
    listener.start()
    try:
        assert listener.ready.wait(10)
        doc = docs["case"]
        ack = {"alert_id": alert_id, "idempotency_key": doc["idempotency_key"],
               "token": doc["ack"]["token"]}
        topic, result_topic = "commandroom/alerts/case/ack", "commandroom/alerts/case/ack/result"
        collector.publish(topic, {**ack, "by": "Somebody Else"})
        collector.publish(topic, {**ack, "member_id": member_id(stack, "community", "Li Wei")})
        collector.publish(topic, {**ack, "member_id": member_id(stack, "case", "Wang Fang")})
        results = collector.wait_for(result_topic, 3)
        [event] = acked.wait_for(lambda ev: len(ev) == 1)
    finally:
        listener.stop()
        collector.stop()
    assert [r["accepted"] for r in results] == [False, False, True]
    assert all("not a member" in r["reason"] for r in results[:2])
    assert (event.by, event.how) == ("Wang Fang", "mqtt")


def test_ack_link_works_once_and_refuses_expired_and_forged_links(
    stack: AlertStack, broker: int, ack_port: int, tmp_path: Path
) -> None:
    alert_id, docs, collector = _send_and_receive(stack, broker, tmp_path)
    collector.stop()
    server = AckHttpServer(
        stack.acks, stack.signer, AlertSettings(ack_bind="127.0.0.1", ack_port=ack_port)
    )
    server.start()
    try:
        link = docs["community"]["ack"]["url"]
        assert link.startswith(f"http://127.0.0.1:{ack_port}/ack?t=")
        token = link.split("t=", 1)[1]
        with httpx.Client(timeout=5) as http:
            page = http.get(link)
            assert page.status_code == 200 and "<form" in page.text
            assert not stack.acks.is_acknowledged(alert_id, stack.team_id("community"))
            li_wei = member_id(stack, "community", "Li Wei")
            done = http.post(f"{server.base_url}/ack", data={"t": token, "member": li_wei})
            assert done.status_code == 200 and "Thank you, Li Wei" in done.text
            reused_get = http.get(link)
            reused_post = http.post(f"{server.base_url}/ack", data={"t": token, "member": li_wei})
            expired = stack.signer.link_token(
                alert_id, stack.team_id("case"), utcnow() - timedelta(seconds=1)
            )
            expired_page = http.get(f"{server.base_url}/ack", params={"t": expired})
            forged = docs["case"]["ack"]["url"].split("t=", 1)[1][:-2] + "xx"
            forged_page = http.post(f"{server.base_url}/ack", data={"t": forged, "by": "X"})
    finally:
        server.stop()
    assert reused_get.status_code == 409 and "already been acknowledged" in reused_get.text
    assert reused_post.status_code == 409
    assert expired_page.status_code == 410 and "expired" in expired_page.text
    assert forged_page.status_code == 403 and "not genuine" in forged_page.text
    [ack] = stack.of_type(AlertAcknowledged)
    assert (ack.by, ack.how) == ("Li Wei", "link")
    assert not stack.acks.is_acknowledged(alert_id, stack.team_id("case"))


def test_a_broker_added_during_the_shift_gets_its_ack_listener_at_once(
    tmp_path: Path, broker: int, ack_port: int
) -> None:
    """Session 1 listened only to brokers configured at start; now channels are followed."""
    stack = make_stack(tmp_path / "alerts.db", ack_base_url=f"http://127.0.0.1:{ack_port}")
    teams = stack.teams
    listeners = stack.core.alerting.mqtt_acks  # as the app runs them
    acked = EventWaiter(stack.bus, AlertAcknowledged)
    listeners.start()
    try:
        assert listeners.listeners == []  # no MQTT channel yet
        for key in ("community", "case"):
            teams.save_channel(ADMIN, stack.team_id(key), "mqtt", "mqtt",
                               {"host": "127.0.0.1", "port": broker})
        [listener] = listeners.listeners  # one per broker, not per channel
        assert listener.ready.wait(10)

        alert_id, docs, collector = _send_and_receive(stack, broker, tmp_path)
        try:
            event = _ack_by_mqtt(collector, acked, alert_id, docs, "case", "Sgt Liu")
        finally:
            collector.stop()
        assert (event.team_id, event.how) == (stack.team_id("case"), "mqtt")

        # Both teams move to another broker: the old listener is let go.
        elsewhere = free_port()
        for key in ("community", "case"):
            teams.save_channel(ADMIN, stack.team_id(key), "mqtt", "mqtt",
                               {"host": "127.0.0.1", "port": elsewhere})
        [moved] = listeners.listeners
        assert moved is not listener
    finally:
        listeners.stop()
        stack.close()
    assert listeners.listeners == []


@pytest.fixture
def tls_broker(tmp_path: Path) -> Iterator[tuple[int, int, Path]]:
    """mosquitto with a plain listener (for the test's collector) and a TLS-only one."""
    from tests.support.receivers import self_signed_cert

    cert, key = self_signed_cert(tmp_path)
    tls_port = free_port()
    with mosquitto(tmp_path, tls=(cert, key, tls_port)) as plain_port:
        yield plain_port, tls_port, cert


def test_mqtt_over_tls_delivers_the_alert_and_takes_the_ack(
    tmp_path: Path, tls_broker: tuple[int, int, Path], ack_port: int
) -> None:
    plain_port, tls_port, cert = tls_broker
    stack = make_stack(tmp_path / "alerts.db", ack_base_url=f"http://127.0.0.1:{ack_port}")
    tls = {"host": "127.0.0.1", "port": tls_port, "tls": True, "ca_file": str(cert)}
    try:
        for key in ("community", "case"):
            stack.teams.save_channel(ADMIN, stack.team_id(key), "mqtt", "mqtt", tls)
        alert_id, docs, collector = _send_and_receive(stack, plain_port, tmp_path)
        listener = MqttAckListener(stack.sessions, stack.acks, stack.signer, tls)
        acked = EventWaiter(stack.bus, AlertAcknowledged)
        listener.start()
        try:
            assert listener.ready.wait(10)
            event = _ack_by_mqtt(collector, acked, alert_id, docs, "community", "PC Zhao")
        finally:
            listener.stop()
            collector.stop()
        assert (event.team_id, event.how) == (stack.team_id("community"), "mqtt")
        status = {a.team_id: a.status for a in stack.service.status(alert_id)}
        assert status == {stack.team_id("community"): "acknowledged",
                          stack.team_id("case"): "delivered"}
    finally:
        stack.close()


def test_an_untrusted_broker_certificate_fails_at_once_and_says_why(
    tmp_path: Path, tls_broker: tuple[int, int, Path]
) -> None:
    _plain_port, tls_port, _cert = tls_broker
    stack = make_stack(tmp_path / "alerts.db")
    try:
        stack.teams.save_channel(ADMIN, stack.team_id("case"), "mqtt", "mqtt",
                                 {"host": "127.0.0.1", "port": tls_port, "tls": True})
        waiter = EventWaiter(stack.bus, DeliveryChanged)
        dispatcher = stack.dispatcher()
        dispatcher.start()
        try:
            stack.service.send(OFFICER, 9, sample_content(tmp_path))
            [failed] = waiter.wait_for(
                lambda ev: [e for e in ev if e.status == "failed"] or None)
        finally:
            dispatcher.stop()
    finally:
        stack.close()
    assert failed.error.startswith("TLS certificate not trusted")
    assert [d.attempts for d in stack.deliveries() if d.status == "failed"] == [1]
