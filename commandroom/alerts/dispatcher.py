"""The outbox worker: one thread sends due deliveries, records every attempt, retries
transient failures with capped exponential backoff and jitter, and runs escalations.

Restart-safe by construction: a delivery stays queued/retrying in the database until a
send has succeeded or failed for good, so whatever was written before a crash is picked
up on start. A crash between a receiver accepting a message and us recording it means
one more send with the same idempotency key, which receivers drop (at-least-once).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.channels.base import (
    ChannelSender,
    DeliveryError,
    DeliveryWarning,
    ErrorParams,
    OutboundMessage,
    SendDeferred,
)
from commandroom.alerts.channels.mqtt_publish import MqttSender
from commandroom.alerts.channels.smtp_mail import EmailSender
from commandroom.alerts.channels.webhook import WebhookSender
from commandroom.alerts.escalation import EscalationMonitor
from commandroom.alerts.events import AlertCreated, AlertEscalated, DeliveryChanged
from commandroom.alerts.messages import MessageComposer
from commandroom.alerts.models import (
    AlertRecipientRow,
    AlertRow,
    DeliveryAttemptRow,
    DeliveryRow,
    TeamChannelRow,
    TeamRow,
)
from commandroom.alerts.pacing import RobotPacer
from commandroom.alerts.status import refresh
from commandroom.clock_health import ClockHealth
from commandroom.db.base import utcnow
from commandroom.events import EventBus
from commandroom.redact import redact_text
from commandroom.secrets.store import SecretStore

log = logging.getLogger(__name__)

PENDING = ("queued", "retrying")
MAX_IDLE_WAIT_S = 60.0


@dataclass(frozen=True)
class RetryPolicy:
    base_s: float = 2.0
    cap_s: float = 300.0
    max_attempts: int = 10  # ~25 minutes of trying with the defaults, then "failed"
    jitter: float = 0.5  # the delay is scaled by a random factor in [1 - jitter, 1]

    def delay(self, attempt: int, rng: random.Random) -> float:
        raw = min(self.cap_s, self.base_s * (2 ** max(0, attempt - 1)))
        return float(raw * (1.0 - self.jitter * rng.random()))


def default_senders(
    clock: Callable[[], datetime] = utcnow, clock_health: ClockHealth | None = None
) -> dict[str, ChannelSender]:
    webhook = WebhookSender(clock=clock, pacer=RobotPacer(clock), clock_health=clock_health)
    return {"webhook": webhook, "email": EmailSender(), "mqtt": MqttSender()}


@dataclasses.dataclass(frozen=True)
class _Outcome:
    """What one send came to, as the outbox records it."""

    error: DeliveryError | None = None
    deferred: SendDeferred | None = None
    warning: DeliveryWarning | None = None

    @property
    def code(self) -> str:
        problem = self.error or self.deferred or self.warning
        return problem.code if problem else ""

    @property
    def params(self) -> ErrorParams:
        problem = self.error or self.deferred or self.warning
        return problem.params if problem else {}

    @property
    def reason(self) -> str:
        problem = self.error or self.deferred or self.warning
        return redact_text(problem.reason)[:1000] if problem else ""


class Dispatcher:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        secrets: SecretStore,
        bus: EventBus,
        composer: MessageComposer,
        *,
        escalation: EscalationMonitor | None = None,
        senders: dict[str, ChannelSender] | None = None,
        retry: RetryPolicy | None = None,
        clock: Callable[[], datetime] = utcnow,
        batch_size: int = 50,
        rng: random.Random | None = None,
        clock_health: ClockHealth | None = None,
    ) -> None:
        self._sessions = sessions
        self._secrets = secrets
        self._bus = bus
        self._composer = composer
        self._escalation = escalation
        self._senders = senders if senders is not None else default_senders(clock, clock_health)
        self.retry = retry or RetryPolicy()
        self._clock = clock
        self._batch = batch_size
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: list[Callable[[], None]] = []

    # -- life cycle -------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("dispatcher already started")
        self._unsubscribe = [
            self._bus.subscribe(AlertCreated, lambda _e: self.wake()),
            self._bus.subscribe(AlertEscalated, lambda _e: self.wake()),
        ]
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="alert-dispatcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("alert dispatcher did not stop within %.0f s", timeout)
            self._thread = None
        for sender in self._senders.values():
            sender.close()

    def wake(self) -> None:
        """New outbox rows were written, or the clock moved: look again now."""
        self._wake.set()

    def _run(self) -> None:
        log.info("alert dispatcher started")
        while not self._stopping.is_set():
            self._wake.clear()  # before looking, so a wake during the pass is not lost
            try:
                busy = self.run_once()
                timeout = 0.0 if busy else self._seconds_until_next_due()
            except Exception:  # a database hiccup must not kill the worker
                log.exception("alert dispatcher pass failed")
                timeout = 1.0
            if timeout > 0:
                self._wake.wait(timeout)
        log.info("alert dispatcher stopped")

    # -- one pass ---------------------------------------------------------------------
    def run_once(self) -> bool:
        """Escalate what is due and send one batch. True if a full batch was sent (more
        may be waiting)."""
        now = self._clock()
        if self._escalation is not None:
            self._escalation.check(now)
        with self._sessions() as session:
            due = session.scalars(
                select(DeliveryRow.id)
                .where(DeliveryRow.status.in_(PENDING), DeliveryRow.next_try <= now)
                .order_by(DeliveryRow.next_try, DeliveryRow.id)
                .limit(self._batch)
            ).all()
        for delivery_id in due:
            if self._stopping.is_set():
                return False
            self.process(delivery_id)
        return len(due) == self._batch

    def _seconds_until_next_due(self) -> float:
        with self._sessions() as session:
            next_try = session.scalar(
                select(func.min(DeliveryRow.next_try)).where(DeliveryRow.status.in_(PENDING))
            )
        candidates = [t for t in (next_try, self._next_escalation()) if t is not None]
        if not candidates:
            return MAX_IDLE_WAIT_S
        seconds = (min(candidates) - self._clock()).total_seconds()
        return min(MAX_IDLE_WAIT_S, max(0.0, seconds))

    def _next_escalation(self) -> datetime | None:
        return self._escalation.next_deadline() if self._escalation is not None else None

    def process(self, delivery_id: int) -> str:
        """Send one delivery if it is still pending; returns its new status."""
        now = self._clock()
        with self._sessions() as session:
            # One joined read: this runs per message, and every round trip shows in latency.
            row = session.execute(
                select(DeliveryRow, TeamChannelRow, TeamRow, AlertRow)
                .join(TeamChannelRow, TeamChannelRow.id == DeliveryRow.channel_id)
                .join(AlertRecipientRow, AlertRecipientRow.id == DeliveryRow.recipient_id)
                .join(TeamRow, TeamRow.id == AlertRecipientRow.team_id)
                .join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
                .where(DeliveryRow.id == delivery_id)
            ).one_or_none()
            if row is None or row[0].status not in PENDING:
                return row[0].status if row else "missing"
            delivery, channel, team, alert = row
            message = self._composer.compose(
                alert, team, channel, delivery.idempotency_key, delivery.round, now
            )
            message = dataclasses.replace(message, parts_sent=delivery.parts_sent)
            kind, config_text, secret_ref = channel.kind, channel.config, channel.secret_ref
            team_id = team.id
        started = time.monotonic()
        outcome = self._send(kind, message, config_text, secret_ref)
        elapsed_ms = int((time.monotonic() - started) * 1000)
        if outcome.deferred is not None:
            return self._defer(delivery_id, team_id, outcome, elapsed_ms)
        return self._record(delivery_id, team_id, kind, outcome, elapsed_ms)

    def _send(
        self, kind: str, message: OutboundMessage, config_text: str, secret_ref: str
    ) -> _Outcome:
        try:
            sender = self._senders.get(kind)
            if sender is None:
                raise DeliveryError(f"no sender for channel kind {kind!r}", transient=False,
                                    code="no_sender", params={"kind": kind})
            warning = sender.send(message, json.loads(config_text), self._secret(secret_ref))
        except SendDeferred as exc:
            return _Outcome(deferred=exc)
        except DeliveryError as exc:
            return _Outcome(error=exc)
        except Exception as exc:  # a bug in a sender: retried, but never forever
            log.exception("alert channel %s crashed", kind)
            return _Outcome(error=DeliveryError(
                f"internal error: {type(exc).__name__}", transient=True, code="internal_error",
                params={"exception": type(exc).__name__}))
        return _Outcome(warning=warning if isinstance(warning, DeliveryWarning) else None)

    def _defer(self, delivery_id: int, team_id: int, outcome: _Outcome, elapsed_ms: int) -> str:
        """The receiver's rate limit: wait for the robot's turn without spending an
        attempt. A "too fast" answer is kept in the history; our own pacing is not (no
        request went out)."""
        deferred = outcome.deferred
        assert deferred is not None
        now = self._clock()
        with self._sessions.begin() as session:
            delivery = session.get_one(DeliveryRow, delivery_id)
            delivery.next_try = now + timedelta(seconds=deferred.wait_s)
            delivery.parts_sent = max(delivery.parts_sent, deferred.parts_sent)
            delivery.error_code = outcome.code
            delivery.error_params = json.dumps(outcome.params)
            if deferred.called:
                session.add(DeliveryAttemptRow(delivery_id=delivery_id, at=now,
                                               outcome="deferred", error=outcome.reason,
                                               duration_ms=elapsed_ms))
                delivery.last_error = outcome.reason
            status, alert_id, channel_id = delivery.status, delivery.alert_id, delivery.channel_id
            last_error = delivery.last_error
        log.info("alert %s delivery %s waits %.0f s: %s", alert_id, delivery_id,
                 deferred.wait_s, outcome.reason)
        if deferred.called:
            self._bus.publish(
                DeliveryChanged(delivery_id, alert_id, team_id, channel_id, status, last_error)
            )
        return status

    def _secret(self, ref: str) -> dict[str, Any]:
        if not ref:
            return {}
        raw = self._secrets.get(ref)
        if raw is None:
            raise DeliveryError(f"secret {ref!r} is missing from the store", transient=False)
        value: dict[str, Any] = json.loads(raw)
        return value

    def _record(
        self,
        delivery_id: int,
        team_id: int,
        kind: str,
        outcome: _Outcome,
        elapsed_ms: int,
    ) -> str:
        now = self._clock()
        error = outcome.error
        reason = outcome.reason
        with self._sessions.begin() as session:
            delivery = session.get_one(DeliveryRow, delivery_id)
            delivery.attempts += 1
            delivery.error_code = outcome.code
            delivery.error_params = json.dumps(outcome.params)
            if error is not None:
                delivery.parts_sent = max(delivery.parts_sent, error.parts_sent)
            result = "ok" if error is None else ("transient" if error.transient else "permanent")
            session.add(
                DeliveryAttemptRow(
                    delivery_id=delivery_id,
                    at=now,
                    outcome=result,
                    error=reason,
                    duration_ms=elapsed_ms,
                )
            )
            if error is None:
                # E-mail is only handed to a relay; webhooks and MQTT confirm receipt.
                delivery.status = "sent" if kind == "email" else "delivered"
                delivery.done_at = now
                delivery.last_error = reason  # a warning (picture refused), else empty
            elif error.transient and delivery.attempts < self.retry.max_attempts:
                delivery.status = "retrying"
                delivery.next_try = now + timedelta(
                    seconds=self.retry.delay(delivery.attempts, self._rng)
                )
                delivery.last_error = reason
            else:
                delivery.status = "failed"
                delivery.done_at = now
                delivery.last_error = (
                    reason
                    if not error.transient
                    else f"gave up after {delivery.attempts} attempts: {reason}"
                )
            refresh(session, session.get_one(AlertRecipientRow, delivery.recipient_id))
            status, alert_id, channel_id = delivery.status, delivery.alert_id, delivery.channel_id
            last_error = delivery.last_error
        if error is None:
            log.info("alert %s delivery %s %s via %s", alert_id, delivery_id, status, kind)
        else:
            log.warning("alert %s delivery %s %s: %s", alert_id, delivery_id, status, reason)
        self._bus.publish(
            DeliveryChanged(delivery_id, alert_id, team_id, channel_id, status, last_error)
        )
        return status
