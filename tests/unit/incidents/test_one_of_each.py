"""Once is enough: an alert makes one incident (asked again, the one there is is found),
and a team acknowledges once (the officer cannot add a phone call to an acknowledgement
the team gave on its channel, even one the incident had not heard of yet)."""

from __future__ import annotations

import datetime as dt

import pytest

from commandroom.incidents import How, IncidentError, ItemKind, State
from tests.support.alert_core import TEAM_MEMBERS
from tests.unit.incidents.conftest import OFFICER, START, World


def test_an_alert_makes_one_incident_and_of_alert_finds_it(world: World) -> None:
    alert_id = world.send_alert()
    assert world.incidents.of_alert(OFFICER, alert_id) == []
    made = world.incidents.create_from_alert(OFFICER, alert_id)
    with pytest.raises(IncidentError) as again:
        world.incidents.create_from_alert(OFFICER, alert_id)
    assert again.value.code == "alert_has_incident"
    assert [i.id for i in world.incidents.of_alert(OFFICER, alert_id)] == [made.id]
    assert len(world.incidents.list(OFFICER)) == 1


def test_an_alert_that_joined_an_incident_is_found_too(world: World) -> None:
    incident = world.incidents.create_from_sighting(OFFICER, world.sighting_id)
    alert_id = world.send_alert()  # about the incident's sighting: it joins the incident
    assert [i.id for i in world.incidents.of_alert(OFFICER, alert_id)] == [incident.id]
    with pytest.raises(IncidentError):
        world.incidents.create_from_alert(OFFICER, alert_id)


def test_an_ack_on_the_channel_the_incident_missed_is_not_doubled_by_a_phone_call(
        world: World) -> None:
    incident = world.incidents.create_from_sighting(OFFICER, world.sighting_id)
    alert_id = world.send_alert()
    case = world.team("case")
    # The team answers by the link while the incident is not listening (the ack server
    # of another process, a listener that failed): the alert knows, the incident not.
    world.incidents.close()
    world.clock.advance(minutes=2)
    member = TEAM_MEMBERS["case"][0]
    world.stack.acks.record(OFFICER, alert_id, case, member, "link")
    world.clock.advance(minutes=3)
    with pytest.raises(IncidentError) as refused:
        world.incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, How.PHONE, case,
                               member)
    assert refused.value.code == "acked_already"
    [team] = [t for t in world.incidents.get(OFFICER, incident.id).teams if t.team_id == case]
    # The team's own acknowledgement, at its time: not the officer's phone call 3 min on.
    assert (team.ack_how, team.acked_by, team.ack_seconds) == ("link", member, 120)
    assert team.acked_at == START + dt.timedelta(minutes=2)
    acks = [i for i in world.incidents.timeline(OFFICER, incident.id)
            if i.kind is ItemKind.ACK]
    assert [(a.facts["how"], a.seconds) for a in acks] == [("link", 120)]
    states = [r.details for r in world.stack.audit.records if r.action == "incident.state"]
    assert states == [{"state": "acknowledged", "how": "link", "team_id": case}]
