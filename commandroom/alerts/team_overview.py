"""What the administrator's Teams window shows, read in one session: every team with its
members and channels, the routing rules, and the camera groups rules may name.

Channel secrets are never read out: only which parts are stored, so the window can say
"stored" beside a password field it leaves empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from commandroom.alerts.channel_config import secret_fields
from commandroom.alerts.models import RoutingRuleRow, TeamRow
from commandroom.cameras.models import CameraGroupRow
from commandroom.secrets.store import SecretStore, SecretStoreError


@dataclass(frozen=True)
class MemberInfo:
    id: int
    name: str
    phone: str
    radio: str


@dataclass(frozen=True)
class ChannelView:
    id: int
    team_id: int
    kind: str  # webhook | email | mqtt
    name: str
    config: dict[str, Any]  # without secrets
    enabled: bool
    stored_secrets: tuple[str, ...]  # names of the secret parts in the store


@dataclass(frozen=True)
class TeamDetail:
    id: int
    key: str
    name: str
    active: bool
    members: tuple[MemberInfo, ...]
    channels: tuple[ChannelView, ...]


@dataclass(frozen=True)
class RuleInfo:
    id: int
    category: str
    team_id: int
    priority: str
    min_risk: int
    camera_group_id: int | None


@dataclass(frozen=True)
class TeamsOverview:
    teams: tuple[TeamDetail, ...]
    rules: tuple[RuleInfo, ...]
    camera_groups: tuple[tuple[int, str], ...]

    def team(self, team_id: int) -> TeamDetail | None:
        return next((t for t in self.teams if t.id == team_id), None)


def _stored(secrets: SecretStore, ref: str) -> tuple[str, ...]:
    if not ref:
        return ()
    try:
        raw = secrets.get(ref)
    except SecretStoreError:
        return ("unreadable",)
    return secret_fields(json.loads(raw)) if raw else ()


def load_overview(sessions: sessionmaker[Session], secrets: SecretStore) -> TeamsOverview:
    with sessions() as session:
        teams = session.scalars(
            select(TeamRow).order_by(TeamRow.id)
            .options(selectinload(TeamRow.members), selectinload(TeamRow.channels))
        ).all()
        plain = [
            (team.id, team.key, team.name, team.active,
             tuple(MemberInfo(m.id, m.name, m.phone, m.radio)
                   for m in sorted(team.members, key=lambda m: m.id)),
             [(c.id, c.team_id, c.kind, c.name, json.loads(c.config), c.enabled, c.secret_ref)
              for c in sorted(team.channels, key=lambda c: c.id)])
            for team in teams
        ]
        rules = tuple(
            RuleInfo(r.id, r.category, r.team_id, r.priority, r.min_risk, r.camera_group_id)
            for r in session.scalars(select(RoutingRuleRow).order_by(
                RoutingRuleRow.category, RoutingRuleRow.team_id, RoutingRuleRow.id))
        )
        groups = tuple((g.id, g.name) for g in session.scalars(
            select(CameraGroupRow).order_by(CameraGroupRow.position, CameraGroupRow.name)))
    # The store reads through its own session: only once ours is closed (on SQLite every
    # session takes the write lock at its start).
    details = tuple(
        TeamDetail(team_id, key, name, active, members, tuple(
            ChannelView(cid, tid, kind, cname, config, enabled, _stored(secrets, ref))
            for cid, tid, kind, cname, config, enabled, ref in channels))
        for team_id, key, name, active, members, channels in plain
    )
    return TeamsOverview(details, rules, groups)
