"""Teams, their members and channels, and the routing rules that pick teams for an alert.

Channel secrets never enter ``team_channel.config``: they go to the secret store, and a
config that still carries one (a password field, a token in a URL) is taken apart first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.channel_config import (  # re-exported: provision imports them here
    CHANNEL_KINDS,
    SECRET_KEYS,
    URL_SECRET_PARAMS,
    TeamConfigError,
    merge_secrets,
    split_channel_secrets,
    strip_url_secrets,
)
from commandroom.alerts.content import PRIORITIES, AlertContent
from commandroom.alerts.events import TeamChannelsChanged, TeamsChanged
from commandroom.alerts.models import (
    DeliveryRow,
    RoutingRuleRow,
    TeamChannelRow,
    TeamMemberRow,
    TeamRow,
)
from commandroom.alerts.team_overview import TeamsOverview, load_overview
from commandroom.audit.api import AuditSink
from commandroom.auth.guard import open_access, requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.events import EventBus
from commandroom.secrets.store import SecretStore

__all__ = [
    "CHANNEL_KINDS", "SECRET_KEYS", "URL_SECRET_PARAMS", "ChannelInfo", "TeamConfigError",
    "TeamInfo", "TeamService", "route", "save_channel_row", "split_channel_secrets",
    "strip_url_secrets", "upsert_team",
]
MAX_NAME = 120
PHONE_CHARS = set("0123456789+-() ")



@dataclass(frozen=True)
class ChannelInfo:
    id: int
    kind: str
    name: str
    config: dict[str, Any]


@dataclass(frozen=True)
class TeamInfo:
    id: int
    key: str
    name: str


class TeamService:
    """Teams, members, channels and routing rules. Every change is the administrator's
    (``EDIT_TEAMS``), audited in the same transaction, and announced on the bus."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        secrets: SecretStore,
        audit: AuditSink,
        events: EventBus | None = None,
    ) -> None:
        self._sessions = sessions
        self._secrets = secrets
        self._audit = audit
        self._events = events

    @open_access("team names and keys: every console shows them beside its alerts")
    def list_teams(self) -> list[TeamInfo]:
        with self._sessions() as session:
            rows = session.scalars(select(TeamRow).order_by(TeamRow.id)).all()
            return [TeamInfo(r.id, r.key, r.name) for r in rows]

    @open_access("channel settings without their secrets, as the alert preview lists them")
    def channels(self, team_id: int) -> list[ChannelInfo]:
        with self._sessions() as session:
            rows = session.scalars(
                select(TeamChannelRow)
                .where(TeamChannelRow.team_id == team_id)
                .order_by(TeamChannelRow.id)
            ).all()
            return [ChannelInfo(r.id, r.kind, r.name, json.loads(r.config)) for r in rows]

    @requires(Permission.EDIT_TEAMS)
    def overview(self, actor: Actor) -> TeamsOverview:
        """Everything the Teams window shows: teams with members (phones included) and
        channels (which secret parts are stored, never their values), rules, groups."""
        return load_overview(self._sessions, self._secrets)

    @requires(Permission.EDIT_TEAMS)
    def create_team(self, actor: Actor, key: str, name: str) -> int:
        name = _name(name, "team")
        with self._sessions.begin() as session:
            team = upsert_team(session, key.strip(), name)
            self._audit.append(session, actor, "team.save", f"team:{key}", {"name": name})
            session.flush()
            team_id = team.id
        self._announce(TeamsChanged(team_id))
        return team_id

    @requires(Permission.EDIT_TEAMS)
    def rename_team(self, actor: Actor, team_id: int, name: str) -> None:
        name = _name(name, "team")
        with self._sessions.begin() as session:
            team = _get(session, TeamRow, team_id, "team")
            old, team.name = team.name, name
            self._audit.append(session, actor, "team.rename", f"team:{team.key}",
                               {"from": old, "to": name})
        self._announce(TeamsChanged(team_id))

    @requires(Permission.EDIT_TEAMS)
    def add_member(
        self, actor: Actor, team_id: int, name: str, phone: str = "", radio: str = ""
    ) -> int:
        name, phone, radio = _member_fields(name, phone, radio)
        with self._sessions.begin() as session:
            _get(session, TeamRow, team_id, "team")
            member = TeamMemberRow(team_id=team_id, name=name, phone=phone, radio=radio)
            session.add(member)
            self._audit.append(session, actor, "team.member.add", f"team:{team_id}", {"name": name})
            session.flush()
            member_id = member.id
        self._announce(TeamsChanged(team_id))
        return member_id

    @requires(Permission.EDIT_TEAMS)
    def update_member(self, actor: Actor, member_id: int, name: str, phone: str = "",
                      radio: str = "") -> None:
        name, phone, radio = _member_fields(name, phone, radio)
        with self._sessions.begin() as session:
            member = _get(session, TeamMemberRow, member_id, "member")
            member.name, member.phone, member.radio = name, phone, radio
            team_id = member.team_id
            self._audit.append(session, actor, "team.member.update", f"team:{team_id}",
                               {"member_id": member_id, "name": name})
        self._announce(TeamsChanged(team_id))

    @requires(Permission.EDIT_TEAMS)
    def remove_member(self, actor: Actor, member_id: int) -> None:
        with self._sessions.begin() as session:
            member = _get(session, TeamMemberRow, member_id, "member")
            team_id, name = member.team_id, member.name
            session.delete(member)
            self._audit.append(session, actor, "team.member.remove", f"team:{team_id}",
                               {"member_id": member_id, "name": name})
        self._announce(TeamsChanged(team_id))

    @requires(Permission.EDIT_TEAMS)
    def save_channel(
        self, actor: Actor, team_id: int, kind: str, name: str, definition: dict[str, Any],
        keep_stored_secrets: bool = False,
    ) -> int:
        """Create or replace the channel ``name`` of a team; secrets go to the store.

        ``keep_stored_secrets``: secret parts not given now keep their stored value (a
        form's empty password field means "unchanged"); otherwise they are replaced whole.
        """
        name = _name(name, "channel")
        config, secret = split_channel_secrets(kind, definition)
        if keep_stored_secrets and secret:
            secret = merge_secrets(self._stored_secret(team_id, name), secret)
        # Stored before the transaction opens: the store writes through its own session,
        # and SQLite would make it wait for our write lock.
        new_ref = self._secrets.put(json.dumps(secret)) if secret else None
        try:
            with self._sessions.begin() as session:
                row, old_ref = save_channel_row(session, team_id, kind, name, config, new_ref)
                self._audit.append(
                    session,
                    actor,
                    "team.channel.save",
                    f"team:{team_id}",
                    {"channel": name, "kind": kind, "has_secret": bool(secret)},
                )
                session.flush()
                channel_id = row.id
        except Exception:
            if new_ref:
                self._secrets.delete(new_ref)
            raise
        if old_ref:
            self._secrets.delete(old_ref)
        self._announce(TeamChannelsChanged(team_id))
        return channel_id

    @requires(Permission.EDIT_TEAMS)
    def set_channel_enabled(self, actor: Actor, channel_id: int, enabled: bool) -> None:
        with self._sessions.begin() as session:
            row = _get(session, TeamChannelRow, channel_id, "channel")
            row.enabled = enabled
            team_id = row.team_id
            self._audit.append(session, actor, "team.channel.enable" if enabled
                               else "team.channel.disable", f"team:{team_id}",
                               {"channel": row.name})
        self._announce(TeamChannelsChanged(team_id))

    @requires(Permission.EDIT_TEAMS)
    def delete_channel(self, actor: Actor, channel_id: int) -> None:
        """Only a channel that never carried an alert: deliveries are the record of what
        was sent where, so a used channel is disabled instead."""
        with self._sessions.begin() as session:
            row = _get(session, TeamChannelRow, channel_id, "channel")
            if session.scalar(select(exists().where(DeliveryRow.channel_id == channel_id))):
                raise TeamConfigError(f"channel {row.name!r} has carried alerts, which keep "
                                      "referring to it; disable it instead")
            team_id, ref = row.team_id, row.secret_ref
            session.delete(row)
            self._audit.append(session, actor, "team.channel.delete", f"team:{team_id}",
                               {"channel": row.name})
        if ref:
            self._secrets.delete(ref)
        self._announce(TeamChannelsChanged(team_id))

    @requires(Permission.EDIT_TEAMS)
    def add_rule(
        self,
        actor: Actor,
        category: str,
        team_id: int,
        priority: str = "normal",
        min_risk: int = 0,
        camera_group_id: int | None = None,
    ) -> int:
        if priority not in PRIORITIES:
            raise TeamConfigError(f"priority must be one of {PRIORITIES}, not {priority!r}")
        if not category.strip():
            raise TeamConfigError("a routing rule needs a category")
        with self._sessions.begin() as session:
            rule = RoutingRuleRow(
                category=category.strip(),
                min_risk=min_risk,
                camera_group_id=camera_group_id,
                team_id=team_id,
                priority=priority,
            )
            session.add(rule)
            self._audit.append(
                session,
                actor,
                "routing.rule.add",
                f"team:{team_id}",
                {"category": category, "priority": priority, "min_risk": min_risk},
            )
            session.flush()
            return rule.id

    @requires(Permission.EDIT_TEAMS)
    def remove_rule(self, actor: Actor, rule_id: int) -> None:
        with self._sessions.begin() as session:
            rule = _get(session, RoutingRuleRow, rule_id, "routing rule")
            details = {"category": rule.category, "priority": rule.priority,
                       "min_risk": rule.min_risk}
            session.execute(delete(RoutingRuleRow).where(RoutingRuleRow.id == rule_id))
            self._audit.append(session, actor, "routing.rule.remove", f"team:{rule.team_id}",
                               details)

    def _stored_secret(self, team_id: int, name: str) -> dict[str, Any]:
        with self._sessions() as session:
            ref = session.scalar(select(TeamChannelRow.secret_ref).where(
                TeamChannelRow.team_id == team_id, TeamChannelRow.name == name))
        raw = self._secrets.get(ref) if ref else None
        stored: dict[str, Any] = json.loads(raw) if raw else {}
        return stored

    def _announce(self, event: object) -> None:
        if self._events is not None:
            self._events.publish(event)


def _name(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise TeamConfigError(f"a {what} needs a name")
    if len(value) > MAX_NAME:
        raise TeamConfigError(f"a {what} name may have at most {MAX_NAME} characters")
    return value


def _member_fields(name: str, phone: str, radio: str) -> tuple[str, str, str]:
    phone, radio = phone.strip(), radio.strip()
    if not set(phone) <= PHONE_CHARS or len(phone) > 40:
        raise TeamConfigError("a phone number holds digits, spaces, +, - and brackets only "
                              "(at most 40)")
    if len(radio) > 40:
        raise TeamConfigError("a radio call sign may have at most 40 characters")
    return _name(name, "member"), phone, radio


def _get(session: Session, row_type: type[Any], row_id: int, what: str) -> Any:
    row = session.get(row_type, row_id)
    if row is None:
        raise TeamConfigError(f"there is no {what} {row_id} (deleted meanwhile?)")
    return row


def upsert_team(session: Session, key: str, name: str) -> TeamRow:
    if not key.replace("_", "").replace("-", "").isalnum():
        raise TeamConfigError(f"team key {key!r} may hold letters, digits, - and _ only")
    team = session.scalar(select(TeamRow).where(TeamRow.key == key))
    if team is None:
        team = TeamRow(key=key, name=name)
        session.add(team)
    else:
        team.name = name
    return team


def save_channel_row(
    session: Session,
    team_id: int,
    kind: str,
    name: str,
    config: dict[str, Any],
    secret_ref: str | None,
) -> tuple[TeamChannelRow, str]:
    """Create or update a channel; returns it and the secret ref it no longer uses."""
    row = session.scalar(
        select(TeamChannelRow).where(TeamChannelRow.team_id == team_id, TeamChannelRow.name == name)
    )
    if row is None:
        row = TeamChannelRow(team_id=team_id, name=name, kind=kind)
        session.add(row)
    row.kind = kind
    row.config = json.dumps(config, ensure_ascii=False, sort_keys=True)
    old_ref = ""
    if secret_ref is not None:
        old_ref, row.secret_ref = row.secret_ref or "", secret_ref
    return row, old_ref


def route(session: Session, content: AlertContent) -> dict[int, str]:
    """Team id → priority for ``content``; the highest priority among matching rules wins."""
    rules = session.scalars(
        select(RoutingRuleRow)
        .join(TeamRow, TeamRow.id == RoutingRuleRow.team_id)
        .where(RoutingRuleRow.category == content.category, TeamRow.active.is_(True))
    ).all()
    chosen: dict[int, str] = {}
    for rule in rules:
        if content.risk < rule.min_risk:
            continue
        if rule.camera_group_id is not None and rule.camera_group_id != content.camera_group_id:
            continue
        if chosen.get(rule.team_id) != "high":
            chosen[rule.team_id] = rule.priority
    return chosen
