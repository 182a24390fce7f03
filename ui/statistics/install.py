"""Statistics at the console: the "Statistics" menu and its window (Ctrl+Shift+G, for
"graphs": free among the console's shortcuts; Escape closes it)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from commandroom.reports import ReportService
from commandroom.statistics import StatisticsService
from commandroom.statistics.queries import STATION_TZ
from ui.common.actor import ActorSource
from ui.common.windows import ToolWindows
from ui.statistics.window import StatisticsWindow

OPEN_KEY = "Ctrl+Shift+G"


class StatisticsUi(QObject):
    def __init__(self, console: QMainWindow, service: StatisticsService,
                 actor: ActorSource, *, reports: ReportService | None = None) -> None:
        super().__init__(console)
        self._reports = reports
        self._console = console
        self._service = service
        self._actor = actor
        self.windows = ToolWindows(console)
        menu = console.menuBar().addMenu(self.tr("Stati&stics"))
        self.open_action = QAction(self.tr("Statistics…"), console)
        self.open_action.setShortcut(QKeySequence(OPEN_KEY))
        self.open_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.open_action.triggered.connect(lambda _c=False: self.open_window())
        menu.addAction(self.open_action)
        console.addAction(self.open_action)
        self.menu = menu

    def open_window(self) -> StatisticsWindow:
        existing = self.windows.existing(("statistics", None))
        if isinstance(existing, StatisticsWindow):
            existing.reload()
            return existing
        window = StatisticsWindow(self._service, self._actor,
                                  lambda: datetime.now(STATION_TZ).date(), self._say,
                                  reports=self._reports)
        self.windows.show(("statistics", None), window)
        window.activateWindow()
        window.tabs.setFocus()
        return window

    def _say(self, text: str) -> None:
        self._console.statusBar().showMessage(text, 8000)

    def shutdown(self) -> None:
        self.windows.close_all()
