"""The statistics' codes in words: metric names, outcomes, duration buckets and the
station's sentences ("警情数同比下降 35 %")."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QCoreApplication

from commandroom.incidents import Outcome
from commandroom.statistics import Change, Metric, MonthComparison, Trend

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate


def metric_label(metric: Metric) -> str:
    return {
        Metric.INCIDENTS: _tr("Statistics", "Incidents"),
        Metric.CAUGHT: _tr("Statistics", "Caught"),
        Metric.SIGHTINGS: _tr("Statistics", "Sightings"),
        Metric.ALERTS: _tr("Statistics", "Alerts"),
    }[metric]


def outcome_label(outcome: str) -> str:
    labels = {
        Outcome.CAUGHT.value: _tr("Statistics", "Caught"),
        Outcome.CLEARED.value: _tr("Statistics", "Cleared"),
        Outcome.FALSE_ALARM.value: _tr("Statistics", "False alarm"),
        Outcome.HANDED_OVER.value: _tr("Statistics", "Handed over"),
        "": _tr("Statistics", "Open"),
    }
    return labels.get(outcome, outcome)


def minutes(seconds: float) -> str:
    if seconds < 60:
        return _tr("Statistics", "%1 s").replace("%1", str(round(seconds)))
    return _tr("Statistics", "%1 min").replace("%1", f"{seconds / 60:.0f}")


def bucket_labels(bounds: tuple[int, ...]) -> list[str]:
    """In minutes, short enough for a chart's axis: "<1", "1–5", ... "≥60"."""
    whole = [f"{bound / 60:g}" for bound in bounds]
    return [f"<{whole[0]}", *(f"{low}–{high}" for low, high in pairwise(whole)),
            f"≥{whole[-1]}"]


def median_text(median: float | None) -> str:
    if median is None:
        return _tr("Statistics", "median: none yet")
    return _tr("Statistics", "median %1").replace("%1", minutes(median))


def _sentence(name: str, against: Change, year: bool) -> str:
    if against.trend is Trend.NO_BASE:
        # Nothing a year (a month) ago: no base to compare with, whatever this month has.
        # In the monthly report's words (commandroom/reports/words.py): one wording.
        text = (_tr("Statistics", "%1: no base for comparison (none in the same month "
                                  "last year)") if year
                else _tr("Statistics", "%1: no base for comparison (none last month)"))
    elif against.trend is Trend.FLAT:
        text = (_tr("Statistics", "%1 year on year: unchanged") if year
                else _tr("Statistics", "%1 month on month: unchanged"))
    elif against.trend is Trend.DOWN:
        text = (_tr("Statistics", "%1 year on year: down %2 %") if year
                else _tr("Statistics", "%1 month on month: down %2 %"))
    else:
        text = (_tr("Statistics", "%1 year on year: up %2 %") if year
                else _tr("Statistics", "%1 month on month: up %2 %"))
    return text.replace("%1", name).replace("%2", str(against.percent))


def comparison_lines(comparison: MonthComparison) -> tuple[str, str]:
    """The station's two sentences for one metric: year on year, month on month."""
    name = metric_label(comparison.metric)
    return (_sentence(name, comparison.vs_last_year, True),
            _sentence(name, comparison.vs_last_month, False))
