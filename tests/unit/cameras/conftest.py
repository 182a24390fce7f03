from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from commandroom.audit import AuditTrail
from commandroom.cameras.registry import CameraRegistry
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.secrets import DatabaseSecretStore, load_or_create_key


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[CameraRegistry]:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'reg.db'}")
    store = DatabaseSecretStore(sessions, load_or_create_key(tmp_path / "secret.key"))
    yield CameraRegistry(sessions, store, EventBus(), AuditTrail(sessions))
    engine.dispose()
