from __future__ import annotations

import random
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from commandroom.alerts.channels.base import DeliveryError, OutboundMessage
from commandroom.alerts.dispatcher import RetryPolicy
from commandroom.alerts.events import DeliveryChanged
from commandroom.alerts.models import AlertRecipientRow, AlertRow, DeliveryAttemptRow
from tests.support.alert_core import AlertStack, FakeClock, sample_content
from tests.unit.alerts.conftest import ADMIN, OFFICER


class ScriptedSender:
    """Answers with the scripted outcomes in turn (None = success), then succeeds."""

    def __init__(self, *outcomes: DeliveryError | None) -> None:
        self.outcomes = list(outcomes)
        self.sent: list[OutboundMessage] = []
        self.secrets: list[dict[str, Any]] = []
        self.called = threading.Event()

    def send(
        self, message: OutboundMessage, config: dict[str, Any], secret: dict[str, Any]
    ) -> None:
        self.sent.append(message)
        self.secrets.append(secret)
        self.called.set()
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome

    def close(self) -> None:
        pass


def _one_channel(stack: AlertStack, kind: str = "webhook") -> int:
    definition = {"url": "http://127.0.0.1:9/x", "signing_secret": "abc"}
    if kind == "email":
        definition = {"host": "127.0.0.1", "to": ["x@y.z"], "password": "pw"}
    return stack.teams.save_channel(
        ADMIN, stack.team_id("community"), kind, "only", definition
    )


def test_backoff_grows_is_capped_and_jittered() -> None:
    policy = RetryPolicy(base_s=2, cap_s=60, jitter=0.5)
    rng = random.Random(1)
    delays = [policy.delay(n, rng) for n in range(1, 10)]
    for n, delay in enumerate(delays, start=1):
        raw = min(60, 2 * 2 ** (n - 1))
        assert raw * 0.5 <= delay <= raw
    assert max(delays) <= 60


def test_transient_error_is_retried_then_delivered(
    stack: AlertStack, tmp_path: Path, clock: FakeClock
) -> None:
    _one_channel(stack)
    sender = ScriptedSender(DeliveryError("HTTP 503", transient=True))
    dispatcher = stack.dispatcher(senders={"webhook": sender}, retry=RetryPolicy(base_s=10))
    alert_id = stack.service.send(OFFICER, 1, sample_content(tmp_path, "fraud_risk"))
    dispatcher.run_once()
    [delivery] = stack.deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("retrying", 1, "HTTP 503")
    assert clock() + timedelta(seconds=5) <= delivery.next_try <= clock() + timedelta(seconds=10)
    assert sender.secrets == [{"signing_secret": "abc"}]  # resolved from the secret store

    dispatcher.run_once()  # not due yet
    assert len(sender.sent) == 1
    clock.advance(seconds=10)
    dispatcher.run_once()
    [delivery] = stack.deliveries()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert sender.sent[0].idempotency_key == sender.sent[1].idempotency_key
    with stack.sessions() as session:
        attempts = session.scalars(select(DeliveryAttemptRow)).all()
        assert [(a.outcome, a.error) for a in attempts] == [("transient", "HTTP 503"), ("ok", "")]
        assert session.get_one(AlertRow, alert_id).status == "delivered"
    assert [e.status for e in stack.of_type(DeliveryChanged)] == ["retrying", "delivered"]
    dispatcher.stop()


def test_permanent_error_fails_at_once_with_the_reason(
    stack: AlertStack, tmp_path: Path, clock: FakeClock
) -> None:
    _one_channel(stack)
    sender = ScriptedSender(DeliveryError("HTTP 400: bad field", transient=False))
    dispatcher = stack.dispatcher(senders={"webhook": sender}, escalation=None)
    stack.service.send(OFFICER, 1, sample_content(tmp_path, "fraud_risk"))
    dispatcher.run_once()
    clock.advance(hours=1)
    dispatcher.run_once()
    [delivery] = stack.deliveries()
    assert (delivery.status, delivery.last_error, len(sender.sent)) == (
        "failed",
        "HTTP 400: bad field",
        1,
    )
    with stack.sessions() as session:
        assert session.scalars(select(AlertRecipientRow.status)).all() == ["failed"]
    dispatcher.stop()


def test_transient_errors_are_not_retried_forever(
    stack: AlertStack, tmp_path: Path, clock: FakeClock
) -> None:
    _one_channel(stack)
    sender = ScriptedSender(*[DeliveryError("timeout", transient=True)] * 5)
    dispatcher = stack.dispatcher(
        senders={"webhook": sender}, retry=RetryPolicy(base_s=1, max_attempts=3)
    )
    stack.service.send(OFFICER, 1, sample_content(tmp_path, "fraud_risk"))
    for _ in range(6):
        dispatcher.run_once()
        clock.advance(seconds=10)
    [delivery] = stack.deliveries()
    assert delivery.status == "failed" and len(sender.sent) == 3
    assert delivery.last_error == "gave up after 3 attempts: timeout"
    dispatcher.stop()


def test_email_counts_as_sent_and_a_missing_secret_fails(stack: AlertStack, tmp_path: Path) -> None:
    _one_channel(stack, "email")
    sender = ScriptedSender()
    dispatcher = stack.dispatcher(senders={"email": sender})
    stack.service.send(OFFICER, 1, sample_content(tmp_path, "fraud_risk"))
    dispatcher.run_once()
    assert stack.deliveries()[0].status == "sent"
    stack.secrets.delete(_ref(stack))
    stack.service.send(OFFICER, 2, sample_content(tmp_path, "fraud_risk"))
    dispatcher.run_once()
    assert stack.deliveries()[1].status == "failed"
    assert "missing from the store" in stack.deliveries()[1].last_error
    dispatcher.stop()


def _ref(stack: AlertStack) -> str:
    from commandroom.alerts.models import TeamChannelRow

    with stack.sessions() as session:
        return session.scalars(select(TeamChannelRow.secret_ref)).one()


def test_worker_thread_wakes_on_new_alerts_and_picks_up_old_ones(
    stack: AlertStack, tmp_path: Path
) -> None:
    _one_channel(stack)
    # Written while no dispatcher ran (as before a crash): picked up on start.
    stack.service.send(OFFICER, 1, sample_content(tmp_path, "fraud_risk"))
    sender = ScriptedSender()
    dispatcher = stack.dispatcher(senders={"webhook": sender})
    delivered = threading.Event()
    stack.bus.subscribe(
        DeliveryChanged, lambda e: delivered.set() if e.status == "delivered" else None
    )
    dispatcher.start()
    try:
        assert delivered.wait(5)
        delivered.clear()
        stack.service.send(OFFICER, 2, sample_content(tmp_path, "fraud_risk"))
        assert delivered.wait(5)  # woken by AlertCreated, not by a polling interval
    finally:
        dispatcher.stop()
    assert [m.alert_id for m in sender.sent] == [1, 2]
