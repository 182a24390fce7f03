"""The statistics window by keyboard: Ctrl+Shift+G opens it saying "loading", the figures
arrive from the background executor (no database on the GUI thread: the UI tests' guard),
the charts paint, the station's sentences match the service's figures; the table shown
exports as CSV, recorded in the audit trail; Escape closes it."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPicture
from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow
from commandroom.auth.permissions import Actor, Role
from commandroom.reports.words import Lang, Words
from commandroom.statistics import Metric, MonthComparison, Trend
from commandroom.statistics.queries import STATION_TZ
from commandroom.statistics.records import change
from tests.support.statistics_data import generate, insert_all
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import press
from ui.statistics.texts import comparison_lines, metric_label
from ui.statistics.window import StatisticsWindow

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
LABEL_GAP = 8  # pixels between two labels under the bars


def test_statistics_window_by_keyboard(qtbot: QtBot, make_app: AppFactory,
                                       tmp_path: Path) -> None:
    app = make_app("--demo")
    today = datetime.now(STATION_TZ).date()
    first = date(today.year - 1, today.month, 1)
    insert_all(app.sessions, generate(5, first, (today - first).days + 1,
                                      incidents=800, sightings=2000, alerts=600))
    app.console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.console)
    press(Qt.Key.Key_G, CTRL | SHIFT)
    window = app.statistics_ui.windows.windows.get(("statistics", None))
    assert isinstance(window, StatisticsWindow)
    # The window is up before the figures: it says it is loading.
    assert window.figures is None and window.status.text() == "Loading statistics…"
    with qtbot.waitSignal(window.charts_painted, timeout=10_000):
        pass
    figures = window.figures
    assert figures is not None
    months = {m.metric: m for m in figures.months}
    incidents = months[Metric.INCIDENTS]
    assert incidents.vs_last_year.trend in set(Trend)
    year_line, month_line = comparison_lines(incidents)
    assert year_line in window.comparison.text() and month_line in window.comparison.text()
    assert window.tabs.count() == 6
    assert sum(count for _, count in figures.sightings_per_day()) > 0

    window.tabs.setCurrentIndex(5)  # outcomes
    target = tmp_path / "outcomes.csv"
    with qtbot.waitSignal(window.exported, timeout=5000):
        window.export_to(target)
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    assert rows[0] == ["Outcome", "Incidents"]
    assert sum(int(row[1]) for row in rows[1:]) == sum(o.incidents for o in figures.outcomes)
    with app.sessions() as session:
        actions = session.scalars(select(AuditEventRow.action)).all()
    assert "statistics.export" in actions

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: ("statistics", None) not in app.statistics_ui.windows.windows)


def test_a_duty_officer_is_told_the_figures_are_the_supervisors(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    app.actor = Actor("wang", Role.DUTY_OFFICER, 7)
    window = app.statistics_ui.open_window()
    qtbot.waitUntil(lambda: "wang" in window.status.text())
    assert "lacks the permission" in window.status.text()
    assert window.figures is None and not window.export_button.isEnabled()


@pytest.mark.usefixtures("chinese")
def test_in_chinese_the_seeded_teams_are_named_in_chinese(
        qtbot: QtBot, make_app: AppFactory) -> None:
    """The rows carry the team's key: a seeded team shows its translated name (社区警务队),
    not the English name it was seeded with, in the tables and the charts' legends; the
    legends sit outside the plot area, clear of the bars."""
    app = make_app("--demo", "--lang", "zh_CN")
    today = datetime.now(STATION_TZ).date()
    first = today - timedelta(days=40)
    insert_all(app.sessions, generate(9, first, 41, incidents=200, sightings=300, alerts=150))
    window = app.statistics_ui.open_window()
    with qtbot.waitSignal(window.charts_painted, timeout=10_000):
        pass
    alerts = next(i for i, (key, *_) in enumerate(window._tables) if key == "alerts")
    table = window.tabs.widget(alerts)
    assert isinstance(table, QTableWidget) and table.rowCount() > 0
    names = {table.item(row, 0).text() for row in range(table.rowCount())}
    assert names == {"社区警务队", "案件办理队"}
    for chart in window.charts[1:3]:  # alerts per team, time to acknowledge per team
        plot = chart.getPlotItem()  # type: ignore[attr-defined]
        legend = plot.legend
        assert {label.text.split(" ")[0] for _, label in legend.items} == {
            "社区警务队", "案件办理队"}
        area = plot.getViewBox().sceneBoundingRect()
        assert legend.isVisible() and not legend.sceneBoundingRect().intersects(area)
        # Nor does the legend push the chart past its cell in the grid.
        assert plot.sceneBoundingRect().right() <= chart.viewport().width()


def _nothing_against_nothing() -> tuple[str, str]:
    return comparison_lines(MonthComparison(Metric.CAUGHT, date(2026, 10, 1), 0,
                                            change(0, 0), change(0, 0)))


def _reports_words(lang: Lang) -> tuple[str, str]:
    """What the monthly report PDF says for the same thing, about the screen's figure."""
    words, name = Words(lang), metric_label(Metric.CAUGHT)
    return (words("sentence.year.no_base", name=name),
            words("sentence.month.no_base", name=name))


def test_category_labels_under_the_bars_do_not_run_into_each_other(
        qtbot: QtBot, make_app: AppFactory) -> None:
    """In English "False alarm" and "Handed over" were drawn into one another under the
    outcomes chart of the window as it opens (1280 px wide), with no gap between them."""
    app = make_app("--demo")
    today = datetime.now(STATION_TZ).date()
    insert_all(app.sessions, generate(9, today - timedelta(days=40), 41,
                                      incidents=200, sightings=300, alerts=150))
    window = app.statistics_ui.open_window()
    with qtbot.waitSignal(window.charts_painted, timeout=10_000):
        pass
    for chart in window.charts:
        axis = chart.getPlotItem().getAxis("bottom")  # type: ignore[attr-defined]
        picture = QPicture()  # as AxisItem.paint measures and places its labels
        painter = QPainter(picture)
        try:
            _, _, texts = axis.generateDrawSpecs(painter)
        finally:
            painter.end()
        rects = sorted((rect for rect, _, _ in texts), key=lambda r: r.left())
        assert rects, "no labels drawn"
        for left, right in pairwise(rects):  # a gap the eye reads as a break
            assert right.left() - left.right() >= LABEL_GAP, [text for _, _, text in texts]
        # And every line of a label has room under the axis line: none is cut.
        lines = max(text.count("\n") + 1 for _, _, text in texts)
        assert axis.height() >= lines * QFontMetrics(axis.font()).lineSpacing()


def test_nothing_against_nothing_reads_no_base_not_unchanged() -> None:
    year_line, month_line = _nothing_against_nothing()
    assert year_line == "Caught: no base for comparison (none in the same month last year)"
    assert month_line == "Caught: no base for comparison (none last month)"
    # The screen and the PDF say it in the same words.
    assert (year_line, month_line) == _reports_words(Lang.EN)


@pytest.mark.usefixtures("chinese")
def test_nothing_against_nothing_in_chinese_reads_as_the_report_does() -> None:
    year_line, month_line = _nothing_against_nothing()
    assert year_line == "抓获同比：无可比数据（去年同月为 0）"
    assert month_line == "抓获环比：无可比数据（上月为 0）"
    assert (year_line, month_line) == _reports_words(Lang.ZH_CN)
