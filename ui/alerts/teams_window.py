"""The administrator's Teams window (Alerts → Teams…, Ctrl+Shift+M): teams, members,
channels with their secrets, routing rules, and "Send test message" with the platform's
answer.

Every database call and every test message runs on the alerting's admin worker, never on
the GUI thread; answers come back through a FutureBridge. The core refuses anyone but the
administrator, and the window shows that refusal instead of opening.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commandroom.alerts.ack_links import AckLinkBase
from commandroom.alerts.channel_probe import ChannelProbe, ProbeAnswer
from commandroom.alerts.team_overview import TeamsOverview
from commandroom.alerts.teams import TeamConfigError, TeamService
from commandroom.auth.permissions import Actor, PermissionDenied
from ui.alerts.teams_pages import ChannelsPage, MembersPage, RulesPage, button
from ui.alerts.texts import ack_link_problem_text, probe_answer_text, team_label
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.auth_texts import denied_text

log = logging.getLogger(__name__)
T = TypeVar("T")


def failure_text(exc: BaseException) -> str:
    """Core refusals are sentences already; anything else is logged, not shown raw."""
    if isinstance(exc, PermissionDenied):
        return denied_text(exc)
    if isinstance(exc, TeamConfigError | LookupError):
        return str(exc)
    log.warning("teams window: unexpected %s", type(exc).__name__)
    return QCoreApplication.translate("TeamsWindow", "The change failed unexpectedly (%1).") \
        .replace("%1", type(exc).__name__)


class TeamsWindow(QDialog):
    """Not modal. Esc closes it; focus starts in the team chooser."""

    loaded = Signal()  # after every (re)load of the overview
    answered = Signal(object)  # ProbeAnswer of a test message

    def __init__(self, teams: TeamService, probe: ChannelProbe, ack_link: AckLinkBase,
                 actor: ActorSource, worker: Executor, overview: TeamsOverview,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamsWindow")
        self.setWindowTitle(self.tr("Teams and channels"))
        self.setModal(False)
        self._teams, self._probe, self._actor, self._worker = teams, probe, actor, worker
        self._ack_link = ack_link
        self._bridge = FutureBridge(self)
        self.overview = overview
        self.link_warning = QLabel()
        self.link_warning.setObjectName("linkWarning")
        self.link_warning.setWordWrap(True)
        self.link_warning.setStyleSheet("color: #ffc25a;")
        self.team = QComboBox()
        self.team.currentIndexChanged.connect(lambda _i: self._show_team())
        self.team_name = QLineEdit()
        self.team_name.setMaxLength(120)
        self.rename_button = button(self.tr("Rename"))
        self.rename_button.clicked.connect(self.rename)
        self.new_key = QLineEdit()
        self.new_key.setPlaceholderText(self.tr("key, e.g. traffic"))
        self.new_key.setMaxLength(40)
        self.new_button = button(self.tr("New team"))
        self.new_button.clicked.connect(self.create_team)
        self.members = MembersPage(teams, self.submit)
        self.channels = ChannelsPage(teams, self.submit)
        self.channels.test_requested.connect(self.send_test)
        self.rules = RulesPage(teams, self.submit)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.members, self.tr("&Members"))
        self.tabs.addTab(self.channels, self.tr("C&hannels"))
        self.tabs.addTab(self.rules, self.tr("&Routing rules"))
        self.team_warning = QLabel()
        self.team_warning.setObjectName("teamWarning")
        self.team_warning.setWordWrap(True)
        self.team_warning.setStyleSheet("color: #ffc25a;")
        self.status = QLabel()
        self.status.setObjectName("teamsStatus")
        self.status.setWordWrap(True)
        close = QPushButton(self.tr("Close"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        team_label_widget = QLabel(self.tr("&Team"))
        team_label_widget.setBuddy(self.team)
        top = QHBoxLayout()
        top.addWidget(team_label_widget)
        top.addWidget(self.team, 1)
        top.addWidget(self.team_name, 1)
        top.addWidget(self.rename_button)
        top.addSpacing(16)
        top.addWidget(self.new_key)
        top.addWidget(self.new_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.link_warning)
        layout.addLayout(top)
        layout.addWidget(self.team_warning)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.resize(900, 720)
        self._fill(overview)
        self.team.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- loading ------------------------------------------------------------------------
    def _fill(self, overview: TeamsOverview) -> None:
        self.overview = overview
        keep = self.team.currentData()
        self.team.blockSignals(True)
        self.team.clear()
        for team in overview.teams:
            self.team.addItem(team_label(team.key, team.name), team.id)
        self.team.setCurrentIndex(max(self.team.findData(keep), 0))
        self.team.blockSignals(False)
        problem = self._ack_link.problem
        self.link_warning.setText(ack_link_problem_text(problem) if problem else "")
        self.link_warning.setVisible(problem is not None)
        self.rules.show_overview(overview)
        self._show_team()
        self.loaded.emit()

    def _show_team(self) -> None:
        team = self.overview.team(self.team.currentData()) if self.overview else None
        if team is None:
            return
        self.team_name.setText(team_label(team.key, team.name))
        self.members.show_team(team)
        self.channels.show_team(team)
        warnings = []
        if not any(c.enabled for c in team.channels):
            warnings.append(self.tr("No enabled channel: alerts reach this team only by "
                                    "phone."))
        if self._ack_link.usable and not team.members:
            warnings.append(self.tr("No members on file: this team's messages carry no "
                                    "acknowledgement link (the page lets only a listed "
                                    "member acknowledge)."))
        self.team_warning.setText(" ".join(warnings))
        self.team_warning.setVisible(bool(warnings))

    def reload(self) -> None:
        self._run(lambda actor: self._teams.overview(actor), self._fill)

    # -- changes ------------------------------------------------------------------------
    def say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #ff7070;" if error else "color: #6fd08c;")

    def _run(self, work: Callable[[Actor], T], done: Callable[[T], object]) -> None:
        actor = self._actor()  # read on the GUI thread: a hand-over may change it
        future = self._worker.submit(work, actor)
        self._bridge.call(future, done, lambda exc: self.say(failure_text(exc), error=True))

    def submit(self, work: Callable[[Actor], object], message: str,
               after: Callable[[], None] | None = None) -> None:
        """Run one change in the background, then say so and show the new state."""
        self.say(self.tr("Saving…"))

        def saved(_result: object) -> None:
            self.say(message)
            if after is not None:
                after()
            self.reload()

        self._run(work, saved)

    def rename(self) -> None:
        team_id, name = self.team.currentData(), self.team_name.text()
        if team_id is not None:
            self.submit(lambda a: self._teams.rename_team(a, team_id, name),
                        self.tr("Team renamed."))

    def create_team(self) -> None:
        key, name = self.new_key.text().strip(), self.team_name.text().strip()
        if not key:
            self.say(self.tr("Type a short key for the new team (letters, digits, - and _), "
                             "and its name in the name field."), error=True)
            self.new_key.setFocus()
            return
        self.submit(lambda a: self._teams.create_team(a, key, name),
                    self.tr("Team %1 created.").replace("%1", name), self.new_key.clear)

    def send_test(self, channel_id: int) -> None:
        self.channels.answer.setPlainText(self.tr("Sending a test message…"))
        self.channels.test_button.setEnabled(False)

        def done(answer: object) -> None:
            assert isinstance(answer, ProbeAnswer)
            self.channels.test_button.setEnabled(True)
            self.channels.answer.setPlainText(probe_answer_text(answer))
            self.answered.emit(answer)

        def failed(exc: BaseException) -> None:
            self.channels.test_button.setEnabled(True)
            self.channels.answer.setPlainText(failure_text(exc))

        future = self._worker.submit(self._probe.send_test, self._actor(), channel_id)
        self._bridge.call(future, done, failed)

    def done(self, result: int) -> None:  # closing: late answers are dropped
        self._bridge.shut()
        super().done(result)
