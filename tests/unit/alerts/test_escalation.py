from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from commandroom.alerts.events import AlertEscalated
from commandroom.alerts.models import AlertRecipientRow, AlertRow, DeliveryRow
from tests.support.alert_core import AlertStack, FakeClock, sample_content
from tests.unit.alerts.conftest import ADMIN, OFFICER


def _channels(stack: AlertStack) -> None:
    for key in ("community", "case"):
        stack.teams.save_channel(
            ADMIN, stack.team_id(key), "webhook", "hook", {"url": "http://127.0.0.1:9/"}
        )


def test_high_priority_escalates_after_three_minutes(
    stack: AlertStack, tmp_path: Path, clock: FakeClock
) -> None:
    _channels(stack)
    start = clock()
    alert_id = stack.service.send(OFFICER, 1, sample_content(tmp_path, "wanted"))
    community, case = stack.team_id("community"), stack.team_id("case")
    stack.service.ack_by_console(OFFICER, alert_id, case, "Sgt Liu", "phone")

    assert stack.escalation.next_deadline() == start + timedelta(minutes=3)
    assert stack.escalation.check(start + timedelta(minutes=2, seconds=59)) == []
    fired = stack.escalation.check(clock.advance(minutes=3))
    assert fired == [AlertEscalated(alert_id, community, 1, "high")]  # the acked team is left
    assert stack.of_type(AlertEscalated) == fired
    with stack.sessions() as session:
        new = session.scalars(select(DeliveryRow).where(DeliveryRow.round == 1)).all()
        community_row = session.scalars(
            select(AlertRecipientRow).where(AlertRecipientRow.team_id == community)
        ).one()
        alert = session.get_one(AlertRow, alert_id)
    assert [d.idempotency_key for d in new] == [f"{alert_id}:{community}:{new[0].channel_id}:e1"]
    assert new[0].status == "queued" and new[0].next_try == clock()
    assert (community_row.status, community_row.escalations) == ("escalated", 1)
    assert alert.status == "escalated"
    assert "alert.escalate" in stack.audit.actions()

    # The next reminder counts from the escalation, and they stop after the maximum.
    assert stack.escalation.check(clock.advance(minutes=2)) == []
    assert len(stack.escalation.check(clock.advance(minutes=1))) == 1
    assert stack.escalation.check(clock.advance(hours=1)) == []
    assert stack.escalation.next_deadline() is None


def test_normal_priority_waits_ten_minutes_and_an_ack_stops_it(
    stack: AlertStack, tmp_path: Path, clock: FakeClock
) -> None:
    _channels(stack)
    alert_id = stack.service.send(OFFICER, 1, sample_content(tmp_path, "missing_person"))
    assert stack.escalation.check(clock.advance(minutes=9, seconds=59)) == []
    stack.service.ack_by_console(OFFICER, alert_id, stack.team_id("community"), "Li Wei", "radio")
    assert stack.escalation.check(clock.advance(minutes=5)) == []
    alert_2 = stack.service.send(OFFICER, 2, sample_content(tmp_path, "missing_person"))
    assert stack.escalation.check(clock.advance(minutes=10)) == [
        AlertEscalated(alert_2, stack.team_id("community"), 1, "normal")
    ]


def test_dispatcher_runs_escalation_on_its_clock(
    stack: AlertStack, tmp_path: Path, clock: FakeClock
) -> None:
    _channels(stack)

    class Ok:
        keys: list[str] = []

        def send(self, message: object, config: object, secret: object) -> None:
            self.keys.append(message.idempotency_key)  # type: ignore[attr-defined]

        def close(self) -> None:
            pass

    sender = Ok()
    dispatcher = stack.dispatcher(senders={"webhook": sender})
    alert_id = stack.service.send(OFFICER, 1, sample_content(tmp_path, "fraud_risk"))
    dispatcher.run_once()
    clock.advance(minutes=10)
    dispatcher.run_once()  # escalates, then sends the reminder in the same pass
    community = stack.team_id("community")
    channel = stack.teams.channels(community)[0].id
    assert sender.keys == [
        f"{alert_id}:{community}:{channel}",
        f"{alert_id}:{community}:{channel}:e1",
    ]
    dispatcher.stop()
