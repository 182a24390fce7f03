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
from tests.support.alert_core import AlertStack, FakeClock, make_stack, member_id, sample_content
from tests.unit.alerts.conftest import ADMIN, OFFICER, VIEWER


def _two_channels_each(stack: AlertStack) -> None:
    for key in ("community", "case"):
        team = stack.team_id(key)
        for n in (1, 2):
            stack.teams.save_channel(
                ADMIN,
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
    with pytest.raises(NoRecipients) as refused:  # a preview still shows the message
        stack.service.preview(OFFICER, sample_content(tmp_path, "unknown"),
                              extra_line="Blue jacket")
    assert "North gate" in refused.value.draft and "Blue jacket" in refused.value.draft
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
        stack.service.ack_by_console(OFFICER, alert_id, case, "Wang Fang", "phone")
    assert again.value.http_status == 409
    [event] = stack.of_type(AlertAcknowledged)
    assert (event.team_id, event.by, event.seconds_from_sighting) == (case, "Sgt Liu", 90.0)
    status = {a.team_id: a for a in stack.service.status(alert_id)}
    assert status[stack.team_id("community")].at is None
    assert status[case].at == clock()
    with stack.sessions() as session:
        assert session.get_one(AlertRow, alert_id).status == "sent"  # one team still open
    community = stack.team_id("community")
    stack.service.ack_by_console(OFFICER, alert_id, community, "Li Wei", "in person")
    with stack.sessions() as session:
        assert session.get_one(AlertRow, alert_id).status == "acknowledged"


def test_console_ack_names_a_member_of_the_team_not_anyone(
    stack: AlertStack, tmp_path: Path
) -> None:
    """Issue 13 item 6: the person acknowledging is chosen from the team's members."""
    _two_channels_each(stack)
    alert_id = stack.service.send(OFFICER, 1, sample_content(tmp_path))
    case, community = stack.team_id("case"), stack.team_id("community")
    members = stack.service.members(OFFICER, case)
    assert [m.name for m in members] == ["Sgt Liu", "Wang Fang"]
    assert not any(hasattr(m, "phone") for m in members)  # names only
    with pytest.raises(PermissionDenied):
        stack.service.members(VIEWER, case)
    li_wei = member_id(stack, "community", "Li Wei")
    with pytest.raises(AckRefused, match="not a member") as refused:
        stack.service.ack_by_console(OFFICER, alert_id, case, "", "phone", member_id=li_wei)
    assert refused.value.code == "unknown_member"
    with pytest.raises(AckRefused, match="not a member"):
        stack.service.ack_by_console(OFFICER, alert_id, case, "Somebody typed", "phone")
    assert not stack.acks.is_acknowledged(alert_id, case)
    wang = member_id(stack, "case", "Wang Fang")
    ack = stack.service.ack_by_console(OFFICER, alert_id, case, "", "radio", member_id=wang)
    assert (ack.by, ack.how) == ("Wang Fang", "radio")
    ack = stack.service.ack_by_console(OFFICER, alert_id, community, "", "phone",
                                       member_id=li_wei)
    assert ack.by == "Li Wei"


def test_a_team_with_nobody_on_file_takes_a_typed_name_at_the_console(
    tmp_path: Path, clock: FakeClock
) -> None:
    stack = make_stack(tmp_path / "empty.db", clock=clock, members={})
    try:
        _two_channels_each(stack)
        alert_id = stack.service.send(OFFICER, 1, sample_content(tmp_path))
        case = stack.team_id("case")
        with pytest.raises(ValueError, match="say who"):
            stack.service.ack_by_console(OFFICER, alert_id, case, " ", "phone")
        assert stack.service.ack_by_console(OFFICER, alert_id, case, "Duty sgt", "phone").by \
            == "Duty sgt"
    finally:
        stack.close()


def test_the_preview_has_no_alert_0_and_names_the_seeded_team_in_both_languages(
    stack: AlertStack, tmp_path: Path
) -> None:
    """Issue 12 item 9: the preview said "Alert: #0" before the alert had a number."""
    _two_channels_each(stack)
    [community, case] = stack.service.preview(OFFICER, sample_content(tmp_path))
    assert "#0" not in community.message
    assert "发送时编号 numbered when sent → 社区警务队 Community policing" in community.message
    assert "案件办理队 Case handling" in case.message
    assert "（签收链接 acknowledgement link）" in case.message


def test_the_preview_says_phone_when_messages_carry_no_link(
    stack: AlertStack, tmp_path: Path
) -> None:
    from commandroom.alerts.content import ACK_BY_PHONE
    from commandroom.alerts.service import AlertService

    _two_channels_each(stack)
    no_links = AlertService(stack.sessions, stack.audit, stack.bus, stack.acks, stack.clock,
                            ack_links=False)
    [item, _] = no_links.preview(OFFICER, sample_content(tmp_path))
    assert ACK_BY_PHONE in item.message and "link" not in item.message
