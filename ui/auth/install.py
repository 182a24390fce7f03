"""Wiring for the composition root: the login before the console shows, and the Operator
menu, status-bar label, idle lock and views once it does."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMenu, QMessageBox, QWidget

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import Actor, Permission, PermissionDenied
from commandroom.auth.service import AuthService
from ui.auth.audit_view import AuditDialog
from ui.auth.lock_overlay import LockOverlay
from ui.auth.operators_view import OperatorsDialog
from ui.auth.password_dialogs import (
    BootstrapDialog,
    ChangePasswordDialog,
    HandOverDialog,
    LoginDialog,
)
from ui.auth.session import SessionController, close_other_dialogs
from ui.bridge import background
from ui.common.auth_texts import actor_label, denied_text, show_message

log = logging.getLogger(__name__)
D = TypeVar("D", bound=QDialog)


def login_at_start(auth: AuthService, parent: QWidget | None = None) -> Actor | None:
    """First run: create the administrator, who is then logged in; later runs: log in;
    then, if an administrator set the password, make the operator choose their own.
    None: the user gave up (quit the app)."""
    if auth.needs_bootstrap():
        first = BootstrapDialog(auth, parent)
        if first.exec() != QDialog.DialogCode.Accepted or first.actor is None:
            return None
        # The password was typed twice a moment ago; typing it a third time proves nothing.
        return first.actor
    dialog = LoginDialog(auth, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
        return None
    actor = dialog.actor
    if auth.must_change_password(actor):
        change = ChangePasswordDialog(
            lambda old, new: background().submit(auth.change_password, actor, old, new),
            actor, True, parent)
        if change.exec() != QDialog.DialogCode.Accepted:
            auth.logout(actor)
            return None
    return actor


class AuthUi(QObject):
    """The Operator menu and everything behind it; ``session`` holds the current Actor."""

    def __init__(self, console: QMainWindow, auth: AuthService, audit: AuditTrail,
                 session: SessionController) -> None:
        super().__init__(console)
        self.console = console
        self.session = session
        self._auth = auth
        self._audit = audit
        self.audit_view: AuditDialog | None = None
        self.operators_view: OperatorsDialog | None = None
        self.dialog: QDialog | None = None  # the hand-over or password dialog, when open
        self.last_message: QMessageBox | None = None

        self.menu = console.menuBar().addMenu(self.tr("&Operator"))
        self.lock_action = self._add(self.tr("Lock console"), "Ctrl+L", session.lock)
        self.hand_over_action = self._add(self.tr("Hand over…"), "Ctrl+Shift+H",
                                          self.open_hand_over)
        self.change_password_action = self._add(self.tr("Change password…"), None,
                                                self.open_change_password)
        self.menu.addSeparator()
        self.operators_action = self._add(self.tr("Operators…"), None, self.open_operators)
        self.audit_action = self._add(self.tr("Audit trail…"), None, self.open_audit)

        self.operator_label = QLabel()
        self.operator_label.setObjectName("operatorLabel")
        console.statusBar().addPermanentWidget(self.operator_label)
        self.overlay = LockOverlay(session, console)

        session.actor_changed.connect(self._on_actor_changed)
        session.locked_changed.connect(self._on_locked_changed)
        session.handed_over.connect(lambda _a: self.require_own_password())
        self._show_actor(session.actor)

    def _add(self, text: str, shortcut: str | None, slot: Any) -> QAction:
        action = QAction(text, self.console)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        self.console.addAction(action)
        return action

    # -- actor -------------------------------------------------------------------------
    def _show_actor(self, actor: Actor) -> None:
        self.operator_label.setText(self.tr("Operator: %1").replace("%1", actor_label(actor)))
        # A courtesy: the core refuses anyway.
        self.operators_action.setEnabled(actor.can(Permission.MANAGE_OPERATORS))
        self.audit_action.setEnabled(actor.can(Permission.VIEW_AUDIT))

    def _on_actor_changed(self, actor: Actor) -> None:
        self._show_actor(actor)
        # Views opened with the previous operator's rights close with their session.
        for view in (self.audit_view, self.operators_view):
            if view is not None:
                view.reject()

    def _on_locked_changed(self, locked: bool) -> None:
        if locked:
            close_other_dialogs(self.console)
        else:
            self.require_own_password()

    def require_own_password(self) -> ChangePasswordDialog | None:
        """After a hand-over or unlock: an operator whose password an administrator set
        changes it before working; refusing locks the console again."""
        if self.session.locked or not self.session.must_change_password():
            return None
        if isinstance(self.dialog, ChangePasswordDialog) and self.dialog.isVisible():
            # A hand-over from the lock screen both unlocks and hands over: ask once.
            return self.dialog
        dialog = ChangePasswordDialog(self.session.change_password, self.session.actor, True,
                                      self.console)
        dialog.rejected.connect(lambda: self.session.lock("password_change_refused"))
        return self._open(dialog)

    # -- menu actions ------------------------------------------------------------------
    def open_hand_over(self) -> HandOverDialog:
        return self._open(HandOverDialog(self.session.hand_over, self.session.actor,
                                         self.console))

    def open_change_password(self) -> ChangePasswordDialog:
        return self._open(ChangePasswordDialog(self.session.change_password,
                                               self.session.actor, False, self.console))

    def open_audit(self) -> AuditDialog:
        """The view shows once its first search is read (off the GUI thread); a refusal of
        the core shows in a message box instead."""
        if self.audit_view is not None:
            self.audit_view.raise_()
            self.audit_view.activateWindow()
            return self.audit_view
        view = AuditDialog(self._audit, self.session, self.console)
        self.audit_view = view
        view.finished.connect(lambda _r: self._forget(view))
        self._load_or_refuse(view, self.tr("Audit trail"))
        return view

    def open_operators(self) -> OperatorsDialog:
        if self.operators_view is not None:
            self.operators_view.raise_()
            self.operators_view.activateWindow()
            return self.operators_view
        view = OperatorsDialog(self._auth, self.session, self.console)
        self.operators_view = view
        view.finished.connect(lambda _r: self._forget(view))
        self._load_or_refuse(view, self.tr("Operators"))
        return view

    def _forget(self, view: QDialog) -> None:
        if self.audit_view is view:
            self.audit_view = None
        if self.operators_view is view:
            self.operators_view = None

    def _load_or_refuse(self, view: AuditDialog | OperatorsDialog, title: str) -> None:
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def refused(exc: BaseException) -> None:
            if not isinstance(exc, PermissionDenied):
                raise exc
            self._forget(view)
            view.close()
            self.last_message = show_message(self.console, title, denied_text(exc))

        view.load(on_loaded=view.show, on_denied=refused)

    def _open(self, dialog: D) -> D:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None)
                                if self.dialog is dialog else None)
        dialog.open()  # window-modal, non-blocking: the wall keeps painting
        return dialog

    @property
    def operator_menu(self) -> QMenu:
        return self.menu


def install_auth(console: QMainWindow, auth: AuthService, audit: AuditTrail, actor: Actor,
                 idle_lock_minutes: float) -> AuthUi:
    """Add the Operator menu (lock Ctrl+L, hand over, change password, operators, audit),
    the "Operator: name (role)" label and the idle lock (0 minutes: no idle lock) to the
    console; the operator is logged out when the application quits."""
    session = SessionController(auth, actor, idle_lock_minutes * 60.0, console, console)
    ui = AuthUi(console, auth, audit, session)
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(session.end)
    return ui
