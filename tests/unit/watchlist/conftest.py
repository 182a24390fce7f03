from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from commandroom.events import EventBus
from commandroom.sightings.references import sightings_of_entry
from commandroom.watchlist.service import WatchlistService
from tests.unit.watchlist.support import RecordingAudit, make_sessions


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    return make_sessions(tmp_path / "test.db")


@pytest.fixture
def audit(sessions: sessionmaker[Session]) -> RecordingAudit:
    return RecordingAudit(sessions)


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def service(
    sessions: sessionmaker[Session], audit: RecordingAudit, bus: EventBus, data_dir: Path
) -> WatchlistService:
    return WatchlistService(sessions, audit, bus, references=sightings_of_entry, data_dir=data_dir)
