"""The console's alerting: the alert panel dock, the Alerts menu, the send dialog after a
tag, and alert events carried to the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox

from commandroom.alerts.events import (
    AlertAcknowledged,
    AlertCreated,
    AlertEscalated,
    DeliveryChanged,
    RemindersStopped,
    TeamsChanged,
)
from commandroom.alerts.from_sighting import AlertDraft
from commandroom.alerts.service import NoRecipients, PreviewItem
from commandroom.alerts.team_overview import TeamsOverview
from commandroom.alerts.teams import TeamInfo
from commandroom.auth.permissions import Actor, Permission, PermissionDenied
from commandroom.clock_health import OFF, ClockHealthChanged, ClockReading
from commandroom.events import EventBus
from commandroom.runtime import Alerting
from commandroom.sightings.records import SightingView
from ui.alerts.delivery_texts import clock_text, clock_tooltip
from ui.alerts.panel import AlertPanel
from ui.alerts.send_dialog import AlertSendDialog
from ui.alerts.teams_window import TeamsWindow, failure_text
from ui.alerts.texts import ack_link_problem_text
from ui.bridge import FutureBridge, GuiEvents, Lane
from ui.common.actor import ActorSource
from ui.common.auth_texts import denied_text, show_message

INCIDENT_KEY = "Ctrl+Shift+D"  # Ctrl+D: the incidents window


class ClockLabel(QLabel):
    """The PC's clock health on the status bar: "Clock OK" / "Clock N min off"."""

    def __init__(self, reading: ClockReading) -> None:
        super().__init__()
        self.setObjectName("clockHealth")
        self.show_reading(reading)

    def show_reading(self, reading: ClockReading) -> None:
        self.setText(clock_text(reading))
        self.setToolTip(clock_tooltip(reading))
        colour = {OFF: "#ff7070"}.get(reading.status, "#6fd08c" if reading.measured_at
                                      else "#9a9a9a")
        self.setStyleSheet(f"color: {colour}; padding: 0 6px;")


class AlertsUi(QObject):
    def __init__(self, console: QMainWindow, alerting: Alerting, events: EventBus,
                 actor: ActorSource) -> None:
        super().__init__(console)
        self._console = console
        self._alerting = alerting
        self._actor = actor
        # Two lanes on the UI's pool: alerts go out in the order they were sent; team
        # editing and test messages (a test may wait seconds for a platform) queue on their
        # own lane, never in the way of an alert being sent (the pool has two threads).
        self._worker = Lane("alert-send")
        self._admin = Lane("teams-admin")
        self._bridge = FutureBridge(self)
        self.last_sighting: SightingView | None = None
        self.dialog: AlertSendDialog | None = None
        self.teams_window: TeamsWindow | None = None
        self.last_message: QMessageBox | None = None
        self._opening_teams = False
        # The teams, kept here (start-up read; TeamsChanged re-reads them off the GUI thread).
        self._teams = alerting.teams.list_teams()
        self.panel = AlertPanel(alerting.board, alerting.service, actor, self._teams,
                                self._admin)
        self.dock = QDockWidget(self.tr("Alerts"), console)
        self.dock.setObjectName("alertsDock")
        self.dock.setWidget(self.panel)
        console.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        gui = GuiEvents(events)
        self._unsubscribe: list[Callable[[], None]] = [
            gui.subscribe(kind, lambda _e: self.panel.schedule_reload(), self)
            for kind in (AlertCreated, DeliveryChanged, AlertAcknowledged, AlertEscalated,
                         RemindersStopped)
        ]
        self.clock_label = ClockLabel(alerting.clock_health.current())
        console.statusBar().addPermanentWidget(self.clock_label)
        self._unsubscribe.append(gui.subscribe(
            ClockHealthChanged, lambda e: self.clock_label.show_reading(e.reading), self))
        self._unsubscribe.append(
            gui.subscribe(TeamsChanged, lambda _e: self._refresh_team_names(), self))
        self.panel.escalation_seen.connect(lambda alert_id: console.statusBar().showMessage(
            self.tr("Alert #%1 escalated: a team has not acknowledged it.")
            .replace("%1", str(alert_id)), 15_000))
        menu = console.menuBar().addMenu(self.tr("&Alerts"))
        send = QAction(self.tr("Send alert for the last sighting…"), console)
        send.setShortcut(QKeySequence("Ctrl+Return"))
        send.triggered.connect(lambda _c=False: self.send_for_last())
        menu.addAction(send)
        console.addAction(send)
        self.incident_action = QAction(self.tr("Make an incident of this alert"), console)
        self.incident_action.setShortcut(QKeySequence(INCIDENT_KEY))
        self.incident_action.triggered.connect(lambda _c=False: self.request_incident())
        menu.addAction(self.incident_action)
        console.addAction(self.incident_action)
        self.panel.said.connect(lambda text: console.statusBar().showMessage(text, 10_000))
        menu.addAction(self.dock.toggleViewAction())
        menu.addSeparator()
        self.teams_action = QAction(self.tr("Teams and channels…"), console)
        self.teams_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.teams_action.triggered.connect(lambda _c=False: self.open_teams())
        menu.addAction(self.teams_action)
        console.addAction(self.teams_action)
        if alerting.problem:
            console.statusBar().showMessage(alerting.problem, 30_000)
        # Links a phone cannot open are not sent; everyone at the console should know the
        # teams are asked to phone in, and the administrator what to configure.
        self.link_warning = QLabel(self.tr("⚠ Ack links off: teams acknowledge by phone"))
        self.link_warning.setObjectName("ackLinkWarning")
        self.link_warning.setStyleSheet("color: #ffc25a;")
        problem = alerting.ack_link.problem
        self.link_warning.setToolTip(ack_link_problem_text(problem) if problem else "")
        self.link_warning.setVisible(problem is not None)
        console.statusBar().addPermanentWidget(self.link_warning)

    def remember(self, view: SightingView) -> None:
        self.last_sighting = view

    def request_incident(self) -> None:
        """The alert chosen in the panel becomes an incident (the panel shown first)."""
        self.dock.show()
        self.dock.raise_()
        self.panel.request_incident(by_key=True)

    def send_for_last(self) -> None:
        if self.last_sighting is None:
            self._console.statusBar().showMessage(self.tr("Tag a sighting first."), 8000)
            return None
        return self.open_send(self.last_sighting)

    def open_send(self, view: SightingView) -> None:
        """Gather the entry, the camera and the first preview off the GUI thread, then
        open the send dialog (``self.dialog``)."""
        actor = self._actor()
        if not actor.can(Permission.SEND_ALERT):
            self._console.statusBar().showMessage(self.tr("Your role may not send alerts."),
                                                  8000)
            return None
        self._bridge.run(self._prepare, actor, view,
                         on_ok=lambda prepared: self._show_send(view, *prepared),
                         on_error=self._prepare_failed)
        return None

    def _prepare(self, actor: Actor, view: SightingView
                 ) -> tuple[AlertDraft, list[PreviewItem] | BaseException]:
        """On the UI executor: the core's draft and the first preview the dialog opens
        with (a refusal to draft is raised and shown on the status bar)."""
        draft = self._alerting.drafts.draft(actor, view.id)
        try:
            return draft, self._alerting.service.preview(actor, draft.content, [], "")
        except (NoRecipients, PermissionDenied) as exc:
            return draft, exc

    def _prepare_failed(self, exc: BaseException) -> None:
        self._console.statusBar().showMessage(
            denied_text(exc) if isinstance(exc, PermissionDenied) else
            self.tr("The alert could not be sent (%1).").replace("%1", type(exc).__name__),
            8000)

    def _show_send(self, view: SightingView, draft: AlertDraft,
                   preview: list[PreviewItem] | BaseException) -> None:
        dialog = AlertSendDialog(self._alerting.service, draft.teams, draft.content,
                                 draft.sighting_id, self._actor, self._worker, self._console,
                                 preview=preview)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sent.connect(lambda alert_id: self._console.statusBar().showMessage(
            self.tr("Alert #%1 is on its way to the teams.").replace("%1", str(alert_id)),
            10_000))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.dialog = dialog

    # -- the Teams window ---------------------------------------------------------------
    def open_teams(self) -> None:
        """Load the overview in the background; open the window with it, or show the
        core's refusal (only the administrator edits teams)."""
        if self.teams_window is not None:
            self.teams_window.raise_()
            self.teams_window.activateWindow()
            return
        if self._opening_teams:
            return
        self._opening_teams = True
        future = self._admin.submit(self._alerting.teams.overview, self._actor())
        self._bridge.call(future, self._teams_loaded, self._teams_refused)

    def _teams_loaded(self, overview: TeamsOverview) -> None:
        self._opening_teams = False
        window = TeamsWindow(self._alerting.teams, self._alerting.probe,
                             self._alerting.ack_link, self._actor, self._admin, overview,
                             self._console)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.finished.connect(lambda _r: setattr(self, "teams_window", None))
        self.teams_window = window
        window.show()
        window.raise_()
        window.activateWindow()

    def _teams_refused(self, exc: BaseException) -> None:
        self._opening_teams = False
        self.last_message = show_message(self._console, self.tr("Teams and channels"),
                                          failure_text(exc))

    def _refresh_team_names(self) -> None:
        future = self._admin.submit(self._alerting.teams.list_teams)
        self._bridge.call(future, self._set_teams)

    def _set_teams(self, teams: list[TeamInfo]) -> None:
        self._teams = teams
        self.panel.set_teams(teams)

    def shutdown(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._bridge.shut()  # alerts being sent still go out (shutdown_background)
