"""The use cases the console calls: preview an alert, send it, acknowledge for a team."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.acks import CONSOLE_HOW, AckService, MemberChoice, TeamAck
from commandroom.alerts.content import (
    ACK_LINK_PLACEHOLDER,
    AlertContent,
    RenderContext,
    headline,
    render_text,
)
from commandroom.alerts.events import AlertCreated
from commandroom.alerts.messages import delivery_key
from commandroom.alerts.models import (
    AlertRecipientRow,
    AlertRow,
    DeliveryRow,
    TeamChannelRow,
    TeamRow,
)
from commandroom.alerts.status import refresh
from commandroom.alerts.team_names import bilingual_team_name
from commandroom.alerts.teams import ChannelInfo, TeamInfo, route
from commandroom.audit.api import AuditSink
from commandroom.auth.permissions import Actor, Permission, require
from commandroom.db.base import utcnow
from commandroom.events import EventBus
from commandroom.recording.locks import LockKind, lock_reference
from commandroom.sightings.models import SightingRow

log = logging.getLogger(__name__)


class NoRecipients(ValueError):
    """No routing rule and no chosen team: nobody would receive the alert. The console
    words it from ``category`` / ``team_id`` (the message is for the log and tests)."""

    def __init__(self, category: str = "", team_id: int | None = None) -> None:
        self.category = category
        self.team_id = team_id  # a team chosen by hand that no longer exists
        # From a preview: the message a team ticked by hand would get, so the officer
        # reads what would go out before choosing whom to send it to.
        self.draft = ""
        super().__init__(
            f"there is no team {team_id}" if team_id is not None else
            f"no routing rule matches category {category!r} and no team was chosen")


@dataclass(frozen=True)
class PreviewItem:
    team: TeamInfo
    priority: str
    channels: list[ChannelInfo]
    message: str


class AlertService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        audit: AuditSink,
        bus: EventBus,
        acks: AckService,
        clock: Callable[[], datetime] = utcnow,
        ack_links: bool = True,
    ) -> None:
        self._sessions = sessions
        self._audit = audit
        self._bus = bus
        self._acks = acks
        self._clock = clock
        # Whether sent messages carry ack links (see ack_links.py); the preview says the same.
        self._ack_links = ack_links

    def _recipients(
        self, session: Session, content: AlertContent, extra_teams: Iterable[int]
    ) -> dict[int, str]:
        teams = route(session, content)
        # A team added by hand gets the alert's priority: the officer added it on purpose.
        top = "high" if "high" in teams.values() else "normal"
        for team_id in extra_teams:
            if session.get(TeamRow, team_id) is None:
                raise NoRecipients(content.category, team_id)
            teams.setdefault(team_id, top)
        if not teams:
            raise NoRecipients(content.category)
        return teams

    def preview(
        self,
        actor: Actor,
        content: AlertContent,
        extra_teams: Iterable[int] = (),
        extra_line: str = "",
    ) -> list[PreviewItem]:
        require(actor, Permission.SEND_ALERT)
        items: list[PreviewItem] = []
        with self._sessions() as session:
            try:
                recipients = self._recipients(session, content, extra_teams)
            except NoRecipients as exc:
                if exc.team_id is None:  # a team ticked by hand gets "normal" (_recipients)
                    exc.draft = render_text(
                        content, RenderContext(None, "", "normal", extra_line))
                raise
            for team_id, priority in sorted(recipients.items()):
                team = session.get_one(TeamRow, team_id)
                channels = [
                    ChannelInfo(c.id, c.kind, c.name, json.loads(c.config))
                    for c in enabled_channels(session, team_id)
                ]
                ctx = RenderContext(
                    alert_id=None,
                    team_name=bilingual_team_name(team.key, team.name),
                    priority=priority,
                    extra_line=extra_line,
                    ack_url=ACK_LINK_PLACEHOLDER if self._ack_links and team.members else "",
                )
                items.append(
                    PreviewItem(
                        TeamInfo(team.id, team.key, team.name),
                        priority,
                        channels,
                        render_text(content, ctx),
                    )
                )
        return items

    def send(
        self,
        actor: Actor,
        sighting_id: int,
        content: AlertContent,
        extra_teams: Iterable[int] = (),
        extra_line: str = "",
    ) -> int:
        """Write the alert, one recipient per team and its outbox rows in one transaction;
        the dispatcher sends them. Returns the alert id."""
        require(actor, Permission.SEND_ALERT)
        now = self._clock()
        with self._sessions.begin() as session:
            teams = self._recipients(session, content, extra_teams)
            priority = "high" if "high" in teams.values() else "normal"
            alert = AlertRow(
                sighting_id=sighting_id,
                category=content.category,
                risk=content.risk,
                priority=priority,
                status="queued",
                content=json.dumps(content.to_json_dict(), ensure_ascii=False),
                extra_line=extra_line.strip(),
                frame_time=content.frame_time,
                created_at=now,
                created_by=actor.username,
            )
            session.add(alert)
            session.flush()
            sighting = session.get(SightingRow, sighting_id)
            if sighting is not None:  # its footage stays while the alert refers to it
                lock_reference(session, sighting.camera_id, sighting.frame_time,
                               LockKind.ALERT, f"alert:{alert.id}", actor.username)
            for team_id, team_priority in sorted(teams.items()):
                recipient = AlertRecipientRow(
                    alert=alert,
                    team_id=team_id,
                    priority=team_priority,
                    status="queued",
                    last_notified_at=now,
                )
                session.add(recipient)
                session.flush()
                channels = enabled_channels(session, team_id)
                if not channels:
                    log.warning("alert %s: team %s has no enabled channel", alert.id, team_id)
                add_deliveries(session, recipient, channels, 0, now)
                refresh(session, recipient)
            self._audit.append(
                session,
                actor,
                "alert.send",
                f"alert:{alert.id}",
                {
                    "sighting_id": sighting_id,
                    "category": content.category,
                    "priority": priority,
                    "teams": sorted(teams),
                },
            )
            alert_id = alert.id
        self._bus.publish(
            AlertCreated(
                alert_id,
                sighting_id,
                priority,
                content.category,
                headline(content, priority),
                tuple(sorted(teams)),
            )
        )
        return alert_id

    def ack_by_console(
        self,
        actor: Actor,
        alert_id: int,
        team_id: int,
        who: str,
        how: str,
        member_id: int | None = None,
    ) -> TeamAck:
        """The officer records an acknowledgement a team gave by phone, radio or in person.

        A team with members on file is acknowledged by one of them (``member_id``, or
        ``who`` naming one exactly); only a team with nobody on file takes a typed name.
        Raises AckRefused (not a member, already acknowledged) or ValueError.
        """
        require(actor, Permission.ACK_ALERT)
        if how not in CONSOLE_HOW:
            raise ValueError(f"how must be one of {', '.join(CONSOLE_HOW)}")
        if self._acks.members(team_id):
            who = self._acks.member_name(team_id, member_id, who)
        elif not who.strip():
            raise ValueError("say who acknowledged")
        return self._acks.record(actor, alert_id, team_id, who, how)

    def members(self, actor: Actor, team_id: int) -> list[MemberChoice]:
        """Who may be named as acknowledging for a team (names only)."""
        require(actor, Permission.ACK_ALERT)
        return self._acks.members(team_id)

    def status(self, alert_id: int) -> list[TeamAck]:
        return self._acks.report(alert_id)


def enabled_channels(session: Session, team_id: int) -> list[TeamChannelRow]:
    return list(
        session.scalars(
            select(TeamChannelRow)
            .where(TeamChannelRow.team_id == team_id, TeamChannelRow.enabled.is_(True))
            .order_by(TeamChannelRow.id)
        ).all()
    )


def add_deliveries(
    session: Session,
    recipient: AlertRecipientRow,
    channels: list[TeamChannelRow],
    escalation: int,
    now: datetime,
) -> None:
    for channel in channels:
        session.add(
            DeliveryRow(
                alert_id=recipient.alert_id,
                recipient_id=recipient.id,
                channel_id=channel.id,
                round=escalation,
                status="queued",
                next_try=now,
                created_at=now,
                idempotency_key=delivery_key(
                    recipient.alert_id, recipient.team_id, channel.id, escalation
                ),
            )
        )
    session.flush()
