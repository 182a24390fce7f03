"""``ReportService``: the incident report and the monthly report written as PDF files,
each in the language the caller chooses, from the services the screens read.

Wiring (the composition root)::

    reports = ReportService(sessions, audit, lambda: incidents, statistics, clock)
    reports.write_incident(actor, incident_id, Lang.ZH_CN, Path("JX-2026-0001.pdf"))
    reports.write_monthly(actor, date(2026, 11, 1), Lang.EN, Path("2026-11.pdf"))

A report takes the station's data out of the app, as the statistics' CSV export does: it
needs EXPORT_DATA (a supervisor's), and every file written is in the audit trail with its
name and SHA-256. Writing takes a second or so (the font): callers run it off the GUI
thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.db.base import utcnow
from commandroom.files import write_private
from commandroom.incidents import IncidentService
from commandroom.reports.document import ReportPdf, new_report
from commandroom.reports.incident_report import IncidentReportData, WatchEntry, render_incident
from commandroom.reports.monthly_report import MonthlyData, render_monthly
from commandroom.reports.words import Lang, Words
from commandroom.statistics import Period, StatisticsService
from commandroom.statistics.records import month_start
from commandroom.watchlist.models import WatchEntryRow


@dataclass(frozen=True)
class ReportWritten:
    path: Path
    sha256: str
    size: int
    font_seconds: float  # loading the embedded font
    total_seconds: float  # reading, rendering and writing, the font included


class ReportService:
    def __init__(self, sessions: sessionmaker[Session], audit: AuditSink,
                 incidents: Callable[[], IncidentService], statistics: StatisticsService,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions = sessions
        self._audit = audit
        # Asked for when an incident report is written: the incidents follow the alerts,
        # whose part binds the acknowledgement port; a monthly report needs neither.
        self._incidents = incidents
        self._statistics = statistics
        self._clock = clock

    # -- the figures -------------------------------------------------------------------
    @requires(Permission.VIEW_VIDEO)
    def incident_data(self, actor: Actor, incident_id: int) -> IncidentReportData:
        """What the incident's timeline window shows (and the entries' names)."""
        incidents = self._incidents()
        view = incidents.get(actor, incident_id)
        timeline = incidents.timeline(actor, incident_id)
        with self._sessions() as session:
            rows = {row.id: row for row in session.scalars(
                select(WatchEntryRow).where(WatchEntryRow.id.in_(view.entry_ids)))}
        entries = [WatchEntry(rows[i].name, rows[i].category) for i in view.entry_ids
                   if i in rows]
        return IncidentReportData(view, timeline, entries, self._clock(), actor.username)

    @requires(Permission.VIEW_AUDIT)
    def monthly_data(self, actor: Actor, month: date) -> MonthlyData:
        """The month's figures as the statistics window reads them."""
        first = month_start(month)
        period = Period(first, month_start(first, -1))
        stats = self._statistics
        return MonthlyData(
            first, stats.month_comparison(actor, first),
            stats.sightings_per_junction_day(actor, period),
            stats.alerts_per_team_category(actor, period), stats.ack_per_team(actor, period),
            stats.resolution(actor, period), stats.outcomes(actor, period),
            self._clock(), actor.username)

    # -- the files ---------------------------------------------------------------------
    @requires(Permission.EXPORT_DATA)
    def write_incident(self, actor: Actor, incident_id: int, lang: Lang | str,
                       path: Path) -> ReportWritten:
        started = time.perf_counter()
        words = Words(lang)
        data = self.incident_data(actor, incident_id)
        return self._write(actor, path, words, lambda prepared: render_incident(
            data, words, prepared), f"incident:{incident_id}",
            {"kind": "incident", "number": data.incident.number}, started)

    @requires(Permission.EXPORT_DATA)
    def write_monthly(self, actor: Actor, month: date, lang: Lang | str,
                      path: Path) -> ReportWritten:
        started = time.perf_counter()
        words = Words(lang)
        data = self.monthly_data(actor, month)
        return self._write(actor, path, words, lambda prepared: render_monthly(
            data, words, prepared), f"month:{data.month:%Y-%m}", {"kind": "monthly"},
            started)

    def _write(self, actor: Actor, path: Path, words: Words,
               render: Callable[[ReportPdf], bytes], target: str,
               details: dict[str, str], started: float) -> ReportWritten:
        """Render with the font loaded (timed apart: it is most of the cost), write the
        file (0600) and audit it with its SHA-256."""
        font_started = time.perf_counter()
        prepared = new_report(words)
        font_seconds = time.perf_counter() - font_started
        pdf = render(prepared)
        return self._written(actor, path, pdf, target,
                             {**details, "lang": words.lang.value}, started, font_seconds)

    def _written(self, actor: Actor, path: Path, pdf: bytes, target: str,
                 details: dict[str, str], started: float, font_seconds: float
                 ) -> ReportWritten:
        digest = write_private(path, pdf)
        with self._sessions.begin() as session:
            self._audit.append(session, actor, "report.export", target,
                               {**details, "file": path.name, "sha256": digest})
        return ReportWritten(path, digest, len(pdf), font_seconds,
                             time.perf_counter() - started)
