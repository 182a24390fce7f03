""""Report PDF" (Ctrl+P) in an incident's timeline window and "Monthly report PDF" in the
statistics window: the officer chooses the file, the report is written on the background
executor (loading the font alone takes a second), in the console's language, and the
window says where it went. Refused at once, before any file is asked for, to a role that
may not export the station's data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from commandroom.auth.permissions import Permission, PermissionDenied, require
from commandroom.incidents import IncidentError
from commandroom.reports import Lang, ReportService, ReportWritten
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.auth_texts import denied_text
from ui.theme import Tone

_tr = QCoreApplication.translate
REPORT_KEY = "Ctrl+P"


def report_language() -> Lang:
    """The console's language: its Chinese translation turns this code into zh_CN."""
    code = _tr("Reports", "en", "the language code of the reports the console writes: "
                                "zh_CN in the Chinese translation")
    return Lang.ZH_CN if code == Lang.ZH_CN.value else Lang.EN


class ReportActions(QObject):
    """One window's reports. ``choose_path(suggested name)`` asks for the file (a test
    gives its own); ``say`` shows a line in the window, with its tone (done or failed)."""

    written = Signal(str)

    def __init__(self, window: QWidget, reports: ReportService, actor: ActorSource,
                 say: Callable[[str, Tone], None]) -> None:
        super().__init__(window)
        self._window = window
        self._reports = reports
        self._actor = actor
        self._say = say
        self._bridge = FutureBridge(self)
        self.choose_path: Callable[[str], Path | None] = self._ask

    def write_incident(self, incident_id: int, number: str) -> None:
        self._write(f"{number}.pdf", self._reports.write_incident, incident_id)

    def write_monthly(self, month: date) -> None:
        name = _tr("Reports", "monthly-report-%1.pdf").replace("%1", f"{month:%Y-%m}")
        self._write(name, self._reports.write_monthly, month)

    def shut(self) -> None:
        self._bridge.shut()

    def _write(self, name: str, write: Callable[..., ReportWritten], subject: object) -> None:
        actor = self._actor()
        try:
            require(actor, Permission.EXPORT_DATA)
        except PermissionDenied as exc:
            self._say(denied_text(exc), Tone.ERROR)
            return
        path = self.choose_path(name)
        if path is None:
            return
        self._say(_tr("Reports", "Writing the report to %1…").replace("%1", str(path)),
                  Tone.INFO)
        self._bridge.run(write, actor, subject, report_language(), path,
                         on_ok=self._written, on_error=self._failed)

    def _ask(self, name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self._window, _tr("Reports", "Write the report"), str(Path.home() / name),
            _tr("Reports", "PDF files (*.pdf)"))
        return Path(chosen) if chosen else None

    def _written(self, written: ReportWritten) -> None:
        self._say(_tr("Reports", "Report written to %1.").replace("%1", str(written.path)),
                  Tone.OK)
        self.written.emit(str(written.path))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PermissionDenied):
            text = denied_text(exc)
        elif isinstance(exc, IncidentError):
            text = _tr("Reports", "That incident no longer exists.")
        else:
            text = _tr("Reports", "The report could not be written (%1).") \
                .replace("%1", str(exc) or type(exc).__name__)
        self._say(text, Tone.ERROR)
