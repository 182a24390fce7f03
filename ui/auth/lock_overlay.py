"""The lock screen: an opaque cover over the whole console window with the unlock prompt.

It is a child of the console, so it hides every dock, toolbar and menu whatever the window
manager does, and the wall (its own window) keeps showing video. The SessionController's
event filter keeps keys and clicks away from everything under the cover.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandroom.auth.permissions import Actor
from commandroom.auth.service import LoginFailed
from ui.auth.password_dialogs import HandOverDialog, password_field
from ui.auth.session import SessionController
from ui.bridge import FutureBridge
from ui.common.auth_texts import actor_label, login_failed_text


class LockOverlay(QWidget):
    def __init__(self, session: SessionController, console: QWidget) -> None:
        super().__init__(console)
        self.setObjectName("lockOverlay")
        self._session = session
        self._console = console
        self.hand_over_dialog: HandOverDialog | None = None
        # Where the keys went before the lock (the grid, mostly): they go there again after
        # it, else the officer's first keys after unlocking (R, T, an arrow) do nothing.
        self._focus_before: QWidget | None = None
        # Opaque: Qt then skips repainting the tiles underneath.
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockOverlay { background: #0b0d10; }")

        panel = QFrame()
        panel.setObjectName("lockPanel")
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setMaximumWidth(460)
        title = QLabel(self.tr("Console locked"))
        title.setStyleSheet("font-size: 18pt; font-weight: bold;")  # beats the theme's size
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who = QLabel()
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who.setWordWrap(True)
        self.password = password_field()
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.returnPressed.connect(self.try_unlock)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        # While the password is checked (off the GUI thread): said here, the field stays
        # focused but read-only, a second Return is ignored.
        self.busy_note = QLabel(self.tr("Checking the password…"))
        self.busy_note.setObjectName("busyNote")
        self.busy_note.hide()
        self._bridge = FutureBridge(self)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.switch_button = QPushButton(self.tr("Hand over to the next officer…"))
        self.switch_button.clicked.connect(self.open_hand_over)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(10)
        inner.addWidget(title)
        inner.addWidget(self.who)
        inner.addWidget(self.password)
        inner.addWidget(self.error)
        inner.addWidget(self.busy_note)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(panel, 2)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        session.lock_screen = self
        session.locked_changed.connect(self._on_locked)
        session.actor_changed.connect(self._show_actor)
        console.installEventFilter(self)  # follow the console's size
        self._show_actor(session.actor)
        self.hide()

    # Tab must cycle inside the prompt, never onto the widgets hidden underneath.
    def focusNextPrevChild(self, next: bool) -> bool:
        order = [self.password, self.unlock_button, self.switch_button]
        current = self.focusWidget()
        i = order.index(current) if current in order else -1
        order[(i + (1 if next else -1)) % len(order)].setFocus()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._console and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self._console.rect())
        return False

    def _show_actor(self, actor: Actor) -> None:
        self.who.setText(self.tr("In use by %1. Type the password to continue.").replace(
            "%1", actor_label(actor)))

    def _on_locked(self, locked: bool) -> None:
        if locked:
            focus = QApplication.focusWidget()
            self._focus_before = (focus if focus is not None
                                  and self._console.isAncestorOf(focus)
                                  and not self.isAncestorOf(focus) else None)
            self.error.clear()
            self.password.clear()
            self.setGeometry(self._console.rect())
            self.show()
            self.raise_()
            self.password.setFocus()
        else:
            self.password.clear()
            self.hide()  # Qt would pass the focus on to the next widget in the tab chain
            self._restore_focus()

    def _restore_focus(self) -> None:
        before, self._focus_before = self._focus_before, None
        # It may have been deleted while locked (a dock closed, a tile's widget rebuilt).
        if before is None or not shiboken6.isValid(before) or not before.isVisible() \
                or not before.isEnabled():
            central = (self._console.centralWidget()
                       if isinstance(self._console, QMainWindow) else None)
            before = central if central is not None and central.focusPolicy() & \
                Qt.FocusPolicy.TabFocus else None
        if before is not None:
            before.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def busy(self) -> bool:
        return self.password.isReadOnly()

    def try_unlock(self) -> None:
        if not self.password.text() or self.busy:
            return
        self.error.clear()
        self._set_busy(True)
        self._bridge.call(self._session.unlock(self.password.text()),
                          lambda _actor: self._set_busy(False), self._refused)

    def _refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(exc, LoginFailed):
            raise exc  # a bug, not a wrong password: the exception hook logs it
        # No user name field here: "wrong user name or password" would mislead.
        self.error.setText(login_failed_text(exc, asked_username=False))
        self.password.clear()
        self.password.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.password.setReadOnly(busy)
        self.unlock_button.setEnabled(not busy)
        self.switch_button.setEnabled(not busy)
        self.busy_note.setVisible(busy)

    def open_hand_over(self) -> None:
        dialog = HandOverDialog(self._session.hand_over, self._session.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.hand_over_dialog = dialog
        dialog.finished.connect(self._hand_over_finished)
        dialog.open()

    def _hand_over_finished(self, _result: int) -> None:
        self.hand_over_dialog = None
        if self._session.locked:
            # Cancelled: the cursor goes back to the password, not to the button that
            # opened the dialog (where typing is lost and a space opens it again).
            self._console.activateWindow()
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
