"""One sighting: the snapshot with its box, the clip, and the evidence hash check."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QCloseEvent, QColor, QImageReader, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commandroom.auth.permissions import Permission
from commandroom.files import FileCheck, absolute
from commandroom.sightings.records import Box, ClipStatus, SightingView, VerifyResult
from commandroom.sightings.service import SightingService
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.entry_labels import EntryLabels
from ui.common.entry_texts import error_text
from ui.common.sighting_texts import check_label, clip_label, local_time
from ui.common.thumbnails import ThumbnailCache
from ui.sightings.player import ClipPlayer

_CHECK_COLOURS = {FileCheck.VERIFIED: "#5fb96a", FileCheck.ALTERED: "#ff4d4d",
                  FileCheck.MISSING: "#ff4d4d", FileCheck.NONE: "#8a929c"}
SNAPSHOT_VIEW = QSize(1280, 720)


class SnapshotView(QWidget):
    """The snapshot fitted to the widget with the tagged box drawn on it."""

    def __init__(self, path: Path, box: Box | None, thumbnails: ThumbnailCache,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(480, 270)
        self._path = path
        self._box = box
        self._thumbs = thumbnails
        self.full_size = QImageReader(str(path)).size()  # header only: cheap
        thumbnails.ready.connect(self._ready)

    def pixmap(self) -> QPixmap | None:
        return self._thumbs.pixmap(self._path, SNAPSHOT_VIEW)

    def _ready(self, path: str) -> None:
        if path == str(self._path):
            self.update()

    def box_rect(self, target: QRectF) -> QRectF | None:
        """Where the box lies on screen when the full frame is drawn into ``target``."""
        if self._box is None or not self.full_size.isValid():
            return None
        sx = target.width() / self.full_size.width()
        sy = target.height() / self.full_size.height()
        return QRectF(target.x() + self._box.x * sx, target.y() + self._box.y * sy,
                      self._box.w * sx, self._box.h * sy)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#0b0d10"))
        pixmap = self.pixmap()
        if pixmap is None or pixmap.isNull():
            painter.setPen(QColor("#8a929c"))
            text = self.tr("Loading snapshot…") if pixmap is None else self.tr(
                "The snapshot file cannot be read.")
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, text)
            return
        size = pixmap.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRectF((self.width() - size.width()) / 2, (self.height() - size.height()) / 2,
                        size.width(), size.height())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(target, pixmap, QRectF(pixmap.rect()))
        box = self.box_rect(target)
        if box is not None:
            painter.setPen(QPen(QColor("#ff3030"), 2))
            painter.drawRect(box)
        painter.end()


class SightingDetailDialog(QDialog):
    def __init__(self, view: SightingView, sightings: SightingService, actor: ActorSource,
                 labels: EntryLabels, thumbnails: ThumbnailCache,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._sightings = sightings
        self._actor = actor
        self.setWindowTitle(self.tr("Sighting #%1").replace("%1", str(view.id)))
        self.resize(900, 680)
        data_dir = sightings.data_dir
        self.snapshot = SnapshotView(absolute(data_dir, view.snapshot_path), view.box, thumbnails)
        self.player = ClipPlayer()
        tabs = QTabWidget()
        tabs.addTab(self.snapshot, self.tr("Snapshot"))
        clip_box = QWidget()
        clip_layout = QVBoxLayout(clip_box)
        clip_layout.addWidget(self.player, 1)
        self.play_button = QPushButton(self.tr("Play clip"))
        self.play_button.clicked.connect(self.play_clip)
        self.play_button.setEnabled(view.clip_status == ClipStatus.DONE and bool(view.clip_path))
        clip_layout.addWidget(self.play_button, 0, Qt.AlignmentFlag.AlignLeft)
        tabs.addTab(clip_box, self.tr("Clip"))
        tabs.currentChanged.connect(lambda i: self.player.stop() if i == 0 else None)

        facts = QFormLayout()
        facts.addRow(self.tr("Who:"), QLabel(labels.label(view.watch_entry_id)))
        camera = f"{view.camera_name} · {view.junction}" if view.junction else view.camera_name
        facts.addRow(self.tr("Camera:"), QLabel(camera))
        facts.addRow(self.tr("Time:"), QLabel(local_time(view.frame_time)))
        facts.addRow(self.tr("Operator:"), QLabel(view.operator))
        clip_text = clip_label(view.clip_status)
        if view.clip_error:
            clip_text += f" ({view.clip_error})"
        facts.addRow(self.tr("Clip:"), QLabel(clip_text))
        if view.note:
            note = QLabel(view.note)
            note.setWordWrap(True)
            facts.addRow(self.tr("Note:"), note)

        self._bridge = FutureBridge(self)
        self.last_check: VerifyResult | None = None
        self.check_button = QPushButton(self.tr("Check hashes"))
        self.check_button.clicked.connect(self.check_hashes)
        self.check_button.setEnabled(actor().can(Permission.VIEW_WATCHLIST))
        self.snapshot_check = QLabel("—")
        self.clip_check = QLabel("—")
        self.check_error = QLabel()
        self.check_error.setWordWrap(True)
        checks = QFormLayout()
        checks.addRow(self.tr("Snapshot file:"), self.snapshot_check)
        checks.addRow(self.tr("Clip file:"), self.clip_check)
        side = QVBoxLayout()
        side.addLayout(facts)
        side.addSpacing(12)
        side.addWidget(self.check_button)
        side.addLayout(checks)
        side.addWidget(self.check_error)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(tabs, 3)
        layout.addLayout(side, 1)

    def play_clip(self) -> None:
        self.player.play(absolute(self._sightings.data_dir, self.view.clip_path))

    @property
    def busy(self) -> bool:
        """A hash check is running (tests wait on this)."""
        return self._bridge.pending > 0

    def check_hashes(self) -> None:
        """Recompute both SHA-256 sums (a snapshot and a ~20 s clip) off the GUI thread;
        the labels say "checking…" meanwhile."""
        if self.busy:
            return
        self.check_error.clear()
        for label in (self.snapshot_check, self.clip_check):
            label.setStyleSheet("")
            label.setText(self.tr("checking…"))
        self._bridge.run(self._sightings.verify, self._actor(), self.view.id,
                         on_ok=self._show_checks, on_error=self._check_failed)

    def _show_checks(self, result: VerifyResult) -> None:
        self.last_check = result
        for label, check in ((self.snapshot_check, result.snapshot),
                             (self.clip_check, result.clip)):
            label.setText(check_label(check))
            label.setStyleSheet(f"color: {_CHECK_COLOURS[check]}; font-weight: bold;")

    def _check_failed(self, exc: BaseException) -> None:
        for label in (self.snapshot_check, self.clip_check):
            label.setText("—")
        self.check_error.setText(error_text(exc))

    def done(self, result: int) -> None:
        self._bridge.shut()
        self.player.stop()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._bridge.shut()
        self.player.stop()
        super().closeEvent(event)
