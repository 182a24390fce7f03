"""The timeline's marks: a camera's sightings and alerts in a window, by time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commandroom.alerts.models import AlertRow
from commandroom.auth.permissions import SYSTEM, Actor, PermissionDenied, Role
from commandroom.camera_events.records import CameraEventRow
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


def _event(session: object, camera_id: int, received: datetime, kind: str, state: str,
           device_time: datetime | None = None, plate: str = "") -> CameraEventRow:
    row = CameraEventRow(camera_id=camera_id, camera_name="cam", source="isapi", type=kind,
                         state=state, device_time=device_time, received_at=received,
                         plate=plate)
    session.add(row)  # type: ignore[attr-defined]
    session.flush()  # type: ignore[attr-defined]
    return row


def test_camera_events_are_marks_where_they_began_when_asked_for(tmp_path: Path) -> None:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        gate, bridge = add_camera(sessions, "School Gate"), add_camera(sessions, "Bridge")
        with sessions.begin() as session:
            seen = _sighting(session, gate, T + 30 * S, "dan")
            _event(session, gate, T - 1 * S, "motion", "start")  # before the window
            motion = _event(session, gate, T + 5 * S, "motion", "start")
            _event(session, gate, T + 9 * S, "motion", "stop")  # closes the start: no mark
            plate = _event(session, gate, T + 31 * S, "plate", "pulse",
                           device_time=T + 29 * S, plate="鄂A12345")  # the camera's time
            _event(session, bridge, T + 20 * S, "tamper", "start")  # another camera
        marks = TimelineMarks(sessions)
        found = marks.between(SYSTEM, gate, T, T + 60 * S, events=True)
        assert [(m.kind, m.moment, m.event_id, m.event_type, m.plate) for m in found] == [
            (MarkKind.EVENT, T + 5 * S, motion.id, "motion", ""),
            (MarkKind.EVENT, T + 29 * S, plate.id, "plate", "鄂A12345"),
            (MarkKind.SIGHTING, T + 30 * S, None, "", ""),
        ]
        assert found[2].sighting_id == seen.id
        # Not asked for (the timeline before it draws events): sightings and alerts only.
        assert [m.kind for m in marks.between(SYSTEM, gate, T, T + 60 * S)] == [
            MarkKind.SIGHTING]
    finally:
        engine.dispose()
