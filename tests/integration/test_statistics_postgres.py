"""The statistics' SQL on a real PostgreSQL server (127.0.0.1) gives the same figures as on
SQLite for the same generated station (and tests/unit/statistics checks SQLite's against
figures counted in Python): the median's window functions, the integer division, the
duration buckets and the day bounds are portable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic import command

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.db.engine import alembic_config, open_database
from commandroom.statistics import Period, StatisticsService
from tests.support.postgres import postgres_server
from tests.support.statistics_data import generate, insert_all

pytestmark = pytest.mark.integration


def test_the_same_figures_on_postgresql_as_on_sqlite(tmp_path: Path) -> None:
    data = generate(23, date(2025, 11, 1), 395, incidents=1500, sightings=4000, alerts=1200)
    period = Period(date(2026, 10, 20), date(2026, 11, 20))
    figures = []
    with postgres_server() as url:
        for database_url in (f"sqlite:///{tmp_path / 'station.db'}", url):
            engine, sessions = open_database(database_url)
            try:
                insert_all(sessions, data)
                service = StatisticsService(sessions, AuditTrail(sessions))
                figures.append((
                    service.sightings_per_junction_day(SYSTEM, period),
                    service.alerts_per_team_category(SYSTEM, period),
                    service.ack_per_team(SYSTEM, period),
                    service.resolution(SYSTEM, period),
                    service.outcomes(SYSTEM, period),
                    service.month_comparison(SYSTEM, date(2026, 11, 5))))
            finally:
                if engine.dialect.name == "postgresql":
                    command.downgrade(alembic_config(engine), "base")
                engine.dispose()
    on_sqlite, on_postgres = figures
    assert on_postgres == on_sqlite
    assert on_sqlite[2] and on_sqlite[3].median_seconds is not None
