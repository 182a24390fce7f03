"""The timeline's marks: a camera's sightings and alerts in a window, by time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commandroom.alerts.models import AlertRow
from commandroom.auth.permissions import SYSTEM, Actor, PermissionDenied, Role
from commandroom.db.engine import open_database
from commandroom.lookback.marks import MarkKind, TimelineMarks
from commandroom.sightings.models import SightingRow
from tests.support.recording import add_camera

T = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
S = timedelta(seconds=1)


def _sighting(session: object, camera_id: int, at: datetime, operator: str) -> SightingRow:
    row = SightingRow(camera_id=camera_id, camera_name="cam", frame_time=at, seq=1,
                      operator=operator, snapshot_path="x.png", snapshot_sha256="0" * 64)
    session.add(row)  # type: ignore[attr-defined]
    session.flush()  # type: ignore[attr-defined]
    return row


def test_sightings_and_alerts_of_one_camera_in_the_window(tmp_path: Path) -> None:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        gate, bridge = add_camera(sessions, "School Gate"), add_camera(sessions, "Bridge")
        with sessions.begin() as session:
            before = _sighting(session, gate, T - 5 * S, "dan")  # before the window
            first = _sighting(session, gate, T + 10 * S, "dan")
            alerted = _sighting(session, gate, T + 40 * S, "li")
            _sighting(session, bridge, T + 20 * S, "dan")  # another camera
            _sighting(session, gate, T + 60 * S, "dan")  # at the window's end: outside
            session.add(AlertRow(sighting_id=alerted.id, category="wanted", priority="high",
                                 content="{}", frame_time=T + 40 * S, created_by="li"))
            session.add(AlertRow(sighting_id=before.id, category="wanted", priority="normal",
                                 content="{}", frame_time=T - 5 * S, created_by="li"))
        marks = TimelineMarks(sessions).between(SYSTEM, gate, T, T + 60 * S)
        assert [(m.kind, m.moment, m.sighting_id) for m in marks] == [
            (MarkKind.SIGHTING, T + 10 * S, first.id),
            (MarkKind.SIGHTING, T + 40 * S, alerted.id),
            (MarkKind.ALERT, T + 40 * S, alerted.id),
        ]
        assert (marks[2].priority, marks[2].category, marks[2].operator) == (
            "high", "wanted", "li")
        with pytest.raises(PermissionDenied):  # sightings are watch-list data
            TimelineMarks(sessions).between(Actor("v", Role.VIEWER), gate, T, T + 60 * S)
    finally:
        engine.dispose()
