"""Engine and session factory; migrations are applied when the database is opened."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from commandroom.files import FILE_MODE, create_private
from commandroom.redact import redact_url

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the GUI read while a worker thread writes; busy_timeout rides out
    # the short write locks instead of failing with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # We emit BEGIN ourselves (see _sqlite_begin); pysqlite's own would be deferred.
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Any) -> None:
    # A deferred transaction that reads, then writes, fails at once with SQLITE_BUSY
    # (no busy_timeout wait) when another thread committed in between - seen when a clip
    # finished while the dispatcher wrote. IMMEDIATE takes the write lock up front, so
    # concurrent transactions queue on busy_timeout instead (ours are all short).
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_db_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        db_path = Path(parsed.database)
        if not db_path.exists():
            create_private(db_path)  # SQLite gives its -wal/-shm files the same mode
        os.chmod(db_path, FILE_MODE)
    engine = create_engine(url, future=True)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade_database(engine: Engine) -> None:
    """Apply every pending migration (idempotent)."""
    log.info("database: migrating %s", redact_url(str(engine.url)))
    command.upgrade(alembic_config(engine), "head")


def open_database(url: str) -> tuple[Engine, sessionmaker[Session]]:
    engine = create_db_engine(url)
    upgrade_database(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)
