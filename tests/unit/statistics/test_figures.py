"""The statistics on a generated year equal the same figures counted in plain Python
from the generated rows (never from the database)."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import Actor, PermissionDenied, Role
from commandroom.db.engine import open_database
from commandroom.statistics import (
    ACK_BUCKETS,
    RESOLUTION_BUCKETS,
    Metric,
    Period,
    StatisticsService,
    Trend,
)
from commandroom.statistics.records import change, month_start
from tests.support.statistics_data import BEIJING, StationData, generate, insert_all

SUPERVISOR = Actor("li", Role.SUPERVISOR, 3)
FIRST_DAY = date(2025, 11, 1)
YEAR = Period(date(2025, 11, 1), date(2026, 12, 1))
NOVEMBER = Period(date(2026, 11, 1), date(2026, 12, 1))


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[StatisticsService, StationData]]:
    path: Path = tmp_path_factory.mktemp("stats") / "station.db"
    engine, sessions = open_database(f"sqlite:///{path}")
    # 13 months: November 2026 has a last month and a same month last year.
    data = generate(17, FIRST_DAY, (YEAR.end - FIRST_DAY).days,
                    incidents=3000, sightings=8000, alerts=2500)
    insert_all(sessions, data)
    yield StatisticsService(sessions, AuditTrail(sessions)), data
    engine.dispose()


def _day(instant: datetime) -> date:
    return instant.astimezone(BEIJING).date()


def _in(day: date, period: Period) -> bool:
    return period.start <= day < period.end


def _bucket(seconds: int, bounds: tuple[int, ...]) -> int:
    return next((i for i, bound in enumerate(bounds) if seconds < bound), len(bounds))


def _incidents(data: StationData, period: Period) -> list[dict[str, Any]]:
    return [row for row in data.incidents if _in(row["created_day"], period)]


@pytest.mark.parametrize("period", [YEAR, NOVEMBER], ids=["year", "november"])
def test_sightings_per_junction_and_day(station: tuple[StatisticsService, StationData],
                                        period: Period) -> None:
    service, data = station
    expected = Counter((row["junction"], _day(row["frame_time"])) for row in data.sightings
                       if _in(_day(row["frame_time"]), period))
    found = service.sightings_per_junction_day(SUPERVISOR, period)
    assert {(f.junction, f.day): f.sightings for f in found} == expected
    assert len(found) == len(expected) > 0


def test_alerts_per_team_and_category(station: tuple[StatisticsService, StationData]) -> None:
    service, data = station
    in_period = {row["id"]: row["category"] for row in data.alerts
                 if _in(_day(row["created_at"]), NOVEMBER)}
    expected = Counter((row["team_id"], in_period[row["alert_id"]])
                       for row in data.recipients if row["alert_id"] in in_period)
    found = service.alerts_per_team_category(SUPERVISOR, NOVEMBER)
    assert {(f.team_id, f.category): f.alerts for f in found} == expected
    assert sum(expected.values()) > 0


def test_time_to_acknowledge_per_team(station: tuple[StatisticsService, StationData]) -> None:
    service, data = station
    ids = {row["id"] for row in _incidents(data, YEAR)}
    found = {ack.team_id: ack for ack in service.ack_per_team(SUPERVISOR, YEAR)}
    assert set(found) == set(data.team_ids)
    for team_id in data.team_ids:
        seconds = [row["ack_seconds"] for row in data.incident_teams
                   if row["team_id"] == team_id and row["incident_id"] in ids
                   and row["ack_seconds"] is not None]
        counts = Counter(_bucket(s, ACK_BUCKETS) for s in seconds)
        distribution = found[team_id].distribution
        assert distribution.counts == tuple(counts[i] for i in range(len(ACK_BUCKETS) + 1))
        assert distribution.total == len(seconds)
        assert distribution.median_seconds == statistics.median(seconds)


def test_time_to_resolution_and_outcomes(station: tuple[StatisticsService, StationData]
                                         ) -> None:
    service, data = station
    rows = _incidents(data, NOVEMBER)
    seconds = [row["resolution_seconds"] for row in rows if row["resolution_seconds"] is not None]
    counts = Counter(_bucket(s, RESOLUTION_BUCKETS) for s in seconds)
    distribution = service.resolution(SUPERVISOR, NOVEMBER)
    assert distribution.counts == tuple(counts[i] for i in range(len(RESOLUTION_BUCKETS) + 1))
    assert distribution.median_seconds == statistics.median(seconds)
    outcomes = service.outcomes(SUPERVISOR, NOVEMBER)
    assert {o.outcome: o.incidents for o in outcomes} == Counter(r["outcome"] for r in rows)


def test_month_against_last_month_and_last_year(
        station: tuple[StatisticsService, StationData]) -> None:
    service, data = station

    def month(start: date) -> Period:
        return Period(start, month_start(start, -1))

    def count(metric: Metric, period: Period) -> int:
        if metric is Metric.INCIDENTS:
            return len(_incidents(data, period))
        if metric is Metric.CAUGHT:
            return sum(r["outcome"] == "caught" for r in _incidents(data, period))
        rows, key = ((data.sightings, "frame_time") if metric is Metric.SIGHTINGS
                     else (data.alerts, "created_at"))
        return sum(_in(_day(row[key]), period) for row in rows)

    found = {c.metric: c for c in service.month_comparison(SUPERVISOR, date(2026, 11, 17))}
    assert set(found) == set(Metric)
    for metric, comparison in found.items():
        this = count(metric, NOVEMBER)
        last = count(metric, month(date(2026, 10, 1)))
        year_ago = count(metric, month(date(2025, 11, 1)))
        assert (comparison.month, comparison.value) == (date(2026, 11, 1), this)
        assert comparison.vs_last_month.earlier == last
        assert comparison.vs_last_year.earlier == year_ago
        expected = round(abs(this - year_ago) * 100 / year_ago)
        assert comparison.vs_last_year.percent == expected
        assert this > 0 and last > 0 and year_ago > 0


def test_change_in_the_stations_words() -> None:
    # 警情数同比下降 35 %: 65 this year against 100.
    assert change(65, 100) == change(65, 100).__class__(100, Trend.DOWN, 35)
    assert change(123, 100).trend is Trend.UP and change(123, 100).percent == 23
    assert change(5, 5).trend is Trend.FLAT
    assert change(3, 0).trend is Trend.NO_BASE
    assert month_start(date(2026, 1, 15), 1) == date(2025, 12, 1)
    assert month_start(date(2026, 11, 30), 12) == date(2025, 11, 1)
    assert month_start(date(2026, 12, 3), -1) == date(2027, 1, 1)


def test_nothing_against_nothing_has_no_base_and_is_not_unchanged() -> None:
    # 0 incidents against 0: nothing to compare, not "unchanged" (which says there was).
    assert change(0, 0) == change(0, 0).__class__(0, Trend.NO_BASE, 0)


def test_team_rows_carry_the_teams_key_for_the_console_to_translate(
        station: tuple[StatisticsService, StationData]) -> None:
    service, _ = station
    keys = {"community", "case"}
    alerts = service.alerts_per_team_category(SUPERVISOR, NOVEMBER)
    assert alerts and {row.team_key for row in alerts} == keys
    assert {ack.team_key for ack in service.ack_per_team(SUPERVISOR, YEAR)} == keys


def test_a_duty_officer_may_not_read_the_figures(
        station: tuple[StatisticsService, StationData]) -> None:
    service, _ = station
    with pytest.raises(PermissionDenied):
        service.outcomes(Actor("wang", Role.DUTY_OFFICER, 7), NOVEMBER)


def test_an_export_is_audited(station: tuple[StatisticsService, StationData]) -> None:
    service, _ = station
    service.record_export(SUPERVISOR, "outcomes", "outcomes.csv", "ab" * 32)
    with pytest.raises(PermissionDenied):
        service.record_export(Actor("wang", Role.DUTY_OFFICER, 7), "outcomes", "x.csv", "")


