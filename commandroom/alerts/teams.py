"""Teams, their members and channels, and the routing rules that pick teams for an alert.

Channel secrets never enter ``team_channel.config``: they go to the secret store, and a
config that still carries one (a password field, a token in a URL) is taken apart first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.content import PRIORITIES, AlertContent
from commandroom.alerts.events import TeamChannelsChanged
from commandroom.alerts.models import RoutingRuleRow, TeamChannelRow, TeamMemberRow, TeamRow
from commandroom.audit_api import AuditSink
from commandroom.auth.permissions import Actor, Permission, require
from commandroom.events import EventBus
from commandroom.redact import strip_credentials
from commandroom.secrets import SecretStore

CHANNEL_KINDS = ("webhook", "email", "mqtt")
# Keys that hold secrets in a channel definition; they are moved to the secret store.
SECRET_KEYS = ("password", "signing_secret")
# Query parameters that are credentials although they ride in a URL (WeCom, DingTalk).
URL_SECRET_PARAMS = ("key", "access_token")


class TeamConfigError(ValueError):
    """A team, channel or rule definition that cannot be used; the message says why."""


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


def split_channel_secrets(
    kind: str, definition: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config without secrets, secret parts) of a channel definition."""
    if kind not in CHANNEL_KINDS:
        raise TeamConfigError(
            f"channel kind must be one of {', '.join(CHANNEL_KINDS)}, not {kind!r}"
        )
    config = {k: v for k, v in definition.items() if k not in SECRET_KEYS}
    secret: dict[str, Any] = {k: definition[k] for k in SECRET_KEYS if definition.get(k)}
    url = config.get("url")
    if isinstance(url, str) and url:
        config["url"], hidden = strip_url_secrets(url)
        if hidden:
            secret["url_params"] = hidden
    _check_channel_config(kind, config)
    return config, secret


def strip_url_secrets(url: str) -> tuple[str, dict[str, str]]:
    """(url without credential query parameters, those parameters)."""
    clean, user, password = strip_credentials(url)
    if user or password:
        raise TeamConfigError("put user and password in their own fields, not in the URL")
    parts = urlsplit(clean)
    query = parse_qsl(parts.query, keep_blank_values=True)
    hidden = {k: v for k, v in query if k in URL_SECRET_PARAMS}
    if not hidden:
        return clean, {}
    kept = urlencode([(k, v) for k, v in query if k not in URL_SECRET_PARAMS])
    return urlunsplit(parts._replace(query=kept)), hidden


def _check_channel_config(kind: str, config: dict[str, Any]) -> None:
    if kind == "webhook" and not str(config.get("url", "")).startswith(("http://", "https://")):
        raise TeamConfigError("a webhook channel needs an http(s) url")
    if kind == "email" and (not config.get("host") or not config.get("to")):
        raise TeamConfigError("an e-mail channel needs host and to")
    if kind == "mqtt" and not config.get("host"):
        raise TeamConfigError("an MQTT channel needs host")


class TeamService:
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

    def list_teams(self) -> list[TeamInfo]:
        with self._sessions() as session:
            rows = session.scalars(select(TeamRow).order_by(TeamRow.id)).all()
            return [TeamInfo(r.id, r.key, r.name) for r in rows]

    def channels(self, team_id: int) -> list[ChannelInfo]:
        with self._sessions() as session:
            rows = session.scalars(
                select(TeamChannelRow)
                .where(TeamChannelRow.team_id == team_id)
                .order_by(TeamChannelRow.id)
            ).all()
            return [ChannelInfo(r.id, r.kind, r.name, json.loads(r.config)) for r in rows]

    def create_team(self, actor: Actor, key: str, name: str) -> int:
        require(actor, Permission.EDIT_TEAMS)
        with self._sessions.begin() as session:
            team = upsert_team(session, key, name)
            self._audit.append(session, actor, "team.save", f"team:{key}", {"name": name})
            session.flush()
            return team.id

    def add_member(
        self, actor: Actor, team_id: int, name: str, phone: str = "", radio: str = ""
    ) -> int:
        require(actor, Permission.EDIT_TEAMS)
        with self._sessions.begin() as session:
            member = TeamMemberRow(team_id=team_id, name=name, phone=phone, radio=radio)
            session.add(member)
            self._audit.append(session, actor, "team.member.add", f"team:{team_id}", {"name": name})
            session.flush()
            return member.id

    def save_channel(
        self, actor: Actor, team_id: int, kind: str, name: str, definition: dict[str, Any]
    ) -> int:
        """Create or replace the channel ``name`` of a team; secrets go to the store."""
        require(actor, Permission.EDIT_TEAMS)
        config, secret = split_channel_secrets(kind, definition)
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
        if self._events is not None:
            self._events.publish(TeamChannelsChanged(team_id))
        return channel_id

    def add_rule(
        self,
        actor: Actor,
        category: str,
        team_id: int,
        priority: str = "normal",
        min_risk: int = 0,
        camera_group_id: int | None = None,
    ) -> int:
        require(actor, Permission.EDIT_TEAMS)
        if priority not in PRIORITIES:
            raise TeamConfigError(f"priority must be one of {PRIORITIES}, not {priority!r}")
        with self._sessions.begin() as session:
            rule = RoutingRuleRow(
                category=category,
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
