"""The statistics' SQL: portable (SQLAlchemy Core expressions only, no date functions,
which differ between SQLite and PostgreSQL). Incidents carry their station day
(``created_day``) and their durations in seconds; sightings and alerts are counted
between instants, the station's midnights converted to UTC here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, func, literal_column, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from commandroom.alerts.models import AlertRecipientRow, AlertRow, TeamRow
from commandroom.incidents.models import IncidentRow, IncidentTeamRow
from commandroom.sightings.models import SightingRow
from commandroom.statistics.records import (
    ACK_BUCKETS as ACK_BOUNDS,
)
from commandroom.statistics.records import (
    RESOLUTION_BUCKETS as RESOLUTION_BOUNDS,
)
from commandroom.statistics.records import (
    Distribution,
    JunctionDay,
    OutcomeCount,
    Period,
    TeamAck,
    TeamCategory,
)

# The station's calendar is Beijing time (no daylight saving), as the incidents' days.
STATION_TZ = timezone(timedelta(hours=8))


def station_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), STATION_TZ).astimezone(UTC)


def _between(column: InstrumentedAttribute[datetime], start: date, end: date
             ) -> ColumnElement[bool]:
    return and_(column >= station_midnight(start), column < station_midnight(end))


def _in_days(period: Period) -> ColumnElement[bool]:
    return and_(IncidentRow.created_day >= period.start, IncidentRow.created_day < period.end)


def sightings_per_junction_day(session: Session, period: Period) -> list[JunctionDay]:
    """One indexed range query per day: the day of a UTC instant in Beijing time has no
    portable SQL, the day's bounds do."""
    found: list[JunctionDay] = []
    day = period.start
    while day < period.end:
        following = day + timedelta(days=1)
        rows = session.execute(
            select(SightingRow.junction, func.count())
            .where(_between(SightingRow.frame_time, day, following))
            .group_by(SightingRow.junction).order_by(SightingRow.junction))
        found.extend(JunctionDay(junction, day, count) for junction, count in rows)
        day = following
    return found


def sightings_between(session: Session, start: date, end: date) -> int:
    return session.scalar(select(func.count()).select_from(SightingRow)
                          .where(_between(SightingRow.frame_time, start, end))) or 0


def alerts_between(session: Session, start: date, end: date) -> int:
    return session.scalar(select(func.count()).select_from(AlertRow)
                          .where(_between(AlertRow.created_at, start, end))) or 0


def incidents_between(session: Session, start: date, end: date, *, outcome: str | None = None
                      ) -> int:
    query = (select(func.count()).select_from(IncidentRow)
             .where(_in_days(Period(start, end))))
    if outcome is not None:
        query = query.where(IncidentRow.outcome == outcome)
    return session.scalar(query) or 0


def alerts_per_team_category(session: Session, period: Period) -> list[TeamCategory]:
    rows = session.execute(
        select(TeamRow.id, TeamRow.key, TeamRow.name, AlertRow.category, func.count())
        .select_from(AlertRecipientRow)
        .join(AlertRow, AlertRow.id == AlertRecipientRow.alert_id)
        .join(TeamRow, TeamRow.id == AlertRecipientRow.team_id)
        .where(_between(AlertRow.created_at, period.start, period.end))
        .group_by(TeamRow.id, TeamRow.key, TeamRow.name, AlertRow.category)
        .order_by(TeamRow.name, AlertRow.category))
    return [TeamCategory(team_id, key, team, category, count)
            for team_id, key, team, category, count in rows]


def _bucket(column: ColumnElement[int] | InstrumentedAttribute[int | None],
            bounds: Sequence[int]) -> ColumnElement[int]:
    return case(*((column < bound, index) for index, bound in enumerate(bounds)),
                else_=len(bounds))


def _counts(rows: Sequence[tuple[int, int]], bounds: Sequence[int]) -> tuple[int, ...]:
    counts = [0] * (len(bounds) + 1)
    for bucket, count in rows:
        counts[bucket] = count
    return tuple(counts)


def _medians(session: Session, key: ColumnElement[int] | InstrumentedAttribute[int] | None,
             seconds: InstrumentedAttribute[int | None],
             where: Sequence[ColumnElement[bool]], *joins: Any) -> dict[int, float]:
    """The median per ``key`` in one query: the middle row(s) by ROW_NUMBER over COUNT,
    window functions both SQLite (3.25+) and PostgreSQL have (SQLite has no median and
    PostgreSQL's percentile_cont is its own). ``//`` renders each dialect's integer
    division."""
    # No key: one partition (a literal 0, not a bound parameter PostgreSQL cannot type).
    label = key if key is not None else literal_column("0", Integer)
    ranked = (select(label.label("key"), seconds.label("seconds"),
                     func.row_number().over(partition_by=key, order_by=seconds).label("rank"),
                     func.count().over(partition_by=key).label("total"))
              .select_from(*joins).where(*where).subquery())
    rows = session.execute(
        select(ranked.c.key, func.avg(ranked.c.seconds))
        .where(or_(ranked.c.rank == (ranked.c.total + 1) // 2,
                   ranked.c.rank == (ranked.c.total + 2) // 2))
        .group_by(ranked.c.key))
    return {int(k): float(median) for k, median in rows}


def ack_per_team(session: Session, period: Period) -> list[TeamAck]:
    """Seconds from dispatch to each team's acknowledgement, of the period's incidents."""
    seconds = IncidentTeamRow.ack_seconds
    base = [seconds.is_not(None), _in_days(period)]
    bucket = _bucket(seconds, ACK_BOUNDS)
    rows = session.execute(
        select(TeamRow.id, TeamRow.key, TeamRow.name, bucket, func.count())
        .select_from(IncidentTeamRow)
        .join(IncidentRow, IncidentRow.id == IncidentTeamRow.incident_id)
        .join(TeamRow, TeamRow.id == IncidentTeamRow.team_id)
        .where(*base).group_by(TeamRow.id, TeamRow.key, TeamRow.name, bucket)).all()
    teams: dict[tuple[int, str, str], list[tuple[int, int]]] = {}
    for team_id, key, name, index, count in rows:
        teams.setdefault((team_id, key, name), []).append((index, count))
    medians = _medians(session, IncidentTeamRow.team_id, seconds, base,
                       IncidentRow.__table__.join(
                           IncidentTeamRow.__table__,
                           IncidentRow.id == IncidentTeamRow.incident_id))
    return [TeamAck(team_id, key, name, Distribution(
                ACK_BOUNDS, _counts(buckets, ACK_BOUNDS), medians.get(team_id),
                sum(count for _, count in buckets)))
            for (team_id, key, name), buckets in sorted(teams.items(),
                                                        key=lambda item: item[0][2])]


def resolution(session: Session, period: Period) -> Distribution:
    seconds = IncidentRow.resolution_seconds
    base = [seconds.is_not(None), _in_days(period)]
    bucket = _bucket(seconds, RESOLUTION_BOUNDS)
    rows = session.execute(
        select(bucket, func.count()).select_from(IncidentRow).where(*base).group_by(bucket)
    ).all()
    counts = _counts([(index, count) for index, count in rows], RESOLUTION_BOUNDS)
    median = _medians(session, None, seconds, base, IncidentRow).get(0)
    return Distribution(RESOLUTION_BOUNDS, counts, median, sum(counts))


def outcomes(session: Session, period: Period) -> list[OutcomeCount]:
    rows = session.execute(
        select(IncidentRow.outcome, func.count()).where(_in_days(period))
        .group_by(IncidentRow.outcome).order_by(IncidentRow.outcome))
    return [OutcomeCount(outcome, count) for outcome, count in rows]


