"""A team's acknowledgement reaches the incident by the channel it came on: the signed
link in a WeCom/DingTalk/e-mail message (the app's real ack endpoint on 127.0.0.1) and
the field app's MQTT reply (Debian's mosquitto on 127.0.0.1). Only that team moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from commandroom.alerts.ack_server import AckHttpServer
from commandroom.alerts.messages import delivery_key
from commandroom.alerts.mqtt_acks import MqttAckListener
from commandroom.config import AlertSettings
from commandroom.incidents import ItemKind, State
from commandroom.incidents.events import IncidentChanged
from tests.support.alert_core import member_id
from tests.support.receivers import EventWaiter, MqttCollector, free_port, mosquitto
from tests.unit.incidents.conftest import ADMIN, OFFICER, World

pytestmark = pytest.mark.integration


def _acked(world: World, incident_id: int, team: str) -> dict[int, tuple[int | None, str, str]]:
    view = world.incidents.get(OFFICER, incident_id)
    return {t.team_id: (t.ack_seconds, t.ack_how, t.acked_by) for t in view.teams}


def test_a_link_click_acknowledges_that_team_of_the_incident(world: World) -> None:
    incident = world.incidents.create_from_sighting(OFFICER, world.sighting_id)
    alert_id = world.send_alert()
    server = AckHttpServer(world.stack.acks, world.stack.signer,
                           AlertSettings(ack_bind="127.0.0.1", ack_port=free_port()),
                           world.clock)
    changed = EventWaiter(world.stack.bus, IncidentChanged)
    community = world.team("community")
    token = world.stack.signer.link_token(alert_id, community,
                                          world.clock.now + dt.timedelta(hours=12))
    world.clock.advance(minutes=3, seconds=5)
    server.start()
    try:
        with httpx.Client(timeout=5) as http:
            done = http.post(f"{server.base_url}/ack", data={
                "t": token, "member": member_id(world.stack, "community", "Li Wei")})
        assert done.status_code == 200
        changed.wait_for(lambda events: len(events) >= 1)
    finally:
        server.stop()
    assert _acked(world, incident.id, "community") == {
        community: (185, "link", "Li Wei"), world.team("case"): (None, "", "")}
    assert world.incidents.get(OFFICER, incident.id).state is State.DISPATCHED
    [ack] = [i for i in world.incidents.timeline(OFFICER, incident.id)
             if i.kind is ItemKind.ACK]
    assert (ack.seconds, ack.facts["how"], ack.facts["who"]) == (185, "link", "Li Wei")


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[int]:
    with mosquitto(tmp_path) as port:
        yield port


def test_an_mqtt_reply_acknowledges_that_team_and_then_the_incident(
        world: World, broker: int) -> None:
    config = {"host": "127.0.0.1", "port": broker}
    channel_id = world.stack.teams.save_channel(ADMIN, world.team("case"), "mqtt", "mqtt",
                                                config)
    incident = world.incidents.create_from_sighting(OFFICER, world.sighting_id)
    alert_id = world.send_alert()
    world.clock.advance(minutes=1)
    world.incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, "phone",
                           world.team("community"), "PC Zhao")
    listener = MqttAckListener(world.stack.sessions, world.stack.acks, world.stack.signer,
                               config)
    changed = EventWaiter(world.stack.bus, IncidentChanged)
    collector = MqttCollector(broker, ["commandroom/alerts/case/ack/result"])
    listener.start()
    try:
        assert listener.ready.wait(10)
        world.clock.advance(minutes=1, seconds=30)
        case = world.team("case")
        collector.publish("commandroom/alerts/case/ack", {
            "alert_id": alert_id, "idempotency_key": delivery_key(alert_id, case, channel_id),
            "token": world.stack.signer.mqtt_token(alert_id, case),
            "member_id": member_id(world.stack, "case", "Sgt Liu")})
        [result] = collector.wait_for("commandroom/alerts/case/ack/result")
        assert result["accepted"] is True
        changed.wait_for(lambda events: any(e.state == "acknowledged" for e in events))
    finally:
        listener.stop()
        collector.stop()
    assert _acked(world, incident.id, "case") == {
        world.team("community"): (60, "phone", "PC Zhao"), case: (150, "mqtt", "Sgt Liu")}
    view = world.incidents.get(OFFICER, incident.id)
    assert view.state is State.ACKNOWLEDGED
    assert view.acknowledged_at == view.created_at + dt.timedelta(seconds=150)
