from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commandroom.alerts.events import AlertAcknowledged, AlertCreated
from commandroom.alerts.models import AlertRecipientRow, AlertRow, DeliveryRow
from commandroom.alerts.service import NoRecipients
from commandroom.alerts.signing import AckRefused
from commandroom.auth.permissions import PermissionDenied
from tests.support.receivers import AlertStack, FakeClock, sample_content
from tests.unit.alerts.conftest import OFFICER, SUPERVISOR, VIEWER


def _two_channels_each(stack: AlertStack) -> None:
    for key in ("community", "case"):
        team = stack.team_id(key)
        for n in (1, 2):
            stack.teams.save_channel(
                SUPERVISOR,
                team,
                "webhook",
                f"hook{n}",
                {"url": f"http://127.0.0.1:9/{key}/{n}", "signing_secret": "s"},
            )


def test_send_writes_alert_recipients_and_outbox_together(
    stack: AlertStack, tmp_path: Path
) -> None:
    _two_channels_each(stack)
    alert_id = stack.service.send(OFFICER, 41, sample_content(tmp_path), extra_line="Hurry")
    with stack.sessions() as session:
        alert = session.get_one(AlertRow, alert_id)
        keys = session.scalars(select(DeliveryRow.idempotency_key)).all()
        deliveries = session.scalars(select(DeliveryRow)).all()
        recipients = session.scalars(select(AlertRecipientRow)).all()
    assert (alert.sighting_id, alert.priority, alert.status) == (41, "high", "queued")
    assert alert.created_by == "wang" and alert.extra_line == "Hurry"
    assert len(recipients) == 2 and len(deliveries) == 4
    for d in deliveries:
        team_id = next(r.team_id for r in recipients if r.id == d.recipient_id)
        assert d.idempotency_key == f"{alert_id}:{team_id}:{d.channel_id}"
        assert d.status == "queued" and d.next_try == stack.clock()
    assert len(set(keys)) == 4
    [record] = [r for r in stack.audit.records if r.action == "alert.send"]
    assert record.subject == f"alert:{alert_id}" and record.details["sighting_id"] == 41
    [created] = stack.of_type(AlertCreated)
    assert created.priority == "high" and created.headline == "紧急 URGENT 通缉 wanted: Zhang San"


def test_a_failing_send_leaves_nothing_behind(stack: AlertStack, tmp_path: Path) -> None:
    _two_channels_each(stack)

    def broken_audit(*_args: object, **_kw: object) -> None:
        raise RuntimeError("audit store full")

    stack.audit.append = broken_audit  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        stack.service.send(OFFICER, 1, sample_content(tmp_path))
    with stack.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AlertRow)) == 0
        assert session.scalar(select(func.count()).select_from(DeliveryRow)) == 0
    assert not stack.of_type(AlertCreated)


def test_permissions_and_nobody_to_send_to(stack: AlertStack, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        stack.service.send(VIEWER, 1, sample_content(tmp_path))
    with pytest.raises(PermissionDenied):
        stack.service.preview(VIEWER, sample_content(tmp_path))
    with pytest.raises(NoRecipients, match="no routing rule"):
        stack.service.send(OFFICER, 1, sample_content(tmp_path, "unknown"))
    with pytest.raises(NoRecipients, match="no team 999"):
        stack.service.send(OFFICER, 1, sample_content(tmp_path), extra_teams=[999])


def test_preview_shows_each_team_its_channels_and_message(
    stack: AlertStack, tmp_path: Path
) -> None:
    _two_channels_each(stack)
    items = stack.service.preview(
        OFFICER,
        sample_content(tmp_path, "missing_person"),
        extra_teams=[stack.team_id("case")],
        extra_line="Elderly, may be confused",
    )
    assert [(i.team.key, i.priority) for i in items] == [
        ("community", "normal"),
        ("case", "normal"),
    ]
    assert [c.name for c in items[0].channels] == ["hook1", "hook2"]
    assert "Elderly, may be confused" in items[1].message
    assert "signing_secret" not in str(items[0].channels)


def test_console_ack_records_who_how_and_time_from_sighting(
    stack: AlertStack, tmp_path: Path, clock: FakeClock
) -> None:
    _two_channels_each(stack)
    content = sample_content(tmp_path, frame_time=clock() - timedelta(seconds=20))
    alert_id = stack.service.send(OFFICER, 1, content)
    case = stack.team_id("case")
    clock.advance(seconds=70)
    with pytest.raises(PermissionDenied):
        stack.service.ack_by_console(VIEWER, alert_id, case, "Sgt Liu", "phone")
    with pytest.raises(ValueError, match="how"):
        stack.service.ack_by_console(OFFICER, alert_id, case, "Sgt Liu", "pigeon")
    ack = stack.service.ack_by_console(OFFICER, alert_id, case, "Sgt Liu", "radio")
    assert (ack.by, ack.how, ack.status, ack.seconds_from_sighting) == (
        "Sgt Liu",
        "radio",
        "acknowledged",
        90.0,
    )
    with pytest.raises(AckRefused, match="Already acknowledged by Sgt Liu") as again:
        stack.service.ack_by_console(OFFICER, alert_id, case, "Someone", "phone")
    assert again.value.http_status == 409
    [event] = stack.of_type(AlertAcknowledged)
    assert (event.team_id, event.by, event.seconds_from_sighting) == (case, "Sgt Liu", 90.0)
    status = {a.team_id: a for a in stack.service.status(alert_id)}
    assert status[stack.team_id("community")].at is None
    assert status[case].at == clock()
    with stack.sessions() as session:
        assert session.get_one(AlertRow, alert_id).status == "sent"  # one team still open
    stack.service.ack_by_console(OFFICER, alert_id, stack.team_id("community"), "Li", "in person")
    with stack.sessions() as session:
        assert session.get_one(AlertRow, alert_id).status == "acknowledged"
