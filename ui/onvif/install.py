"""Puts ONVIF into the console: an "ONVIF" menu and the PTZ pad dock.

Called once from the composition root after the console is built; returns the object
that owns the pad and opens the dialogs (keep it; call ``shutdown()`` before the ONVIF
service closes).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QWidget

from commandroom.auth.permissions import Permission, PermissionDenied
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.onvif import CameraEndpoint, OnvifService
from commandroom.onvif.addresses import DEFAULT_PORT
from commandroom.onvif.ptz_control import OperatorPtz, PtzControl
from commandroom.video.hub import StreamHub
from ui.common.actor import ActorSource
from ui.onvif.add_camera_wizard import AddCameraWizard
from ui.onvif.camera_health import CameraPropertiesDialog
from ui.onvif.discovery_dialog import WS_DISCOVERY_PORT, DiscoveryDialog
from ui.onvif.ptz_pad import PtzPad
from ui.video.grid import VideoGrid
from ui.video.tile import VideoTile


class OnvifUi(QObject):
    def __init__(self, console: QMainWindow, grid: VideoGrid, registry: CameraRegistry,
                 onvif: OnvifService, ptz: PtzControl, hub: StreamHub, actor: ActorSource,
                 discovery_port: int = WS_DISCOVERY_PORT) -> None:
        super().__init__(console)
        self._console = console
        self._grid = grid
        self._registry = registry
        self._onvif = onvif
        self._hub = hub
        self._actor = actor
        self._discovery_port = discovery_port
        self.discovery: DiscoveryDialog | None = None
        self.wizard: AddCameraWizard | None = None

        # The pad moves cameras through the core's permission check and session audit.
        self.pad = PtzPad(OperatorPtz(ptz, actor), self._endpoint, actor)
        self.dock = QDockWidget(self.tr("Pan / tilt / zoom"), console)
        self.dock.setObjectName("ptzDock")
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.dock.setWidget(self.pad)
        console.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)

        menu = console.menuBar().addMenu(self.tr("O&NVIF"))
        self.discover_action = QAction(self.tr("Discover cameras…"), console)
        self.discover_action.triggered.connect(lambda _c=False: self.open_discovery())
        self.add_action = QAction(self.tr("Add camera by ONVIF…"), console)
        self.add_action.triggered.connect(lambda _c=False: self.open_wizard())
        self.properties_action = QAction(self.tr("Camera properties…"), console)
        self.properties_action.triggered.connect(lambda _c=False: self.open_properties())
        for action in (self.discover_action, self.add_action, self.properties_action):
            menu.addAction(action)
        menu.addSeparator()
        pad_action = self.dock.toggleViewAction()
        pad_action.setText(self.tr("PTZ pad"))
        menu.addAction(pad_action)

        grid.selection_changed.connect(self._selection_changed)
        # A camera edited or replaced in the selected tile keeps the pad in step.
        grid.layout_changed.connect(lambda: self._selection_changed(grid.selected))
        self._selection_changed(grid.selected)

    def _endpoint(self, camera: Camera) -> CameraEndpoint | None:
        """The camera's ONVIF endpoint, made by the core (which holds the password)."""
        try:
            return self._registry.onvif_endpoint(self._actor(), camera)
        except PermissionDenied:
            return None

    def _selection_changed(self, tile: VideoTile | None) -> None:
        camera = tile.camera if tile is not None else None
        self.pad.set_camera(camera)
        self.properties_action.setEnabled(camera is not None and bool(camera.onvif_url))

    # -- dialogs (non-modal: the console keeps running behind them) --------------------
    def open_discovery(self) -> DiscoveryDialog:
        if self.discovery is None:
            self.discovery = DiscoveryDialog(self._onvif, self._registry, self._actor,
                                             self.open_wizard, self._console,
                                             discovery_port=self._discovery_port)
            self.discovery.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.discovery.destroyed.connect(lambda *_: setattr(self, "discovery", None))
        self.discovery.show()
        self.discovery.raise_()
        return self.discovery

    def open_wizard(self, host: str = "", port: int = DEFAULT_PORT) -> AddCameraWizard:
        if self.wizard is not None:
            self.wizard.close()
        parent: QWidget = self.discovery or self._console
        self.wizard = AddCameraWizard(self._onvif, self._registry, self._actor, self._hub,
                                      parent, host=host, port=port)
        self.wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard = self.wizard
        wizard.destroyed.connect(
            lambda *_: setattr(self, "wizard", None) if self.wizard is wizard else None)
        wizard.camera_added.connect(lambda _c: self.discovery.refresh_table()
                                    if self.discovery is not None else None)
        wizard.show()
        return wizard

    def open_properties(self) -> CameraPropertiesDialog | None:
        tile = self._grid.selected
        camera = tile.camera if tile is not None else None
        if camera is not None and not self._actor().can(Permission.CONTROL_PTZ):
            QMessageBox.information(self._console, self.tr("Camera properties"),
                                    self.tr("Your role may not ask the camera directly."))
            return None
        endpoint = self._endpoint(camera) if camera else None
        if camera is None or endpoint is None:
            QMessageBox.information(self._console, self.tr("Camera properties"),
                                    self.tr("The selected tile's camera has no ONVIF "
                                            "address."))
            return None
        dialog = CameraPropertiesDialog(self._onvif, endpoint, camera.name, self._console)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def shutdown(self) -> None:
        """Stop any moving camera and close the dialogs before the ONVIF service closes."""
        for window in (self.wizard, self.discovery):
            if window is not None:
                window.close()
        self.pad.shutdown()


def install_onvif(console: QMainWindow, registry: CameraRegistry, onvif_service: OnvifService,
                  ptz: PtzControl, hub: StreamHub, actor: ActorSource,
                  grid: VideoGrid | None = None,
                  discovery_port: int = WS_DISCOVERY_PORT) -> OnvifUi:
    """Add the ONVIF menu and the PTZ dock to ``console`` (its ``grid`` unless given)."""
    the_grid = grid if grid is not None else console.grid  # type: ignore[attr-defined]
    return OnvifUi(console, the_grid, registry, onvif_service, ptz, hub, actor,
                   discovery_port)
