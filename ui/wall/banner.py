"""The wall's alert banner: snapshot, who, where, when — readable from across the room."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from commandroom.wall import WallAlert
from ui.common.entry_texts import category_label


class AlertBanner(QWidget):
    def __init__(self, font_scale: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(
            "#alertBanner { background: #8b0000; border-top: 4px solid #ff4040; }"
            "#alertBanner QLabel { background: transparent; color: #ffffff; }"
            f"QLabel#bannerTitle {{ font-size: {int(24 * font_scale)}pt; font-weight: bold; }}"
            f"QLabel#bannerDetails {{ font-size: {int(14 * font_scale)}pt; }}")
        self.alert: WallAlert | None = None
        self.picture = QLabel()
        self.picture.setFixedSize(int(240 * font_scale), int(135 * font_scale))
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel()
        self.details = QLabel()
        self.title.setObjectName("bannerTitle")
        self.details.setObjectName("bannerDetails")
        self.details.setWordWrap(True)
        # Wrapped, and never the one to set the wall's minimum width: with one screen the
        # wall is a window beside the console, and "ALERT: <name>" at the wall's font
        # pushed it 212 px past the screen's right edge (a long word still would).
        self.title.setWordWrap(True)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.details)
        text.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addWidget(self.picture)
        layout.addLayout(text, 1)
        self.hide()

    def show_alert(self, alert: WallAlert) -> None:
        self.alert = alert
        title = self.tr("POSSIBLE SIGHTING: %1") if alert.suggestion_id is not None \
            else self.tr("ALERT: %1")
        self.title.setText(title.replace("%1", alert.who))
        local = alert.frame_time.astimezone().strftime("%H:%M:%S")
        self.details.setText(
            self.tr("%1 · %2 · seen at %3 · %4")
            .replace("%1", alert.camera_name).replace("%2", alert.junction or "—")
            .replace("%3", local).replace("%4", category_label(alert.category)))
        pixmap = QPixmap(alert.snapshot_path) if alert.snapshot_path else QPixmap()
        if pixmap.isNull():
            self.picture.setText(self.tr("no picture"))
        else:
            self.picture.setPixmap(pixmap.scaled(
                self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        self.show()

    def clear(self) -> None:
        self.alert = None
        self.hide()
