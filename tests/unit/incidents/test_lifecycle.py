"""An incident from a sighting to "caught in 47 min" on an injected clock: each step's
time, the per-team acknowledgement times, the timeline, the audit and the permissions."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from commandroom.alerts.events import RemindersStopped
from commandroom.alerts.signing import AckRefused
from commandroom.auth.permissions import PermissionDenied
from commandroom.incidents import (
    How,
    IncidentError,
    IncidentFilter,
    ItemKind,
    LinkKind,
    Outcome,
    State,
)
from commandroom.incidents.models import IncidentTeamRow
from tests.unit.incidents.conftest import OFFICER, START, VIEWER, World, add_sighting


def test_from_sighting_to_caught_in_47_minutes(world: World) -> None:
    incidents, clock = world.incidents, world.clock
    incident = incidents.create_from_sighting(OFFICER, world.sighting_id)
    assert incident.number == "JX-2026-0001" and incident.state is State.OPEN
    assert incident.entry_ids == (world.entry_id,)
    assert incident.junction == "X12 / Main road" and incident.title == \
        "Zhang San · X12 / Main road"

    clock.advance(minutes=1)  # the alert goes out: both teams are sent to
    alert_id = world.send_alert()
    sent = incidents.get(OFFICER, incident.id)
    assert sent.state is State.DISPATCHED
    assert sent.dispatched_at == START + dt.timedelta(minutes=1)
    assert {t.team_id for t in sent.teams} == {world.team("community"), world.team("case")}
    assert all(t.alert_id == alert_id for t in sent.teams)

    clock.advance(minutes=2)  # the community team phones in; the officer records it
    incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, How.PHONE,
                     world.team("community"), "Li Wei")
    one = incidents.get(OFFICER, incident.id)
    assert one.state is State.DISPATCHED  # the case team has not acknowledged yet
    acks = {t.team_id: t.ack_seconds for t in one.teams}
    assert acks == {world.team("community"): 120, world.team("case"): None}

    clock.advance(minutes=4, seconds=30)
    incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, How.RADIO,
                     world.team("case"), "Sgt Liu")
    both = incidents.get(OFFICER, incident.id)
    assert both.state is State.ACKNOWLEDGED
    assert both.acknowledged_at == START + dt.timedelta(minutes=7, seconds=30)
    assert {t.team_id: t.ack_seconds for t in both.teams}[world.team("case")] == 390
    # The alert itself is acknowledged too: its escalation stops.
    assert {a.team_id: a.status for a in world.stack.service.status(alert_id)} == {
        world.team("community"): "acknowledged", world.team("case"): "acknowledged"}

    clock.advance(minutes=22, seconds=30)  # 30 min after creation
    incidents.record(OFFICER, incident.id, State.ON_SCENE, How.RADIO, world.team("case"))
    clock.advance(minutes=17)
    incidents.add_note(OFFICER, incident.id, "Suspect held at the bus station")
    done = incidents.resolve(OFFICER, incident.id, Outcome.CAUGHT, How.RADIO, "Sgt Liu")
    assert done.state is State.RESOLVED and done.outcome is Outcome.CAUGHT
    assert (done.scene_seconds, done.resolution_seconds) == (30 * 60, 47 * 60)

    timeline = incidents.timeline(OFFICER, incident.id)
    assert [i.kind for i in timeline] == [
        ItemKind.SIGHTING, ItemKind.CREATED, ItemKind.ALERT, ItemKind.DISPATCHED,
        ItemKind.DISPATCHED, ItemKind.ACK, ItemKind.ACK, ItemKind.STATE, ItemKind.NOTE,
        ItemKind.STATE]
    assert [i.seconds for i in timeline] == [-10, 0, 60, 60, 60, 180, 450, 1800, 2820, 2820]
    assert timeline[0].thumbnail is not None and timeline[0].thumbnail.name == "1.jpg"
    assert (timeline[5].facts["how"], timeline[5].facts["who"]) == ("phone", "Li Wei")
    last = timeline[-1]
    assert (last.facts["state"], last.facts["outcome"], last.facts["seconds"]) == (
        "resolved", "caught", "2820")

    actions = world.stack.audit.actions()
    assert actions.count("incident.create") == 1 and actions.count("incident.resolve") == 1
    assert "incident.note" in actions
    steps = [(r.actor, r.details["state"], r.details["how"])
             for r in world.stack.audit.records if r.action == "incident.state"]
    # The acks the officer took by phone and radio went onto the alert (audited there as
    # "alert.acknowledge" by wang); the incident followed the alert's event.
    assert steps == [("system", "acknowledged", "phone"), ("system", "acknowledged", "radio"),
                     ("wang", "on_scene", "radio")]
    assert actions.count("alert.acknowledge") == 2


def test_durations_are_plain_columns_statistics_can_group(world: World) -> None:
    """Time to acknowledge per team is one portable query, no date arithmetic."""
    from sqlalchemy import func, select

    incident = world.incidents.create_from_sighting(OFFICER, world.sighting_id)
    world.send_alert()
    world.clock.advance(seconds=95)
    world.incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, How.PHONE,
                           world.team("case"), "Sgt Liu")
    with world.stack.sessions() as session:
        rows = session.execute(
            select(IncidentTeamRow.team_id, func.avg(IncidentTeamRow.ack_seconds))
            .where(IncidentTeamRow.ack_seconds.is_not(None))
            .group_by(IncidentTeamRow.team_id)).all()
    assert [(team, float(avg)) for team, avg in rows] == [(world.team("case"), 95.0)]


def test_numbers_count_per_year_in_beijing_time(world: World) -> None:
    first = world.incidents.create(OFFICER, "Call from the market")
    # 31 Dec 16:30 UTC is already 1 January 2027 in Beijing: a new year, number 1 again.
    world.clock.now = dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC)
    new_year = world.incidents.create(OFFICER, "Fireworks complaint")
    second = world.incidents.create(OFFICER, "Another")
    assert [first.number, new_year.number, second.number] == [
        "JX-2026-0001", "JX-2027-0001", "JX-2027-0002"]
    assert new_year.created_day == dt.date(2027, 1, 1)


def test_an_alert_sent_from_a_sighting_of_the_incident_joins_it(world: World) -> None:
    incident = world.incidents.create(OFFICER, "Fraud at the bank", category="fraud_risk")
    other = add_sighting(world.stack, START, world.entry_id, "South gate", "X3")
    assert world.incidents.link(OFFICER, incident.id, LinkKind.SIGHTING, other)
    assert not world.incidents.link(OFFICER, incident.id, LinkKind.SIGHTING, other)
    alert_on_other = world.send_alert()  # about the fixture's sighting: not this incident
    assert world.incidents.get(OFFICER, incident.id).state is State.OPEN
    world.sighting_id = other
    alert_id = world.send_alert()
    joined = world.incidents.get(OFFICER, incident.id)
    assert joined.state is State.DISPATCHED and joined.entry_ids == (world.entry_id,)
    linked = [i.facts["alert_id"] for i in world.incidents.timeline(OFFICER, incident.id)
              if i.kind is ItemKind.ALERT]
    assert linked == [str(alert_id)] and str(alert_on_other) not in linked


def test_create_from_an_alert_brings_its_teams_and_acks_already_in(world: World) -> None:
    alert_id = world.send_alert()
    world.clock.advance(minutes=2)
    world.stack.service.ack_by_console(OFFICER, alert_id, world.team("case"), "Sgt Liu",
                                       "phone")
    world.clock.advance(minutes=1)
    incident = world.incidents.create_from_alert(OFFICER, alert_id)
    acks = {t.team_id: (t.ack_seconds, t.ack_how) for t in incident.teams}
    assert acks == {world.team("case"): (120, "phone"), world.team("community"): (None, "")}
    assert incident.state is State.DISPATCHED and incident.category == "wanted"


def test_an_incident_from_a_sighting_takes_the_alerts_already_sent_about_it(
        world: World) -> None:
    """The console's order: tag, alert, then Ctrl+Shift+N on the sighting. Seen in the
    walk: the incident said "not sent to any team" while both had the alert."""
    alert_id = world.send_alert()
    world.clock.advance(minutes=2)
    world.stack.service.ack_by_console(OFFICER, alert_id, world.team("case"), "Sgt Liu",
                                       "phone")
    world.clock.advance(minutes=1)
    incident = world.incidents.create_from_sighting(OFFICER, world.sighting_id)
    acks = {t.team_id: (t.ack_seconds, t.ack_how) for t in incident.teams}
    assert acks == {world.team("case"): (120, "phone"), world.team("community"): (None, "")}
    assert incident.state is State.DISPATCHED
    # One incident per alert: a second incident on the same sighting does not take it.
    again = world.incidents.create_from_sighting(OFFICER, world.sighting_id)
    assert again.teams == () and again.state is State.OPEN
    # ...and the team acknowledging later moves the first incident only.
    world.clock.advance(minutes=1)
    world.stack.service.ack_by_console(OFFICER, alert_id, world.team("community"),
                                       "PC Zhao", "phone")
    first = world.incidents.get(OFFICER, incident.id)
    assert {t.team_id: t.ack_seconds for t in first.teams}[world.team("community")] == 240
    assert world.incidents.get(OFFICER, again.id).teams == ()


def test_a_team_dispatched_by_radio_is_acknowledged_on_the_incident(world: World) -> None:
    incident = world.incidents.create(OFFICER, "Stolen tractor")
    world.incidents.record(OFFICER, incident.id, State.DISPATCHED, How.RADIO,
                           world.team("community"))
    world.clock.advance(seconds=40)
    view = world.incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, How.RADIO,
                                  world.team("community"), "PC Zhao")
    assert view.state is State.ACKNOWLEDGED and view.teams[0].ack_seconds == 40
    with pytest.raises(IncidentError) as twice:
        world.incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, How.RADIO,
                               world.team("community"), "PC Zhao")
    assert twice.value.code == "acked_already"
    with pytest.raises(IncidentError) as never_sent:
        world.incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, How.PHONE,
                               world.team("case"), "Sgt Liu")
    assert never_sent.value.code == "not_dispatched"


def test_resolving_stops_the_reminders_of_its_alerts_and_only_those(world: World) -> None:
    """Seen in a walk: the suspect caught at 10:33, and at 10:36 and 10:39 both teams got
    the "URGENT wanted" alert again as reminders. A team that had acknowledged is left
    as it was; an alert of another, open incident still reminds."""
    alert_id = world.send_alert()
    world.stack.service.ack_by_console(OFFICER, alert_id, world.team("case"), "Sgt Liu",
                                       "phone")
    incident = world.incidents.create_from_alert(OFFICER, alert_id)
    # Another sighting's alert, in an incident still open.
    elsewhere = add_sighting(world.stack, START, world.entry_id, camera_name="South gate")
    other = dataclasses.replace(world, sighting_id=elsewhere).send_alert()
    world.incidents.create_from_alert(OFFICER, other)
    world.clock.advance(minutes=1)
    world.incidents.resolve(OFFICER, incident.id, Outcome.CAUGHT)
    assert world.stack.of_type(RemindersStopped) == [RemindersStopped((alert_id,))]
    fired = world.stack.escalation.check(world.clock.advance(minutes=3))
    assert {(e.alert_id, e.team_id) for e in fired} == {
        (other, world.team("case")), (other, world.team("community"))}
    later = world.stack.escalation.check(world.clock.advance(minutes=3))
    assert later and all(e.alert_id == other for e in later)  # the second reminder
    resolved = [r.details for r in world.stack.audit.records if r.action == "incident.resolve"]
    assert resolved == [{"outcome": "caught", "how": "console", "seconds": 60,
                         "reminders_stopped": 1}]  # community's; case had acknowledged


def test_a_resolved_incident_takes_no_more_steps_and_loses_nothing(world: World) -> None:
    incident = world.incidents.create(OFFICER, "False report")
    world.incidents.resolve(OFFICER, incident.id, Outcome.FALSE_ALARM)
    with pytest.raises(IncidentError) as resolved:
        world.incidents.record(OFFICER, incident.id, State.ON_SCENE, How.RADIO)
    assert resolved.value.code == "resolved"
    with pytest.raises(IncidentError):
        world.incidents.resolve(OFFICER, incident.id, Outcome.CAUGHT)
    assert world.incidents.get(OFFICER, incident.id).outcome is Outcome.FALSE_ALARM
    with pytest.raises(IncidentError):
        world.incidents.add_note(OFFICER, incident.id, "   ")


def test_a_phone_ack_names_a_team_member_as_on_the_alert(world: World) -> None:
    incident = world.incidents.create_from_sighting(OFFICER, world.sighting_id)
    world.send_alert()
    with pytest.raises(AckRefused):
        world.incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, How.PHONE,
                               world.team("case"), "Nobody Known")
    view = world.incidents.get(OFFICER, incident.id)
    assert all(t.acked_at is None for t in view.teams)


def test_a_viewer_reads_but_changes_nothing(world: World) -> None:
    incident = world.incidents.create(OFFICER, "Call")
    with pytest.raises(PermissionDenied):
        world.incidents.create(VIEWER, "Mine")
    with pytest.raises(PermissionDenied):
        world.incidents.resolve(VIEWER, incident.id, Outcome.CAUGHT)
    with pytest.raises(PermissionDenied):
        world.incidents.add_note(VIEWER, incident.id, "hello")
    assert [i.number for i in world.incidents.list(VIEWER)] == [incident.number]
    assert world.incidents.list(VIEWER, IncidentFilter(text="nothing like it")) == []
    assert world.stack.audit.actions().count("incident.create") == 1
