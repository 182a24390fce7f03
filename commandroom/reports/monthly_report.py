"""The monthly report (月度报告): the station's sentences for the month against last month
and the same month last year ("警情数同比下降 35 %"), then its tables: sightings per
junction, alerts per team and category, the median time to acknowledge per team, time to
resolution and the outcomes. From ``StatisticsService``: the figures the statistics
window shows, for one whole calendar month of the station."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from commandroom.reports.document import (
    Cell,
    ReportPdf,
    beijing,
    heading,
    new_report,
    sentences,
    table,
    title,
)
from commandroom.reports.words import Words, percent_text
from commandroom.statistics.records import (
    Change,
    Distribution,
    JunctionDay,
    MonthComparison,
    OutcomeCount,
    TeamAck,
    TeamCategory,
)


@dataclass(frozen=True)
class MonthlyData:
    month: date  # its first day
    comparisons: list[MonthComparison]
    junction_days: list[JunctionDay]
    alerts: list[TeamCategory]
    acks: list[TeamAck]
    resolution: Distribution
    outcomes: list[OutcomeCount]
    made_at: datetime
    made_by: str


@dataclass(frozen=True)
class JunctionTotal:
    junction: str
    sightings: int
    days: int  # days with at least one sighting
    busiest_day: date
    busiest: int


def junction_totals(rows: list[JunctionDay]) -> list[JunctionTotal]:
    """Per junction, most sightings first (a tie by name)."""
    days: dict[str, list[JunctionDay]] = defaultdict(list)
    for row in rows:
        if row.sightings:
            days[row.junction].append(row)
    totals = []
    for junction, found in days.items():
        busiest = max(found, key=lambda r: (r.sightings, -r.day.toordinal()))
        totals.append(JunctionTotal(junction, sum(r.sightings for r in found), len(found),
                                    busiest.day, busiest.sightings))
    return sorted(totals, key=lambda t: (-t.sightings, t.junction))


def bucket_labels(bounds: tuple[int, ...]) -> list[str]:
    """In minutes, as the statistics window's axes: "<1", "1–5", ... "≥60"."""
    whole = [f"{bound / 60:g}" for bound in bounds]
    return [f"<{whole[0]}", *(f"{low}–{high}" for low, high in pairwise(whole)),
            f"≥{whole[-1]}"]


def signed_change(value: int, change: Change) -> str:
    """"-35", "+12", "0", "-<1"; empty where there is no base (nothing earlier)."""
    if change.earlier == 0:
        return ""
    sign = "-" if value < change.earlier else "+" if value > change.earlier else ""
    return f"{sign}{percent_text(change)}"


def render_monthly(data: MonthlyData, words: Words, prepared: ReportPdf | None = None) -> bytes:
    pdf = prepared or new_report(words)
    month = words("monthly.month", year=data.month.year, month=data.month.month)
    pdf.set_creation_date(data.made_at)
    pdf.set_title(f"{words('monthly.title')} {month}")
    pdf.set_creator("commandroom")
    pdf.add_page()
    title(pdf, words("monthly.title"), month,
          words("made", when=beijing(data.made_at), by=data.made_by))
    lines = [line for comparison in data.comparisons for line in words.comparison(comparison)]
    sentences(pdf, lines)
    heading(pdf, words("monthly.comparison"))
    table(pdf, [words("monthly.figure"), words("monthly.this_month"),
                words("monthly.last_month"), words("monthly.change"),
                words("monthly.last_year"), words("monthly.change")],
          [[words.metric(c.metric), str(c.value), str(c.vs_last_month.earlier),
            signed_change(c.value, c.vs_last_month),
            str(c.vs_last_year.earlier),
            signed_change(c.value, c.vs_last_year)]
           for c in data.comparisons],
          widths=(40, 26, 26, 24, 40, 24), aligns="LRRRRR")
    _sightings(pdf, data, words)
    _alerts(pdf, data, words)
    _acks(pdf, data, words)
    _resolution(pdf, data.resolution, words)
    heading(pdf, words("monthly.outcomes"))
    _or_empty(pdf, words, [words("monthly.outcome"), words("monthly.incidents")],
              [[words.outcome(row.outcome), str(row.incidents)] for row in data.outcomes],
              (90, 40), "LR")
    return bytes(pdf.output())


def _or_empty(pdf: ReportPdf, words: Words, header: list[str], rows: list[list[Cell]],
              widths: tuple[float, ...], aligns: str) -> None:
    if rows:
        table(pdf, header, rows, widths=widths, aligns=aligns)
    else:
        sentences(pdf, [words("monthly.empty")], size=10)


def _sightings(pdf: ReportPdf, data: MonthlyData, words: Words) -> None:
    heading(pdf, words("monthly.sightings"))
    rows: list[list[Cell]] = [
        [t.junction, str(t.sightings), str(t.days),
         f"{t.busiest_day.isoformat()} ({t.busiest})"]
        for t in junction_totals(data.junction_days)]
    _or_empty(pdf, words, [words("monthly.junction"), words("monthly.total"),
                           words("monthly.days"), words("monthly.busiest")],
              rows, (70, 30, 34, 46), "LRRL")


def _alerts(pdf: ReportPdf, data: MonthlyData, words: Words) -> None:
    heading(pdf, words("monthly.alerts"))
    rows: list[list[Cell]] = [
        [words.team_named(row.team), words.category(row.category), str(row.alerts)]
        for row in data.alerts]
    _or_empty(pdf, words, [words("incident.team"), words("monthly.category"),
                           words("monthly.count")], rows, (60, 60, 30), "LLR")


def _acks(pdf: ReportPdf, data: MonthlyData, words: Words) -> None:
    heading(pdf, words("monthly.ack"))
    rows: list[list[Cell]] = [
        [words.team_named(ack.team), str(ack.distribution.total),
         _median(ack.distribution, words)]
        for ack in data.acks]
    _or_empty(pdf, words, [words("incident.team"), words("monthly.acked"),
                           words("monthly.median")], rows, (60, 40, 40), "LRR")


def _resolution(pdf: ReportPdf, resolution: Distribution, words: Words) -> None:
    heading(pdf, words("monthly.resolution"))
    if not resolution.total:
        sentences(pdf, [words("monthly.empty")], size=10)
        return
    sentences(pdf, [f"{words('monthly.resolved')}: {resolution.total}    "
                    f"{words('monthly.median')}: {_median(resolution, words)}"], size=10)
    table(pdf, [words("monthly.bucket"), words("monthly.incidents")],
          [[label, str(count)] for label, count in
           zip(bucket_labels(resolution.bounds), resolution.counts, strict=True)],
          widths=(50, 40), aligns="LR")


def _median(distribution: Distribution, words: Words) -> str:
    median = distribution.median_seconds
    return words.duration(median) if median is not None else "—"
