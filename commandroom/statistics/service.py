"""``StatisticsService``: the station's figures, one guarded method per figure.

Wiring (the composition root)::

    statistics = StatisticsService(sessions, audit)
    statistics.sightings_per_junction_day(actor, Period(date(2026, 11, 1), date(2026, 12, 1)))
    statistics.month_comparison(actor, date(2026, 11, 1))   # 警情数同比下降 35 %

Reading the figures needs VIEW_AUDIT (the supervisor reviews the station's results);
exporting them is recorded in the audit trail and needs EXPORT_DATA.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.incidents.records import Outcome
from commandroom.statistics import queries
from commandroom.statistics.records import (
    Distribution,
    JunctionDay,
    Metric,
    MonthComparison,
    OutcomeCount,
    Period,
    TeamAck,
    TeamCategory,
    change,
    month_start,
)


class StatisticsService:
    def __init__(self, sessions: sessionmaker[Session], audit: AuditSink) -> None:
        self._sessions = sessions
        self._audit = audit

    @requires(Permission.VIEW_AUDIT)
    def sightings_per_junction_day(self, actor: Actor, period: Period) -> list[JunctionDay]:
        with self._sessions() as session:
            return queries.sightings_per_junction_day(session, period)

    @requires(Permission.VIEW_AUDIT)
    def alerts_per_team_category(self, actor: Actor, period: Period) -> list[TeamCategory]:
        with self._sessions() as session:
            return queries.alerts_per_team_category(session, period)

    @requires(Permission.VIEW_AUDIT)
    def ack_per_team(self, actor: Actor, period: Period) -> list[TeamAck]:
        with self._sessions() as session:
            return queries.ack_per_team(session, period)

    @requires(Permission.VIEW_AUDIT)
    def resolution(self, actor: Actor, period: Period) -> Distribution:
        with self._sessions() as session:
            return queries.resolution(session, period)

    @requires(Permission.VIEW_AUDIT)
    def outcomes(self, actor: Actor, period: Period) -> list[OutcomeCount]:
        with self._sessions() as session:
            return queries.outcomes(session, period)

    @requires(Permission.VIEW_AUDIT)
    def month_comparison(self, actor: Actor, month: date) -> list[MonthComparison]:
        """Each metric in ``month`` against last month and the same month last year
        (whole calendar months of the station)."""
        this = month_start(month)
        starts = {"this": this, "last_month": month_start(this, 1),
                  "last_year": month_start(this, 12)}
        found = []
        with self._sessions() as session:
            for metric in Metric:
                values = {key: self._count(session, metric, start, month_start(start, -1))
                          for key, start in starts.items()}
                found.append(MonthComparison(
                    metric, this, values["this"],
                    change(values["this"], values["last_month"]),
                    change(values["this"], values["last_year"])))
        return found

    @requires(Permission.EXPORT_DATA)
    def record_export(self, actor: Actor, what: str, file_name: str, sha256: str) -> None:
        """The audit event of a statistics table written to a CSV file."""
        with self._sessions.begin() as session:
            self._audit.append(session, actor, "statistics.export", what,
                               {"file": file_name, "sha256": sha256})

    @staticmethod
    def _count(session: Session, metric: Metric, start: date, end: date) -> int:
        if metric is Metric.INCIDENTS:
            return queries.incidents_between(session, start, end)
        if metric is Metric.CAUGHT:
            return queries.incidents_between(session, start, end, outcome=Outcome.CAUGHT.value)
        if metric is Metric.SIGHTINGS:
            return queries.sightings_between(session, start, end)
        return queries.alerts_between(session, start, end)
