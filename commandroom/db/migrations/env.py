"""Alembic environment: runs against the engine handed over by commandroom.db.engine."""

from __future__ import annotations

from alembic import context

import commandroom.db.migrations.all_models  # noqa: F401  (registers every table on Base.metadata)
from commandroom.db.base import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # e.g. `alembic revision --autogenerate` from a shell
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode copies the table, and is a
        # no-op wrapper on PostgreSQL, so one migration serves both.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
