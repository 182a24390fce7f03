"""Export recorded video as evidence: cameras, a time range typed in station time, a
destination; runs in the background with a progress bar and Cancel (which leaves nothing
half-written: the core works in a hidden folder it removes); ends with the manifest's
summary. A duty officer exports; the core refuses anyone else, and the dialog says so.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandroom.auth.permissions import Permission, PermissionDenied
from commandroom.recording.export import (
    ExportError,
    ExportJob,
    ExportRequest,
    ExportResult,
    ExportService,
)
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.auth_texts import denied_text, role_label
from ui.recording.texts import TIME_FORMAT, export_error_text, start_note_text, station_text

DEFAULT_SPAN = timedelta(minutes=10)
POLL_MS = 100
# The moment the focused tile is replaying, if it is (the replay feature provides it).
ReplayMoment = Callable[[], datetime | None]


def default_range(replay_moment: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """Around the replayed moment (never past now), else the last ten minutes."""
    if replay_moment is None:
        return now - DEFAULT_SPAN, now
    end = min(now, replay_moment + DEFAULT_SPAN / 2)
    return end - DEFAULT_SPAN, end


def parse_station_time(text: str) -> datetime:
    """``2026-12-01 10:35:00`` in the station's local time → UTC; ValueError if not."""
    return datetime.strptime(text.strip(), TIME_FORMAT).astimezone().astimezone(UTC)


class ExportDialog(QDialog):
    def __init__(self, export: ExportService, cameras: list[tuple[int, str]],
                 actor: ActorSource, destination: Path, selected: set[int],
                 replay_moment: datetime | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export video"))
        self.resize(720, 560)
        self._export = export
        self._actor = actor
        self._bridge = FutureBridge(self)
        self.job: ExportJob | None = None
        self._starting: Future[ExportJob] | None = None
        self.finished_with: ExportResult | None = None
        self._names = dict(cameras)
        start, end = default_range(replay_moment, datetime.now(UTC))

        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #ff7070;")
        self.start_edit = QLineEdit(station_text(start))
        self.end_edit = QLineEdit(station_text(end))
        for edit in (self.start_edit, self.end_edit):
            edit.setPlaceholderText("2026-12-01 10:35:00")
        self.cameras = QListWidget()
        for camera_id, name in cameras:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, camera_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if camera_id in selected
                               else Qt.CheckState.Unchecked)
            self.cameras.addItem(item)
        self.cameras.setMaximumHeight(150)  # the summary needs the room at the end
        self.destination = QLineEdit(str(destination))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(browse)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("e.g. case number"))
        form = QFormLayout()
        form.addRow(self.tr("From (station time)"), self.start_edit)
        form.addRow(self.tr("To"), self.end_edit)
        form.addRow(self.tr("Cameras (Space ticks)"), self.cameras)
        form.addRow(self.tr("Destination folder"), where)
        form.addRow(self.tr("Note"), self.note)

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setVisible(False)
        self.start_button = QPushButton(self.tr("&Export"))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start_export)
        self.cancel_button = QPushButton(self.tr("&Cancel export"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_export)
        close = QPushButton(self.tr("Close"))
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.refusal)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.summary, 1)
        # Holds the form together while there is no summary; hidden when there is one.
        self._filler = QWidget()
        layout.addWidget(self._filler, 1)
        layout.addLayout(buttons)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check_job)
        actor_now = actor()
        if not actor_now.can(Permission.EXPORT_VIDEO):
            self.refusal.setText(self.tr("Exporting video needs a duty officer; %1 is "
                                         "logged in as “%2”.").replace(
                "%1", actor_now.username).replace("%2", role_label(actor_now.role)))
            self.start_button.setEnabled(False)
        else:
            self.refusal.setVisible(False)
        self.start_edit.setFocus()
        self.start_edit.selectAll()

    # -- starting --------------------------------------------------------------------
    def request(self) -> ExportRequest | None:
        """What the officer typed, or None with the reason shown."""
        try:
            start = parse_station_time(self.start_edit.text())
        except ValueError:
            return self._bad(self.start_edit, self.tr("“From” is not a time: write it as "
                                                      "2026-12-01 10:35:00."))
        try:
            end = parse_station_time(self.end_edit.text())
        except ValueError:
            return self._bad(self.end_edit, self.tr("“To” is not a time: write it as "
                                                    "2026-12-01 10:45:00."))
        if end <= start:
            return self._bad(self.end_edit, self.tr("“To” must be after “From”."))
        chosen = tuple(
            int(self.cameras.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.cameras.count())
            if self.cameras.item(i).checkState() == Qt.CheckState.Checked)
        if not chosen:
            return self._bad(self.cameras, self.tr("Tick at least one camera."))
        folder = self.destination.text().strip()
        if not folder:
            return self._bad(self.destination, self.tr("Choose a destination folder."))
        return ExportRequest(chosen, start, end, Path(folder).expanduser(),
                             self.note.text().strip())

    def _bad(self, widget: QWidget, text: str) -> ExportRequest | None:
        self.message.setText(text)
        widget.setFocus()
        return None

    def start_export(self) -> None:
        if self.job is not None:
            return
        request = self.request()
        if request is None:
            return
        actor = self._actor()
        self.start_button.setEnabled(False)
        self.message.setText(self.tr("Starting…"))
        self.summary.setVisible(False)
        self._filler.setVisible(True)
        self._starting = self._bridge.run(self._export.start, actor, request,
                                          on_ok=self._started, on_error=self._failed)

    def _started(self, job: ExportJob) -> None:
        self.job = job
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setFocus()
        self.message.setText(self.tr("Exporting… (Esc or “Cancel export” stops it and "
                                     "removes what was written)"))
        self._poll.start()

    # -- while it runs ---------------------------------------------------------------
    def _check_job(self) -> None:
        job = self.job
        if job is None:
            return
        self.progress.setValue(int(job.progress * 100))
        future = job.future
        if not future.done():
            return
        self._poll.stop()
        self.job = None
        self.cancel_button.setEnabled(False)
        self.start_button.setEnabled(True)
        if future.cancelled():
            self.progress.setVisible(False)
            self.message.setText(self.tr("Export cancelled: nothing was written, the "
                                         "footage lock was lifted."))
            return
        exc = future.exception()
        if exc is not None:
            self._failed(exc)
            return
        self._finished(future.result())

    def cancel_export(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.message.setText(self.tr("Cancelling…"))

    def _failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self.start_button.setEnabled(self._actor().can(Permission.EXPORT_VIDEO))
        if isinstance(exc, PermissionDenied):
            self.message.setText(denied_text(exc))
        elif isinstance(exc, ExportError):
            self.message.setText(export_error_text(exc))
        else:
            self.message.setText(self.tr("The export failed (%1); nothing was kept.")
                                 .replace("%1", type(exc).__name__))

    def _finished(self, result: ExportResult) -> None:
        self.finished_with = result
        self.progress.setValue(100)
        self.message.setText(self.tr("Exported to %1").replace("%1", str(result.folder)))
        self.summary.setPlainText(self.summary_text(result))
        self.summary.setVisible(True)
        self._filler.setVisible(False)
        self.summary.setFocus()

    def summary_text(self, result: ExportResult) -> str:
        lines: list[str] = []
        for cut in result.cuts:
            name = self._names.get(cut.camera_id, str(cut.camera_id))
            for index, cut_file in enumerate(cut.files):
                lines.append(self.tr("%1: %2").replace("%1", name).replace("%2", cut_file.name))
                start_line = self.tr("  actual start %1 (station time), %2").replace(
                    "%1", station_text(cut_file.actual_start)).replace(
                    "%2", start_note_text(cut.starts_before_requested_s if index == 0
                                          else 0.0))
                lines.append(start_line)
                lines.append(self.tr("  end %1, %2 MB").replace(
                    "%1", station_text(cut_file.actual_end)).replace(
                    "%2", f"{cut_file.bytes / 1e6:.1f}"))
                lines.append("  SHA-256 " + cut_file.sha256)
            if cut.gaps:
                lines.append(self.tr("  %1 gap(s) in the range: camera offline or not "
                                     "recording (times and reasons in manifest.json)")
                             .replace("%1", str(len(cut.gaps))))
        lines.append(self.tr("manifest.json SHA-256 %1").replace("%1", result.manifest_sha256))
        lines.append(self.tr("Audit trail: “recording.export” %1, by %2; the exported "
                             "footage is locked against deletion.").replace(
            "%1", result.folder.name).replace("%2", self._actor().username))
        return "\n".join(lines)

    # -- leaving ---------------------------------------------------------------------
    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Export to"),
                                                  self.destination.text())
        if chosen:
            self.destination.setText(chosen)

    def reject(self) -> None:
        """Esc: stops a running export first; closes when none runs."""
        if self.job is not None:
            self.cancel_export()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        starting = self._starting
        if self.job is None and starting is not None and not starting.done():
            # Closed while the core was still starting it: nobody would see the result,
            # so the export is cancelled as soon as it exists (and leaves nothing).
            starting.add_done_callback(_cancel_started)
        if self.job is not None:
            self.job.cancel()  # the core removes what it wrote
            self.job.join(30)
            self.job = None
        self._poll.stop()
        self._bridge.shut()
        super().closeEvent(event)


def _cancel_started(future: Future[ExportJob]) -> None:
    if not future.cancelled() and future.exception() is None:
        future.result().cancel()
