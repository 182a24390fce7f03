"""Add or edit a camera. Passwords are typed masked and go to the secret store.

Saving (a new group, the camera, its secret) runs on the UI's background executor; the
dialog says "Saving…" and stays open with the core's refusal in words."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from commandroom.auth.permissions import Actor, PermissionDenied
from commandroom.cameras.registry import Camera, CameraError, CameraRegistry
from ui.bridge import FutureBridge
from ui.common.notices import error_text
from ui.console.camera_event_fields import CameraEventFields


class CameraDialog(QDialog):
    def __init__(self, registry: CameraRegistry, actor: Actor, camera: Camera | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        self._actor = actor
        self._camera = camera
        self.saved: Camera | None = None
        self._bridge = FutureBridge(self)
        self.setWindowTitle(self.tr("Edit camera") if camera else self.tr("Add camera"))
        # Wide enough for the window manager's title bar to show the title whole.
        self.setMinimumWidth(620)
        form = QFormLayout()
        self.name = QLineEdit(camera.name if camera else "")
        self.junction = QLineEdit(camera.junction if camera else "")
        self.group = QComboBox()
        self.group.setEditable(True)
        self.group.addItem("", None)
        for g in registry.groups(actor):
            self.group.addItem(g.name, g.id)
        if camera and camera.group_id is not None:
            self.group.setCurrentIndex(max(0, self.group.findData(camera.group_id)))
        self.main_url = QLineEdit(camera.main_url if camera else "rtsp://")
        self.sub_url = QLineEdit(camera.sub_url if camera else "")
        self.transport = QComboBox()
        self.transport.addItem("TCP", "tcp")
        self.transport.addItem("UDP", "udp")
        if camera:
            self.transport.setCurrentIndex(max(0, self.transport.findData(camera.transport)))
        # The user name only: the password stays in the secret store ("unchanged").
        user = registry.credential_user(actor, camera) if camera else ""
        self.user = QLineEdit(user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if user:
            self.password.setPlaceholderText(self.tr("unchanged"))
        self.onvif_url = QLineEdit(camera.onvif_url if camera else "")
        self.ptz = QCheckBox(self.tr("Camera can pan, tilt and zoom"))
        self.ptz.setChecked(bool(camera and camera.ptz_capable))
        self.events = CameraEventFields(camera, self)
        self.enabled = QCheckBox(self.tr("Enabled"))
        self.enabled.setChecked(camera.enabled if camera else True)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Junction"), self.junction)
        form.addRow(self.tr("Group"), self.group)
        form.addRow(self.tr("Main stream URL"), self.main_url)
        form.addRow(self.tr("Sub stream URL"), self.sub_url)
        form.addRow(self.tr("Transport"), self.transport)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("ONVIF address"), self.onvif_url)
        form.addRow("", self.ptz)
        self.events.add_rows(form)
        form.addRow("", self.enabled)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.buttons = buttons
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @property
    def busy(self) -> bool:
        return self._bridge.pending > 0

    def _group_id(self, actor: Actor, text: str) -> int | None:
        """On the executor: the group named ``text``, created when new."""
        if not text:
            return None
        for g in self._registry.groups(actor):
            if g.name == text:
                return g.id
        return self._registry.add_group(actor, text).id

    def _save(self) -> None:
        if self.busy:
            return
        base = self._camera or Camera(id=None, name="", main_url="")
        camera = self.events.apply(replace(
            base, name=self.name.text(), junction=self.junction.text(),
            main_url=self.main_url.text(),
            sub_url=self.sub_url.text(), transport=str(self.transport.currentData()),
            onvif_url=self.onvif_url.text(), ptz_capable=self.ptz.isChecked(),
            enabled=self.enabled.isChecked(),
        ))
        user = self.user.text().strip() or None
        password = self.password.text() or None
        actor, group, adding = self._actor, self.group.currentText().strip(), self._camera is None
        registry = self._registry

        def store() -> Camera:
            placed = replace(camera, group_id=self._group_id(actor, group))
            if adding:
                return registry.add(actor, placed, user, password)
            # No password typed: the registry keeps the stored one.
            return registry.update(actor, placed, user, password)

        self.error.setText(self.tr("Saving…"))
        self.buttons.setEnabled(False)
        self._bridge.run(store, on_ok=self._saved, on_error=self._refused)

    def _saved(self, camera: Camera) -> None:
        self.saved = camera
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if not isinstance(exc, CameraError | PermissionDenied):
            self.error.clear()
            raise exc  # a bug, not a refusal: the exception hook logs it
        self.error.setText(error_text(exc))

    def done(self, result: int) -> None:
        self._bridge.shut()
        super().done(result)
