"""A station's year (or more) generated with a seeded RNG: teams, sightings, alerts and
incidents as plain Python rows, inserted in bulk. The statistics tests compute their
expected figures from these rows in Python; the benchmark and the dev script only insert.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.models import AlertRecipientRow, AlertRow, TeamRow
from commandroom.incidents.models import OUTCOMES, IncidentRow, IncidentTeamRow
from commandroom.sightings.models import SightingRow

BEIJING = timezone(timedelta(hours=8))
JUNCTIONS = ("X12 / 主路", "南门", "北桥", "镇政府路口", "S203 / 东环")
# The watch list's categories, which alerts and incidents carry.
CATEGORIES = ("wanted", "suspect", "missing_person", "fraud_risk")
_SHA = hashlib.sha256(b"snapshot").hexdigest()
_BATCH = 20_000


@dataclass
class StationData:
    first_day: date
    days: int
    team_ids: list[int] = field(default_factory=list)
    sightings: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    recipients: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[dict[str, Any]] = field(default_factory=list)
    incident_teams: list[dict[str, Any]] = field(default_factory=list)


def _instant(rng: random.Random, day: date) -> datetime:
    local = datetime(day.year, day.month, day.day, tzinfo=BEIJING)
    return (local + timedelta(seconds=rng.randrange(86_400))).astimezone(UTC)


def generate(seed: int, first_day: date, days: int, *, incidents: int, sightings: int,
             alerts: int) -> StationData:
    """Rows spread at random over ``days`` station days from ``first_day``; ids assigned
    here (1..n) so alerts and incidents can point at them before they are inserted."""
    rng = random.Random(seed)
    data = StationData(first_day, days, team_ids=[1, 2])
    for sighting_id in range(1, sightings + 1):
        frame_time = _instant(rng, first_day + timedelta(days=rng.randrange(days)))
        data.sightings.append(dict(
            id=sighting_id, camera_name="cam", junction=rng.choice(JUNCTIONS),
            frame_time=frame_time, seq=1, operator="wang", snapshot_path="s.jpg",
            snapshot_sha256=_SHA, created_at=frame_time, note="", clip_path="",
            clip_sha256="", clip_status="failed", clip_error=""))
    for alert_id in range(1, alerts + 1):
        sighting = data.sightings[rng.randrange(sightings)]
        created = sighting["frame_time"] + timedelta(seconds=rng.randrange(600))
        data.alerts.append(dict(
            id=alert_id, sighting_id=sighting["id"], category=rng.choice(CATEGORIES),
            # Acknowledged (an open one would be escalated when the app starts), with
            # content the alerts' panel can read.
            risk=1, priority="normal", status="acknowledged", extra_line="",
            content=json.dumps({"name": f"目标 {alert_id}", "category": "wanted", "risk": 1,
                                "frame_time": sighting["frame_time"].isoformat()}),
            frame_time=sighting["frame_time"], created_at=created, created_by="wang"))
        for team_id in rng.sample(data.team_ids, rng.choice((1, 2))):
            data.recipients.append(dict(
                alert_id=alert_id, team_id=team_id, priority="normal", status="acknowledged",
                escalations=0, last_notified_at=created, ack_how="mqtt", acked_by="",
                acked_at=created + timedelta(seconds=rng.randrange(5, 600)),
                ack_recorded_by=""))
    seq_per_year: dict[int, int] = {}
    for incident_id in range(1, incidents + 1):
        data.incidents.append(_incident(rng, data, incident_id, seq_per_year))
    return data


def _incident(rng: random.Random, data: StationData, incident_id: int,
              seq_per_year: dict[int, int]) -> dict[str, Any]:
    created = _instant(rng, data.first_day + timedelta(days=rng.randrange(data.days)))
    day = created.astimezone(BEIJING).date()
    seq = seq_per_year[day.year] = seq_per_year.get(day.year, 0) + 1
    outcome = rng.choice(("", *OUTCOMES))
    resolution = rng.randrange(60, 6 * 3600) if outcome else None
    for team_id in data.team_ids:
        if rng.random() < 0.3:
            continue
        ack = rng.randrange(5, 5400) if rng.random() < 0.9 else None
        data.incident_teams.append(dict(
            incident_id=incident_id, team_id=team_id, dispatched_at=created,
            acked_at=created + timedelta(seconds=ack) if ack is not None else None,
            ack_how="mqtt" if ack is not None else "", acked_by="", ack_seconds=ack))
    return dict(
        id=incident_id, number=f"JX-{day.year}-{seq:06d}", year=day.year, seq=seq,
        title="t", category=rng.choice(CATEGORIES), priority="normal",
        state="resolved" if outcome else "open", outcome=outcome,
        junction=rng.choice(JUNCTIONS), created_day=day, created_at=created,
        created_by="wang", resolved_at=created + timedelta(seconds=resolution)
        if resolution is not None else None, resolved_by="wang" if outcome else "",
        resolution_seconds=resolution)


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), _BATCH):
        yield rows[start:start + _BATCH]


def insert_all(sessions: sessionmaker[Session], data: StationData) -> None:
    """executemany per table in batches: the bulk path of SQLAlchemy Core."""
    with sessions.begin() as session:
        # The migrations seed the station's two teams (criminal case and community).
        known = set(session.scalars(select(TeamRow.id)))
        assert known >= set(data.team_ids), f"teams {data.team_ids} not all in {known}"
        for table, rows in ((SightingRow, data.sightings), (AlertRow, data.alerts),
                            (AlertRecipientRow, data.recipients),
                            (IncidentRow, data.incidents),
                            (IncidentTeamRow, data.incident_teams)):
            for chunk in _chunks(rows):
                session.execute(insert(table), chunk)
