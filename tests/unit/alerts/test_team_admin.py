"""The administrator's team editing behind the Teams window (issue 12 item 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commandroom.alerts.events import TeamChannelsChanged, TeamsChanged
from commandroom.alerts.teams import TeamConfigError
from commandroom.auth.permissions import PermissionDenied
from tests.support.alert_core import AlertStack, sample_content
from tests.unit.alerts.conftest import ADMIN, OFFICER, SUPERVISOR


def test_only_the_administrator_edits_teams(stack: AlertStack) -> None:
    community = stack.team_id("community")
    for actor in (OFFICER, SUPERVISOR):
        with pytest.raises(PermissionDenied):
            stack.teams.overview(actor)
        with pytest.raises(PermissionDenied):
            stack.teams.add_member(actor, community, "Li Wei")
        with pytest.raises(PermissionDenied):
            stack.teams.rename_team(actor, community, "X")
    assert stack.teams.overview(ADMIN).team(community) is not None


def test_overview_shows_members_channels_and_which_secrets_are_stored_never_values(
    stack: AlertStack,
) -> None:
    case = stack.team_id("case")
    stack.teams.save_channel(ADMIN, case, "webhook", "DingTalk", {
        "url": "https://oapi.example/robot/send?access_token=TOKEN-1", "preset": "dingtalk",
        "signing_secret": "SEC-1"})
    overview = stack.teams.overview(ADMIN)
    team = overview.team(case)
    assert team is not None and team.name == "Case handling" and team.key == "case"
    assert [(m.name, m.phone) for m in team.members] == [("Sgt Liu", "13800000000"),
                                                         ("Wang Fang", "13800000001")]
    [channel] = team.channels
    assert channel.stored_secrets == ("access_token", "signing_secret")
    assert "TOKEN-1" not in repr(overview) and "SEC-1" not in repr(overview)
    assert {(r.category, r.priority) for r in overview.rules if r.team_id == case} == {
        ("wanted", "high"), ("suspect", "high")}


def test_an_empty_password_field_keeps_the_stored_secret(stack: AlertStack) -> None:
    case = stack.team_id("case")
    stack.teams.save_channel(ADMIN, case, "webhook", "DingTalk", {
        "url": "https://oapi.example/robot/send?access_token=TOKEN-1", "preset": "dingtalk",
        "signing_secret": "SEC-1"})
    # The window sends only what was typed: a new signing secret, no token this time.
    stack.teams.save_channel(ADMIN, case, "webhook", "DingTalk", {
        "url": "https://oapi.example/robot/send", "preset": "dingtalk",
        "signing_secret": "SEC-2"}, keep_stored_secrets=True)
    [channel] = stack.teams.overview(ADMIN).team(case).channels  # type: ignore[union-attr]
    ref = _secret_ref(stack, channel.id)
    assert json.loads(stack.secrets.get(ref)) == {
        "signing_secret": "SEC-2", "url_params": {"access_token": "TOKEN-1"}}
    # Nothing typed at all: the stored secret stays as it is.
    stack.teams.save_channel(ADMIN, case, "webhook", "DingTalk", {
        "url": "https://oapi.example/robot/send", "preset": "dingtalk"},
        keep_stored_secrets=True)
    assert _secret_ref(stack, channel.id) == ref


def _secret_ref(stack: AlertStack, channel_id: int) -> str:
    from commandroom.alerts.models import TeamChannelRow

    with stack.sessions() as session:
        return session.get_one(TeamChannelRow, channel_id).secret_ref


def test_members_are_added_changed_and_removed_with_clear_refusals(stack: AlertStack) -> None:
    events: list[object] = []
    stack.bus.subscribe(TeamsChanged, events.append)
    teams = stack.teams  # the core's, which tells the bus
    community = stack.team_id("community")
    member = teams.add_member(ADMIN, community, "  Zhou Min ", "139 0000 1111", "R-7")
    teams.update_member(ADMIN, member, "Zhou Min", "+86 139-0000-1112")
    detail = teams.overview(ADMIN).team(community)
    assert detail is not None
    assert ("Zhou Min", "+86 139-0000-1112", "") in [(m.name, m.phone, m.radio)
                                                     for m in detail.members]
    with pytest.raises(TeamConfigError, match="needs a name"):
        teams.add_member(ADMIN, community, "  ")
    with pytest.raises(TeamConfigError, match="digits"):
        teams.update_member(ADMIN, member, "Zhou Min", "call me")
    teams.remove_member(ADMIN, member)
    with pytest.raises(TeamConfigError, match="deleted meanwhile"):
        teams.remove_member(ADMIN, member)
    assert len(events) == 3
    actions = stack.audit.actions()
    assert {"team.member.add", "team.member.update", "team.member.remove"} <= set(actions)


def test_teams_are_created_and_renamed(stack: AlertStack) -> None:
    traffic = stack.teams.create_team(ADMIN, "traffic", "Traffic")
    stack.teams.rename_team(ADMIN, stack.team_id("case"), "刑侦中队")
    names = {t.key: t.name for t in stack.teams.list_teams()}
    assert names == {"community": "Community policing", "case": "刑侦中队",
                     "traffic": "Traffic"}
    assert traffic == stack.team_id("traffic")
    with pytest.raises(TeamConfigError, match="letters, digits"):
        stack.teams.create_team(ADMIN, "no spaces", "X")


def test_a_used_channel_is_disabled_not_deleted(stack: AlertStack, tmp_path: Path) -> None:
    community = stack.team_id("community")
    changed: list[object] = []
    stack.bus.subscribe(TeamChannelsChanged, changed.append)
    teams = stack.teams  # the core's, which tells the bus
    used = teams.save_channel(ADMIN, community, "webhook", "used",
                              {"url": "http://127.0.0.1:9/", "signing_secret": "S"})
    stack.service.send(OFFICER, 1, sample_content(tmp_path, "fraud_risk"))
    spare = teams.save_channel(ADMIN, community, "mqtt", "spare", {"host": "127.0.0.1",
                                                                   "password": "P"})
    with pytest.raises(TeamConfigError, match="disable it instead"):
        teams.delete_channel(ADMIN, used)
    teams.set_channel_enabled(ADMIN, used, False)
    spare_ref = _secret_ref(stack, spare)
    teams.delete_channel(ADMIN, spare)
    assert stack.secrets.get(spare_ref) is None  # its secret goes with it
    [channel] = teams.overview(ADMIN).team(community).channels  # type: ignore[union-attr]
    assert (channel.name, channel.enabled) == ("used", False)
    assert len(changed) == 4


def test_rules_are_added_and_removed(stack: AlertStack, tmp_path: Path) -> None:
    case = stack.team_id("case")
    rule = stack.teams.add_rule(ADMIN, "fraud_risk", case, "normal", min_risk=2)
    assert any(r.id == rule for r in stack.teams.overview(ADMIN).rules)
    stack.teams.remove_rule(ADMIN, rule)
    assert all(r.id != rule for r in stack.teams.overview(ADMIN).rules)
    with pytest.raises(TeamConfigError, match="needs a category"):
        stack.teams.add_rule(ADMIN, " ", case)
