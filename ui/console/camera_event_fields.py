"""The camera dialog's event rows: where the camera's events come from, its event
address and NVR channel, and our own motion detection.

Plain widgets the dialog lays out in its form (in this order, which is the keyboard's);
``apply`` writes them into a ``Camera`` for the registry, which checks and words any
refusal (``CameraError``) and moves credentials typed into the address to the secret store.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QSpinBox

from commandroom.camera_events.model import EventSource
from commandroom.cameras.registry import Camera

MAX_CHANNEL = 256  # the largest NVRs have 256 inputs


class CameraEventFields(QObject):
    def __init__(self, camera: Camera | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = QComboBox()
        self.source.addItem(self.tr("None"), EventSource.NONE.value)
        self.source.addItem(self.tr("ONVIF (PullPoint)"), EventSource.ONVIF.value)
        self.source.addItem(self.tr("Hikvision (ISAPI alert stream)"), EventSource.ISAPI.value)
        self.source.addItem(self.tr("Dahua (event manager)"), EventSource.DAHUA.value)
        self.url = QLineEdit(camera.event_url if camera else "")
        self.url.setPlaceholderText(self.tr("Empty: from the ONVIF address, or the camera's "
                                            "host"))
        self.url.setToolTip(self.tr("http:// or https:// address of the camera's (or NVR's) "
                                    "events. A user name and password typed in it are moved "
                                    "to the encrypted secret store."))
        self.channel = QSpinBox()
        self.channel.setRange(1, MAX_CHANNEL)
        self.channel.setValue(max(1, camera.event_channel) if camera else 1)
        self.channel.setToolTip(self.tr("The camera's input number on the NVR (Hikvision and "
                                        "Dahua through a recorder); 1 for a camera itself."))
        self.motion = QCheckBox(self.tr("Local motion detection (uses this computer's CPU: "
                                        "the sub stream at 5 fps)"))
        source = camera.event_source if camera else ""
        # "local_motion" as the source (a CSV may say so) is the checkbox with no device source.
        self.motion.setChecked(bool(camera and (camera.motion_detection
                                                or source == EventSource.LOCAL_MOTION)))
        index = self.source.findData(source)
        self.source.setCurrentIndex(max(0, index))
        self.source.currentIndexChanged.connect(lambda _i: self._follow_source())
        self._follow_source()

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(self.tr("Camera events"), self.source)
        form.addRow(self.tr("Event address"), self.url)
        form.addRow(self.tr("NVR channel"), self.channel)
        form.addRow("", self.motion)

    def _follow_source(self) -> None:
        # The address and channel only mean something with a device source; disabled, the
        # keyboard skips them.
        source = str(self.source.currentData())
        self.url.setEnabled(source != EventSource.NONE)
        self.channel.setEnabled(source in (EventSource.ISAPI, EventSource.DAHUA))

    def apply(self, camera: Camera) -> Camera:
        return replace(camera, event_source=str(self.source.currentData()),
                       event_url=self.url.text().strip(), event_channel=self.channel.value(),
                       motion_detection=self.motion.isChecked())
