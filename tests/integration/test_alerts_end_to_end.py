"""One sighting, two teams, every kind of channel at once (webhook, e-mail, MQTT), then an
escalation driven by the injected clock through the running dispatcher."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from commandroom.alerts.events import AlertEscalated, DeliveryChanged
from commandroom.auth.permissions import Actor, Role
from commandroom.db.base import utcnow
from tests.support.alert_core import FakeClock, make_stack, sample_content
from tests.support.receivers import (
    EventWaiter,
    MqttCollector,
    SmtpReceiver,
    WebhookReceiver,
    attachments_sha256,
    mosquitto,
)

pytestmark = pytest.mark.integration
OFFICER = Actor("wang", Role.DUTY_OFFICER)
ADMIN = Actor("admin", Role.ADMINISTRATOR)
SECRET = "e2e-secret"


def test_one_sighting_reaches_both_teams_on_every_channel_then_escalates(
    tmp_path: Path,
) -> None:
    clock = FakeClock(start=utcnow())
    stack = make_stack(tmp_path / "alerts.db", clock=clock)
    webhook = WebhookReceiver(secret=SECRET).start()
    smtp = SmtpReceiver().start()
    with mosquitto(tmp_path) as broker:
        collector = MqttCollector(broker, ["commandroom/alerts/#"])
        for key in ("community", "case"):
            team = stack.team_id(key)
            stack.teams.save_channel(
                ADMIN, team, "webhook", "hook", {"url": webhook.url, "signing_secret": SECRET}
            )
            stack.teams.save_channel(
                ADMIN,
                team,
                "email",
                "mail",
                {
                    "host": "127.0.0.1",
                    "port": smtp.port,
                    "security": "none",
                    "sender": "room@station.local",
                    "to": [f"{key}@station.local"],
                },
            )
            stack.teams.save_channel(
                ADMIN, team, "mqtt", "mqtt", {"host": "127.0.0.1", "port": broker}
            )
        changes = EventWaiter(stack.bus, DeliveryChanged)
        dispatcher = stack.dispatcher()
        dispatcher.start()
        try:
            content = sample_content(tmp_path)
            alert_id = stack.service.send(OFFICER, 77, content)
            changes.wait_for(lambda ev: len(ev) == 6)
            community = stack.team_id("community")
            stack.service.ack_by_console(OFFICER, alert_id, community, "Li Wei", "phone")

            clock.advance(minutes=3)  # high priority: the case team is reminded now
            dispatcher.wake()
            changes.wait_for(lambda ev: len(ev) == 9)
        finally:
            dispatcher.stop()
            collector.stop()
            smtp.stop()
            webhook.stop()
            stack.close()
    assert {e.status for e in changes.events} == {"delivered", "sent"}
    first = [k for k in webhook.delivered if not k.endswith(":e1")]
    assert len(first) == 2 and len(smtp.messages) == 3
    for request in webhook.delivered.values():
        snapshot = base64.b64decode(request.json()["snapshot"]["base64"])
        assert hashlib.sha256(snapshot).hexdigest() == content.snapshot_sha256
    for mail in smtp.messages:
        assert attachments_sha256(mail) == [content.snapshot_sha256]
    mqtt_docs = [
        d
        for t in ("commandroom/alerts/community", "commandroom/alerts/case")
        for d in collector.on(t)
    ]
    assert len(mqtt_docs) == 3
    assert all(d["snapshot"]["sha256"] == content.snapshot_sha256 for d in mqtt_docs)
    # The reminder went to the case team only, on all three channels.
    reminders = [k for k in webhook.delivered if k.endswith(":e1")]
    case = stack.team_id("case")
    assert len(reminders) == 1 and reminders[0].split(":")[1] == str(case)
    assert [m["To"] for m in smtp.messages].count("case@station.local") == 2
    assert stack.of_type(AlertEscalated) == [AlertEscalated(alert_id, case, 1, "high")]
    assert webhook.rejected == []
