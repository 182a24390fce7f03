"""Recording that a team acknowledged an alert, however it did (MQTT, link, console)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.content import AlertContent, headline
from commandroom.alerts.events import AlertAcknowledged
from commandroom.alerts.models import AlertRecipientRow, AlertRow, TeamMemberRow, TeamRow
from commandroom.alerts.signing import AckRefused
from commandroom.alerts.status import refresh
from commandroom.alerts.team_names import bilingual_team_name
from commandroom.audit.api import AuditSink
from commandroom.auth.permissions import Actor
from commandroom.db.base import utcnow
from commandroom.events import EventBus

CONSOLE_HOW = ("phone", "radio", "in person")
REMOTE_HOW = ("mqtt", "link")


@dataclass(frozen=True)
class TeamAck:
    team_id: int
    team_name: str
    status: str
    by: str
    how: str
    at: datetime | None
    seconds_from_sighting: float | None


@dataclass(frozen=True)
class MemberChoice:
    """A team member as the ack page and the console offer them: no phone numbers."""

    id: int
    name: str


@dataclass(frozen=True)
class AckPageFacts:
    """What the acknowledgement page shows about the alert a link is for."""

    alert_id: int
    headline: str
    team_name: str  # bilingual for the seeded teams
    members: tuple[MemberChoice, ...]


class AckService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        audit: AuditSink,
        bus: EventBus,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._audit = audit
        self._bus = bus
        self._clock = clock

    def is_acknowledged(self, alert_id: int, team_id: int) -> bool:
        with self._sessions() as session:
            return _recipient(session, alert_id, team_id).acked_at is not None

    def record(self, actor: Actor, alert_id: int, team_id: int, by: str, how: str) -> TeamAck:
        """Store the acknowledgement once; a second one is refused (409) and changes nothing.
        The caller has checked permission or proof (signed link, MQTT token)."""
        if how not in CONSOLE_HOW + REMOTE_HOW:
            raise ValueError(f"ack method must be one of {CONSOLE_HOW + REMOTE_HOW}")
        by = by.strip()[:120] or "(unnamed)"
        now = self._clock()
        with self._sessions.begin() as session:
            # A conditional UPDATE first: two acks racing (a link and an MQTT message)
            # cannot both win, and on SQLite the write lock is taken before any read.
            result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                update(AlertRecipientRow)
                .where(
                    AlertRecipientRow.alert_id == alert_id,
                    AlertRecipientRow.team_id == team_id,
                    AlertRecipientRow.acked_at.is_(None),
                )
                .values(acked_at=now, acked_by=by, ack_how=how, ack_recorded_by=actor.username)
                .execution_options(synchronize_session=False)
            )
            won = result.rowcount
            recipient = _recipient(session, alert_id, team_id)
            if not won:
                raise AckRefused(
                    f"Already acknowledged by {recipient.acked_by} ({recipient.ack_how}) at "
                    f"{recipient.acked_at:%Y-%m-%d %H:%M:%S} UTC; this one was not counted.",
                    409,
                    "used",
                )
            refresh(session, recipient)
            alert = recipient.alert
            since = (now - alert.frame_time).total_seconds()
            self._audit.append(
                session,
                actor,
                "alert.acknowledge",
                f"alert:{alert_id}",
                {"team_id": team_id, "by": by, "how": how, "seconds_from_sighting": since},
            )
        self._bus.publish(AlertAcknowledged(alert_id, team_id, by, how, now, since))
        return self.report(alert_id, team_id)[0]

    def report(self, alert_id: int, team_id: int | None = None) -> list[TeamAck]:
        """Per team: state, who acknowledged, how, and the time from sighting to ack."""
        with self._sessions() as session:
            alert = session.get(AlertRow, alert_id)
            if alert is None:
                raise LookupError(f"no alert {alert_id}")
            rows = session.execute(
                select(AlertRecipientRow, TeamRow.name)
                .join(TeamRow, TeamRow.id == AlertRecipientRow.team_id)
                .where(AlertRecipientRow.alert_id == alert_id)
                .order_by(AlertRecipientRow.team_id)
            ).all()
            return [
                TeamAck(
                    team_id=r.team_id,
                    team_name=name,
                    status=r.status,
                    by=r.acked_by,
                    how=r.ack_how,
                    at=r.acked_at,
                    seconds_from_sighting=(
                        (r.acked_at - alert.frame_time).total_seconds() if r.acked_at else None
                    ),
                )
                for r, name in rows
                if team_id is None or r.team_id == team_id
            ]


    def members(self, team_id: int) -> list[MemberChoice]:
        with self._sessions() as session:
            return _members(session, team_id)

    def page_facts(self, alert_id: int, team_id: int) -> AckPageFacts:
        with self._sessions() as session:
            recipient = _recipient(session, alert_id, team_id)
            team = session.get_one(TeamRow, team_id)
            content = AlertContent.from_json_dict(json.loads(recipient.alert.content))
            return AckPageFacts(
                alert_id=alert_id,
                headline=headline(content, recipient.alert.priority),
                team_name=bilingual_team_name(team.key, team.name),
                members=tuple(_members(session, team_id)),
            )

    def member_name(self, team_id: int, member_id: int | None, name: str = "") -> str:
        """The name of the member of ``team_id`` chosen by id (or, from an app, by exact
        name); anyone else is refused: an acknowledgement names a real team member."""
        with self._sessions() as session:
            members = _members(session, team_id)
        for member in members:
            if member.id == member_id or (member_id is None and name.strip()
                                          and member.name.casefold()
                                          == name.strip().casefold()):
                return member.name
        if not members:
            raise no_members()
        raise AckRefused("The person named is not a member of this team.", 400,
                         "unknown_member")

    def record_member(self, actor: Actor, alert_id: int, team_id: int, member_id: int,
                      how: str) -> TeamAck:
        return self.record(actor, alert_id, team_id, self.member_name(team_id, member_id),
                           how)


def no_members() -> AckRefused:
    return AckRefused("This team has no members on file at the command room; acknowledge "
                      "by phone to the command room.", 409, "no_members")


def _members(session: Session, team_id: int) -> list[MemberChoice]:
    rows = session.execute(
        select(TeamMemberRow.id, TeamMemberRow.name)
        .where(TeamMemberRow.team_id == team_id)
        .order_by(TeamMemberRow.name, TeamMemberRow.id)
    ).all()
    return [MemberChoice(member_id, name) for member_id, name in rows]


def _recipient(session: Session, alert_id: int, team_id: int) -> AlertRecipientRow:
    recipient = session.scalar(
        select(AlertRecipientRow).where(
            AlertRecipientRow.alert_id == alert_id, AlertRecipientRow.team_id == team_id
        )
    )
    if recipient is None:
        raise AckRefused("This alert was not sent to that team.", 404, "not_sent")
    return recipient
