"""The incident timeline's "team acknowledged" panel (Ctrl+K): the officer records that a
team answered by phone, radio or in person (the teams are mostly out in the field and
phone in). It lives in the window, not over it: the team (those the incident went to, the
first still waiting chosen), how, and who of the team (its members on file, loaded off
the GUI thread; a name is typed only for a team with nobody on file); Enter records. A
team that has acknowledged already, on its channel or by the officer, is said so and not
recorded twice."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from commandroom.alerts.acks import MemberChoice
from commandroom.incidents import How, IncidentService, IncidentView
from commandroom.incidents.records import TeamProgress
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.team_texts import team_label
from ui.incidents.texts import duration, how_label

CHOICES = (How.PHONE, How.RADIO, How.IN_PERSON)


@dataclass(frozen=True)
class AckChoice:
    team_id: int
    how: How
    who: str


class TeamAckPanel(QWidget):
    record_requested = Signal(object)  # AckChoice, once the choice holds
    said = Signal(str)  # why nothing is recorded (acknowledged already, no team...)

    def __init__(self, incidents: IncidentService, actor: ActorSource,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamAckPanel")
        self._incidents = incidents
        self._actor = actor
        self._bridge = FutureBridge(self)
        self._teams: tuple[TeamProgress, ...] = ()
        self._asked_members = 0  # the newest members read asked; older answers dropped
        self.members_loading = False
        self.team = QComboBox()
        self.team.currentIndexChanged.connect(lambda _i: self._load_members())
        self.how = QComboBox()
        for how in CHOICES:
            self.how.addItem(how_label(how), how.value)
        self.who = QComboBox()
        self.who.setMinimumContentsLength(14)
        self.record_button = QPushButton(self.tr("Record"))
        self.record_button.clicked.connect(self.confirm)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Acknowledged:")))
        row.addWidget(self.team, 1)
        row.addWidget(self.how)
        row.addWidget(QLabel(self.tr("by")))
        row.addWidget(self.who, 1)
        row.addWidget(self.record_button)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self, self.confirm,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Enter), self, self.confirm,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.hide()

    def open_for(self, view: IncidentView) -> bool:
        """Show the panel for the incident's teams, the first still waiting chosen; False
        (and ``said``) when the incident went to no team yet."""
        if not view.teams:
            self.said.emit(self.tr("The incident was not sent to any team yet: send an "
                                   "alert about it (or make an incident of an alert) "
                                   "first."))
            return False
        self._teams = view.teams
        self.team.blockSignals(True)
        self.team.clear()
        for team in view.teams:
            self.team.addItem(self._team_text(team), team.team_id)
        waiting = next((i for i, t in enumerate(view.teams) if t.acked_at is None), 0)
        self.team.setCurrentIndex(waiting)
        self.team.blockSignals(False)
        self.how.setCurrentIndex(0)  # by phone: how the teams in the field answer
        self._load_members()
        self.show()
        self.team.setFocus()
        return True

    def _team_text(self, team: TeamProgress) -> str:
        name = team_label(team.team_key, team.team_name)
        if team.acked_at is None:
            return name
        return self.tr("%1 (acknowledged)").replace("%1", name)

    def _chosen(self) -> TeamProgress | None:
        team_id = self.team.currentData()
        return next((t for t in self._teams if t.team_id == team_id), None)

    def _load_members(self) -> None:
        team = self._chosen()
        self.who.clear()
        self.who.setEditable(False)
        if team is None:
            return
        # Still focusable while loading: Tab from "how" lands here, as it will after.
        self.who.addItem(self.tr("Loading the team's members…"))
        self.members_loading = True
        self._asked_members += 1
        asked = self._asked_members
        self._bridge.run(self._incidents.team_members, self._actor(), team.team_id,
                         on_ok=lambda members: self._show_members(members)
                         if asked == self._asked_members else None,
                         on_error=lambda _exc: self._show_members([])
                         if asked == self._asked_members else None)

    def _show_members(self, members: list[MemberChoice]) -> None:
        focused = self.who.hasFocus()
        self.members_loading = False
        self.who.clear()
        self.who.setEditable(not members)
        for member in members:
            self.who.addItem(member.name, member.id)
        line = self.who.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("Nobody on file: type who answered"))
            line.setMaxLength(120)  # Return: the panel's shortcut records
        if focused:
            self.who.setFocus()

    def confirm(self) -> None:
        if not self.isVisible():
            return
        team = self._chosen()
        if team is None:
            return
        name = team_label(team.team_key, team.team_name)
        if team.acked_at is not None:
            # Said here, not recorded a second time (the core refuses it too).
            took = (duration(team.ack_seconds) if team.ack_seconds is not None else "")
            self.said.emit(self.tr("%1 acknowledged already %2 (%3), in %4: not recorded "
                                   "again.").replace("%1", name)
                           .replace("%2", how_label(team.ack_how))
                           .replace("%3", team.acked_by).replace("%4", took))
            return
        if self.members_loading:
            self.said.emit(self.tr("The team's members are still loading."))
            return
        who = self.who.currentText().strip()
        if not who:
            self.said.emit(self.tr("Say who of %1 answered.").replace("%1", name))
            self.who.setFocus()
            return
        self.hide()
        self.record_requested.emit(AckChoice(team.team_id, How(self.how.currentData()), who))

    def shut(self) -> None:
        self._bridge.shut()
