"""Camera properties: what the ONVIF probe says about a camera (model, clock drift)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandroom.onvif import CameraEndpoint, OnvifService, ProbeResult
from ui.common.notices import notice_text
from ui.onvif.future_bridge import FutureBridge
from ui.onvif.texts import DRIFT_WARN_S, drift_text

WARNING_STYLE = "color: #ffd070;"
_SERVICE_ORDER = ("device", "media", "media2", "ptz", "imaging", "events")


def warning_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(WARNING_STYLE)
    return label


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("errorLabel")  # coloured by the global dark theme
    label.setWordWrap(True)
    return label


class DeviceInfoView(QWidget):
    """Device information, services and clock drift from one probe (wizard and dialog)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.manufacturer = QLabel()
        self.model = QLabel()
        self.firmware = QLabel()
        self.serial = QLabel()
        self.services = QLabel()
        self.services.setWordWrap(True)
        self.drift = QLabel()
        self.drift.setWordWrap(True)
        for label in (self.manufacturer, self.model, self.firmware, self.serial):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Manufacturer"), self.manufacturer)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Firmware"), self.firmware)
        form.addRow(self.tr("Serial number"), self.serial)
        form.addRow(self.tr("Services"), self.services)
        form.addRow(self.tr("Camera clock"), self.drift)
        self.warnings = warning_label()
        form.addRow(self.warnings)

    def show_probe(self, probe: ProbeResult | None) -> None:
        device = probe.device if probe else None
        unknown = self.tr("not told")
        for label, value in ((self.manufacturer, device.manufacturer if device else None),
                             (self.model, device.model if device else None),
                             (self.firmware, device.firmware if device else None),
                             (self.serial, device.serial if device else None)):
            label.setText("" if device is None else value or unknown)
        if probe is None:
            for label in (self.services, self.drift, self.warnings):
                label.setText("")
            return
        names = {"device": self.tr("device"), "media": self.tr("media"),
                 "media2": self.tr("media 2"), "ptz": self.tr("pan/tilt/zoom"),
                 "imaging": self.tr("imaging"), "events": self.tr("events")}
        have = [names[s] for s in _SERVICE_ORDER if s in probe.capabilities.xaddrs]
        self.services.setText(", ".join(have))
        self.drift.setText(drift_text(probe.clock_drift_s))
        drift = probe.clock_drift_s
        self.drift.setStyleSheet(WARNING_STYLE if drift is not None and abs(drift) > DRIFT_WARN_S
                                 else "")
        self.warnings.setText("\n".join(notice_text(w) for w in probe.warnings))
        self.warnings.setVisible(bool(probe.warnings))


class CameraPropertiesDialog(QDialog):
    """Non-modal: the probe runs off the GUI thread; Refresh asks again."""

    def __init__(self, onvif: OnvifService, endpoint: CameraEndpoint, camera_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Camera properties — %1").replace("%1", camera_name))
        self.setMinimumWidth(460)
        self._onvif = onvif
        self._endpoint = endpoint
        self._bridge = FutureBridge(self)
        self.probe: ProbeResult | None = None
        self.address = QLabel(endpoint.where)
        self.state = QLabel()
        self.info = DeviceInfoView()
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.refresh_button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        top = QFormLayout()
        top.addRow(self.tr("ONVIF address"), self.address)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(self.state)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self.error.setText("")
        self.state.setText(self.tr("Asking the camera…"))
        self._bridge.call(self._onvif.probe(self._endpoint), self._shown, self._failed)

    def _shown(self, probe: ProbeResult) -> None:
        self.probe = probe
        self.info.show_probe(probe)
        self.state.setText("")
        self.refresh_button.setEnabled(True)

    def _failed(self, message: str) -> None:
        self.info.show_probe(None)
        self.state.setText("")
        self.error.setText(message)
        self.refresh_button.setEnabled(True)

    def done(self, result: int) -> None:
        self._bridge.shut()
        super().done(result)
