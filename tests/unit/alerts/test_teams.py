from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from commandroom.alerts.models import TeamChannelRow
from commandroom.alerts.teams import TeamConfigError, route, split_channel_secrets
from commandroom.auth.permissions import PermissionDenied
from commandroom.cameras.models import CameraGroupRow
from tests.support.alert_core import AlertStack, sample_content
from tests.unit.alerts.conftest import ADMIN, OFFICER


def test_default_teams_and_rules_are_seeded(stack: AlertStack, tmp_path: Path) -> None:
    community, case = stack.team_id("community"), stack.team_id("case")
    with stack.sessions() as session:
        assert route(session, sample_content(tmp_path, "wanted")) == {
            community: "high",
            case: "high",
        }
        assert route(session, sample_content(tmp_path, "suspect")) == {
            community: "high",
            case: "high",
        }
        assert route(session, sample_content(tmp_path, "missing_person")) == {community: "normal"}
        assert route(session, sample_content(tmp_path, "fraud_risk")) == {community: "normal"}
        assert route(session, sample_content(tmp_path, "unknown")) == {}


def test_rules_filter_by_risk_and_camera_group(stack: AlertStack, tmp_path: Path) -> None:
    with stack.sessions.begin() as session:
        group = CameraGroupRow(name="Market", position=0)
        session.add(group)
        session.flush()
        group_id = group.id
    case = stack.team_id("case")
    stack.teams.add_rule(ADMIN, "traffic", case, "high", min_risk=2, camera_group_id=group_id)
    with stack.sessions() as session:
        assert route(session, sample_content(tmp_path, "traffic", camera_group_id=group_id)) == {
            case: "high"
        }
        low = sample_content(tmp_path, "traffic", risk=1, camera_group_id=group_id)
        assert route(session, low) == {}
        assert route(session, sample_content(tmp_path, "traffic", camera_group_id=None)) == {}


def test_channel_secrets_never_reach_the_config(stack: AlertStack) -> None:
    team = stack.team_id("community")
    channel_id = stack.teams.save_channel(
        ADMIN,
        team,
        "webhook",
        "WeCom",
        {"url": "https://qyapi.example/cgi-bin/webhook/send?key=KEY123&x=1", "preset": "wecom"},
    )
    stack.teams.save_channel(
        ADMIN,
        team,
        "email",
        "Mail",
        {"host": "127.0.0.1", "to": ["a@b.c"], "username": "u", "password": "pw!"},
    )
    with stack.sessions() as session:
        rows = {r.name: r for r in session.scalars(select(TeamChannelRow)).all()}
    assert "KEY123" not in rows["WeCom"].config and "pw!" not in rows["Mail"].config
    assert (
        json.loads(rows["WeCom"].config)["url"] == "https://qyapi.example/cgi-bin/webhook/send?x=1"
    )
    assert json.loads(stack.secrets.get(rows["WeCom"].secret_ref)) == {
        "url_params": {"key": "KEY123"}
    }
    assert json.loads(stack.secrets.get(rows["Mail"].secret_ref)) == {"password": "pw!"}
    # Saving again replaces the secret and drops the old one from the store.
    old_ref = rows["Mail"].secret_ref
    stack.teams.save_channel(
        ADMIN, team, "email", "Mail", {"host": "h", "to": ["a@b.c"], "password": "new"}
    )
    assert stack.secrets.get(old_ref) is None
    assert channel_id > 0
    assert "team.channel.save" in stack.audit.actions()


def test_bad_definitions_are_refused_with_a_reason() -> None:
    with pytest.raises(TeamConfigError, match="kind"):
        split_channel_secrets("fax", {})
    with pytest.raises(TeamConfigError, match="http"):
        split_channel_secrets("webhook", {"url": "ftp://x"})
    with pytest.raises(TeamConfigError, match="own fields"):
        split_channel_secrets("webhook", {"url": "https://u:p@host/x"})


def test_editing_teams_needs_the_permission(stack: AlertStack) -> None:
    with pytest.raises(PermissionDenied):
        stack.teams.create_team(OFFICER, "traffic", "Traffic")
    team_id = stack.teams.create_team(ADMIN, "traffic", "Traffic")
    stack.teams.add_member(ADMIN, team_id, "Li Wei", phone="123")
    assert [t.key for t in stack.teams.list_teams()] == ["community", "case", "traffic"]
