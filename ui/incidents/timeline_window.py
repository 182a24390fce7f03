"""One incident: what it is, where it stands, and its timeline in order with the
sightings' thumbnails, ending e.g. "Caught — 47 min". Its steps are a key away: On scene
(Ctrl+O), Resolve… (Ctrl+R: the outcome chooser opens in the window, not over it), Add
note (Ctrl+N) and Team acknowledged… (Ctrl+K: by phone, radio or in person). Everything
is read and written off the GUI thread."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandroom.alerts.signing import AckRefused
from commandroom.auth.permissions import Permission, PermissionDenied
from commandroom.incidents import (
    How,
    IncidentError,
    IncidentService,
    IncidentView,
    Outcome,
    State,
    TimelineItem,
)
from commandroom.reports import ReportService
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.auth_texts import denied_text
from ui.common.thumbnails import ThumbnailCache
from ui.incidents.ack_panel import AckChoice, TeamAckPanel
from ui.incidents.texts import (
    ack_refusal_text,
    error_text,
    item_line,
    offset,
    outcome_label,
    result_line,
    state_label,
    team_acks,
)
from ui.reports.actions import REPORT_KEY, ReportActions
from ui.theme import OK_COLOUR, Tone, show_status

log = logging.getLogger(__name__)

THUMB = QSize(128, 72)
ON_SCENE_KEY = "Ctrl+O"
RESOLVE_KEY = "Ctrl+R"
NOTE_KEY = "Ctrl+N"
ACK_KEY = "Ctrl+K"


class IncidentTimelineWindow(QWidget):
    def __init__(self, incident_id: int, incidents: IncidentService, actor: ActorSource,
                 thumbnails: ThumbnailCache, parent: QWidget | None = None, *,
                 reports: ReportService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentTimeline")
        self.incident_id = incident_id
        self._incidents = incidents
        self._actor = actor
        self._thumbnails = thumbnails
        self._bridge = FutureBridge(self)
        self.view: IncidentView | None = None
        self.items: list[TimelineItem] = []
        self.setWindowTitle(self.tr("Incident"))
        self.resize(820, 640)

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.result = QLabel()
        self.result.setObjectName("incidentResult")
        self.result.setStyleSheet(f"font-size: 14pt; color: {OK_COLOUR};")
        self.teams = QLabel()
        self.teams.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.list = QListWidget()
        self.list.setIconSize(THUMB)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)

        self.on_scene_button = self._button(self.tr("On scene"), ON_SCENE_KEY, self.on_scene)
        self.resolve_button = self._button(self.tr("Resolve…"), RESOLVE_KEY, self.open_resolve)
        self.note_button = self._button(self.tr("Add note"), NOTE_KEY, self.open_note)
        self.ack_button = self._button(self.tr("Team acknowledged…"), ACK_KEY, self.open_ack)
        # The incident report (PDF): written off the GUI thread by ui/reports.
        self.report = ReportActions(self, reports, actor, self.say) \
            if reports is not None else None
        self.report_button = self._button(self.tr("Report PDF"), REPORT_KEY, self.write_report)
        self.report_button.setVisible(self.report is not None)
        buttons = QHBoxLayout()
        for button in (self.on_scene_button, self.ack_button, self.resolve_button,
                       self.note_button, self.report_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        # The outcome chooser and the note field live in the window: nothing modal.
        self.outcome = QComboBox()
        for outcome in Outcome:
            self.outcome.addItem(outcome_label(outcome), outcome.value)
        self.resolve_confirm = QPushButton(self.tr("Resolve"))
        self.resolve_confirm.clicked.connect(self.confirm_resolve)
        self.resolve_panel = self._panel(self.tr("Outcome:"), self.outcome,
                                         self.resolve_confirm)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.resolve_panel, self.confirm_resolve,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("What happened (Enter saves)"))
        self.note.returnPressed.connect(self.save_note)
        note_save = QPushButton(self.tr("Save note"))
        note_save.clicked.connect(self.save_note)
        self.note_panel = self._panel(self.tr("Note:"), self.note, note_save)
        self.ack_panel = TeamAckPanel(incidents, actor)
        self.ack_panel.record_requested.connect(self.record_ack)
        self.ack_panel.said.connect(self.say)

        layout = QVBoxLayout(self)
        for widget in (self.heading, self.result, self.teams, self.list):
            layout.addWidget(widget)
        layout.addWidget(self.resolve_panel)
        layout.addWidget(self.note_panel)
        layout.addWidget(self.ack_panel)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        thumbnails.ready.connect(self._thumbnail_ready)
        self.reload()

    def say(self, text: str, tone: Tone = Tone.ERROR) -> None:
        """The line under the timeline: mostly why something was refused, in the error
        colour; a report written is good news and looks it."""
        show_status(self.message, text, tone)

    def _button(self, text: str, key: str, slot: object) -> QPushButton:
        native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        button = QPushButton(f"{text}  ({native})")
        button.clicked.connect(lambda _c=False: slot())  # type: ignore[operator]
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _c=False: slot())  # type: ignore[operator]
        self.addAction(action)
        return button

    def _panel(self, label: str, field: QWidget, button: QPushButton) -> QWidget:
        panel = QWidget()
        row = QHBoxLayout(panel)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(label))
        row.addWidget(field, 1)
        row.addWidget(button)
        panel.hide()
        return panel

    # -- reading -----------------------------------------------------------------------
    def reload(self) -> None:
        self._bridge.run(self._read, self.incident_id, on_ok=self._show, on_error=self._failed)

    def _read(self, incident_id: int) -> tuple[IncidentView, list[TimelineItem]]:
        actor = self._actor()
        return (self._incidents.get(actor, incident_id),
                self._incidents.timeline(actor, incident_id))

    def _show(self, answer: tuple[IncidentView, list[TimelineItem]]) -> None:
        self.view, self.items = answer
        view = self.view
        self.setWindowTitle(self.tr("Incident %1").replace("%1", view.number))
        self.heading.setText(f"{view.number} · {view.title}")
        self.result.setText(result_line(view))
        acks = team_acks(view)
        self.teams.setText(self.tr("Time to acknowledge: %1").replace("%1", acks)
                           if acks else self.tr("Not sent to any team yet."))
        self.list.clear()
        for item in self.items:
            entry = QListWidgetItem(f"{offset(item.seconds)}   {item_line(item)}")
            entry.setData(Qt.ItemDataRole.UserRole, str(item.thumbnail or ""))
            self._set_icon(entry, item.thumbnail)
            self.list.addItem(entry)
        if self.list.count():
            self.list.setCurrentRow(self.list.count() - 1)
            self.list.scrollToBottom()
        can_act = self._actor().can(Permission.SEND_ALERT) and view.is_open
        self.on_scene_button.setEnabled(can_act and view.on_scene_at is None)
        self.resolve_button.setEnabled(can_act)
        self.ack_button.setEnabled(can_act)
        # A resolved incident takes no more steps: the buttons go (greyed out they looked
        # the same as the live ones in the dark theme), the notes stay.
        self.on_scene_button.setVisible(view.is_open)
        self.resolve_button.setVisible(view.is_open)
        self.ack_button.setVisible(view.is_open)
        self.note_button.setEnabled(self._actor().can(Permission.TAG_SIGHTING))
        if not view.is_open:
            self.resolve_panel.hide()
            self.ack_panel.hide()

    def _set_icon(self, entry: QListWidgetItem, path: Path | None) -> None:
        if path is None:
            return
        pixmap = self._thumbnails.pixmap(path, THUMB)
        if pixmap is not None:
            entry.setIcon(QIcon(pixmap))

    def _thumbnail_ready(self, path: str) -> None:
        for row in range(self.list.count()):
            entry = self.list.item(row)
            if entry.data(Qt.ItemDataRole.UserRole) == path:
                self._set_icon(entry, Path(path))

    def state_text(self) -> str:
        return state_label(self.view.state) if self.view is not None else ""

    # -- steps -------------------------------------------------------------------------
    def on_scene(self) -> None:
        if self.view is None or not self.on_scene_button.isEnabled():
            return
        self._act(self._incidents.record, self._actor(), self.incident_id, State.ON_SCENE,
                  How.RADIO)

    def open_resolve(self) -> None:
        if self.view is None or not self.resolve_button.isEnabled():
            return
        self.note_panel.hide()
        self.ack_panel.hide()
        self.resolve_panel.show()
        self.outcome.setFocus()

    def confirm_resolve(self) -> None:
        if not self.resolve_panel.isVisible():
            return
        outcome = Outcome(self.outcome.currentData())
        self.resolve_panel.hide()
        self.list.setFocus()
        self._act(self._incidents.resolve, self._actor(), self.incident_id, outcome,
                  How.RADIO)

    def open_note(self) -> None:
        if not self.note_button.isEnabled():
            return
        self.resolve_panel.hide()
        self.ack_panel.hide()
        self.note_panel.show()
        self.note.setFocus()

    def save_note(self) -> None:
        text = self.note.text().strip()
        if not text:
            self.say(self.tr("A note needs some text."))
            return
        self.note.clear()
        self.note_panel.hide()
        self.list.setFocus()
        self._act(self._incidents.add_note, self._actor(), self.incident_id, text)

    def write_report(self) -> None:
        if self.report is not None and self.view is not None:
            self.report.write_incident(self.incident_id, self.view.number)

    def open_ack(self) -> None:
        if self.view is None or not self.ack_button.isEnabled():
            return
        self.resolve_panel.hide()
        self.note_panel.hide()
        self.message.clear()
        self.ack_panel.open_for(self.view)

    def record_ack(self, choice: AckChoice) -> None:
        """Through the core, which acknowledges a team reached by an alert on the alert
        (its escalation stops) and audits it as every acknowledgement."""
        self.list.setFocus()
        self._act(self._incidents.record, self._actor(), self.incident_id,
                  State.ACKNOWLEDGED, choice.how, choice.team_id, choice.who)

    def _act(self, fn: object, *args: object) -> None:
        self.message.clear()
        self._bridge.run(fn, *args, on_ok=lambda _r: self.reload(),  # type: ignore[arg-type]
                         on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PermissionDenied):
            self.say(denied_text(exc))
        elif isinstance(exc, IncidentError):
            self.say(error_text(exc))
        elif isinstance(exc, AckRefused):  # the alert refused the acknowledgement
            self.say(ack_refusal_text(exc))
        else:
            log.error("incident %s: %s", self.incident_id, exc, exc_info=exc)
            self.say(self.tr("The incident could not be read or changed (%1).")
                     .replace("%1", type(exc).__name__))

    def closeEvent(self, event: object) -> None:
        self._bridge.shut()
        if self.report is not None:
            self.report.shut()
        self.ack_panel.shut()
        super().closeEvent(event)  # type: ignore[arg-type]
