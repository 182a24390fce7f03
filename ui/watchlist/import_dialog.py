"""CSV import: a preview first (good rows, bad rows with line and reason, duplicates with
an update/skip choice each), then the import in one transaction. Both read the file and
the database on the UI's background executor; the dialog says what it is doing meanwhile."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandroom.csvfiles import encoding_name
from commandroom.watchlist.csv_import import SKIP, UPDATE, ImportReport
from commandroom.watchlist.service import WatchlistService
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.entry_texts import error_text
from ui.common.notices import notice_text


class ImportDialog(QDialog):
    def __init__(self, watchlist: WatchlistService, actor: ActorSource, csv_path: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._watchlist = watchlist
        self._actor = actor
        self.csv_path = csv_path
        self.preview: ImportReport | None = None
        self.outcome: ImportReport | None = None
        self._bridge = FutureBridge(self)
        self._importing = False
        self.setWindowTitle(self.tr("Import watch list — %1").replace("%1", csv_path.name))
        self.resize(860, 640)

        self.photos_dir = QLineEdit()
        self.photos_dir.setPlaceholderText(self.tr("folder with the photos named in the file "
                                                   "(optional)"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_photos)
        photos = QHBoxLayout()
        photos.addWidget(QLabel(self.tr("Photos:")))
        photos.addWidget(self.photos_dir, 1)
        photos.addWidget(browse)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.errors = QTableWidget(0, 2)
        self.errors.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Why it is refused")])
        self.errors.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.duplicates = QTableWidget(0, 4)
        self.duplicates.setHorizontalHeaderLabels(
            [self.tr("Line"), self.tr("Same as"), self.tr("On file"), self.tr("Do")])
        self.duplicates.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        for table in (self.errors, self.duplicates):
            table.verticalHeader().setVisible(False)
            table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        all_update = QPushButton(self.tr("Update all"))
        all_update.clicked.connect(lambda: self.set_all(UPDATE))
        all_skip = QPushButton(self.tr("Skip all"))
        all_skip.clicked.connect(lambda: self.set_all(SKIP))
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.run_import)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(all_update)
        buttons.addWidget(all_skip)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(photos)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(self.tr("Rows that cannot be imported:")))
        layout.addWidget(self.errors, 1)
        layout.addWidget(QLabel(self.tr("Already on file (choose per row):")))
        layout.addWidget(self.duplicates, 1)
        layout.addLayout(buttons)
        self.photos_dir.editingFinished.connect(self.refresh_preview)
        self.refresh_preview()

    def _photos(self) -> Path | None:
        text = self.photos_dir.text().strip()
        return Path(text) if text else None

    def _choose_photos(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Photo folder"))
        if folder:
            self.photos_dir.setText(folder)
            self.refresh_preview()

    @property
    def busy(self) -> bool:
        """A preview or the import is on its way (tests wait on this)."""
        return self._bridge.pending > 0

    def refresh_preview(self) -> None:
        """Read the file again (off the GUI thread) and show what an import would do."""
        if self.preview is None:  # nothing to import from yet; a later preview keeps the
            self.import_button.setEnabled(False)  # button (Return here also presses it)
        self.summary.setText(self.tr("Reading %1…").replace("%1", self.csv_path.name))
        self._bridge.run(self._watchlist.preview_import, self._actor(), self.csv_path,
                         self._photos(), on_ok=self._show_preview,
                         on_error=self._preview_failed)

    def _preview_failed(self, exc: BaseException) -> None:
        self.preview = None
        self.summary.setText(error_text(exc))
        self.import_button.setEnabled(False)

    def _show_preview(self, report: ImportReport) -> None:
        if self._importing or self.outcome is not None:  # the import's answer wins
            return
        self.preview = report
        self.import_button.setEnabled(bool(report.new_lines or report.duplicates))
        text = self.tr("%1 rows (%2): %3 new, %4 already on file, %5 refused.").replace(
            "%1", str(report.rows)).replace("%2", encoding_name(report.encoding)).replace(
            "%3", str(len(report.new_lines))).replace("%4", str(len(report.duplicates))).replace(
            "%5", str(len(report.errors)))
        if report.ignored_columns:
            text += " " + self.tr("Columns ignored: %1.").replace(
                "%1", ", ".join(report.ignored_columns))
        self.summary.setText(text)
        self.errors.setRowCount(len(report.errors))
        for row, error in enumerate(report.errors):
            self.errors.setItem(row, 0, QTableWidgetItem(str(error.line)))
            self.errors.setItem(row, 1, QTableWidgetItem(
                "; ".join(notice_text(problem) for problem in error.problems)))
        self.duplicates.setRowCount(len(report.duplicates))
        for row, dup in enumerate(report.duplicates):
            self.duplicates.setItem(row, 0, QTableWidgetItem(str(dup.line)))
            self.duplicates.setItem(row, 1, QTableWidgetItem(dup.key))
            where = (self.tr("entry #%1").replace("%1", str(dup.existing_entry_id))
                     if dup.existing_entry_id is not None
                     else self.tr("line %1 of this file").replace("%1", str(dup.first_line)))
            self.duplicates.setItem(row, 2, QTableWidgetItem(where))
            choice = QComboBox()
            choice.addItem(self.tr("skip"), SKIP)
            choice.addItem(self.tr("update the file"), UPDATE)
            choice.setCurrentIndex(max(0, choice.findData(dup.decision)))
            self.duplicates.setCellWidget(row, 3, choice)
        self.errors.resizeColumnToContents(0)
        self.duplicates.resizeColumnToContents(0)

    def set_all(self, decision: str) -> None:
        for row in range(self.duplicates.rowCount()):
            self.set_decision(row, decision)

    def set_decision(self, row: int, decision: str) -> None:
        choice = self.duplicates.cellWidget(row, 3)
        assert isinstance(choice, QComboBox)
        choice.setCurrentIndex(choice.findData(decision))

    def decisions(self) -> dict[int, str]:
        """{line: "skip" | "update"} as chosen in the table."""
        chosen: dict[int, str] = {}
        for row in range(self.duplicates.rowCount()):
            choice = self.duplicates.cellWidget(row, 3)
            line = self.duplicates.item(row, 0)
            if isinstance(choice, QComboBox) and line is not None:
                chosen[int(line.text())] = str(choice.currentData())
        return chosen

    def run_import(self) -> None:
        """Import with the choices made, off the GUI thread; the outcome in words."""
        # A preview still being read does not hold it up (Return in the photo folder asks
        # for both): the import reads the file itself.
        if self._importing or self.outcome is not None:
            return
        self._importing = True
        self.import_button.setEnabled(False)
        self.summary.setText(self.tr("Importing…"))

        def refused(exc: BaseException) -> None:
            self._importing = False
            self.summary.setText(error_text(exc))
            self.import_button.setEnabled(True)

        self._bridge.run(self._watchlist.import_csv, self._actor(), self.csv_path,
                         self._photos(), self.decisions(), on_ok=self._show_outcome,
                         on_error=refused)

    def _show_outcome(self, report: ImportReport) -> None:
        self._importing = False
        self.outcome = report
        self.import_button.setEnabled(False)
        self.summary.setText(
            self.tr("Imported: %1 created, %2 updated, %3 skipped, %4 refused.").replace(
                "%1", str(len(report.created))).replace("%2", str(len(report.updated)))
            .replace("%3", str(len(report.skipped))).replace("%4", str(len(report.errors))))

    def done(self, result: int) -> None:
        self._bridge.shut()
        super().done(result)
