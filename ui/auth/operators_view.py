"""Operator accounts for administrators: list, create, reset password, role, deactivate.

Every read and change runs on the UI's background executor (argon2 for a new password,
the database for all of them); the view says "Saving…" meanwhile and shows the answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commandroom.auth.permissions import PermissionDenied, Role
from commandroom.auth.service import AuthService, OperatorInfo
from ui.auth.password_dialogs import CORE_REFUSALS, FormDialog, password_field
from ui.auth.session import SessionController
from ui.bridge import FutureBridge
from ui.common.auth_texts import denied_text, role_label
from ui.models.rows_model import AnyIndex, RowsTableModel

D = TypeVar("D", bound=QDialog)


def _local(moment: Any) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment is not None else ""


class OperatorsModel(RowsTableModel[OperatorInfo]):
    def __init__(self) -> None:
        super().__init__([self.tr("Username"), self.tr("Full name"), self.tr("Role"),
                          self.tr("State"), self.tr("Last login")])

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        info = self.rows[index.row()]
        return (info.username, info.display_name, role_label(info.role), self._state(info),
                _local(info.last_login_at))[index.column()]

    def _state(self, info: OperatorInfo) -> str:
        parts = [self.tr("active") if info.active else self.tr("deactivated")]
        if info.locked_until is not None:
            parts.append(self.tr("locked until %1").replace("%1", _local(info.locked_until)))
        if info.must_change_password:
            parts.append(self.tr("must change password"))
        return ", ".join(parts)


def role_combo() -> QComboBox:
    combo = QComboBox()
    for role in Role:
        combo.addItem(role_label(role), role.value)
    return combo


class CreateOperatorDialog(FormDialog):
    def __init__(self, create: Callable[[str, str, Role, str], OperatorInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("New operator"), self.tr("Create"), parent)
        self._create = create
        self.set_intro(self.tr("The new operator must choose their own password at the "
                               "first login."))
        self.username = QLineEdit()
        self.username.setMaxLength(64)
        self.display_name = QLineEdit()
        self.role = role_combo()
        self.role.setCurrentIndex(self.role.findData(Role.DUTY_OFFICER.value))
        self.password = password_field()
        self.repeat = password_field()
        self.form.addRow(self.tr("Username"), self.username)
        self.form.addRow(self.tr("Full name"), self.display_name)
        self.form.addRow(self.tr("Role"), self.role)
        self.form.addRow(self.tr("First password"), self.password)
        self.form.addRow(self.tr("Repeat password"), self.repeat)

    def submit(self) -> None:
        if not self.passwords_match(self.password, self.repeat):
            return
        role = Role(self.role.currentData())
        username, password = self.username.text(), self.password.text()
        display_name = self.display_name.text()
        self.call_core(lambda: self._create(username, password, role, display_name),
                       lambda _info: self.accept())


class ResetPasswordDialog(FormDialog):
    def __init__(self, username: str, reset: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Reset password"), self.tr("Reset password"), parent)
        self._reset = reset
        self.set_intro(self.tr("New password for %1. They must change it at the next login; "
                               "a lockout is cleared.").replace("%1", username))
        self.password = password_field()
        self.repeat = password_field()
        self.form.addRow(self.tr("New password"), self.password)
        self.form.addRow(self.tr("Repeat password"), self.repeat)

    def submit(self) -> None:
        if not self.passwords_match(self.password, self.repeat):
            return
        password = self.password.text()
        self.call_core(lambda: self._reset(password), lambda _none: self.accept())


class OperatorsDialog(QDialog):
    def __init__(self, auth: AuthService, session: SessionController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("operatorsView")
        self.setWindowTitle(self.tr("Operators"))
        self.resize(820, 460)
        self._auth = auth
        self._session = session
        self.child_dialog: QDialog | None = None
        self._bridge = FutureBridge(self)
        self.model = OperatorsModel()
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._sync_buttons)

        self.create_button = QPushButton(self.tr("New operator…"))
        self.create_button.clicked.connect(self.open_create)
        self.reset_button = QPushButton(self.tr("Reset password…"))
        self.reset_button.clicked.connect(self.open_reset)
        self.role = role_combo()
        self.role_button = QPushButton(self.tr("Set role"))
        self.role_button.clicked.connect(self.apply_role)
        self.unlock_button = QPushButton(self.tr("Clear lockout"))
        self.unlock_button.clicked.connect(
            lambda: self._act(lambda a, u: self._auth.unlock_operator(a, u)))
        self.active_button = QPushButton(self.tr("Deactivate"))
        self.active_button.clicked.connect(self.toggle_active)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        row = QHBoxLayout()
        for widget in (self.create_button, self.reset_button, self.role, self.role_button,
                       self.unlock_button, self.active_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self._sync_buttons()

    @property
    def busy(self) -> bool:
        """A read or a change is on its way (tests wait on this)."""
        return self._bridge.pending > 0

    def load(self, on_loaded: Callable[[], object] | None = None,
             on_denied: Callable[[BaseException], object] | None = None) -> None:
        """Read the accounts off the GUI thread; ``on_denied`` gets the core's refusal
        (``PermissionDenied`` for a non-administrator)."""
        keep = self.selected()

        def shown(rows: list[OperatorInfo]) -> None:
            self.model.set_rows(rows)
            if keep is not None:
                self.select(keep.username)
            self._sync_buttons()
            if on_loaded is not None:
                on_loaded()

        self._bridge.run(self._auth.list_operators, self._session.actor, on_ok=shown,
                         on_error=on_denied or self._show_refusal)

    def reload_selecting(self, username: str) -> None:
        self.load(lambda: self.select(username) and None)

    def selected(self) -> OperatorInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select(self, username: str) -> bool:
        for row, info in enumerate(self.model.rows):
            if info.username == username:
                self.table.selectRow(row)
                return True
        return False

    def _sync_buttons(self, *_args: object) -> None:
        info = self.selected()
        for button in (self.reset_button, self.role_button, self.unlock_button,
                       self.active_button, self.role):
            button.setEnabled(info is not None)
        if info is not None:
            self.role.setCurrentIndex(self.role.findData(info.role.value))
            self.active_button.setText(self.tr("Deactivate") if info.active
                                       else self.tr("Reactivate"))
            self.unlock_button.setEnabled(info.locked_until is not None or info.failed_count > 0)

    def _act(self, fn: Callable[[Any, str], object]) -> bool:
        """Run ``fn(actor, username)`` for the selected account off the GUI thread, then
        reload; False when nothing is selected."""
        info = self.selected()
        if info is None or self.busy:
            return False
        self.error.clear()
        self.error.setText(self.tr("Saving…"))
        actor, username = self._session.actor, info.username

        def done(_result: object) -> None:
            self.error.clear()
            self.reload_selecting(username)

        self._bridge.run(fn, actor, username, on_ok=done, on_error=self._show_refusal)
        return True

    def _show_refusal(self, exc: BaseException) -> None:
        if isinstance(exc, CORE_REFUSALS):
            self.error.setText(str(exc))
        elif isinstance(exc, PermissionDenied):
            self.error.setText(denied_text(exc))
        else:
            self.error.clear()
            raise exc  # a bug, not a refusal: the exception hook logs it

    def apply_role(self) -> bool:
        role = Role(self.role.currentData())
        return self._act(lambda a, u: self._auth.set_role(a, u, role))

    def toggle_active(self) -> bool:
        info = self.selected()
        if info is None:
            return False
        if info.active:
            return self._act(lambda a, u: self._auth.deactivate(a, u))
        return self._act(lambda a, u: self._auth.reactivate(a, u))

    def open_create(self) -> CreateOperatorDialog:
        actor = self._session.actor
        dialog = CreateOperatorDialog(
            lambda u, p, r, d: self._auth.create_operator(actor, u, p, r, d), self)
        dialog.accepted.connect(
            lambda: self.reload_selecting(dialog.username.text().strip().lower()))
        return self._open(dialog)

    def open_reset(self) -> ResetPasswordDialog | None:
        info = self.selected()
        if info is None:
            return None
        actor, name = self._session.actor, info.username
        dialog = ResetPasswordDialog(
            name, lambda p: self._auth.reset_password(actor, name, p), self)
        dialog.accepted.connect(lambda: self.reload_selecting(name))
        return self._open(dialog)

    def done(self, result: int) -> None:
        self._bridge.shut()
        super().done(result)

    def _open(self, dialog: D) -> D:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.child_dialog = dialog
        dialog.open()  # window-modal, non-blocking
        return dialog
