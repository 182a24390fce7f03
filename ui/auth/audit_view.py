"""The audit trail for supervisors: filter, verify the hash chain, export CSV.

Searching is one indexed, bounded query (newest 1000 matches); verifying walks every event
and exporting may write all of them: all three run on the UI's background executor, never
on the GUI thread (which also paints the wall).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commandroom.audit.trail import (
    AuditError,
    AuditEvent,
    AuditFilter,
    AuditTrail,
    VerifyResult,
)
from commandroom.audit.verify import TRUNCATED
from commandroom.auth.permissions import Permission, PermissionDenied
from ui.auth.audit_model import AuditTableModel
from ui.auth.session import SessionController
from ui.auth.worker import BackgroundRunner
from ui.bridge import FutureBridge, background
from ui.common.auth_texts import denied_text
from ui.common.notices import notice_text

log = logging.getLogger(__name__)

ROW_LIMIT = 1000
SEARCH_LANE = "audit-search"
_RED = "color: #ff5a5a; font-weight: bold;"
_GREEN = "color: #63d471; font-weight: bold;"


def _utc(edit: QDateTimeEdit) -> datetime:
    local = edit.dateTime().toPython()  # naive, local wall time
    assert isinstance(local, datetime)
    return local.astimezone().astimezone(UTC)


class AuditDialog(QDialog):
    def __init__(self, audit: AuditTrail, session: SessionController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditView")
        self.setWindowTitle(self.tr("Audit trail"))
        self.resize(1100, 640)
        self._audit = audit
        self._session = session
        self._runner = BackgroundRunner("audit-view", self)
        self._searches = FutureBridge(self)  # searches: quick, beside a verify or export
        self.searching = False
        self.last_verify: VerifyResult | None = None

        self.who = QLineEdit()
        self.who.setPlaceholderText(self.tr("username"))
        self.action_prefix = QLineEdit()
        self.action_prefix.setPlaceholderText(self.tr("e.g. auth."))
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("anywhere in the event"))
        now = QDateTime.currentDateTime()
        self.use_since = QCheckBox(self.tr("From"))
        self.since = QDateTimeEdit(now.addDays(-1))
        self.use_until = QCheckBox(self.tr("Until"))
        self.until = QDateTimeEdit(now.addSecs(3600))
        for check, moment in ((self.use_since, self.since), (self.use_until, self.until)):
            moment.setCalendarPopup(True)
            moment.setDisplayFormat("yyyy-MM-dd HH:mm")
            moment.setEnabled(False)
            check.toggled.connect(moment.setEnabled)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.setDefault(True)  # Return in a filter field searches
        self.search_button.clicked.connect(lambda _checked=False: self.search())
        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.clear_button.clicked.connect(lambda _checked=False: self.clear_filters())

        filters = QGridLayout()
        filters.addWidget(QLabel(self.tr("Operator")), 0, 0)
        filters.addWidget(self.who, 0, 1)
        filters.addWidget(QLabel(self.tr("Action starts with")), 0, 2)
        filters.addWidget(self.action_prefix, 0, 3)
        filters.addWidget(QLabel(self.tr("Text")), 0, 4)
        filters.addWidget(self.text, 0, 5)
        filters.addWidget(self.use_since, 1, 0)
        filters.addWidget(self.since, 1, 1)
        filters.addWidget(self.use_until, 1, 2)
        filters.addWidget(self.until, 1, 3)
        search_row = QHBoxLayout()
        search_row.addStretch(1)
        search_row.addWidget(self.clear_button)
        search_row.addWidget(self.search_button)
        filters.addLayout(search_row, 1, 4, 1, 2)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(3, 1)
        filters.setColumnStretch(5, 2)

        self.model = AuditTableModel()
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((0, 60), (1, 150), (2, 110), (3, 110), (4, 170), (5, 170)):
            self.table.setColumnWidth(column, width)

        self.verify_button = QPushButton(self.tr("Verify chain"))
        self.verify_button.clicked.connect(self.verify)
        self.chain_label = QLabel()
        self.chain_label.setObjectName("chainLabel")
        self.chain_label.setWordWrap(True)
        self.chain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.clicked.connect(self._ask_export)
        self.status = QLabel()
        self.status.setObjectName("auditStatus")
        self.status.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.chain_label, 1)
        bottom.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.status)

        self._runner.busy_changed.connect(self._set_busy)
        session.actor_changed.connect(self._on_actor_changed)
        self._on_actor_changed(session.actor)

    # -- searching -------------------------------------------------------------------
    def current_filter(self, limit: int = ROW_LIMIT) -> AuditFilter:
        return AuditFilter(
            actor=self.who.text().strip().lower() or None,
            action_prefix=self.action_prefix.text().strip() or None,
            since=_utc(self.since) if self.use_since.isChecked() else None,
            until=_utc(self.until) if self.use_until.isChecked() else None,
            text=self.text.text().strip() or None,
            limit=limit,
        )

    def load(self, on_loaded: Callable[[], object] | None = None,
             on_denied: Callable[[BaseException], object] | None = None) -> None:
        """Run the current search off the GUI thread and show its rows; ``on_denied`` gets
        the core's refusal (``PermissionDenied`` for an operator without VIEW_AUDIT),
        ``on_loaded`` runs once the rows are shown."""
        actor, filters = self._session.actor, self.current_filter()
        self.searching = True
        self.status.setText(self.tr("Searching…"))

        def shown(events: list[AuditEvent]) -> None:
            self.searching = False
            self._show_rows(events)
            if on_loaded is not None:
                on_loaded()

        def failed(exc: BaseException) -> None:
            self.searching = False
            (on_denied or self._show_failure)(exc)

        # In order: the rows shown are those of the last search asked for.
        self._searches.call(background().in_order(SEARCH_LANE, self._audit.query, actor, filters),
                            shown, failed)

    def _show_rows(self, events: list[AuditEvent]) -> None:
        self.model.set_rows(events)
        if len(events) >= ROW_LIMIT:
            self.status.setText(self.tr("Showing the newest %1 matching events; narrow the "
                                        "filters to see older ones.").replace("%1", str(ROW_LIMIT)))
        else:
            self.status.setText(self.tr("%1 matching events.").replace("%1", str(len(events))))
        if self.last_verify is not None and not self.last_verify.ok:
            self.model.mark_broken(self.last_verify.first_broken_seq)

    def search(self, on_loaded: Callable[[], object] | None = None) -> None:
        self.load(on_loaded)

    def clear_filters(self, on_loaded: Callable[[], object] | None = None) -> None:
        for edit in (self.who, self.action_prefix, self.text):
            edit.clear()
        self.use_since.setChecked(False)
        self.use_until.setChecked(False)
        self.search(on_loaded)

    # -- verifying -------------------------------------------------------------------
    def verify(self) -> None:
        self.chain_label.setStyleSheet("")
        self.chain_label.setText(self.tr("Verifying the chain…"))
        self._runner.run(self._audit.verify, self._show_verify, self._show_failure)

    def _show_verify(self, result: VerifyResult) -> None:
        self.last_verify = result
        if result.ok:
            self.model.mark_broken(None)
            self.chain_label.setStyleSheet(_GREEN)
            self.chain_label.setText(self.tr("Chain intact: %1 events").replace(
                "%1", str(result.checked)))
            self.chain_label.setToolTip(self.tr("Newest hash: %1").replace(
                "%1", result.head_hash))
            return
        seq = result.first_broken_seq or 0
        self.chain_label.setStyleSheet(_RED)
        reason = notice_text(result.problem) if result.problem is not None else ""
        if result.first_broken_seq is None:  # the anchor file, not an event of the chain
            text = self.tr("NOT VERIFIED: %1").replace("%1", reason)
        else:
            text = self.tr("BROKEN at event #%1: %2").replace("%1", str(seq)).replace(
                "%2", reason)
            # Events cut from the end: the first missing one is in no row to select.
            cut = result.problem is not None and result.problem.code == TRUNCATED
            if not cut:
                self.select_seq(seq, lambda found: None if found else self.chain_label.setText(
                    text + " " + self.tr("(that event is not among the rows shown)")))
        self.chain_label.setText(text)
        self.chain_label.setToolTip("")
        log.warning("audit view: chain broken at #%d: %s", seq, result.reason)

    def select_seq(self, seq: int, found: Callable[[bool], object] | None = None) -> None:
        """Select and show the event ``seq``; clears the filters once if it is hidden (a
        new search, read off the GUI thread). ``found`` hears whether it is shown."""
        if self.model.row_of_seq(seq) is None and \
                self.current_filter() != AuditFilter(limit=ROW_LIMIT):
            self.clear_filters(lambda: self._select_row(seq, found))
            return
        self._select_row(seq, found)

    def _select_row(self, seq: int, found: Callable[[bool], object] | None) -> None:
        row = self.model.row_of_seq(seq)
        self.model.mark_broken(seq)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0),
                                QAbstractItemView.ScrollHint.PositionAtCenter)
        if found is not None:
            found(row is not None)

    # -- exporting -------------------------------------------------------------------
    def _ask_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export audit trail"), "audit.csv", self.tr("CSV files (*.csv)"))
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        """Every event matching the filters (not only the rows shown), oldest first."""
        actor, filters = self._session.actor, self.current_filter(limit=0)
        self.status.setText(self.tr("Exporting…"))
        self._runner.run(lambda: self._audit.export_csv(actor, path, filters),
                         lambda count: self.status.setText(
                             self.tr("Exported %1 events to %2").replace("%1", str(count))
                             .replace("%2", str(path))),
                         self._show_failure)

    # -- state -------------------------------------------------------------------------
    def _show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, PermissionDenied):
            text = denied_text(exc)
        elif isinstance(exc, OSError | AuditError):
            text = str(exc)
        else:
            log.error("audit view: unexpected failure", exc_info=exc)
            text = self.tr("Unexpected failure (%1); see the log.").replace(
                "%1", type(exc).__name__)
        self.status.setText(text)
        if self.chain_label.text() == self.tr("Verifying the chain…"):
            self.chain_label.clear()

    def _set_busy(self, busy: bool) -> None:
        self.verify_button.setEnabled(not busy)
        self.export_button.setEnabled(not busy and self._session.actor.can(
            Permission.EXPORT_DATA))

    def _on_actor_changed(self, actor: object) -> None:
        self._set_busy(self._runner.pending > 0)

    def done(self, result: int) -> None:
        self._runner.shutdown()
        self._searches.shut()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._runner.shutdown()
        self._searches.shut()
        super().closeEvent(event)
