"""What the console's alert panel shows: recent alerts with each team's and each
channel's state, read in one query per refresh."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from commandroom.alerts.content import AlertContent, headline
from commandroom.alerts.models import (
    AlertRow,
    DeliveryRow,
    TeamChannelRow,
    TeamRow,
)
from commandroom.auth.guard import requires
from commandroom.auth.permissions import Actor, Permission


@dataclass(frozen=True)
class ChannelState:
    channel: str
    kind: str
    status: str  # queued | retrying | delivered | sent | failed
    attempts: int
    error: str  # technical text (logs); the console words error_code instead
    escalation_round: int
    error_code: str = ""
    error_params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TeamState:
    team_id: int
    team: str
    priority: str
    status: str  # queued | sent | delivered | acknowledged | failed | escalated
    escalations: int
    acked_by: str
    ack_how: str
    acked_at: datetime | None
    seconds_to_ack: float | None
    channels: tuple[ChannelState, ...]
    # The alert's incident was resolved before this team acknowledged: no more reminders.
    reminders_stopped: bool = False

    @property
    def chased(self) -> bool:
        """Reminded and still not acknowledged, its incident not resolved: what the
        panel shows red and the escalated filter lists."""
        return self.escalations > 0 and self.status != "acknowledged" \
            and not self.reminders_stopped


@dataclass(frozen=True)
class AlertSummary:
    alert_id: int
    sighting_id: int
    created_at: datetime
    frame_time: datetime
    created_by: str
    priority: str
    category: str
    status: str
    headline: str  # as the teams read it (bilingual); the console words its own
    subject: str  # who or what was seen (a name or a plate)
    camera: str
    snapshot_path: str
    teams: tuple[TeamState, ...]

    @property
    def escalated(self) -> bool:
        return any(team.chased for team in self.teams)

    @property
    def acknowledged_by_all(self) -> bool:
        return all(t.status == "acknowledged" for t in self.teams)


class AlertBoard:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @requires(Permission.ACK_ALERT)
    def recent(self, actor: Actor, limit: int = 100, only_open: bool = False,
               team_id: int | None = None) -> list[AlertSummary]:
        """Newest first. ``only_open``: not yet acknowledged by every team."""
        with self._sessions() as session:
            query = (select(AlertRow).order_by(AlertRow.id.desc()).limit(limit)
                     .options(selectinload(AlertRow.recipients)))
            alerts = list(session.scalars(query))
            ids = [a.id for a in alerts]
            teams = {row.id: row.name for row in session.execute(select(TeamRow.id, TeamRow.name))}
            channels = {c.id: c for c in session.scalars(select(TeamChannelRow))}
            deliveries: dict[int, list[DeliveryRow]] = {}
            if ids:
                for d in session.scalars(select(DeliveryRow).where(DeliveryRow.alert_id.in_(ids))
                                         .order_by(DeliveryRow.id)):
                    deliveries.setdefault(d.recipient_id, []).append(d)
            out = [self._summary(a, teams, channels, deliveries) for a in alerts]
        if team_id is not None:
            out = [a for a in out if any(t.team_id == team_id for t in a.teams)]
        if only_open:
            out = [a for a in out if not a.acknowledged_by_all]
        return out

    @staticmethod
    def _summary(alert: AlertRow, teams: dict[int, str], channels: dict[int, TeamChannelRow],
                 deliveries: dict[int, list[DeliveryRow]]) -> AlertSummary:
        content = AlertContent.from_json_dict(json.loads(alert.content))
        states = []
        for r in sorted(alert.recipients, key=lambda r: r.team_id):
            rows = deliveries.get(r.id, [])
            seconds = ((r.acked_at - alert.frame_time).total_seconds()
                       if r.acked_at is not None else None)
            states.append(TeamState(
                team_id=r.team_id, team=teams.get(r.team_id, str(r.team_id)),
                priority=r.priority, status=r.status, escalations=r.escalations,
                acked_by=r.acked_by, ack_how=r.ack_how, acked_at=r.acked_at,
                seconds_to_ack=seconds,
                channels=tuple(ChannelState(
                    channel=channels[d.channel_id].name if d.channel_id in channels else "?",
                    kind=channels[d.channel_id].kind if d.channel_id in channels else "?",
                    status=d.status, attempts=d.attempts, error=d.last_error,
                    escalation_round=d.round, error_code=d.error_code,
                    error_params=_params(d.error_params)) for d in rows),
                reminders_stopped=r.reminders_stopped_at is not None,
            ))
        return AlertSummary(
            alert_id=alert.id, sighting_id=alert.sighting_id, created_at=alert.created_at,
            frame_time=alert.frame_time, created_by=alert.created_by, priority=alert.priority,
            category=alert.category, status=alert.status,
            headline=headline(content, alert.priority), subject=content.name,
            camera=content.camera,
            snapshot_path=content.snapshot_path, teams=tuple(states))


def _params(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
