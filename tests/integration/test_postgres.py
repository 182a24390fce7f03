"""The same migrations and queries on a real PostgreSQL server (127.0.0.1).

The station's next step is several workstations on one PostgreSQL database; this keeps
the SQL honest until then: every migration runs up and down, the migrated schema equals
the models, and the core services that write the most run their transactions on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import commandroom.db.migrations.all_models  # noqa: F401 - every model on Base.metadata
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera
from commandroom.config import Paths, Settings
from commandroom.db.base import Base
from commandroom.db.engine import alembic_config, open_database
from commandroom.runtime import Core, CoreHooks
from commandroom.watchlist.records import Category, EntryInput, Risk
from tests.support.postgres import postgres_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def database(database_url: str) -> Iterator[tuple[Any, Any]]:
    engine, sessions = open_database(database_url)
    try:
        yield engine, sessions
    finally:
        command.downgrade(alembic_config(engine), "base")  # the next test starts empty
        engine.dispose()


def test_migrations_run_up_and_down_and_give_exactly_the_models(
    database: tuple[Any, Any],
) -> None:
    engine, _ = database
    tables = set(inspect(engine).get_table_names())
    assert tables >= set(Base.metadata.tables)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    config = alembic_config(engine)
    command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")
    assert set(inspect(engine).get_table_names()) == tables


def test_cameras_secrets_watch_list_and_the_audit_chain_on_postgres(
    database: tuple[Any, Any], database_url: str, tmp_path: Path,
) -> None:
    # The app's core on the server (the fixture migrated it; it downgrades it after).
    core = Core(Paths.resolve(tmp_path / "data"), Settings(database_url=database_url),
                hooks=CoreHooks(keyring=None))
    try:
        _check_core_services(core)
    finally:
        core.stop()


def _check_core_services(core: Core) -> None:
    audit, cameras = core.audit, core.registry
    added = cameras.add(SYSTEM, Camera(id=None, name="North gate", junction="X12",
                                       main_url="rtsp://127.0.0.1:8554/north"),
                        "viewer", "pa55word")
    assert [c.name for c in cameras.cameras(SYSTEM)] == ["North gate"]
    assert added.id is not None

    watchlist = core.watchlist
    watchlist.create(SYSTEM, EntryInput(
        name="Zhang San", id_number="11010519491231002X", category=Category.WANTED,
        risk=Risk.HIGH, reason="theft of a tricycle"))
    assert [hit.label for hit in watchlist.search(SYSTEM, "zhang")] == ["Zhang San"]

    result = audit.verify()
    assert result.ok and result.checked >= 2
