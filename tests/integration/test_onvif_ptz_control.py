"""PTZ on behalf of an operator: the core refuses who may not steer, and audits sessions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.trail import AuditEventRow, AuditTrail
from commandroom.auth.permissions import Actor, PermissionDenied, Role
from commandroom.db.engine import open_database
from commandroom.onvif import OnvifService
from commandroom.onvif.ptz_control import OperatorPtz, PtzControl
from tests.support.onvif_emulator import EmulatorSettings, OnvifEmulator, endpoint_for

pytestmark = pytest.mark.integration
T = 15.0
Parts = tuple[OnvifService, OnvifEmulator, AuditTrail, sessionmaker[Session]]
DUTY = Actor("wang", Role.DUTY_OFFICER)
VIEWER = Actor("li", Role.VIEWER)


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[Parts]:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'p.db'}")
    with OnvifService(timeout_s=3.0) as service, OnvifEmulator(EmulatorSettings()) as emu:
        yield service, emu, AuditTrail(sessions), sessions
    engine.dispose()


def test_viewer_is_refused_by_the_core_but_may_stop(parts: Parts) -> None:
    service, emu, audit, sessions = parts
    control = PtzControl(service, sessions, audit)
    ep = endpoint_for(emu)
    with pytest.raises(PermissionDenied):
        control.move(VIEWER, ep, 0.5, 0.0)
    with pytest.raises(PermissionDenied):
        control.goto_preset(VIEWER, ep, "1")
    control.stop(VIEWER, ep).result(T)  # a camera must always be stoppable
    # through the UI's adapter the refusal is a failed future with the reason
    refused = OperatorPtz(control, lambda: VIEWER).ptz_move(ep, 0.5, 0.0)
    assert isinstance(refused.exception(T), PermissionDenied)


def test_a_run_of_moves_is_one_audited_session(parts: Parts) -> None:
    service, emu, audit, sessions = parts
    now = [datetime(2026, 11, 29, 8, 0, tzinfo=UTC)]
    control = PtzControl(service, sessions, audit, clock=lambda: now[0])
    ep = endpoint_for(emu)
    for _ in range(3):
        control.move(DUTY, ep, 0.3, 0.0).result(T)
        control.stop(DUTY, ep).result(T)
        now[0] += timedelta(seconds=20)
    now[0] += timedelta(minutes=10)  # a new session after a pause
    control.move(DUTY, ep, -0.3, 0.0).result(T)
    control.stop(DUTY, ep).result(T)
    with sessions() as s:
        actions = s.scalars(select(AuditEventRow.action)).all()
    assert actions.count("ptz.session") == 2
    assert audit.verify().ok
