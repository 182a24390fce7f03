from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import select

from commandroom.alerts.models import RoutingRuleRow, TeamChannelRow, TeamMemberRow
from commandroom.alerts.provision import provision_from_toml
from commandroom.alerts.signing import ACK_KEY_REF
from commandroom.alerts.teams import TeamConfigError
from commandroom.auth.permissions import PermissionDenied
from commandroom.secrets.store import SecretRow
from tests.support.alert_core import AlertStack
from tests.unit.alerts.conftest import ADMIN, OFFICER

TEAMS_TOML = """
# Station 3 teams
[[team]]
key = "community"
name = "Community policing"
members = [{ name = "Li Wei", phone = "13800000000" }]

[[team.channel]]
name = "WeCom group"
kind = "webhook"
preset = "wecom"
url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=WECOM-KEY"

[[team.channel]]
name = "Duty mail"
kind = "email"
host = "127.0.0.1"
port = 2525
sender = "room@station.local"
to = ["community@station.local"]
username = "room"
password = "MAIL-PASSWORD"

[[team]]
key = "traffic"
name = "Traffic unit"

[[team.channel]]
name = "Radio bridge"
kind = "mqtt"
host = "127.0.0.1"

[[rule]]
category = "wanted"
team = "community"
priority = "high"

[[rule]]
category = "vehicle"
team = "traffic"
min_risk = 2
"""


def _load(stack: AlertStack, path: Path):  # type: ignore[no-untyped-def]
    return provision_from_toml(path, ADMIN, stack.sessions, stack.secrets, stack.audit)


def test_import_moves_secrets_and_rewrites_the_file(stack: AlertStack, tmp_path: Path) -> None:
    path = tmp_path / "teams.toml"
    path.write_text(TEAMS_TOML, encoding="utf-8")
    report = _load(stack, path)
    assert report.teams == ["community", "traffic"]
    assert (report.channels, report.rules, report.secrets_moved) == (3, 2, 2)
    assert report.file_rewritten
    rewritten = path.read_text(encoding="utf-8")
    assert "WECOM-KEY" not in rewritten and "MAIL-PASSWORD" not in rewritten
    assert rewritten.count("secret_ref") == 2
    community = stack.team_id("community")
    with stack.sessions() as session:
        channels = {c.name: c for c in session.scalars(select(TeamChannelRow)).all()}
        rules = session.scalars(select(RoutingRuleRow)).all()
        members = session.scalars(select(TeamMemberRow).where(
            TeamMemberRow.team_id == community)).all()
    assert json.loads(stack.secrets.get(channels["Duty mail"].secret_ref)) == {
        "password": "MAIL-PASSWORD"
    }
    assert "WECOM-KEY" not in channels["WeCom group"].config
    assert sorted((r.category, r.min_risk) for r in rules) == [("vehicle", 2), ("wanted", 0)]
    assert [m.name for m in members] == ["Li Wei"]
    assert "teams.import" in stack.audit.actions()

    # Importing the rewritten file again changes nothing and keeps the stored secrets.
    again = _load(stack, path)
    assert again.secrets_moved == 0
    with stack.sessions() as session:
        mail = session.scalar(select(TeamChannelRow).where(TeamChannelRow.name == "Duty mail"))
    assert mail is not None and mail.secret_ref == channels["Duty mail"].secret_ref
    assert tomllib.loads(rewritten)["team"][0]["channel"][0]["url"].endswith("/send")


def test_a_bad_file_changes_nothing(stack: AlertStack, tmp_path: Path) -> None:
    path = tmp_path / "teams.toml"
    path.write_text(TEAMS_TOML + '\n[[rule]]\ncategory = "x"\nteam = "nobody"\n', "utf-8")
    with pytest.raises(TeamConfigError, match="unknown team 'nobody'"):
        _load(stack, path)
    assert [t.key for t in stack.teams.list_teams()] == ["community", "case"]
    assert "MAIL-PASSWORD" in path.read_text(encoding="utf-8")  # not rewritten either
    with stack.sessions() as session:  # the secrets stored ahead were taken back
        assert session.scalars(select(SecretRow.ref)).all() == [ACK_KEY_REF]
    path.write_text("[[team]]\nkey = \n", "utf-8")
    with pytest.raises(TeamConfigError, match="cannot read"):
        _load(stack, path)


def test_import_needs_edit_teams(stack: AlertStack, tmp_path: Path) -> None:
    path = tmp_path / "teams.toml"
    path.write_text(TEAMS_TOML, encoding="utf-8")
    with pytest.raises(PermissionDenied):
        provision_from_toml(path, OFFICER, stack.sessions, stack.secrets, stack.audit)
