"""What the statistics return: codes and numbers only; ``ui/statistics`` words them
("警情数同比下降 35 %")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# Upper bounds (seconds, exclusive) of the duration buckets; the last bucket is open.
# Chosen by the station's targets: acknowledged within a minute, caught within an hour.
ACK_BUCKETS: tuple[int, ...] = (60, 300, 900, 1800, 3600)
RESOLUTION_BUCKETS: tuple[int, ...] = (900, 1800, 3600, 7200, 14400)


class Metric(StrEnum):
    INCIDENTS = "incidents"
    CAUGHT = "caught"
    SIGHTINGS = "sightings"
    ALERTS = "alerts"


class Trend(StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"
    NO_BASE = "no_base"  # nothing to compare with (the earlier figure is 0)


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end`` (exclusive), the station's calendar days."""

    start: date
    end: date


@dataclass(frozen=True)
class JunctionDay:
    junction: str
    day: date
    sightings: int


@dataclass(frozen=True)
class TeamCategory:
    team_id: int
    team_key: str  # a seeded team's name is translated by the console
    team: str
    category: str
    alerts: int


@dataclass(frozen=True)
class Distribution:
    """How many durations fall in each bucket (``bounds[i]`` is bucket i's exclusive upper
    bound in seconds; the last bucket, one more than the bounds, has none), and the median."""

    bounds: tuple[int, ...]
    counts: tuple[int, ...]
    median_seconds: float | None
    total: int


@dataclass(frozen=True)
class TeamAck:
    team_id: int
    team_key: str
    team: str
    distribution: Distribution


@dataclass(frozen=True)
class OutcomeCount:
    outcome: str  # commandroom.incidents.Outcome value; "" = not resolved yet
    incidents: int


@dataclass(frozen=True)
class Change:
    """This figure against an earlier one: percent rounded to a whole number."""

    earlier: int
    trend: Trend
    percent: int


@dataclass(frozen=True)
class MonthComparison:
    metric: Metric
    month: date  # first day of the month
    value: int
    vs_last_month: Change
    vs_last_year: Change


def change(value: int, earlier: int) -> Change:
    if earlier == 0:
        # 0 against 0 is not "unchanged": there was nothing to compare with.
        return Change(earlier, Trend.NO_BASE, 0)
    percent = round(abs(value - earlier) * 100 / earlier)
    trend = Trend.FLAT if value == earlier else (Trend.UP if value > earlier else Trend.DOWN)
    return Change(earlier, trend, percent)


def month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)
