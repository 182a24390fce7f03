"""Recording modes: who records when, demo cameras by default, admin-only changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow
from commandroom.auth.permissions import Actor, PermissionDenied, Role
from commandroom.cameras.models import CameraRow
from commandroom.recording.policy import (
    RecordingMode,
    RecordingPolicy,
    RecordingPolicyError,
    must_record,
)
from tests.unit.recording.conftest import RecStack

ADMIN = Actor("admin", Role.ADMINISTRATOR, 1)
DUTY = Actor("li", Role.DUTY_OFFICER, 2)


@pytest.mark.parametrize(("mode", "shown", "expected"), [
    (RecordingMode.OFF, False, False), (RecordingMode.OFF, True, False),
    (RecordingMode.CONTINUOUS, False, True), (RecordingMode.CONTINUOUS, True, True),
    (RecordingMode.WHILE_SHOWN, False, False), (RecordingMode.WHILE_SHOWN, True, True),
])
def test_the_rule(mode: RecordingMode, shown: bool, expected: bool) -> None:
    assert must_record(mode, shown) is expected


def test_demo_cameras_record_by_default_others_do_not(stack: RecStack) -> None:
    with stack.sessions.begin() as session:
        demo = CameraRow(name="Demo", main_url="demo://junction-1?w=640&h=360")
        session.add(demo)
        session.flush()
        demo_id = demo.id
    policy = RecordingPolicy(stack.sessions, stack.audit)
    assert policy.camera(demo_id).mode is RecordingMode.CONTINUOUS  # type: ignore[union-attr]
    assert policy.camera(stack.cam.id).mode is RecordingMode.OFF  # type: ignore[union-attr]
    assert policy.should_record(demo_id, shown=False)
    assert not policy.should_record(stack.cam.id, shown=True)
    assert policy.camera(999) is None


def test_a_station_may_keep_demo_cameras_from_recording(stack: RecStack) -> None:
    with stack.sessions.begin() as session:
        demo = CameraRow(name="Demo", main_url="demo://junction-1?w=640&h=360")
        session.add(demo)
        session.flush()
        demo_id = demo.id
    policy = RecordingPolicy(stack.sessions, stack.audit, demo_cameras_record=False)
    assert policy.camera(demo_id).mode is RecordingMode.OFF  # type: ignore[union-attr]
    assert not policy.should_record(demo_id, shown=True)


def test_modes_are_saved_by_an_administrator_and_audited(stack: RecStack) -> None:
    policy = RecordingPolicy(stack.sessions, stack.audit)
    with pytest.raises(PermissionDenied):
        policy.set_mode(DUTY, stack.cam.id, RecordingMode.CONTINUOUS)
    policy.set_mode(ADMIN, stack.cam.id, RecordingMode.WHILE_SHOWN)
    saved = policy.camera(stack.cam.id)
    assert saved is not None and saved.saved and saved.mode is RecordingMode.WHILE_SHOWN
    assert policy.should_record(stack.cam.id, shown=True)
    assert not policy.should_record(stack.cam.id, shown=False)
    with pytest.raises(RecordingPolicyError):
        policy.set_keep_days(ADMIN, stack.cam.id, 0)
    with pytest.raises(RecordingPolicyError):
        policy.set_mode(ADMIN, 999, RecordingMode.OFF)
    with stack.sessions() as session:
        actions = list(session.scalars(select(AuditEventRow.action)))
    assert actions == ["recording.mode"]
