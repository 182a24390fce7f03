"""With the real neighbours: the sighting table's foreign key enforced, and the
hash-chained audit trail receiving the alert's events in the same transactions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from commandroom.audit.trail import AuditTrail
from commandroom.db.base import utcnow
from commandroom.sightings.models import SightingRow
from tests.support.alert_core import AlertStack, FakeClock, make_stack, sample_content
from tests.unit.alerts.conftest import ADMIN, OFFICER, SUPERVISOR


@pytest.fixture
def real_stack(tmp_path: Path, clock: FakeClock) -> Iterator[AlertStack]:
    stack = make_stack(
        tmp_path / "real.db", clock=clock, sighting_fk=True, audit_factory=AuditTrail
    )
    yield stack
    stack.close()


def test_alert_refers_to_a_real_sighting_and_is_audited(
    real_stack: AlertStack, tmp_path: Path
) -> None:
    stack = real_stack
    content = sample_content(tmp_path)
    with stack.sessions.begin() as session:
        sighting = SightingRow(
            camera_name="North gate",
            frame_time=content.frame_time,
            seq=1,
            operator="wang",
            snapshot_path="snapshots/1.jpg",
            snapshot_sha256=content.snapshot_sha256,
            created_at=utcnow(),
        )
        session.add(sighting)
        session.flush()
        sighting_id = sighting.id
    stack.teams.save_channel(
        ADMIN, stack.team_id("community"), "webhook", "hook", {"url": "http://127.0.0.1:9/"}
    )
    alert_id = stack.service.send(OFFICER, sighting_id, content)
    stack.service.ack_by_console(OFFICER, alert_id, stack.team_id("community"), "Li Wei", "phone")
    with pytest.raises(IntegrityError):  # no alert about a sighting that does not exist
        stack.service.send(OFFICER, sighting_id + 100, content)

    trail: AuditTrail = stack.audit
    result = trail.verify()
    assert result.ok, result.reason
    events = trail.query(SUPERVISOR)
    actions = [e.action for e in events]
    assert "alert.send" in actions and "alert.acknowledge" in actions
    assert actions.count("alert.send") == 1  # the refused one left no trace
