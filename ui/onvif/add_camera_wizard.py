"""Add a camera by ONVIF: address and credentials → device → streams (live) → save.

Every camera conversation runs on the ONVIF service's thread; answers come back through
a FutureBridge. A page waiting for an answer is simply "not complete" (Next disabled):
nothing ever waits on the GUI thread.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from commandroom.auth.permissions import PermissionDenied
from commandroom.camera_events.model import EventSource
from commandroom.cameras.registry import Camera, CameraError, CameraRegistry
from commandroom.onvif import CameraEndpoint, OnvifService, ProbeResult
from commandroom.onvif.addresses import DEFAULT_PORT, device_url
from commandroom.video.hub import StreamHub
from ui import bridge
from ui.common.actor import ActorSource
from ui.common.notices import error_text
from ui.onvif.camera_health import DeviceInfoView, error_label
from ui.onvif.future_bridge import FutureBridge
from ui.onvif.wizard_streams import StreamsPage

PAGE_CONNECT, PAGE_DEVICE, PAGE_STREAMS, PAGE_SAVE = range(4)


class ConnectPage(QWizardPage):
    def __init__(self, host: str, port: int) -> None:
        super().__init__()
        self.setTitle(self.tr("Camera address"))
        self.setSubTitle(self.tr("The address of the camera's ONVIF service and an account "
                                 "on the camera (often the same as for its web page)."))
        self.host = QLineEdit(host)
        self.host.setPlaceholderText("192.168.1.64")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(port)
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.host.textChanged.connect(self.completeChanged)
        form = QFormLayout(self)
        form.addRow(self.tr("Address"), self.host)
        form.addRow(self.tr("ONVIF port"), self.port)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)

    def isComplete(self) -> bool:
        return bool(self.host.text().strip())


class DevicePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Device"))
        self.setSubTitle(self.tr("What the camera says about itself."))
        self.probe: ProbeResult | None = None
        self._generation = 0
        self.info = DeviceInfoView()
        self.state = QLabel()
        self.error = error_label()
        self.retry = QPushButton(self.tr("Try again"))
        self.retry.clicked.connect(self.initializePage)
        self.retry.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.state)
        layout.addWidget(self.error)
        layout.addWidget(self.retry)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = cast("AddCameraWizard", self.wizard())
        self._generation += 1
        generation = self._generation
        self.probe = None
        self.info.show_probe(None)
        self.error.setText("")
        self.retry.hide()
        self.state.setText(self.tr("Asking the camera at %1…").replace(
            "%1", wizard.endpoint().where))
        self.completeChanged.emit()
        wizard.bridge.call(wizard.onvif.probe(wizard.endpoint()),
                           lambda p: self._probed(generation, p),
                           lambda e: self._failed(generation, e))

    def cleanupPage(self) -> None:
        self._generation += 1  # an answer still on its way is for a page left behind

    def _probed(self, generation: int, probe: ProbeResult) -> None:
        if generation != self._generation:
            return
        self.probe = probe
        self.state.setText("")
        self.info.show_probe(probe)
        self.completeChanged.emit()

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.state.setText("")
        self.error.setText(message)
        self.retry.show()

    def isComplete(self) -> bool:
        return self.probe is not None


class SavePage(QWizardPage):
    def __init__(self, suggested_name: str) -> None:
        super().__init__()
        self.setTitle(self.tr("Name and save"))
        self.setSubTitle(self.tr("The password is kept in the encrypted secret store, never "
                                 "with the camera's addresses."))
        self._suggested = suggested_name
        self.name = QLineEdit(suggested_name)
        self.junction = QLineEdit()
        self.transport = QComboBox()
        self.transport.addItem("TCP", "tcp")
        self.transport.addItem("UDP", "udp")
        self.ptz = QLabel()
        self.ptz.setWordWrap(True)
        # On by default when the device has an events service; the camera dialog changes it.
        self.events = QCheckBox(self.tr("Receive the camera's events (motion, line crossing, "
                                        "plates) by ONVIF"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.error = error_label()
        self.name.textChanged.connect(self.completeChanged)
        form = QFormLayout(self)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Junction"), self.junction)
        form.addRow(self.tr("Transport"), self.transport)
        form.addRow(self.tr("Pan/tilt/zoom"), self.ptz)
        form.addRow(self.tr("Camera events"), self.events)
        form.addRow(self.summary)
        form.addRow(self.error)

    def initializePage(self) -> None:
        wizard = cast("AddCameraWizard", self.wizard())
        probe = wizard.device_page.probe
        if not self.name.text().strip() and probe is not None:
            d = probe.device
            self.name.setText(" ".join(p for p in (d.manufacturer, d.model) if p))
        ptz = wizard.streams_page.ptz
        if ptz is None:
            self.ptz.setText(self.tr("Not known yet (the camera has not answered)."))
        elif ptz.available:
            self.ptz.setText(self.tr("Yes"))
        else:
            self.ptz.setText(self.tr("No: %1").replace(
                "%1", wizard.streams_page.ptz_reason_text()))
        has_events = probe is not None and probe.capabilities.has_events
        self.events.setEnabled(has_events)
        self.events.setChecked(has_events)
        self.events.setToolTip("" if has_events else
                               self.tr("The camera does not offer an ONVIF events service."))
        self.summary.setText(self.tr("ONVIF: %1").replace("%1", wizard.onvif_url()))
        self.error.setText("")

    def isComplete(self) -> bool:
        return bool(self.name.text().strip())

    def validatePage(self) -> bool:
        return cast("AddCameraWizard", self.wizard()).save()


class AddCameraWizard(QWizard):
    camera_added = Signal(object)  # Camera

    def __init__(self, onvif: OnvifService, registry: CameraRegistry, actor: ActorSource,
                 hub: StreamHub, parent: QWidget | None = None, host: str = "",
                 port: int = DEFAULT_PORT, suggested_name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add camera by ONVIF"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(920, 680)
        self.onvif = onvif
        self.hub = hub
        self._registry = registry
        self._actor = actor
        self.bridge = FutureBridge(self)
        self.saved: Camera | None = None
        self._saving = False  # Finish pressed, the save is on its way
        # The registry's refusals (not ONVIF's): the shared bridge hands them over as they are.
        self._save_bridge = bridge.FutureBridge(self)
        self.connect_page = ConnectPage(host, port)
        self.device_page = DevicePage()
        self.streams_page = StreamsPage()
        self.save_page = SavePage(suggested_name)
        self.setPage(PAGE_CONNECT, self.connect_page)
        self.setPage(PAGE_DEVICE, self.device_page)
        self.setPage(PAGE_STREAMS, self.streams_page)
        self.setPage(PAGE_SAVE, self.save_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Save"))
        # The preview plays only while its page is shown (decoding costs CPU).
        self.currentIdChanged.connect(
            lambda page: None if page == PAGE_STREAMS else self.streams_page.stop_preview())

    def endpoint(self) -> CameraEndpoint:
        c = self.connect_page
        return CameraEndpoint(c.host.text().strip(), c.port.value(),
                              c.user.text().strip() or None, c.password.text() or None)

    def onvif_url(self) -> str:
        e = self.endpoint()
        return device_url(e.host, e.port)

    def transport(self) -> str:
        return str(self.save_page.transport.currentData())

    def save(self) -> bool:
        """Finish: True once the camera is saved. The first press starts the save off the
        GUI thread ("Saving…"); its answer presses Finish again, or shows the refusal."""
        if self.saved is not None:
            return True
        if self._saving:
            return False
        endpoint = self.endpoint()
        streams, page = self.streams_page, self.save_page
        ptz = streams.ptz
        camera = Camera(
            id=None, name=page.name.text(), junction=page.junction.text(),
            main_url=streams.main_uri.text().strip(), sub_url=streams.sub_uri.text().strip(),
            transport=self.transport(), onvif_url=self.onvif_url(),
            ptz_capable=bool(ptz and ptz.available),
            event_source=EventSource.ONVIF.value if page.events.isChecked() else "")
        self._saving = True
        page.error.setText(self.tr("Saving…"))
        self._save_bridge.run(self._registry.add, self._actor(), camera, endpoint.user,
                              endpoint.password, on_ok=self._saved, on_error=self._refused)
        return False

    def _saved(self, camera: Camera) -> None:
        self._saving = False
        self.saved = camera
        self.save_page.error.setText("")
        self.camera_added.emit(camera)
        self.button(QWizard.WizardButton.FinishButton).click()  # saved: now it closes

    def _refused(self, exc: BaseException) -> None:
        self._saving = False
        if not isinstance(exc, CameraError | PermissionDenied):
            self.save_page.error.setText("")
            raise exc  # a bug, not a refusal: the exception hook logs it
        self.save_page.error.setText(error_text(exc) if isinstance(exc, CameraError)
                                     else self.tr("You are not allowed to add cameras."))

    def done(self, result: int) -> None:
        if result == QDialog.DialogCode.Accepted and self.saved is None:
            # Finish: QWizard asks the page first, which starts the save (or waits for it)
            # and says no; the wizard stays open and keeps its bridges until the answer.
            super().done(result)
            return
        self.streams_page.stop_preview()
        self.bridge.shut()
        self._save_bridge.shut()
        super().done(result)
