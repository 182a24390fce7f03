"""Everything the statistics window shows, read in one go on the background executor
(never on the GUI thread), and the tables it shows as rows (for the screen and CSV)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication

from commandroom.auth.permissions import Actor
from commandroom.statistics import (
    Distribution,
    JunctionDay,
    MonthComparison,
    OutcomeCount,
    Period,
    StatisticsService,
    TeamAck,
    TeamCategory,
)
from commandroom.statistics.records import month_start
from ui.common.entry_texts import category_label
from ui.common.team_texts import team_label
from ui.statistics.texts import bucket_labels, metric_label, minutes, outcome_label

_tr = QCoreApplication.translate
DAYS_SHOWN = 30


@dataclass(frozen=True)
class Figures:
    period: Period
    junction_days: list[JunctionDay]
    alerts: list[TeamCategory]
    acks: list[TeamAck]
    resolution: Distribution
    outcomes: list[OutcomeCount]
    months: list[MonthComparison]

    def sightings_per_day(self) -> list[tuple[date, int]]:
        totals: Counter[date] = Counter()
        for row in self.junction_days:
            totals[row.day] += row.sightings
        days = (self.period.end - self.period.start).days
        return [(self.period.start + timedelta(days=i),
                 totals[self.period.start + timedelta(days=i)]) for i in range(days)]


def gather(service: StatisticsService, actor: Actor, today: date) -> Figures:
    """The last DAYS_SHOWN days up to ``today``, and the last whole month against the one
    before and the same month a year before."""
    period = Period(today - timedelta(days=DAYS_SHOWN - 1), today + timedelta(days=1))
    # One after the other: reading in two more threads was slower (the GIL; measured
    # 204 ms in sequence against 289 ms in parallel on 2 cores).
    return Figures(
        period,
        service.sightings_per_junction_day(actor, period),
        service.alerts_per_team_category(actor, period),
        service.ack_per_team(actor, period),
        service.resolution(actor, period),
        service.outcomes(actor, period),
        # The last whole month: the current one is not over, against whole months.
        service.month_comparison(actor, month_start(today, 1)))


Table = tuple[str, str, list[str], list[list[object]]]  # key, title, header, rows


def tables(figures: Figures) -> list[Table]:
    ack_rows: list[list[object]] = []
    for team in figures.acks:
        labels = bucket_labels(team.distribution.bounds)
        name = team_label(team.team_key, team.team)
        ack_rows += [[name, label, count]
                     for label, count in zip(labels, team.distribution.counts, strict=True)]
        median = team.distribution.median_seconds
        ack_rows.append([name, _tr("Statistics", "Median"),
                         minutes(median) if median is not None else ""])
    resolution = figures.resolution
    resolution_rows: list[list[object]] = [
        [label, count] for label, count in zip(bucket_labels(resolution.bounds),
                                               resolution.counts, strict=True)]
    if resolution.median_seconds is not None:
        resolution_rows.append([_tr("Statistics", "Median"), minutes(resolution.median_seconds)])
    return [
        ("months", _tr("Statistics", "Month on month, year on year"),
         [_tr("Statistics", "Figure"), _tr("Statistics", "Month"),
          _tr("Statistics", "Month before"), _tr("Statistics", "Change %"),
          _tr("Statistics", "Same month a year before"), _tr("Statistics", "Change %")],
         [[metric_label(m.metric), m.value, m.vs_last_month.earlier,
           _signed(m.value, m.vs_last_month.earlier, m.vs_last_month.percent),
           m.vs_last_year.earlier, _signed(m.value, m.vs_last_year.earlier,
                                           m.vs_last_year.percent)]
          for m in figures.months]),
        ("sightings", _tr("Statistics", "Sightings per junction and day"),
         [_tr("Statistics", "Day"), _tr("Statistics", "Junction"),
          _tr("Statistics", "Sightings")],
         [[row.day.isoformat(), row.junction, row.sightings] for row in figures.junction_days]),
        ("alerts", _tr("Statistics", "Alerts per team and category"),
         [_tr("Statistics", "Team"), _tr("Statistics", "Category"), _tr("Statistics", "Alerts")],
         [[team_label(row.team_key, row.team), category_label(row.category), row.alerts]
          for row in figures.alerts]),
        ("acknowledge", _tr("Statistics", "Time to acknowledge"),
         [_tr("Statistics", "Team"), _tr("Statistics", "Minutes"),
          _tr("Statistics", "Incidents")],
         ack_rows),
        ("resolution", _tr("Statistics", "Time to resolution"),
         [_tr("Statistics", "Minutes"), _tr("Statistics", "Incidents")], resolution_rows),
        ("outcomes", _tr("Statistics", "Outcomes"),
         [_tr("Statistics", "Outcome"), _tr("Statistics", "Incidents")],
         [[outcome_label(row.outcome), row.incidents] for row in figures.outcomes]),
    ]


def _signed(value: int, earlier: int, percent: int) -> str:
    if earlier == 0:
        return ""
    return f"{'-' if value < earlier else '+' if value > earlier else ''}{percent}"
