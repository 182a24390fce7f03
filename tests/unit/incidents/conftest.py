"""An incident test's core: the real one (alerts, acks, the sighting table's foreign
key), on a clock the test moves, with a watch-list entry and a sighting of it."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from commandroom.auth.permissions import Actor, Role
from commandroom.incidents import IncidentService
from commandroom.sightings.models import SightingRow
from commandroom.watchlist.models import WatchEntryRow
from tests.support.alert_core import AlertStack, FakeClock, make_stack, sample_content

OFFICER = Actor("wang", Role.DUTY_OFFICER, 7)
VIEWER = Actor("guest", Role.VIEWER, 9)
ADMIN = Actor("root", Role.ADMINISTRATOR, 1)
START = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


@dataclass
class World:
    stack: AlertStack
    clock: FakeClock
    incidents: IncidentService
    sighting_id: int
    entry_id: int
    tmp_path: Path

    def send_alert(self) -> int:
        """The duty officer sends the sighting to the teams its category routes to."""
        with self.stack.sessions() as session:
            frame_time = session.get_one(SightingRow, self.sighting_id).frame_time
        content = sample_content(self.tmp_path, frame_time=frame_time)
        return int(self.stack.service.send(OFFICER, self.sighting_id, content))

    def team(self, key: str) -> int:
        return self.stack.team_id(key)


def add_sighting(stack: AlertStack, frame_time: dt.datetime, entry_id: int | None,
                 camera_name: str = "North gate", junction: str = "X12 / Main road") -> int:
    with stack.sessions.begin() as session:
        row = SightingRow(watch_entry_id=entry_id, camera_name=camera_name, junction=junction,
                          frame_time=frame_time, seq=1, operator="wang",
                          snapshot_path="snapshots/1.jpg",
                          snapshot_sha256=hashlib.sha256(b"x").hexdigest(),
                          created_at=frame_time)
        session.add(row)
        session.flush()
        return row.id


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    clock = FakeClock(START)
    stack = make_stack(tmp_path / "incidents.db", clock=clock, sighting_fk=True)
    with stack.sessions.begin() as session:
        entry = WatchEntryRow(kind="person", category="wanted", name="Zhang San")
        session.add(entry)
        session.flush()
        entry_id = entry.id
    sighting_id = add_sighting(stack, START - dt.timedelta(seconds=10), entry_id)
    yield World(stack, clock, stack.core.incidents, sighting_id, entry_id, tmp_path)
    stack.close()
