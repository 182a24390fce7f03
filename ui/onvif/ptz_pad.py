"""The PTZ pad: steer the selected tile's camera while a button or key is held.

Safety first: a camera must never keep turning. Every way the officer's attention can
leave the pad sends a stop: button or key released, focus moved elsewhere, window
deactivated, pad hidden, another tile selected.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from commandroom.auth.permissions import Permission
from commandroom.cameras.registry import Camera
from commandroom.onvif import CameraEndpoint, PtzPreset, PtzStatus, PtzSupport
from commandroom.onvif.ptz_control import OperatorPtz
from ui.common.actor import ActorSource
from ui.common.notices import notice_text
from ui.onvif.camera_health import error_label
from ui.onvif.future_bridge import FutureBridge
from ui.onvif.ptz_commands import PtzCommander
from ui.onvif.texts import position_text

POLL_MS = 500  # GetStatus about twice a second while the pad is shown
EndpointOf = Callable[[Camera], "CameraEndpoint | None"]  # the core's, with the password

# (pan, tilt) per direction button, row by row; None is the stop button.
_DIRECTIONS: list[list[tuple[str, tuple[int, int] | None]]] = [
    [("↖", (-1, 1)), ("↑", (0, 1)), ("↗", (1, 1))],
    [("←", (-1, 0)), ("■", None), ("→", (1, 0))],
    [("↙", (-1, -1)), ("↓", (0, -1)), ("↘", (1, -1))],
]
_KEYS: dict[int, tuple[int, int, int]] = {
    Qt.Key.Key_Left: (-1, 0, 0), Qt.Key.Key_Right: (1, 0, 0),
    Qt.Key.Key_Up: (0, 1, 0), Qt.Key.Key_Down: (0, -1, 0),
    Qt.Key.Key_Plus: (0, 0, 1), Qt.Key.Key_Equal: (0, 0, 1), Qt.Key.Key_Minus: (0, 0, -1),
}


class PtzPad(QWidget):
    camera_changed = Signal()

    def __init__(self, onvif: OperatorPtz, endpoint_of: EndpointOf, actor: ActorSource,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ptzPad")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._onvif = onvif
        self._endpoint_of = endpoint_of
        self._actor = actor
        self._bridge = FutureBridge(self)
        self.commander = PtzCommander(onvif, self)
        self.commander.failed.connect(self._show_error)
        self.camera: Camera | None = None
        self.endpoint: CameraEndpoint | None = None
        self.support: PtzSupport | None = None
        self.status: PtzStatus | None = None
        self.presets: list[PtzPreset] = []
        self.moving = False
        self._generation = 0
        self._polling = False

        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #ffd070;")
        self.position = QLabel("–")
        self.error = error_label()
        self.controls = QWidget()
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(4)
        for r, row in enumerate(_DIRECTIONS):
            for c, (text, vector) in enumerate(row):
                button = self._button(text, vector and (vector[0], vector[1], 0))
                grid.addWidget(button, r, c)
                self.buttons[text] = button
        self.zoom_in = self._button("+", (0, 0, 1))
        self.zoom_out = self._button("−", (0, 0, -1))
        self.zoom_in.setToolTip(self.tr("Zoom in (+)"))
        self.zoom_out.setToolTip(self.tr("Zoom out (−)"))
        grid.addWidget(self.zoom_in, 0, 4)
        grid.addWidget(self.zoom_out, 2, 4)
        grid.setColumnMinimumWidth(3, 10)
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(10, 100)
        self.speed.setValue(50)
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrows belong to the pad
        self.speed_label = QLabel()
        self.speed.valueChanged.connect(self._speed_shown)
        self._speed_shown(self.speed.value())
        speed_row = QHBoxLayout()
        speed_row.addWidget(QLabel(self.tr("Speed")))
        speed_row.addWidget(self.speed, 1)
        speed_row.addWidget(self.speed_label)

        self.preset_list = QListWidget()
        self.preset_list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.preset_list.itemDoubleClicked.connect(lambda _i: self.go_to_selected())
        self.preset_name = QLineEdit()
        self.preset_name.setPlaceholderText(self.tr("Preset name"))
        self.go_button = QPushButton(self.tr("Go to"))
        self.save_button = QPushButton(self.tr("Save here"))
        self.rename_button = QPushButton(self.tr("Rename"))
        self.save_button.setToolTip(self.tr("Save the current position as a new preset "
                                            "with this name."))
        self.rename_button.setToolTip(self.tr("Give the selected preset this name. Cameras "
                                              "also store the current position with it."))
        self.go_button.clicked.connect(self.go_to_selected)
        self.save_button.clicked.connect(lambda: self.save_preset(self.preset_name.text()))
        self.rename_button.clicked.connect(
            lambda: self.rename_selected(self.preset_name.text()))
        self.preset_list.currentItemChanged.connect(self._preset_picked)
        preset_buttons = QHBoxLayout()
        for b in (self.go_button, self.save_button, self.rename_button):
            preset_buttons.addWidget(b)

        controls = QVBoxLayout(self.controls)
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addLayout(grid)
        controls.addLayout(speed_row)
        controls.addWidget(self.position)
        controls.addWidget(QLabel(self.tr("Presets")))
        controls.addWidget(self.preset_list, 1)
        controls.addWidget(self.preset_name)
        controls.addLayout(preset_buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.reason)
        layout.addWidget(self.controls, 1)
        layout.addWidget(self.error)

        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.poll_status)
        QApplication.instance().focusChanged.connect(self._focus_changed)  # type: ignore[union-attr]
        self.set_camera(None)

    def _button(self, text: str, vector: tuple[int, int, int] | None) -> QPushButton:
        button = QPushButton(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(40, 34)
        if vector is None:
            button.setToolTip(self.tr("Stop"))
            button.clicked.connect(self.stop)
        else:
            button.pressed.connect(lambda v=vector: self._pressed(v))
            button.released.connect(self.stop)
        return button

    def _speed_shown(self, value: int) -> None:
        self.speed_label.setText(f"{value}%")

    # -- which camera ------------------------------------------------------------------
    def set_camera(self, camera: Camera | None) -> None:
        """Follow the console's selection; the camera being left is stopped first."""
        if camera is not None and self.camera is not None and camera == self.camera \
                and self.support is not None:
            return
        self.stop()
        self._generation += 1
        self.camera, self.endpoint, self.support = camera, None, None
        self.status, self.presets = None, []
        self.preset_list.clear()
        self.position.setText("–")
        self.error.setText("")
        self.title.setText(camera.name if camera else self.tr("Pan / tilt / zoom"))
        if camera is None:
            self._disable(self.tr("No camera in the selected tile."))
        elif not self._actor().can(Permission.CONTROL_PTZ):
            self._disable(self.tr("Your role may not steer cameras."))
        else:
            self.endpoint = self._endpoint_of(camera)
            if self.endpoint is None:
                self._disable(self.tr("This camera has no ONVIF address."))
            else:
                self._disable(self.tr("Asking the camera…"), final=False)
                generation = self._generation
                self._bridge.call(self._onvif.ptz_support(self.endpoint),
                                  lambda s: self._supported(generation, s),
                                  lambda e: self._supported(generation, PtzSupport(False, None),
                                                            e))
        self.camera_changed.emit()

    def _disable(self, reason: str, final: bool = True) -> None:
        """``final``: nothing to steer here (no camera, no ONVIF, no PTZ, not this role):
        the controls fold away, so the sightings list docked below keeps its room (at
        1600x900 it was left a header and no row). While asking, they stay in place."""
        self.controls.setEnabled(False)
        self.controls.setVisible(not final)
        self.reason.setText(reason)
        self.reason.show()
        self._poll.stop()

    def _supported(self, generation: int, support: PtzSupport, failure: str = "") -> None:
        if generation != self._generation:
            return
        self.support = support
        if not support.available:
            self._disable(failure or notice_text(support.reason or ""))
            return
        self.controls.setEnabled(True)
        self.controls.show()
        self.reason.setText("")
        self.reason.hide()
        self.reload_presets()
        self._update_polling()
        self.poll_status()

    @property
    def enabled_for_camera(self) -> bool:
        return self.support is not None and self.support.available and self.endpoint is not None

    # -- moving ------------------------------------------------------------------------
    def _pressed(self, vector: tuple[int, int, int]) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)  # so losing focus can stop it
        self.start_move(*vector)

    def start_move(self, pan: int, tilt: int, zoom: int) -> None:
        if not self.enabled_for_camera or self.endpoint is None:
            return
        speed = self.speed.value() / 100.0
        self.moving = True
        self.error.setText("")
        self.commander.move(self.endpoint, pan * speed, tilt * speed, zoom * speed)

    def stop(self) -> None:
        if self.moving and self.endpoint is not None:
            self.commander.stop(self.endpoint)
        self.moving = False

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.moving and (new is None or not self.isAncestorOf(new)) and new is not self:
            self.stop()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self.stop()
        super().changeEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.stop()
        self._update_polling()
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_polling()

    # -- keyboard ----------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        # The console binds arrows to tile navigation; while the pad has focus they steer.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() in _KEYS and self.enabled_for_camera:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        vector = _KEYS.get(event.key())
        if vector is None or not self.enabled_for_camera:
            super().keyPressEvent(event)
            return
        if not event.isAutoRepeat():
            self.start_move(*vector)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() in _KEYS and not event.isAutoRepeat():
            self.stop()
            return
        super().keyReleaseEvent(event)

    # -- position ----------------------------------------------------------------------
    def _update_polling(self) -> None:
        if self.isVisible() and self.enabled_for_camera:
            self._poll.start()
        else:
            self._poll.stop()

    def poll_status(self) -> None:
        if self._polling or self.endpoint is None or not self.enabled_for_camera:
            return
        self._polling = True
        generation = self._generation
        self._bridge.call(self._onvif.ptz_status(self.endpoint),
                          lambda s: self._status(generation, s),
                          lambda e: self._status_failed(generation, e))

    def _status(self, generation: int, status: PtzStatus) -> None:
        self._polling = False
        if generation == self._generation:
            self.status = status
            self.position.setText(position_text(status))

    def _status_failed(self, generation: int, message: str) -> None:
        self._polling = False
        if generation == self._generation:
            self.position.setText(message)

    # -- presets -----------------------------------------------------------------------
    def reload_presets(self) -> None:
        if self.endpoint is None:
            return
        generation = self._generation
        self._bridge.call(self._onvif.ptz_presets(self.endpoint),
                          lambda p: self._presets(generation, p), self._show_error)

    def _presets(self, generation: int, presets: list[PtzPreset]) -> None:
        if generation != self._generation:
            return
        current = self.selected_preset()
        self.presets = presets
        self.preset_list.clear()
        for preset in presets:
            item = QListWidgetItem(preset.name or preset.token)
            item.setData(Qt.ItemDataRole.UserRole, preset.token)
            self.preset_list.addItem(item)
            if current is not None and preset.token == current.token:
                self.preset_list.setCurrentItem(item)

    def _preset_picked(self, item: QListWidgetItem | None, _old: object = None) -> None:
        preset = self.selected_preset()
        if item is not None and preset is not None:
            self.preset_name.setText(preset.name)

    def selected_preset(self) -> PtzPreset | None:
        item = self.preset_list.currentItem()
        token = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((p for p in self.presets if p.token == token), None)

    def go_to_selected(self) -> None:
        preset = self.selected_preset()
        if preset is None or self.endpoint is None or not self.enabled_for_camera:
            return
        self.stop()
        self._bridge.call(self._onvif.ptz_goto_preset(self.endpoint, preset.token),
                          None, self._show_error)

    def save_preset(self, name: str) -> None:
        self._set_preset(name, None)

    def rename_selected(self, name: str) -> None:
        preset = self.selected_preset()
        if preset is not None:
            self._set_preset(name, preset.token)

    def _set_preset(self, name: str, token: str | None) -> None:
        if self.endpoint is None or not self.enabled_for_camera:
            return
        if not name.strip():
            self._show_error(self.tr("Type a name for the preset first."))
            return
        self._bridge.call(self._onvif.ptz_set_preset(self.endpoint, name.strip(), token),
                          lambda _t: self.reload_presets(), self._show_error)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)

    # -- end -------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the camera and drop late answers (the console is closing)."""
        self.stop()
        self._poll.stop()
        self._bridge.shut()
        self.commander.shut()
        app = QApplication.instance()
        if app is not None:
            app.focusChanged.disconnect(self._focus_changed)  # type: ignore[attr-defined]
