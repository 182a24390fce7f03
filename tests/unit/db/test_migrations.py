"""The migrated schema is exactly the models' schema, and opening twice is harmless."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import commandroom.db.migrations.all_models  # noqa: F401
from commandroom.db.base import Base
from commandroom.db.engine import MIGRATIONS_DIR, alembic_config, open_database


def test_migrations_match_models(tmp_path: Path) -> None:
    engine, _ = open_database(f"sqlite:///{tmp_path / 'a.db'}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_single_linear_head() -> None:
    engine, _ = open_database("sqlite://")
    script = ScriptDirectory.from_config(alembic_config(engine))
    assert len(script.get_heads()) == 1
    assert MIGRATIONS_DIR.is_dir()
    engine.dispose()


def test_open_twice_and_file_is_private(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    for _ in range(2):
        engine, _sessions = open_database(f"sqlite:///{db}")
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        engine.dispose()
    assert (db.stat().st_mode & 0o777) == 0o600
