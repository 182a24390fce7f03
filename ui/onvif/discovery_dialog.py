"""Find ONVIF cameras: WS-Discovery multicast on the LAN and/or a unicast probe of what
the officer types (an address, a range, a network). Never blocks the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandroom.auth.permissions import PermissionDenied
from commandroom.cameras.registry import CameraRegistry
from commandroom.onvif import DiscoveredDevice, OnvifService
from commandroom.onvif.registered_hosts import RegisteredHosts, endpoint_of_device
from ui.common.actor import ActorSource
from ui.onvif.camera_health import error_label
from ui.onvif.future_bridge import FutureBridge

WS_DISCOVERY_PORT = 3702
# How long multicast answers are collected; unicast to answering hosts returns earlier.
DISCOVERY_WAIT_S = 2.5

COL_NAME, COL_MODEL, COL_ADDRESS, COL_ONVIF, COL_REGISTRY = range(5)

# open_wizard(host, port): start "Add camera by ONVIF" for a found device.
WizardOpener = Callable[[str, int], object]


class DiscoveryDialog(QDialog):
    def __init__(self, onvif: OnvifService, registry: CameraRegistry, actor: ActorSource,
                 open_wizard: WizardOpener | None = None, parent: QWidget | None = None,
                 discovery_port: int = WS_DISCOVERY_PORT) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Discover ONVIF cameras"))
        self.resize(820, 440)
        self._onvif = onvif
        self._registry = registry
        self._actor = actor
        self._open_wizard = open_wizard
        self._port = discovery_port
        self._bridge = FutureBridge(self)
        self.devices: list[DiscoveredDevice] = []

        self.targets = QLineEdit()
        self.targets.setPlaceholderText(
            self.tr("Addresses to ask directly, e.g. 192.168.1.64, 192.168.1.10-40 or "
                    "192.168.1.0/24"))
        self.targets.returnPressed.connect(self.search)
        self.multicast = QCheckBox(self.tr("Also search the local network (multicast)"))
        self.multicast.setChecked(True)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search)
        self.table = QTableWidget(0, 5)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("Model"), self.tr("Address"), self.tr("ONVIF address"),
            self.tr("In the registry")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.add_selected())
        self.state = QLabel()
        self.error = error_label()
        self.add_button = QPushButton(self.tr("Add selected camera…"))
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self.add_selected)
        self.add_button.setVisible(open_wizard is not None)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)

        row = QHBoxLayout()
        row.addWidget(self.targets, 1)
        row.addWidget(self.search_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.multicast)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    # -- searching -------------------------------------------------------------------
    def search(self) -> None:
        typed = self.targets.text().strip()
        multicast = self.multicast.isChecked()
        self.error.setText("")
        if not typed and not multicast:
            self.error.setText(self.tr("Type an address or a range to ask, or tick the "
                                       "local network search."))
            return
        self.search_button.setEnabled(False)
        self.state.setText(self.tr("Searching…"))
        future = self._onvif.discover(typed, multicast=multicast, wait_s=DISCOVERY_WAIT_S,
                                      port=self._port)
        self._bridge.call(future, self._found, self._failed)

    def _found(self, devices: list[DiscoveredDevice]) -> None:
        self.search_button.setEnabled(True)
        self.devices = list(devices)
        self.refresh_table()
        if self.devices:
            self.state.setText(self.tr("%1 camera(s) found.").replace("%1",
                                                                       str(len(self.devices))))
        else:
            self.state.setText(self.tr("No camera answered."))

    def refresh_table(self) -> None:
        """Fill the table; also after a camera was added (no new search needed)."""
        try:
            known = RegisteredHosts(self._registry.cameras(self._actor()))
        except PermissionDenied:
            known = RegisteredHosts(())
        self.table.setRowCount(len(self.devices))
        for row, device in enumerate(self.devices):
            registered = known.match(device)
            host, port = endpoint_of_device(device)
            cells = {
                COL_NAME: device.name or self.tr("(no name)"),
                COL_MODEL: device.model or self.tr("(not told)"),
                COL_ADDRESS: device.address,
                COL_ONVIF: f"{host}:{port}",
                COL_REGISTRY: (self.tr("Yes: %1").replace("%1", registered) if registered
                               else self.tr("Not in registry")),
            }
            for col, text in cells.items():
                item = QTableWidgetItem(text)
                item.setToolTip(" ".join(device.xaddrs) if col == COL_ONVIF else text)
                if col == COL_REGISTRY and registered:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, col, item)

    def _failed(self, message: str) -> None:
        self.search_button.setEnabled(True)
        self.state.setText("")
        self.error.setText(message)

    # -- adding ----------------------------------------------------------------------
    def _selection_changed(self) -> None:
        self.add_button.setEnabled(self.selected_device() is not None)

    def selected_device(self) -> DiscoveredDevice | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not (0 <= rows[0].row() < len(self.devices)):
            return None
        return self.devices[rows[0].row()]

    def add_selected(self) -> None:
        device = self.selected_device()
        if device is not None and self._open_wizard is not None:
            self._open_wizard(*endpoint_of_device(device))

    def done(self, result: int) -> None:
        self._bridge.shut()
        super().done(result)
