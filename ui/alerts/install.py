"""The console's alerting: the alert panel dock, the Alerts menu, the send dialog after a
tag, and alert events carried to the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow

from commandroom.alerts.events import (
    AlertAcknowledged,
    AlertCreated,
    AlertEscalated,
    DeliveryChanged,
)
from commandroom.alerts.from_sighting import content_for_sighting
from commandroom.auth.permissions import Permission, PermissionDenied
from commandroom.cameras.registry import CameraRegistry
from commandroom.events import EventBus
from commandroom.sightings.records import SightingView
from commandroom.sightings.service import SightingService
from commandroom.watchlist.service import WatchlistService
from ui.alerts.panel import AlertPanel
from ui.alerts.runtime import Alerting
from ui.alerts.send_dialog import AlertSendDialog
from ui.session import ActorSource


class _EventRelay(QObject):
    happened = Signal(object)  # emitted from worker threads, delivered on the GUI thread


class AlertsUi(QObject):
    def __init__(self, console: QMainWindow, alerting: Alerting, sightings: SightingService,
                 watchlist: WatchlistService, registry: CameraRegistry, events: EventBus,
                 actor: ActorSource, data_dir: Path) -> None:
        super().__init__(console)
        self._console = console
        self._alerting = alerting
        self._sightings = sightings
        self._watchlist = watchlist
        self._registry = registry
        self._actor = actor
        self._data_dir = data_dir
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alert-send")
        self.last_sighting: SightingView | None = None
        self.dialog: AlertSendDialog | None = None
        self.panel = AlertPanel(alerting.board, alerting.service, actor,
                                alerting.teams.list_teams())
        self.dock = QDockWidget(self.tr("Alerts"), console)
        self.dock.setObjectName("alertsDock")
        self.dock.setWidget(self.panel)
        console.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self._relay = _EventRelay(self)
        self._relay.happened.connect(lambda _e: self.panel.schedule_reload())
        self._unsubscribe: list[Callable[[], None]] = [
            events.subscribe(kind, self._relay.happened.emit)
            for kind in (AlertCreated, DeliveryChanged, AlertAcknowledged, AlertEscalated)
        ]
        self.panel.escalation_seen.connect(lambda alert_id: console.statusBar().showMessage(
            self.tr("Alert #%1 escalated: a team has not acknowledged it.")
            .replace("%1", str(alert_id)), 15_000))
        menu = console.menuBar().addMenu(self.tr("&Alerts"))
        send = QAction(self.tr("Send alert for the last sighting…"), console)
        send.setShortcut(QKeySequence("Ctrl+Return"))
        send.triggered.connect(lambda _c=False: self.send_for_last())
        menu.addAction(send)
        console.addAction(send)
        menu.addAction(self.dock.toggleViewAction())
        if alerting.problem:
            console.statusBar().showMessage(alerting.problem, 30_000)

    def remember(self, view: SightingView) -> None:
        self.last_sighting = view

    def send_for_last(self) -> AlertSendDialog | None:
        if self.last_sighting is None:
            self._console.statusBar().showMessage(self.tr("Tag a sighting first."), 8000)
            return None
        return self.open_send(self.last_sighting)

    def open_send(self, view: SightingView) -> AlertSendDialog | None:
        actor = self._actor()
        if not actor.can(Permission.SEND_ALERT):
            self._console.statusBar().showMessage(self.tr("Your role may not send alerts."),
                                                  8000)
            return None
        try:
            entry = (self._watchlist.get(actor, view.watch_entry_id)
                     if view.watch_entry_id is not None else None)
            camera = (self._registry.get(actor, view.camera_id)
                      if view.camera_id is not None else None)
            group = next((g.name for g in self._registry.groups(actor)
                          if camera is not None and g.id == camera.group_id), "")
        except PermissionDenied as exc:
            self._console.statusBar().showMessage(str(exc), 8000)
            return None
        content = content_for_sighting(view, entry, camera, self._data_dir, camera_group=group)
        dialog = AlertSendDialog(self._alerting.service, self._alerting.teams.list_teams(),
                                 content, view.id, self._actor, self._worker, self._console)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sent.connect(lambda alert_id: self._console.statusBar().showMessage(
            self.tr("Alert #%1 is on its way to the teams.").replace("%1", str(alert_id)),
            10_000))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.dialog = dialog
        return dialog

    def shutdown(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._worker.shutdown(wait=True)
