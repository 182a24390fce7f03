from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.denials import DenialAudit
from commandroom.audit.trail import AuditEventRow, AuditTrail
from commandroom.cameras.registry import CameraRegistry
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key
from tests.unit.auth.fixtures import FakeClock

AuditRows = Callable[[str], list[tuple[str, str, str, dict[str, Any]]]]


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine, made = open_database(f"sqlite:///{tmp_path / 'reg.db'}")
    yield made
    engine.dispose()


@pytest.fixture
def trail(sessions: sessionmaker[Session]) -> AuditTrail:
    return AuditTrail(sessions)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def registry(tmp_path: Path, sessions: sessionmaker[Session], trail: AuditTrail,
             clock: FakeClock) -> Iterator[CameraRegistry]:
    store = DatabaseSecretStore(sessions, load_or_create_key(tmp_path / "secret.key"))
    # Refusals audited as in the app, on a clock the test moves.
    denials = DenialAudit(sessions, trail, clock=lambda: clock.now.timestamp()).install()
    yield CameraRegistry(sessions, store, EventBus(), trail)
    denials.close()


@pytest.fixture
def audit_rows(sessions: sessionmaker[Session]) -> AuditRows:
    def rows(action: str) -> list[tuple[str, str, str, dict[str, Any]]]:
        with sessions() as session:
            found = session.scalars(select(AuditEventRow).where(AuditEventRow.action == action)
                                    .order_by(AuditEventRow.seq))
            return [(r.actor, r.actor_role, r.subject, json.loads(r.details)) for r in found]

    return rows
