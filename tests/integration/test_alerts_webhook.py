"""Signed webhooks against a real HTTP receiver on 127.0.0.1, sent by the real dispatcher."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from commandroom.alerts.events import DeliveryChanged
from commandroom.alerts.models import AlertRecipientRow, DeliveryAttemptRow
from commandroom.alerts.signing import webhook_signature
from commandroom.auth.permissions import Actor, Role
from tests.support.alert_core import AlertStack, make_stack, sample_content
from tests.support.receivers import EventWaiter, WebhookReceiver

pytestmark = pytest.mark.integration
OFFICER = Actor("wang", Role.DUTY_OFFICER)
SECRET = "hook-secret-123"


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    rx = WebhookReceiver(secret=SECRET)
    yield rx
    rx.stop()


@pytest.fixture
def stack(tmp_path: Path, receiver: WebhookReceiver) -> Iterator[AlertStack]:
    stack = make_stack(tmp_path / "alerts.db")
    for key in ("community", "case"):
        stack.teams.save_channel(
            OFFICER.__class__("admin", Role.ADMINISTRATOR),
            stack.team_id(key),
            "webhook",
            "hook",
            {"url": receiver.url, "signing_secret": SECRET},
        )
    yield stack
    stack.close()


def _run(stack: AlertStack) -> Any:
    dispatcher = stack.dispatcher()
    dispatcher.start()
    return dispatcher


def test_both_teams_get_a_signed_alert_with_the_snapshot(
    stack: AlertStack, receiver: WebhookReceiver, tmp_path: Path
) -> None:
    receiver.start()
    dispatcher = _run(stack)
    try:
        content = sample_content(tmp_path)
        alert_id = stack.service.send(OFFICER, 5, content, extra_line="Armed?")
        receiver.wait_for(lambda rx: len(rx.delivered) == 2)
    finally:
        dispatcher.stop()
    assert receiver.rejected == [] and receiver.duplicates == {}
    teams = set()
    for key, request in receiver.delivered.items():
        doc = request.json()
        assert key == doc["idempotency_key"] and key.startswith(f"{alert_id}:")
        snapshot = base64.b64decode(doc["snapshot"]["base64"])
        assert hashlib.sha256(snapshot).hexdigest() == content.snapshot_sha256
        assert doc["priority"] == "high" and doc["content"]["name"] == "Zhang San"
        assert "Armed?" in doc["text"] and doc["ack"]["url"].startswith("http://127.0.0.1")
        # nothing of the console's disk leaves the station: the snapshot goes by name
        assert str(tmp_path) not in request.body.decode("utf-8")
        assert not {"snapshot_path", "photo_path"} & set(doc["content"])
        assert doc["snapshot"]["name"] == Path(content.snapshot_path).name
        teams.add(doc["team"]["key"])
    assert teams == {"community", "case"}
    with stack.sessions() as session:
        assert set(session.scalars(select(AlertRecipientRow.status)).all()) == {"delivered"}


def test_receiver_down_for_a_while_gets_each_alert_once(
    stack: AlertStack, receiver: WebhookReceiver, tmp_path: Path
) -> None:
    waiter = EventWaiter(stack.bus, DeliveryChanged)
    dispatcher = _run(stack)
    try:
        stack.service.send(OFFICER, 5, sample_content(tmp_path))
        # Connection refused, retried with backoff: at least two rounds of failures.
        waiter.wait_for(lambda ev: waiter.count("retrying")(ev) >= 4)
        receiver.start()
        waiter.wait_for(lambda ev: waiter.count("delivered")(ev) == 2)
    finally:
        dispatcher.stop()
    assert len(receiver.delivered) == 2 and receiver.duplicates == {}
    with stack.sessions() as session:
        errors = session.scalars(select(DeliveryAttemptRow.error)).all()
    assert any("connection failed" in e for e in errors)


def test_server_error_is_retried_until_it_succeeds(
    stack: AlertStack, receiver: WebhookReceiver, tmp_path: Path
) -> None:
    receiver.mode = "500"
    receiver.start()
    waiter = EventWaiter(stack.bus, DeliveryChanged)
    dispatcher = _run(stack)
    try:
        stack.service.send(OFFICER, 5, sample_content(tmp_path))
        receiver.wait_for(lambda rx: rx.hits >= 4)
        receiver.mode = "ok"
        waiter.wait_for(lambda ev: waiter.count("delivered")(ev) == 2)
    finally:
        dispatcher.stop()
    with stack.sessions() as session:
        outcomes = session.scalars(select(DeliveryAttemptRow.outcome)).all()
        errors = set(session.scalars(select(DeliveryAttemptRow.error)).all())
    assert outcomes.count("transient") >= 2 and outcomes.count("ok") == 2
    assert "HTTP 500" in errors


def test_client_error_fails_with_the_reason_and_is_not_retried(
    stack: AlertStack, receiver: WebhookReceiver, tmp_path: Path
) -> None:
    receiver.mode = "400"
    receiver.start()
    waiter = EventWaiter(stack.bus, DeliveryChanged)
    dispatcher = _run(stack)
    try:
        stack.service.send(OFFICER, 5, sample_content(tmp_path))
        waiter.wait_for(lambda ev: waiter.count("failed")(ev) == 2)
    finally:
        dispatcher.stop()
    assert receiver.hits == 2
    assert {d.last_error for d in stack.deliveries()} == {"HTTP 400: malformed alert"}
    with stack.sessions() as session:
        assert set(session.scalars(select(AlertRecipientRow.status)).all()) == {"failed"}


def test_forged_and_replayed_requests_are_refused(receiver: WebhookReceiver) -> None:
    receiver.start()
    body = json.dumps({"alert_id": 1}).encode()
    now = str(int(time.time()))
    old = str(int(time.time()) - 600)

    def post(ts: str, signature: str, key: str) -> int:
        headers = {
            "X-Commandroom-Timestamp": ts,
            "X-Commandroom-Signature": signature,
            "X-Idempotency-Key": key,
        }
        return httpx.post(receiver.url, content=body, headers=headers, timeout=5).status_code

    assert post(now, webhook_signature("wrong-secret", now, body), "k1") == 401  # forged
    assert post(old, webhook_signature(SECRET, old, body), "k2") == 401  # replay, old
    assert post(now, webhook_signature(SECRET, old, body), "k3") == 401  # re-dated replay
    assert post(now, webhook_signature(SECRET, now, body), "k4") == 200
    assert receiver.rejected == ["bad signature", "stale or missing timestamp", "bad signature"]
    assert list(receiver.delivered) == ["k4"]


def test_wecom_and_dingtalk_presets(tmp_path: Path, receiver: WebhookReceiver) -> None:
    receiver.start()
    stack = make_stack(tmp_path / "presets.db")
    admin = Actor("admin", Role.ADMINISTRATOR)
    base = f"http://127.0.0.1:{receiver.port}"
    stack.teams.save_channel(
        admin,
        stack.team_id("community"),
        "webhook",
        "wecom",
        {"url": f"{base}/wecom?key={SECRET}", "preset": "wecom"},
    )
    stack.teams.save_channel(
        admin,
        stack.team_id("case"),
        "webhook",
        "dingtalk",
        {
            "url": f"{base}/dingtalk?access_token=TOKEN",
            "preset": "dingtalk",
            "signing_secret": SECRET,
        },
    )
    dispatcher = _run(stack)
    try:
        stack.service.send(OFFICER, 5, sample_content(tmp_path))
        receiver.wait_for(lambda rx: len(rx.delivered) == 3)  # WeCom: text, then picture
    finally:
        dispatcher.stop()
        stack.close()
    assert receiver.duplicates == {}
    by_path = {r.path: r for r in receiver.delivered.values() if r.json()["msgtype"] != "image"}
    wecom, ding = by_path["/wecom"].json(), by_path["/dingtalk"].json()
    assert wecom["msgtype"] == "markdown" and "Zhang San" in wecom["markdown"]["content"]
    assert ding["msgtype"] == "markdown"
    assert ding["markdown"]["title"] == "紧急 URGENT 通缉 wanted: Zhang San"
    assert by_path["/dingtalk"].query["access_token"] == "TOKEN"
    assert receiver.rejected == []
