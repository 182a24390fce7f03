"""``commandroom teams import FILE``: teams, members, channels and routing rules from TOML,
in one step.

Secrets in the file (``password``, ``signing_secret``, a WeCom ``key`` or DingTalk
``access_token`` in a URL) are moved to the secret store. Then the file is REWRITTEN
without them: each secret field is replaced by ``secret_ref`` (so importing the same file
again keeps the stored secret). We rewrite rather than ask the user to delete the file
because a forgotten file keeps a password on disk; the price is that comments in the file
are lost. If the file cannot be rewritten the import still stands and the report says
to delete the file by hand.

The format, field by field, with an example file: docs/import-formats.md. In short:

    [[team]]
    key = "community"
    name = "Community policing"
    members = [{ name = "Li Wei", phone = "138..." }]

    [[team.channel]]
    name = "WeCom group"
    kind = "webhook"
    preset = "wecom"
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET"
    msgtype = "markdown"     # WeCom: markdown (≤ 4,096 bytes) or text (≤ 2,048 bytes)
    # DingTalk (preset = "dingtalk") takes pictures only by URL: where the station
    # publishes its snapshots, e.g. snapshot_base_url = "https://station.example/snapshots"

    [[rule]]                 # when present, the file's rules replace all rules
    category = "wanted"
    team = "community"
    priority = "high"        # high | normal
    min_risk = 0
    camera_group = "North"   # optional, a camera group name
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.content import PRIORITIES
from commandroom.alerts.models import RoutingRuleRow, TeamMemberRow, TeamRow
from commandroom.alerts.teams import (
    SECRET_KEYS,
    TeamConfigError,
    save_channel_row,
    split_channel_secrets,
    strip_url_secrets,
    upsert_team,
)
from commandroom.audit.api import AuditSink
from commandroom.auth.permissions import Actor, Permission, require
from commandroom.cameras.models import CameraGroupRow
from commandroom.files import write_private
from commandroom.secrets.store import SecretStore


@dataclass
class ImportReport:
    teams: list[str] = field(default_factory=list)
    channels: int = 0
    rules: int = 0
    secrets_moved: int = 0
    file_rewritten: bool = False
    warning: str = ""


def provision_from_toml(
    path: str | Path,
    actor: Actor,
    sessions: sessionmaker[Session],
    secrets: SecretStore,
    audit: AuditSink,
) -> ImportReport:
    require(actor, Permission.EDIT_TEAMS)
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TeamConfigError(f"{path}: cannot read ({exc})") from exc
    teams = data.get("team", [])
    rules = data.get("rule")
    if not isinstance(teams, list) or not all(isinstance(t, dict) for t in teams):
        raise TeamConfigError("[[team]] entries expected")
    report = ImportReport()
    # Validate everything and store secrets before the one database transaction.
    plans: list[
        tuple[dict[str, Any], list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]]
    ] = []
    for team in teams:
        if not team.get("key") or not team.get("name"):
            raise TeamConfigError("every [[team]] needs key and name")
        channel_plans = []
        for channel in team.get("channel", []):
            if not channel.get("name"):
                raise TeamConfigError(f"a channel of team {team['key']} has no name")
            definition = {
                k: v for k, v in channel.items() if k not in ("name", "kind", "secret_ref")
            }
            config, secret = split_channel_secrets(str(channel.get("kind", "")), definition)
            channel_plans.append((channel, config, secret))
        plans.append((team, channel_plans))
    new_refs: list[str] = []
    try:
        for _team, channel_plans in plans:
            for channel, _config, secret in channel_plans:
                if secret:
                    channel["secret_ref"] = secrets.put(json.dumps(secret))
                    new_refs.append(channel["secret_ref"])
        with sessions.begin() as session:
            _apply(session, plans, rules, report)
            audit.append(
                session,
                actor,
                "teams.import",
                str(path.name),
                {"teams": report.teams, "channels": report.channels, "rules": report.rules},
            )
    except Exception:
        for ref in new_refs:
            secrets.delete(ref)
        raise
    report.secrets_moved = len(new_refs)
    if new_refs:
        report.file_rewritten, report.warning = _rewrite_without_secrets(path, data)
    return report


def _apply(
    session: Session,
    plans: list[Any],
    rules: Any,
    report: ImportReport,
) -> None:
    keys: dict[str, int] = {}
    for team, channel_plans in plans:
        row = upsert_team(session, str(team["key"]), str(team["name"]))
        session.flush()
        keys[row.key] = row.id
        report.teams.append(row.key)
        if "members" in team:
            session.execute(delete(TeamMemberRow).where(TeamMemberRow.team_id == row.id))
            for member in team["members"]:
                session.add(
                    TeamMemberRow(
                        team_id=row.id,
                        name=str(member.get("name", "")),
                        phone=str(member.get("phone", "")),
                        radio=str(member.get("radio", "")),
                    )
                )
        for channel, config, _secret in channel_plans:
            save_channel_row(
                session,
                row.id,
                str(channel["kind"]),
                str(channel["name"]),
                config,
                channel.get("secret_ref"),
            )
            report.channels += 1
    if rules is None:
        return
    session.execute(delete(RoutingRuleRow))
    for rule in rules:
        team_id = keys.get(str(rule.get("team"))) or _team_id(session, str(rule.get("team")))
        priority = str(rule.get("priority", "normal"))
        if priority not in PRIORITIES:
            raise TeamConfigError(f"rule priority must be high or normal, not {priority!r}")
        group_id = None
        if rule.get("camera_group"):
            group_id = session.scalar(
                select(CameraGroupRow.id).where(CameraGroupRow.name == str(rule["camera_group"]))
            )
            if group_id is None:
                raise TeamConfigError(
                    f"rule names an unknown camera group {rule['camera_group']!r}"
                )
        session.add(
            RoutingRuleRow(
                category=str(rule.get("category", "")),
                min_risk=int(rule.get("min_risk", 0)),
                camera_group_id=group_id,
                team_id=team_id,
                priority=priority,
            )
        )
        report.rules += 1


def _team_id(session: Session, key: str) -> int:
    team_id = session.scalar(select(TeamRow.id).where(TeamRow.key == key))
    if team_id is None:
        raise TeamConfigError(f"rule names an unknown team {key!r}")
    return team_id


def _rewrite_without_secrets(path: Path, data: dict[str, Any]) -> tuple[bool, str]:
    for team in data.get("team", []):
        for channel in team.get("channel", []):
            for key in SECRET_KEYS:
                channel.pop(key, None)
            if isinstance(channel.get("url"), str):
                channel["url"] = strip_url_secrets(channel["url"])[0]
    try:
        write_private(path, ("# Secrets were moved to the commandroom secret store on import.\n"
                             + tomli_w.dumps(data)).encode("utf-8"))
    except OSError as exc:
        return False, f"could not rewrite {path} ({exc}); delete it: it holds secrets"
    return True, ""
