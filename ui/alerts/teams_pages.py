"""The three tabs of the Teams window: members, channels, routing rules.

A page never touches the database itself: it hands the window a function of the actor
(``Submit``), which runs it on the background worker and reloads the overview.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandroom.alerts.team_overview import ChannelView, MemberInfo, TeamDetail, TeamsOverview
from commandroom.alerts.teams import TeamService
from commandroom.auth.permissions import Actor
from ui.alerts.channel_form import ChannelForm
from ui.alerts.texts import category_text, channel_type_text, priority_word, team_label

# (work, message when done, what to do after it succeeded): runs work(actor) off the GUI
# thread, then reloads; on a refusal the form keeps what was typed.
Submit = Callable[[Callable[[Actor], object], str, Callable[[], None] | None], None]
CATEGORIES = ("wanted", "suspect", "missing_person", "fraud_risk", "other")


def table(headers: list[str]) -> QTableWidget:
    view = QTableWidget(0, len(headers))
    view.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
    view.setHorizontalHeaderLabels(headers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def fill(view: QTableWidget, rows: list[list[str]]) -> None:
    view.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            view.setItem(r, c, QTableWidgetItem(text))


def button(text: str) -> QPushButton:
    b = QPushButton(text)
    b.setAutoDefault(False)  # Return in a field must not press the first button it finds
    return b


def selected_row(view: QTableWidget) -> int | None:
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else None


class MembersPage(QWidget):
    def __init__(self, teams: TeamService, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._teams, self._submit = teams, submit
        self.members: tuple[MemberInfo, ...] = ()
        self.team_id: int | None = None
        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.phone = QLineEdit()
        self.phone.setMaxLength(40)
        self.radio = QLineEdit()
        self.radio.setMaxLength(40)
        self.add_button = button(self.tr("Add member"))
        self.save_button = button(self.tr("Save changes"))
        self.remove_button = button(self.tr("Remove member"))
        self.view = table([self.tr("Name"), self.tr("Phone"), self.tr("Radio")])
        self.view.itemSelectionChanged.connect(self._selected)
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("Radio call sign"), self.radio)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.save_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        self._selected()

    def show_team(self, team: TeamDetail) -> None:
        self.team_id, self.members = team.id, team.members
        fill(self.view, [[m.name, m.phone, m.radio] for m in team.members])
        self._selected()

    def _member(self) -> MemberInfo | None:
        row = selected_row(self.view)
        return self.members[row] if row is not None and row < len(self.members) else None

    def _selected(self) -> None:
        member = self._member()
        self.save_button.setEnabled(member is not None)
        self.remove_button.setEnabled(member is not None)
        if member is not None:
            self.name.setText(member.name)
            self.phone.setText(member.phone)
            self.radio.setText(member.radio)

    def _fields(self) -> tuple[str, str, str]:
        return self.name.text(), self.phone.text(), self.radio.text()

    def add(self) -> None:
        team_id, (name, phone, radio) = self.team_id, self._fields()
        if team_id is not None:
            self._submit(lambda a: self._teams.add_member(a, team_id, name, phone, radio),
                         self.tr("Member %1 added.").replace("%1", name.strip()), self.clear)

    def clear(self) -> None:
        for field in (self.name, self.phone, self.radio):
            field.clear()
        self.name.setFocus()

    def save(self) -> None:
        member, (name, phone, radio) = self._member(), self._fields()
        if member is not None:
            self._submit(lambda a: self._teams.update_member(a, member.id, name, phone, radio),
                         self.tr("Member %1 saved.").replace("%1", name.strip()), None)

    def remove(self) -> None:
        member = self._member()
        if member is not None:
            self._submit(lambda a: self._teams.remove_member(a, member.id),
                         self.tr("Member %1 removed.").replace("%1", member.name), self.clear)


class ChannelsPage(QWidget):
    test_requested = Signal(int)  # channel id

    def __init__(self, teams: TeamService, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._teams, self._submit = teams, submit
        self.channels: tuple[ChannelView, ...] = ()
        self.team_id: int | None = None
        self._saved = ""  # the channel just saved: selected when the list comes back
        self.form = ChannelForm()
        self.new_button = button(self.tr("New channel"))
        self.save_button = button(self.tr("Save channel"))
        self.enable_button = button(self.tr("Disable"))
        self.delete_button = button(self.tr("Delete"))
        self.test_button = button(self.tr("Send test message"))
        self.answer = QPlainTextEdit()
        self.answer.setReadOnly(True)
        self.answer.setObjectName("testAnswer")
        self.answer.setPlaceholderText(self.tr("The platform's answer to a test message "
                                               "appears here."))
        self.answer.setMaximumHeight(90)
        self.view = table([self.tr("Name"), self.tr("Type"), self.tr("Goes to"),
                           self.tr("Secrets"), self.tr("State")])
        self.view.itemSelectionChanged.connect(self._selected)
        self.new_button.clicked.connect(self._new)
        self.save_button.clicked.connect(self.save)
        self.enable_button.clicked.connect(self.toggle_enabled)
        self.delete_button.clicked.connect(self.delete)
        self.test_button.clicked.connect(self._test)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.new_button, self.test_button, self.enable_button,
                  self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.answer)
        layout.addWidget(self.view, 1)
        self._selected()

    def show_team(self, team: TeamDetail) -> None:
        keep = self.channel()
        self.team_id, self.channels = team.id, team.channels
        fill(self.view, [[c.name, channel_type_text(c.kind, str(c.config.get("preset", ""))),
                          _target(c),
                          ", ".join(map(self.form.secret_label, c.stored_secrets)) or "—",
                          self.tr("enabled") if c.enabled else self.tr("disabled")]
                         for c in team.channels])
        for row, channel in enumerate(team.channels):
            if (keep is not None and channel.id == keep.id) or channel.name == self._saved:
                self.view.selectRow(row)
        self._saved = ""
        self._selected()

    def channel(self) -> ChannelView | None:
        row = selected_row(self.view)
        return self.channels[row] if row is not None and row < len(self.channels) else None

    def _selected(self) -> None:
        channel = self.channel()
        for b in (self.enable_button, self.delete_button, self.test_button):
            b.setEnabled(channel is not None)
        if channel is not None:
            self.form.show_channel(channel)
            self.enable_button.setText(self.tr("Disable") if channel.enabled
                                       else self.tr("Enable"))

    def _new(self) -> None:
        self.view.clearSelection()
        self.form.clear()
        self.form.name.setFocus()

    def save(self) -> None:
        team_id, (kind, _preset) = self.team_id, self.form.kind_and_preset()
        name, definition = self.form.name.text(), self.form.definition()
        self.form.forget_typed_secrets()  # typed secrets live no longer than needed
        if team_id is not None:
            self._submit(lambda a: self._teams.save_channel(
                a, team_id, kind, name, definition, keep_stored_secrets=True),
                self.tr("Channel %1 saved.").replace("%1", name.strip()),
                lambda: setattr(self, "_saved", name.strip()))

    def toggle_enabled(self) -> None:
        channel = self.channel()
        if channel is not None:
            on = not channel.enabled
            self._submit(lambda a: self._teams.set_channel_enabled(a, channel.id, on),
                         (self.tr("Channel %1 enabled.") if on
                          else self.tr("Channel %1 disabled.")).replace("%1", channel.name),
                         None)

    def delete(self) -> None:
        channel = self.channel()
        if channel is not None:
            self._submit(lambda a: self._teams.delete_channel(a, channel.id),
                         self.tr("Channel %1 deleted.").replace("%1", channel.name),
                         self.form.clear)

    def _test(self) -> None:
        channel = self.channel()
        if channel is not None:
            self.test_requested.emit(channel.id)


def _target(channel: ChannelView) -> str:
    config = channel.config
    if channel.kind == "webhook":
        return str(config.get("url", ""))
    if channel.kind == "email":
        return ", ".join(map(str, config.get("to", [])))
    return f"{config.get('host', '')}:{config.get('port', 1883)}"


class RulesPage(QWidget):
    def __init__(self, teams: TeamService, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._teams, self._submit = teams, submit
        self.overview: TeamsOverview | None = None
        self.category = QComboBox()
        for category in CATEGORIES:
            self.category.addItem(category_text(category), category)
        self.team = QComboBox()
        self.priority = QComboBox()
        for priority in ("high", "normal"):
            self.priority.addItem(priority_word(priority), priority)
        self.min_risk = QSpinBox()
        self.min_risk.setRange(0, 3)
        self.min_risk.setToolTip(self.tr("0 none, 1 low, 2 medium, 3 high"))
        self.group = QComboBox()
        self.add_button = button(self.tr("Add rule"))
        self.remove_button = button(self.tr("Remove rule"))
        self.view = table([self.tr("Category"), self.tr("Team"), self.tr("Priority"),
                           self.tr("Lowest risk"), self.tr("Camera group")])
        self.view.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(selected_row(self.view) is not None))
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        form = QFormLayout()
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Team"), self.team)
        form.addRow(self.tr("Priority"), self.priority)
        form.addRow(self.tr("Lowest risk"), self.min_risk)
        form.addRow(self.tr("Camera group"), self.group)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        self.remove_button.setEnabled(False)

    def show_overview(self, overview: TeamsOverview) -> None:
        self.overview = overview
        names = {t.id: team_label(t.key, t.name) for t in overview.teams}
        groups = dict(overview.camera_groups)
        keep_team = self.team.currentData()
        self.team.clear()
        for team in overview.teams:
            self.team.addItem(names[team.id], team.id)
        self.team.setCurrentIndex(max(self.team.findData(keep_team), 0))
        self.group.clear()
        self.group.addItem(self.tr("any camera"), None)
        for group_id, name in overview.camera_groups:
            self.group.addItem(name, group_id)
        fill(self.view, [[category_text(r.category), names.get(r.team_id, str(r.team_id)),
                          priority_word(r.priority), str(r.min_risk),
                          groups.get(r.camera_group_id, "") if r.camera_group_id else
                          self.tr("any camera")] for r in overview.rules])
        self.remove_button.setEnabled(False)

    def add(self) -> None:
        category, team_id = str(self.category.currentData()), self.team.currentData()
        priority, risk = str(self.priority.currentData()), self.min_risk.value()
        group = self.group.currentData()
        if team_id is not None:
            self._submit(lambda a: self._teams.add_rule(a, category, team_id, priority, risk,
                                                        group),
                         self.tr("Rule added."), None)

    def remove(self) -> None:
        row = selected_row(self.view)
        if self.overview is not None and row is not None:
            rule_id = self.overview.rules[row].id
            self._submit(lambda a: self._teams.remove_rule(a, rule_id), self.tr("Rule removed."),
                         None)
