"""Recording settings: per camera mode, recorded stream and keep days; the general segment
length, keep days, quota and warning time; the folder shown read-only.

Only an administrator changes them (the core's permission checks decide; another operator
sees the window read-only, and a refusal by the core is shown in words). Reading and
saving run on the UI's executor, never on the GUI thread.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandroom.auth.permissions import Permission, PermissionDenied
from commandroom.recording.configuration import (
    MAX_SEGMENT_S,
    GeneralRecording,
    RecordingConfiguration,
)
from commandroom.recording.policy import (
    MAX_KEEP_DAYS,
    CameraRecording,
    RecordingMode,
    RecordingPolicy,
    RecordingPolicyError,
    RecordStream,
)
from commandroom.recording.retention import RetentionError
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.auth_texts import denied_text

MODE_COLUMN, STREAM_COLUMN, KEEP_COLUMN = 1, 2, 3


@dataclass(frozen=True)
class CameraChoice:
    camera_id: int
    mode: RecordingMode
    stream: RecordStream
    keep_days: int | None


Loaded = tuple[GeneralRecording, dict[int, CameraRecording]]


class RecordingSettingsWindow(QWidget):
    def __init__(self, config: RecordingConfiguration, policy: RecordingPolicy,
                 cameras: list[tuple[int, str]], actor: ActorSource,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordingSettings")
        self.setWindowTitle(self.tr("Recording settings"))
        self.resize(760, 560)
        self._config = config
        self._policy = policy
        self._cameras = cameras
        self._actor = actor
        self._bridge = FutureBridge(self)
        self._loaded: Loaded | None = None
        self.editable = actor().can(Permission.MANAGE_SETTINGS)

        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("recordingSettingsNote")
        self.table = QTableWidget(len(cameras), 4)
        # Tab goes on to the next cell's combo or spin box, not cell by cell
        self.table.setTabKeyNavigation(False)
        self.table.setHorizontalHeaderLabels([
            self.tr("Camera"), self.tr("Recording"), self.tr("Stream recorded"),
            self.tr("Keep days")])
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (MODE_COLUMN, STREAM_COLUMN, KEEP_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.segment = QSpinBox()
        self.segment.setRange(1, int(MAX_SEGMENT_S))
        self.segment.setSuffix(self.tr(" s"))
        self.keep_days = QSpinBox()
        self.keep_days.setRange(1, MAX_KEEP_DAYS)
        self.quota = QDoubleSpinBox()
        self.quota.setRange(0, 1_000_000)
        self.quota.setDecimals(0)
        self.quota.setSuffix(self.tr(" GB"))
        self.quota.setSpecialValueText(self.tr("no quota"))
        self.warn_hours = QSpinBox()
        self.warn_hours.setRange(0, 24 * 30)
        self.warn_hours.setSuffix(self.tr(" h"))
        self.folder = QLabel()
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        general = QGroupBox(self.tr("All cameras"))
        form = QFormLayout(general)
        form.addRow(self.tr("Segment length (new files)"), self.segment)
        form.addRow(self.tr("Keep days"), self.keep_days)
        form.addRow(self.tr("Disk quota"), self.quota)
        form.addRow(self.tr("Warn when the disk fills within"), self.warn_hours)
        form.addRow(self.tr("Folder (settings.toml)"), self.folder)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("recordingSettingsMessage")
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.clicked.connect(self.save)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(general)
        layout.addLayout(buttons)
        self._fill_rows()
        self._set_editable(False)  # until the settings are read
        self.message.setText(self.tr("Reading…"))
        self._bridge.run(self._read, on_ok=self._show, on_error=self._failed)

    # -- reading ---------------------------------------------------------------------
    def _read(self) -> Loaded:  # on the UI's executor
        return self._config.current(), self._policy.all_cameras()

    def _fill_rows(self) -> None:
        for row, (camera_id, name) in enumerate(self._cameras):
            item = QTableWidgetItem(name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setData(Qt.ItemDataRole.UserRole, camera_id)
            self.table.setItem(row, 0, item)
            mode = QComboBox()
            mode.addItem(self.tr("Off"), RecordingMode.OFF)
            mode.addItem(self.tr("Continuous"), RecordingMode.CONTINUOUS)
            mode.addItem(self.tr("While shown"), RecordingMode.WHILE_SHOWN)
            self.table.setCellWidget(row, MODE_COLUMN, mode)
            stream = QComboBox()
            stream.addItem(self.tr("Main"), RecordStream.MAIN)
            stream.addItem(self.tr("Sub"), RecordStream.SUB)
            self.table.setCellWidget(row, STREAM_COLUMN, stream)
            keep = QSpinBox()
            keep.setRange(0, MAX_KEEP_DAYS)
            keep.setSpecialValueText(self.tr("as all cameras"))
            self.table.setCellWidget(row, KEEP_COLUMN, keep)
        # Tab from the table goes through each camera's settings, row by row, then on to
        # those of all cameras: made last, the cells would come after Save and Close.
        chain: list[QWidget] = [self.table]
        for row in range(len(self._cameras)):
            chain += [self.table.cellWidget(row, column)
                      for column in (MODE_COLUMN, STREAM_COLUMN, KEEP_COLUMN)]
        chain.append(self.segment)
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _show(self, loaded: Loaded) -> None:
        self._loaded = loaded
        general, cameras = loaded
        self.segment.setValue(round(general.segment_s))
        self.keep_days.setValue(general.keep_days)
        self.quota.setValue(general.quota_gb)
        self.warn_hours.setValue(round(general.warn_hours))
        self.folder.setText(str(general.folder))
        for row, (camera_id, _name) in enumerate(self._cameras):
            found = cameras.get(camera_id)
            if found is None:
                continue
            self._combo(row, MODE_COLUMN).setCurrentIndex(
                self._combo(row, MODE_COLUMN).findData(found.mode))
            self._combo(row, STREAM_COLUMN).setCurrentIndex(
                self._combo(row, STREAM_COLUMN).findData(found.record_stream))
            self._spin(row).setValue(found.keep_days or 0)
        self.message.setText("")
        self._set_editable(self.editable)
        if self.editable:
            self.note.setText(self.tr("Changes are audited. A camera's keep days of 0 "
                                      "follows the setting for all cameras."))
            self.table.setFocus()
        else:
            self.note.setText(self.tr("Only an administrator can change recording "
                                      "settings; you see them read-only."))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PermissionDenied):
            self.message.setText(denied_text(exc))
        else:
            self.message.setText(self.tr("The recording settings could not be read (%1).")
                                 .replace("%1", type(exc).__name__))

    # -- saving ----------------------------------------------------------------------
    def choices(self) -> list[CameraChoice]:
        chosen = []
        for row, (camera_id, _name) in enumerate(self._cameras):
            keep = self._spin(row).value()
            chosen.append(CameraChoice(
                camera_id, RecordingMode(self._combo(row, MODE_COLUMN).currentData()),
                RecordStream(self._combo(row, STREAM_COLUMN).currentData()),
                keep or None))
        return chosen

    def save(self) -> None:
        if self._loaded is None:
            return
        general = (float(self.segment.value()), self.keep_days.value(),
                   float(self.quota.value()), float(self.warn_hours.value()))
        actor = self._actor()
        before_general, before_cameras = self._loaded
        choices = self.choices()

        def apply() -> Loaded:  # on the UI's executor; the core checks each permission
            old = (before_general.segment_s, before_general.keep_days,
                   before_general.quota_gb, before_general.warn_hours)
            if general != old:
                self._config.configure(actor, *general)
            for choice in choices:
                was = before_cameras.get(choice.camera_id)
                if was is None:
                    continue
                if choice.mode != was.mode:
                    self._policy.set_mode(actor, choice.camera_id, choice.mode)
                if choice.stream != was.record_stream:
                    self._policy.set_record_stream(actor, choice.camera_id, choice.stream)
                if choice.keep_days != was.keep_days:
                    self._policy.set_keep_days(actor, choice.camera_id, choice.keep_days)
            return self._read()

        self.save_button.setEnabled(False)
        self.message.setText(self.tr("Saving…"))
        self._bridge.run(apply, on_ok=self._saved, on_error=self._save_failed)

    def _saved(self, loaded: Loaded) -> None:
        self._show(loaded)
        self.message.setText(self.tr("Saved."))

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(self.editable)
        if isinstance(exc, PermissionDenied):
            self.message.setText(denied_text(exc) + " " + self.tr("Nothing more was saved."))
        elif isinstance(exc, (RetentionError, RecordingPolicyError)):
            self.message.setText(self.tr("A value is out of range; it was not saved."))
        else:
            self.message.setText(self.tr("The settings could not be saved (%1).")
                                 .replace("%1", type(exc).__name__))
        # What did get saved before the refusal is shown as it now is.
        self._bridge.run(self._read, on_ok=lambda loaded: setattr(self, "_loaded", loaded))

    # -- helpers ---------------------------------------------------------------------
    def _set_editable(self, editable: bool) -> None:
        for widget in (self.segment, self.keep_days, self.quota, self.warn_hours,
                       self.save_button):
            widget.setEnabled(editable)
        for row in range(self.table.rowCount()):
            for column in (MODE_COLUMN, STREAM_COLUMN, KEEP_COLUMN):
                cell = self.table.cellWidget(row, column)
                if cell is not None:
                    cell.setEnabled(editable)

    def _combo(self, row: int, column: int) -> QComboBox:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, QComboBox)
        return widget

    def _spin(self, row: int) -> QSpinBox:
        widget = self.table.cellWidget(row, KEEP_COLUMN)
        assert isinstance(widget, QSpinBox)
        return widget

    def closeEvent(self, event: QCloseEvent) -> None:
        self._bridge.shut()
        super().closeEvent(event)

