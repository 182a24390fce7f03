"""Incidents at the console: the "Incidents" menu, the incidents window (Ctrl+D), each
incident's timeline window, and a new incident from a sighting (from the sightings
lists, or the sighting just tagged: Ctrl+Shift+N) or from an alert (the alert panel's
Ctrl+Shift+D). The composition root (ui/app.py)
connects the sightings' and the tagging's requests here; features never import each
other."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from commandroom.auth.permissions import Actor, PermissionDenied
from commandroom.events import EventBus
from commandroom.incidents import IncidentError, IncidentService, IncidentView
from commandroom.incidents.events import IncidentChanged
from commandroom.reports import ReportService
from commandroom.sightings.records import SightingView
from ui.bridge import FutureBridge, GuiEvents
from ui.common.actor import ActorSource
from ui.common.auth_texts import denied_text
from ui.common.thumbnails import ThumbnailCache
from ui.common.windows import ToolWindows
from ui.incidents.list_window import IncidentListWindow
from ui.incidents.texts import error_text
from ui.incidents.timeline_window import IncidentTimelineWindow

LIST_KEY = "Ctrl+D"  # Ctrl+K is the suggested-sighting card
FROM_LAST_SIGHTING_KEY = "Ctrl+Shift+N"


class IncidentsUi(QObject):
    def __init__(self, console: QMainWindow, incidents: IncidentService, events: EventBus,
                 actor: ActorSource, thumbnails: ThumbnailCache, *,
                 reports: ReportService | None = None) -> None:
        super().__init__(console)
        self._reports = reports
        self._console = console
        self._incidents = incidents
        self._actor = actor
        self._thumbnails = thumbnails
        self._bridge = FutureBridge(self)
        self.windows = ToolWindows(console)
        self.last_sighting: SightingView | None = None
        # The sighting the officer is on (the app: the console's sightings list in focus).
        self.sighting_source: Callable[[], SightingView | None] = lambda: None
        GuiEvents(events).subscribe(IncidentChanged, self._changed, self)
        menu = console.menuBar().addMenu(self.tr("Inciden&ts"))
        self.list_action = self._add(menu, self.tr("Incidents…"), LIST_KEY, self.open_list)
        self.from_last_action = self._add(
            menu, self.tr("New incident from this sighting (the last tagged)"),
            FROM_LAST_SIGHTING_KEY, self.create_from_last)
        self.menu = menu

    def _add(self, menu: object, text: str, key: str, slot: object) -> QAction:
        action = QAction(text, self._console)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _c=False: slot())  # type: ignore[operator]
        menu.addAction(action)  # type: ignore[attr-defined]
        self._console.addAction(action)
        return action

    # -- windows -----------------------------------------------------------------------
    def open_list(self) -> IncidentListWindow:
        existing = self.windows.existing(("incidents", None))
        if isinstance(existing, IncidentListWindow):
            existing.reload()
            return existing
        window = IncidentListWindow(self._incidents, self._actor)
        window.open_requested.connect(self.open_timeline)
        self.windows.show(("incidents", None), window)
        window.activateWindow()
        window.tree.setFocus()
        return window

    def open_timeline(self, incident_id: int) -> IncidentTimelineWindow:
        existing = self.windows.existing(("incident", incident_id))
        if isinstance(existing, IncidentTimelineWindow):
            existing.reload()
            return existing
        window = IncidentTimelineWindow(incident_id, self._incidents, self._actor,
                                        self._thumbnails, reports=self._reports)
        self.windows.show(("incident", incident_id), window)
        window.activateWindow()
        window.list.setFocus()
        return window

    # -- from a sighting ---------------------------------------------------------------
    def remember(self, view: SightingView) -> None:
        """The sighting just tagged: Ctrl+Shift+N makes an incident of it."""
        self.last_sighting = view

    def create_from_last(self) -> None:
        chosen = self.sighting_source() or self.last_sighting
        if chosen is None:
            self._say(self.tr("Tag a sighting first (T on a tile); then Ctrl+Shift+N makes "
                              "an incident of it."))
            return
        self.create_from_sighting(chosen)

    def create_from_sighting(self, view: SightingView) -> None:
        self._bridge.run(self._incidents.create_from_sighting, self._actor(), view.id,
                         on_ok=self._created, on_error=self._failed)

    # -- from an alert ------------------------------------------------------------------
    def create_from_alert(self, alert_id: int) -> None:
        """An incident of the alert, or the one the alert belongs to already (made from it,
        or joined by it when it was sent about an incident's sighting)."""
        self._bridge.run(self._incident_of_alert, self._actor(), alert_id,
                         on_ok=lambda found: self._alert_incident(alert_id, *found),
                         on_error=self._failed)

    def _incident_of_alert(self, actor: Actor, alert_id: int) -> tuple[IncidentView, bool]:
        """On the executor: (the incident, True when made now)."""
        for _attempt in range(2):
            existing = self._incidents.of_alert(actor, alert_id)
            if existing:
                # The open one if there is one: that is where the work goes on.
                return next((v for v in existing if v.is_open), existing[0]), False
            try:
                return self._incidents.create_from_alert(actor, alert_id), True
            except IncidentError as exc:  # another console made it meanwhile: open it
                if exc.code != "alert_has_incident":
                    raise
        raise IncidentError("alert_has_incident", f"alert {alert_id}")

    def _alert_incident(self, alert_id: int, view: IncidentView, made: bool) -> None:
        if made:
            self._created(view)
            return
        self._say(self.tr("Alert #%1 belongs to incident %2 already: opened it.")
                  .replace("%1", str(alert_id)).replace("%2", view.number))
        self.open_timeline(view.id)

    def _created(self, view: IncidentView) -> None:
        self._say(self.tr("Incident %1 opened.").replace("%1", view.number))
        self.open_timeline(view.id)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PermissionDenied):
            self._say(denied_text(exc))
        elif isinstance(exc, IncidentError):
            self._say(error_text(exc))
        else:
            self._say(self.tr("The incident could not be made (%1).")
                      .replace("%1", type(exc).__name__))

    def _say(self, text: str) -> None:
        self._console.statusBar().showMessage(text, 8000)

    def _changed(self, event: IncidentChanged) -> None:
        """Open windows follow every change (an ack arriving by MQTT, another step)."""
        for (kind, key), window in self.windows.items():
            follows = kind == "incidents" or key == event.incident_id
            if follows and isinstance(window, IncidentListWindow | IncidentTimelineWindow):
                window.reload()

    def shutdown(self) -> None:
        self._bridge.shut()
        self.windows.close_all()
