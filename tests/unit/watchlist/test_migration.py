"""Migration 0003 creates exactly what the watch-list and sighting models describe."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

import commandroom.db.migrations.all_models  # noqa: F401
from commandroom.db.base import Base
from commandroom.db.engine import alembic_config, open_database

OURS = {"watch_entry", "watch_alias", "watch_photo", "sighting"}


def _diff_for_our_tables(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    # Other features' tables are checked by their own tests; each diff item's repr names
    # its table (Table('sighting', ...), Column(..., table=<sighting>), or the name itself).
    return [item for item in diff if any(name in repr(item) for name in OURS)]


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    engine, _ = open_database(f"sqlite:///{tmp_path / 'm.db'}")
    assert set(inspect(engine).get_table_names()) >= OURS
    assert _diff_for_our_tables(engine) == []
    checks = {c["name"] for c in inspect(engine).get_check_constraints("watch_entry")}
    assert checks == {"ck_watch_entry_kind", "ck_watch_entry_category", "ck_watch_entry_risk"}


def test_downgrade_to_0002_and_back(tmp_path: Path) -> None:
    engine, _ = open_database(f"sqlite:///{tmp_path / 'm.db'}")
    config = alembic_config(engine)
    command.downgrade(config, "0002")
    assert not OURS & set(inspect(engine).get_table_names())
    command.upgrade(config, "head")
    assert set(inspect(engine).get_table_names()) >= OURS
    engine.dispose()
