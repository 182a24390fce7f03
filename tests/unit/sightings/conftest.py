from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from commandroom.config import EvidenceSettings
from commandroom.events import EventBus
from commandroom.sightings.service import SightingService
from commandroom.watchlist.service import WatchlistService
from tests.unit.watchlist import conftest as watchlist_fixtures
from tests.unit.watchlist.support import RecordingAudit

# The watch list's fixtures, shared rather than written again.
sessions = watchlist_fixtures.sessions
audit = watchlist_fixtures.audit
bus = watchlist_fixtures.bus
service = watchlist_fixtures.service


@pytest.fixture
def sightings(
    sessions: sessionmaker[Session], audit: RecordingAudit, bus: EventBus, data_dir: Path,
    service: WatchlistService,
) -> SightingService:
    return SightingService(
        sessions, audit, bus, service, data_dir=data_dir,
        evidence=EvidenceSettings(pre_seconds=8.0, post_seconds=12.0),
    )
