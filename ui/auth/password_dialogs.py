"""Login, first-run administrator, password change and hand-over dialogs.

Each dialog calls the core itself, off the GUI thread (password hashing and the database
never freeze the console or the wall): while the check runs the dialog says so, its fields
turn read-only (the cursor stays where it was) and a second Return is ignored. It stays
open on a refusal, showing why (lockouts included); a failed login clears the password
and keeps the same focus whatever was wrong, so the screen never tells which field was.
Every dialog opens with the cursor in its first empty field, and Tab goes down the fields
before it reaches the buttons: an officer types without touching the mouse.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from itertools import pairwise
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandroom.auth.permissions import Actor, PermissionDenied
from commandroom.auth.policy import MIN_PASSWORD_LENGTH, PolicyError
from commandroom.auth.service import AuthService, BootstrapError, LoginFailed, OperatorError
from ui.bridge import FutureBridge, background
from ui.common.auth_texts import actor_label, denied_text, login_failed_text

T = TypeVar("T")
# Refusals whose message is written for the operator; anything else is a bug and raises.
CORE_REFUSALS = (LoginFailed, PolicyError, OperatorError, BootstrapError)


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(256)  # the core's MAX_PASSWORD_LENGTH
    return field


class FormDialog(QDialog):
    """A form, a red message line and OK/Cancel buttons with our own translated labels."""

    # A user name field on this screen: "wrong user name or password" makes sense here.
    asks_username = False

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy_note = QLabel(self.tr("Checking…"))
        self.busy_note.setObjectName("busyNote")
        self.busy_note.hide()
        self._bridge = FutureBridge(self)
        self._busy = False
        self.ok_button = QPushButton(ok_text)
        # The default button takes Return in every field (QDialog does it; a returnPressed
        # connection as well would submit twice).
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(self.cancel_button)
        self.main_layout = QVBoxLayout(self)
        self.main_layout.addWidget(self.intro)
        self.main_layout.addLayout(self.form)
        self.main_layout.addWidget(self.error)
        self.main_layout.addWidget(self.busy_note)
        self.main_layout.addLayout(buttons)

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.show()

    def fields(self) -> list[QWidget]:
        """The form's fields, top to bottom."""
        found = []
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if widget is not None:
                found.append(widget)
        return found

    def showEvent(self, event: QShowEvent) -> None:
        # The buttons are built before the subclass adds its fields, so Qt's default tab
        # order (creation order) starts at OK and the dialog opened with no field focused:
        # the typed name went nowhere and a space pressed a button.
        chain = [*self.fields(), self.ok_button, self.cancel_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        super().showEvent(event)
        self.focus_first_empty()

    def focus_first_empty(self) -> None:
        """The cursor goes where the officer types next: the first empty field."""
        fields = [f for f in self.fields() if f.isEnabled()]
        empty = [f for f in fields if isinstance(f, QLineEdit) and not f.text()]
        target = empty[0] if empty else (fields[0] if fields else None)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        raise NotImplementedError

    @property
    def busy(self) -> bool:
        """A core call is running (the form waits for its answer)."""
        return self._busy

    def call_core(self, work: Callable[[], T] | concurrent.futures.Future[T],
                  on_ok: Callable[[T], Any]) -> None:
        """Run one core call off the GUI thread (``work`` there, or a future already
        running there) and hand its answer to ``on_ok``; on a refusal show its message and
        call ``refused``. Ignored while the previous call runs."""
        if self.busy:
            return
        self.error.clear()
        future = work if isinstance(work, concurrent.futures.Future) else \
            background().submit(work)
        self._set_busy(True)

        def answered(value: T) -> None:
            self._set_busy(False)
            on_ok(value)

        self._bridge.call(future, answered, self._refused)

    def _refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, LoginFailed):
            self.error.setText(login_failed_text(exc, self.asks_username))
        elif isinstance(exc, CORE_REFUSALS):
            self.error.setText(str(exc))
        elif isinstance(exc, PermissionDenied):
            self.error.setText(denied_text(exc))
        else:
            raise exc  # a bug, not a refusal: the exception hook logs it
        self.refused()

    def refused(self) -> None:
        """After a refusal is shown: where the cursor goes (each dialog says)."""

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        # Read-only, not disabled: a disabled field would lose the keyboard focus.
        for field in self.fields():
            if isinstance(field, QLineEdit):
                field.setReadOnly(busy)
        self.ok_button.setEnabled(not busy)
        self.busy_note.setVisible(busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def done(self, result: int) -> None:
        self._bridge.shut()  # a late answer finds no dialog to fill
        super().done(result)

    def passwords_match(self, first: QLineEdit, second: QLineEdit) -> bool:
        if first.text() != second.text():
            self.error.setText(self.tr("The two passwords differ; type the same one twice."))
            second.clear()
            second.setFocus()
            return False
        return True


class LoginDialog(FormDialog):
    asks_username = True

    def __init__(self, auth: AuthService, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Log in"), self.tr("Log in"), parent)
        self._auth = auth
        self.actor: Actor | None = None
        heading = QLabel(self.tr("Command room"))
        heading.setObjectName("loginHeading")
        # A style sheet, not setFont: the theme's "QWidget { font-size }" would win over it.
        heading.setStyleSheet("font-size: 16pt; font-weight: bold; padding: 4px 0 8px 0;")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.main_layout.insertWidget(0, heading)
        self.set_intro(self.tr("Log in with your operator account."))
        self.username = QLineEdit()
        self.username.setMaxLength(64)
        self.password = password_field()
        self.form.addRow(self.tr("Username"), self.username)
        self.form.addRow(self.tr("Password"), self.password)

    def submit(self) -> None:
        if not self.username.text().strip():
            self.error.setText(self.tr("Enter your username and your password."))
            return
        if not self.password.text():
            self.password.setFocus()  # Return in the username field: on to the password
            return
        username, password = self.username.text(), self.password.text()
        self.call_core(lambda: self._auth.login(username, password), self._logged_in)

    def _logged_in(self, actor: Actor) -> None:
        self.actor = actor
        self.password.clear()
        self.accept()

    def refused(self) -> None:
        self.password.clear()
        self.password.setFocus()


class BootstrapDialog(FormDialog):
    """First run: nobody exists, so the person installing creates the administrator, and
    is logged in as it (no second typing of the password just chosen)."""

    def __init__(self, auth: AuthService, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("First start"), self.tr("Create administrator"), parent)
        self.quit_question: QMessageBox | None = None
        self._auth = auth
        self.actor: Actor | None = None
        self.set_intro(self.tr(
            "No operator account exists yet. Create the administrator account now; there is "
            "no default password. Choose a password of at least %1 characters and keep it "
            "safe: the administrator creates everybody else's accounts.").replace(
                "%1", str(MIN_PASSWORD_LENGTH)))
        self.username = QLineEdit()
        self.username.setMaxLength(64)
        self.username.setPlaceholderText(self.tr("e.g. admin"))
        self.display_name = QLineEdit()
        self.password = password_field()
        self.repeat = password_field()
        self.form.addRow(self.tr("Username"), self.username)
        self.form.addRow(self.tr("Full name"), self.display_name)
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Repeat password"), self.repeat)

    def submit(self) -> None:
        if not self.passwords_match(self.password, self.repeat):
            return
        username, password = self.username.text(), self.password.text()
        display_name = self.display_name.text()
        self.call_core(lambda: self._auth.bootstrap_admin(username, password, display_name,
                                                          log_in=True), self._created)

    def _created(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    def reject(self) -> None:
        """Cancel, Escape or the window's close button: leaving here quits the app, so ask
        (a stray key must not end the first start without a word)."""
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Quit?"),
            self.tr("Quit without creating the administrator? Nobody can use the console "
                    "until it exists; the next start asks again."),
            QMessageBox.StandardButton.NoButton, self)
        # Mnemonics: Alt+Q quits, Escape or Enter goes back to the form.
        quit_button = box.addButton(self.tr("&Quit"), QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton(self.tr("&Go on"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        self.quit_question = box
        box.exec()
        self.quit_question = None
        if box.clickedButton() is quit_button:
            super().reject()
        else:  # the keys come back to the form, where the cursor was
            self.activateWindow()


class ChangePasswordDialog(FormDialog):
    """The operator's own password; ``forced`` after an administrator set it."""

    def __init__(self, change: Callable[[str, str], concurrent.futures.Future[None]],
                 actor: Actor, forced: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Change password"), self.tr("Change password"), parent)
        self._change = change
        self.changed = False
        text = self.tr("Operator: %1").replace("%1", actor_label(actor))
        if forced:
            text += "\n" + self.tr("An administrator set your password: choose your own "
                                   "before you continue.")
        self.set_intro(text)
        self.old = password_field()
        self.new = password_field()
        self.repeat = password_field()
        self.form.addRow(self.tr("Current password"), self.old)
        self.form.addRow(self.tr("New password"), self.new)
        self.form.addRow(self.tr("Repeat new password"), self.repeat)

    def submit(self) -> None:
        if not self.passwords_match(self.new, self.repeat):
            return
        if not self.busy:
            self.call_core(self._change(self.old.text(), self.new.text()), self._changed)

    def _changed(self, _none: None) -> None:
        self.changed = True
        self.accept()

    def refused(self) -> None:
        self.old.clear()
        self.old.setFocus()


class HandOverDialog(FormDialog):
    """Shift change: the next officer logs in; the current one is logged out by the core."""

    asks_username = True

    def __init__(self, hand_over: Callable[[str, str], concurrent.futures.Future[Actor]],
                 current: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Hand over the console"), self.tr("Take over"), parent)
        self._hand_over = hand_over
        self.actor: Actor | None = None
        self.set_intro(self.tr(
            "Shift change: %1 hands the console over. The next officer logs in here; "
            "the wall keeps running.").replace("%1", actor_label(current)))
        self.username = QLineEdit()
        self.username.setMaxLength(64)
        self.password = password_field()
        self.form.addRow(self.tr("Next officer's username"), self.username)
        self.form.addRow(self.tr("Password"), self.password)

    def submit(self) -> None:
        if not self.username.text().strip():
            self.error.setText(self.tr("Enter your username and your password."))
            return
        if not self.password.text():
            self.password.setFocus()
            return
        if not self.busy:
            self.call_core(self._hand_over(self.username.text(), self.password.text()),
                           self._taken_over)

    def _taken_over(self, actor: Actor) -> None:
        self.password.clear()
        self.actor = actor
        self.accept()

    def refused(self) -> None:
        self.password.clear()
        self.password.setFocus()
