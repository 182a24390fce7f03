"""The console's alert panel: every alert, each team's state and channels, acks by hand.

Refreshes on the alert events (coalesced: a burst of deliveries is one refresh), marks
escalations red and flashes and beeps once for each new one.
"""

from __future__ import annotations

import logging
from concurrent.futures import Executor, Future
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandroom.alerts.acks import CONSOLE_HOW, MemberChoice
from commandroom.alerts.board import AlertBoard, AlertSummary, ChannelState, TeamState
from commandroom.alerts.service import AlertService
from commandroom.alerts.signing import AckRefused
from commandroom.alerts.teams import TeamInfo
from commandroom.auth.permissions import Permission, PermissionDenied
from ui.alerts.delivery_texts import delivery_error_text
from ui.alerts.texts import ack_refused_text, alert_headline, team_label
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.auth_texts import denied_text

log = logging.getLogger(__name__)

ALERT_ROLE = Qt.ItemDataRole.UserRole + 1
TEAM_ROLE = Qt.ItemDataRole.UserRole + 2
_RED = QBrush(QColor("#5a1414"))
_GREEN = QColor("#6fd08c")
_AMBER = QColor("#ffc25a")
_FAILED = QColor("#ff7070")


def _local(when: datetime | None) -> str:
    return when.astimezone().strftime("%H:%M:%S") if when else ""


class AckDialog(QDialog):
    """Record an acknowledgement given by phone, radio or in person, by a member of the
    team chosen from its list (a name is typed only for a team with nobody on file)."""

    def __init__(self, team: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Acknowledged by %1").replace("%1", team))
        self.who = QComboBox()
        self.who.addItem(self.tr("Loading the team's members…"))
        self.who.setEnabled(False)
        self.how = QComboBox()
        labels = {"phone": self.tr("phone"), "radio": self.tr("radio"),
                  "in person": self.tr("in person")}
        for how in CONSOLE_HOW:
            self.how.addItem(labels.get(how, how), how)
        form = QFormLayout(self)
        form.addRow(self.tr("Who"), self.who)
        form.addRow(self.tr("How"), self.how)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        form.addRow(buttons)

    def set_members(self, members: list[MemberChoice]) -> None:
        self.who.clear()
        self.who.setEnabled(True)
        self.who.setEditable(not members)
        for member in members:
            self.who.addItem(member.name, member.id)
        line = self.who.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("Nobody on file for this team: type who "
                                            "confirmed"))
            line.setMaxLength(120)
        self.ok_button.setEnabled(True)
        self.who.setFocus()

    def member_id(self) -> int | None:
        data = self.who.currentData()
        return int(data) if isinstance(data, int) else None


class AlertPanel(QWidget):
    escalation_seen = Signal(int)  # alert id, once per new escalation
    # "Make an incident of this alert": the composition root hands it to the incidents.
    incident_requested = Signal(int)  # alert id
    said = Signal(str)  # a word for the status bar

    def __init__(self, board: AlertBoard, alerts: AlertService, actor: ActorSource,
                 teams: list[TeamInfo] | None = None, worker: Executor | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertPanel")
        self._board = board
        self._alerts = alerts
        self._actor = actor
        self._worker = worker
        self._bridge = FutureBridge(self)
        self.ack_dialog: AckDialog | None = None
        self._seen_escalations: set[tuple[int, int, int]] = set()
        self._first_load = True
        self._reloads = 0  # the newest reload asked; older answers are dropped
        self.filter = QComboBox()
        self.filter.addItem(self.tr("All alerts"), "all")
        self.filter.addItem(self.tr("Open (not acknowledged by all)"), "open")
        self.filter.addItem(self.tr("Escalated"), "escalated")
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.team_filter = QComboBox()
        self._team_labels: dict[int, str] = {}
        self.set_teams(teams or [], reload=False)
        self.team_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.ack_button = QPushButton(self.tr("Acknowledged by phone/radio…"))
        self.ack_button.clicked.connect(self.ack_selected)
        self.incident_button = QPushButton(self.tr("Make an incident of this alert"))
        self.incident_button.clicked.connect(lambda _c=False: self.request_incident())
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(6)
        self.tree.setHeaderLabels([self.tr("Alert"), self.tr("Team"), self.tr("Status"),
                                   self.tr("Channels"), self.tr("Acknowledged"),
                                   self.tr("Time to ack")])
        self.tree.setAlternatingRowColors(True)
        self.tree.setRootIsDecorated(True)
        self.tree.itemSelectionChanged.connect(self._selection)
        top = QHBoxLayout()
        top.addWidget(self.filter)
        top.addWidget(self.team_filter)
        top.addStretch(1)
        top.addWidget(self.incident_button)
        top.addWidget(self.ack_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.tree, 1)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(150)
        self._pending.timeout.connect(self.reload)
        self._flash = QTimer(self)
        self._flash.setInterval(400)
        self._flash_left = 0
        self._flash.timeout.connect(self._flash_step)
        self.reload()

    def set_teams(self, teams: list[TeamInfo], reload: bool = True) -> None:
        """The team filter and the names shown: seeded teams translated (until renamed)."""
        self._team_labels = {t.id: team_label(t.key, t.name) for t in teams}
        keep = self.team_filter.currentData()
        self.team_filter.blockSignals(True)
        self.team_filter.clear()
        self.team_filter.addItem(self.tr("All teams"), None)
        for team in teams:
            self.team_filter.addItem(self._team_labels[team.id], team.id)
        self.team_filter.setCurrentIndex(max(self.team_filter.findData(keep), 0))
        self.team_filter.blockSignals(False)
        if reload:
            self.reload()

    def schedule_reload(self) -> None:
        """Called for every alert event; many in a burst give one reload."""
        if not self._pending.isActive():
            self._pending.start()

    def reload(self) -> None:
        actor = self._actor()
        if not actor.can(Permission.ACK_ALERT):
            self.notice.setText(self.tr("Your role cannot see alerts."))
            self.notice.show()
            self.tree.clear()
            self.ack_button.setEnabled(False)
            return
        self.notice.hide()
        mode, team_id = self.filter.currentData(), self.team_filter.currentData()
        self._reloads += 1
        asked = self._reloads
        # The board reads the database: off the GUI thread; an answer overtaken by a newer
        # reload (the filter changed meanwhile) is dropped.
        self._bridge.run(
            lambda: self._board.recent(actor, 100, only_open=(mode == "open"), team_id=team_id),
            on_ok=lambda alerts: self._show(alerts, mode, team_id) if asked == self._reloads
            else None,
            on_error=self._reload_failed)

    def _reload_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PermissionDenied):
            self.notice.setText(denied_text(exc))
        else:
            log.error("alert panel: reload failed: %s", type(exc).__name__)
            self.notice.setText(self.tr("The alerts could not be read (%1).")
                                .replace("%1", type(exc).__name__))
        self.notice.show()

    def _show(self, alerts: list[AlertSummary], mode: str, team_id: int | None) -> None:
        if mode == "escalated":
            alerts = [a for a in alerts if a.escalated]
        selected = self._selected()
        self.tree.clear()
        new_escalations = []
        for summary in alerts:
            self.tree.addTopLevelItem(self._alert_item(summary, team_id))
            for team in summary.teams:
                key = (summary.alert_id, team.team_id, team.escalations)
                if team.chased and key not in self._seen_escalations:
                    self._seen_escalations.add(key)
                    new_escalations.append(summary.alert_id)
        self.tree.expandAll()
        for col in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(col)
        if selected is not None:
            self._select(*selected)
        self._selection()
        if new_escalations and not self._first_load:
            for alert_id in new_escalations:
                self.escalation_seen.emit(alert_id)
            QApplication.beep()
            self._flash_left = 8
            self._flash.start()
        self._first_load = False

    def _alert_item(self, summary: AlertSummary, only_team: int | None) -> QTreeWidgetItem:
        when = _local(summary.frame_time)
        headline = alert_headline(summary.priority, summary.category, summary.subject)
        item = QTreeWidgetItem([f"#{summary.alert_id} {when}  {headline}",
                                "", self._status_text(summary.status), "", "", ""])
        item.setToolTip(0, self.tr("camera %1 · sent by %2 · sighting #%3")
                        .replace("%1", summary.camera).replace("%2", summary.created_by)
                        .replace("%3", str(summary.sighting_id)))
        item.setData(0, ALERT_ROLE, summary.alert_id)
        if summary.priority == "high":
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
        for team in summary.teams:
            if only_team is None or team.team_id == only_team:
                item.addChild(self._team_item(summary, team))
        if summary.escalated:
            for col in range(6):
                item.setBackground(col, _RED)
        return item

    def _team_item(self, summary: AlertSummary, team: TeamState) -> QTreeWidgetItem:
        latest = max((x.escalation_round for x in team.channels), default=0)
        # No channel: nothing was sent, and "failed" alone left the officer to guess.
        channels = "  ".join(
            f"{c.kind}:{self._status_text(c.status)}"
            + (f" ({self._error_text(c)})" if self._error_text(c) else "")
            for c in team.channels if c.escalation_round == latest
        ) or self.tr("no channel configured")
        ack = ""
        if team.acked_at is not None:
            ack = self.tr("%1 by %2 (%3)").replace("%1", _local(team.acked_at)) \
                .replace("%2", team.acked_by).replace("%3", self._how_text(team.ack_how))
        took = "" if team.seconds_to_ack is None else f"{team.seconds_to_ack / 60:.1f} min"
        status = self._status_text(team.status)
        if team.escalations and team.status == "escalated":
            # Not "escalated (escalated ×1)", as the walk read it.
            status = self.tr("escalated ×%1").replace("%1", str(team.escalations))
        elif team.escalations and team.status != "acknowledged":
            status += " " + self.tr("(escalated ×%1)").replace("%1", str(team.escalations))
        if team.reminders_stopped:
            status += " · " + self.tr("incident resolved, no more reminders")
        name = self._team_labels.get(team.team_id, team.team)
        item = QTreeWidgetItem(["", name, status, channels, ack, took])
        item.setData(0, ALERT_ROLE, summary.alert_id)
        item.setData(0, TEAM_ROLE, team.team_id)
        item.setToolTip(3, "\n".join(
            self.tr("%1 %2: %3, %4 attempt(s)").replace("%1", c.kind)
            .replace("%2", c.channel).replace("%3", self._status_text(c.status))
            .replace("%4", str(c.attempts))
            + (f" — {self._error_text(c)}" if c.error or c.error_code else "")
            for c in team.channels
        ) or self.tr(
            "This team has no enabled channel, so nothing was sent: phone the team, "
            "and set up its channels under Alerts → Teams and channels (Ctrl+Shift+M)."))
        colour = {"acknowledged": _GREEN, "delivered": _GREEN, "failed": _FAILED}.get(
            team.status, _AMBER)
        item.setForeground(2, colour)
        if team.chased:
            for col in range(6):
                item.setBackground(col, _RED)
        return item

    @staticmethod
    def _error_text(channel: ChannelState) -> str:
        """The error in the operator's language; what a failed channel says, and what a
        delivered or waiting one says when there is something to know (picture refused,
        waiting for the robot's turn)."""
        if not channel.error and not channel.error_code:
            return ""
        return delivery_error_text(channel.error_code, channel.error_params, channel.error)

    def _how_text(self, how: str) -> str:
        return {"phone": self.tr("phone"), "radio": self.tr("radio"),
                "in person": self.tr("in person"), "mqtt": self.tr("MQTT"),
                "link": self.tr("link")}.get(how, how)

    def _status_text(self, status: str) -> str:
        return {
            "queued": self.tr("queued"), "sent": self.tr("sent"),
            "delivered": self.tr("delivered"), "acknowledged": self.tr("acknowledged"),
            "failed": self.tr("failed"), "escalated": self.tr("escalated"),
            "retrying": self.tr("retrying"),
        }.get(status, status)

    def _selected(self) -> tuple[int, int | None] | None:
        items = self.tree.selectedItems()
        if not items:
            return None
        return items[0].data(0, ALERT_ROLE), items[0].data(0, TEAM_ROLE)

    def _select(self, alert_id: int, team_id: int | None) -> None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is None or top.data(0, ALERT_ROLE) != alert_id:
                continue
            target: QTreeWidgetItem = top
            for c in range(top.childCount()):
                child = top.child(c)
                if child is not None and child.data(0, TEAM_ROLE) == team_id:
                    target = child
            self.tree.setCurrentItem(target)
            return

    def _selection(self) -> None:
        selected = self._selected()
        self.ack_button.setEnabled(selected is not None and selected[1] is not None
                                   and self._actor().can(Permission.ACK_ALERT))

    def request_incident(self, *, by_key: bool = False) -> None:
        """The selected alert becomes an incident, or opens the one it belongs to. By the
        key from elsewhere in the console, the alert list takes the keyboard first (the
        selected alert, else the newest, chosen): a second press, or the arrows and then
        the key, goes on from there."""
        selected = self._selected()
        if selected is not None and (not by_key or self.tree.hasFocus()):
            self.incident_requested.emit(int(selected[0]))
            return
        chosen = self.tree.currentItem() if selected is not None else self.tree.topLevelItem(0)
        if chosen is None:
            self.said.emit(self.tr("There is no alert to make an incident of."))
            return
        self.tree.setCurrentItem(chosen)
        self.tree.setFocus()
        self.said.emit(self.tr("Alert #%1 chosen: press the key again to make an incident "
                               "of it (or choose another with the arrows).")
                       .replace("%1", str(chosen.data(0, ALERT_ROLE))))

    def ack_selected(self) -> AckDialog | None:
        """Ask who of the team confirmed and how; the members load in the background."""
        selected = self._selected()
        if selected is None or selected[1] is None:
            return None
        alert_id, team_id = selected[0], selected[1]
        team_item = self.tree.currentItem()
        dialog = AckDialog(team_item.text(1) if team_item else "", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._record_ack(alert_id, team_id, dialog))
        dialog.finished.connect(lambda _r: setattr(self, "ack_dialog", None))
        self.ack_dialog = dialog
        self._call(self._alerts.members, (self._actor(), team_id), dialog.set_members,
                   lambda exc: dialog.error.setText(self._refusal(exc)))
        dialog.open()
        return dialog

    def _record_ack(self, alert_id: int, team_id: int, dialog: AckDialog) -> None:
        args = (self._actor(), alert_id, team_id, dialog.who.currentText(),
                str(dialog.how.currentData()), dialog.member_id())
        self._call(self._alerts.ack_by_console, args, lambda _ack: self.reload(),
                   self._show_refusal)

    def _call(self, fn: Any, args: tuple[Any, ...], ok: Any, failed: Any) -> None:
        """Off the GUI thread when the panel has a worker (the console gives it one)."""
        if self._worker is None:
            future: Future[Any] = Future()
            try:
                future.set_result(fn(*args))
            except Exception as exc:  # delivered to ``failed`` like a worker's failure
                future.set_exception(exc)
        else:
            future = self._worker.submit(fn, *args)
        self._bridge.call(future, ok, failed)

    def _refusal(self, exc: BaseException) -> str:
        if isinstance(exc, AckRefused):
            return ack_refused_text(exc.code, exc.reason)
        if isinstance(exc, PermissionDenied):
            return denied_text(exc)
        if isinstance(exc, ValueError):
            return str(exc)
        return self.tr("The acknowledgement could not be recorded (%1).").replace(
            "%1", type(exc).__name__)

    def _show_refusal(self, exc: BaseException) -> None:
        self.notice.setText(self._refusal(exc))
        self.notice.show()

    def _flash_step(self) -> None:
        self._flash_left -= 1
        on = self._flash_left % 2 == 1
        self.setStyleSheet("#alertPanel { background: #7a1010; }" if on else "")
        if self._flash_left <= 0:
            self._flash.stop()
            self.setStyleSheet("")
