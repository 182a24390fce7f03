"""The statistics window (issue 17): this month against last month and last year in the
station's sentences, five charts of the last 30 days, and the tables behind them, each
exportable as CSV. It opens at once with "loading" and fills in when the figures, read on
the background executor, arrive."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commandroom.auth.permissions import Actor, Permission, PermissionDenied, require
from commandroom.csvfiles import write_rows
from commandroom.files import write_private
from commandroom.reports import ReportService
from commandroom.statistics import StatisticsService
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.auth_texts import denied_text
from ui.common.entry_texts import category_label
from ui.common.team_texts import team_label
from ui.reports.actions import REPORT_KEY, ReportActions
from ui.statistics.charts import draw_bars, new_chart, set_title
from ui.statistics.figures import Figures, Table, gather, tables
from ui.statistics.texts import bucket_labels, comparison_lines, median_text, outcome_label


class StatisticsWindow(QWidget):
    loaded = Signal()
    charts_painted = Signal()  # the first paint of the charts with the figures in them
    exported = Signal(str)

    def __init__(self, service: StatisticsService, actor: ActorSource,
                 today: Callable[[], date], say: Callable[[str], None], *,
                 reports: ReportService | None = None) -> None:
        super().__init__()
        self._service = service
        self._actor = actor
        self._today = today
        self._say = say
        self._bridge = FutureBridge(self)
        self._tables: list[Table] = []
        self._painted_once = False
        self.figures: Figures | None = None
        # The queries start first, on the executor, while the window builds its charts.
        self.status = QLabel(self.tr("Loading statistics…"))
        self.reload()
        self.setWindowTitle(self.tr("Statistics"))
        self.resize(1280, 860)
        layout = QVBoxLayout(self)
        self.comparison = QLabel()
        self.comparison.setStyleSheet("font-size: 13pt;")
        layout.addWidget(self.status)
        layout.addWidget(self.comparison)
        grid = QGridLayout()
        self.charts = [new_chart("") for _ in range(5)]
        for index, chart in enumerate(self.charts):
            grid.addWidget(chart, index // 3, index % 3)
        layout.addLayout(grid, 3)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 2)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("&Export this table as CSV…"))
        self.export_button.clicked.connect(self.export_csv)
        self.export_button.setEnabled(False)
        buttons.addStretch(1)
        # The month on screen as a PDF report: written off the GUI thread by ui/reports.
        # The console's status bar has one colour: the report's line goes there as text.
        self.report = ReportActions(self, reports, actor, lambda text, _tone: say(text)) \
            if reports is not None else None
        self.report_action = QAction(self.tr("&Monthly report PDF…"), self)
        self.report_action.setShortcut(QKeySequence(REPORT_KEY))
        self.report_action.triggered.connect(lambda _c=False: self.write_report())
        self.addAction(self.report_action)
        self.report_button = QPushButton(self.report_action.text())
        self.report_button.clicked.connect(self.report_action.trigger)
        self.report_button.setVisible(self.report is not None)
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        # A chart paints in its viewport; the last one drawn is the last to paint.
        self.charts[-1].viewport().installEventFilter(self)

    def reload(self) -> None:
        self.status.setText(self.tr("Loading statistics…"))
        self._bridge.run(gather, self._service, self._actor(), self._today(),
                         on_ok=self._show, on_error=self._failed)

    # -- showing -----------------------------------------------------------------------
    def _show(self, figures: Figures) -> None:
        self.figures = figures
        period = figures.period
        self.status.setText(self.tr("The last 30 days: %1 to %2")
                            .replace("%1", period.start.isoformat())
                            .replace("%2", (period.end - timedelta(days=1)).isoformat()))
        lines = [" · ".join(comparison_lines(m)) for m in figures.months]
        month = figures.months[0].month.strftime("%Y-%m") if figures.months else ""
        self.comparison.setText("\n".join(
            [self.tr("Month %1 against the month before and a year before:")
             .replace("%1", month), *lines]))
        self._draw(figures)
        self._tables = tables(figures)
        self._fill_tables()
        self.export_button.setEnabled(True)
        self.loaded.emit()

    def _draw(self, figures: Figures) -> None:
        days = figures.sightings_per_day()
        set_title(self.charts[0], self.tr("Sightings per day"))
        draw_bars(self.charts[0], [day.strftime("%m-%d") for day, _ in days],
                  [(self.tr("Sightings"), [count for _, count in days])], every=7)
        categories = sorted({row.category for row in figures.alerts})
        teams = sorted({team_label(row.team_key, row.team) for row in figures.alerts})
        counts = {(team_label(row.team_key, row.team), row.category): row.alerts
                  for row in figures.alerts}
        set_title(self.charts[1], self.tr("Alerts per team and category"))
        draw_bars(self.charts[1], [category_label(c) for c in categories],
                  [(team, [counts.get((team, c), 0) for c in categories]) for team in teams])
        set_title(self.charts[2], self.tr("Time to acknowledge (minutes)"))
        bounds = figures.acks[0].distribution.bounds if figures.acks else ()
        draw_bars(self.charts[2], bucket_labels(bounds) if bounds else [],
                  [(f"{team_label(ack.team_key, ack.team)} "
                    f"({median_text(ack.distribution.median_seconds)})",
                    list(ack.distribution.counts)) for ack in figures.acks])
        resolution = figures.resolution
        set_title(self.charts[3], self.tr("Time to resolution, minutes (%1)")
                  .replace("%1", median_text(resolution.median_seconds)))
        draw_bars(self.charts[3], bucket_labels(resolution.bounds),
                  [(self.tr("Incidents"), list(resolution.counts))])
        set_title(self.charts[4], self.tr("Incidents by outcome"))
        draw_bars(self.charts[4], [outcome_label(row.outcome) for row in figures.outcomes],
                  [(self.tr("Incidents"), [row.incidents for row in figures.outcomes])])

    def _fill_tables(self) -> None:
        current = self.tabs.currentIndex()
        self.tabs.clear()
        for _, title, header, rows in self._tables:
            table = QTableWidget(len(rows), len(header))
            table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
            table.setHorizontalHeaderLabels(header)
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.setItem(r, c, QTableWidgetItem(str(cell)))
            table.resizeColumnsToContents()
            self.tabs.addTab(table, title)
        self.tabs.setCurrentIndex(max(current, 0))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PermissionDenied):  # the statistics are the supervisor's
            self.status.setText(denied_text(exc))
            return
        self.status.setText(self.tr("The statistics could not be read (%1).")
                            .replace("%1", str(exc) or type(exc).__name__))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Paint and self.figures is not None
                and not self._painted_once):
            self._painted_once = True
            self.charts_painted.emit()
        return super().eventFilter(watched, event)

    # -- CSV ---------------------------------------------------------------------------
    def export_csv(self) -> None:
        if not self._tables:
            return
        key = self._tables[self.tabs.currentIndex()][0]
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export statistics"),
                                              f"statistics-{key}.csv",
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """The table shown, written as CSV (UTF-8 with BOM: Excel and WPS read it right);
        the export is recorded in the audit trail."""
        key, _, header, rows = self._tables[self.tabs.currentIndex()]
        text = write_rows([list[object](header), *rows])
        self._bridge.run(self._write, key, path, text, self._actor(),
                         on_ok=lambda _r: self._exported(path), on_error=self._export_failed)

    def _write(self, key: str, path: Path, text: str, actor: Actor) -> None:
        # Refused before the file is written, not only when the export is recorded.
        require(actor, Permission.EXPORT_DATA)
        digest = write_private(path, text.encode("utf-8-sig"))
        self._service.record_export(actor, key, path.name, digest)

    def _exported(self, path: Path) -> None:
        self._say(self.tr("Statistics written to %1.").replace("%1", str(path)))
        self.exported.emit(str(path))

    def _export_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PermissionDenied):
            self._say(denied_text(exc))
            return
        self._say(self.tr("The statistics could not be written (%1).")
                  .replace("%1", str(exc) or type(exc).__name__))

    def write_report(self) -> None:
        """The month the window compares (the last whole one) as the monthly report."""
        if self.report is not None and self.figures is not None and self.figures.months:
            self.report.write_monthly(self.figures.months[0].month)

    def closeEvent(self, event: object) -> None:
        self._bridge.shut()
        if self.report is not None:
            self.report.shut()
        super().closeEvent(event)  # type: ignore[arg-type]
