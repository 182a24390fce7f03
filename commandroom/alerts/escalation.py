"""Reminders: a team that has not acknowledged in time gets the alert again.

Driven by whatever clock the caller passes (the dispatcher's, or a test's fake clock).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.events import AlertEscalated
from commandroom.alerts.models import AlertRecipientRow
from commandroom.alerts.service import add_deliveries, enabled_channels
from commandroom.alerts.status import refresh_alert
from commandroom.audit.api import AuditSink
from commandroom.auth.permissions import SYSTEM
from commandroom.events import EventBus


@dataclass(frozen=True)
class EscalationPolicy:
    high_after: timedelta = timedelta(minutes=3)
    normal_after: timedelta = timedelta(minutes=10)
    # After this many reminders the officer must phone: the panel shows it as escalated.
    max_escalations: int = 2

    def after(self, priority: str) -> timedelta:
        return self.high_after if priority == "high" else self.normal_after


class EscalationMonitor:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        audit: AuditSink,
        bus: EventBus,
        policy: EscalationPolicy | None = None,
    ) -> None:
        self._sessions = sessions
        self._audit = audit
        self._bus = bus
        self.policy = policy or EscalationPolicy()

    def _unacked(self) -> ColumnElement[bool]:
        return and_(
            AlertRecipientRow.acked_at.is_(None),
            AlertRecipientRow.escalations < self.policy.max_escalations,
            AlertRecipientRow.reminders_stopped_at.is_(None),
        )

    def _overdue(self, session: Session, now: datetime) -> list[AlertRecipientRow]:
        # Filtered in SQL per priority: the table grows with every alert ever sent, and
        # this runs on every dispatcher pass.
        late_high = and_(
            AlertRecipientRow.priority == "high",
            AlertRecipientRow.last_notified_at <= now - self.policy.high_after,
        )
        late_normal = and_(
            AlertRecipientRow.priority != "high",
            AlertRecipientRow.last_notified_at <= now - self.policy.normal_after,
        )
        query = select(AlertRecipientRow).where(self._unacked(), or_(late_high, late_normal))
        return list(session.scalars(query.order_by(AlertRecipientRow.id)).all())

    def next_deadline(self) -> datetime | None:
        with self._sessions() as session:
            rows = session.execute(
                select(
                    AlertRecipientRow.priority == "high",
                    func.min(AlertRecipientRow.last_notified_at),
                )
                .where(self._unacked())
                .group_by(AlertRecipientRow.priority == "high")
            ).all()
        deadlines = [
            oldest + (self.policy.high_after if is_high else self.policy.normal_after)
            for is_high, oldest in rows
            if oldest is not None
        ]
        return min(deadlines, default=None)

    def check(self, now: datetime) -> list[AlertEscalated]:
        """Escalate every team whose deadline has passed; returns what was published."""
        fired: list[AlertEscalated] = []
        with self._sessions.begin() as session:
            for recipient in self._overdue(session, now):
                recipient.escalations += 1
                recipient.last_notified_at = now
                recipient.status = "escalated"
                add_deliveries(
                    session,
                    recipient,
                    enabled_channels(session, recipient.team_id),
                    recipient.escalations,
                    now,
                )
                refresh_alert(recipient.alert)
                self._audit.append(
                    session,
                    SYSTEM,
                    "alert.escalate",
                    f"alert:{recipient.alert_id}",
                    {"team_id": recipient.team_id, "escalation": recipient.escalations},
                )
                fired.append(
                    AlertEscalated(
                        recipient.alert_id,
                        recipient.team_id,
                        recipient.escalations,
                        recipient.priority,
                    )
                )
        for event in fired:
            self._bus.publish(event)
        return fired


def stop_reminders(session: Session, alert_ids: Iterable[int], at: datetime) -> int:
    """No more reminders to the teams that have not acknowledged these alerts (their
    incident is resolved: a reminder would send a team after a suspect already caught).
    In the caller's transaction; returns how many teams' reminders stopped."""
    ids = list(alert_ids)
    if not ids:
        return 0
    rows = session.scalars(select(AlertRecipientRow).where(
        AlertRecipientRow.alert_id.in_(ids), AlertRecipientRow.acked_at.is_(None),
        AlertRecipientRow.reminders_stopped_at.is_(None))).all()
    for row in rows:
        row.reminders_stopped_at = at
    return len(rows)
