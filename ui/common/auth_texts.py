"""Shared wording and the non-blocking message box of the auth views."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from commandroom.auth.permissions import Actor, PermissionDenied, Role
from commandroom.auth.service import (
    FAILED_ALREADY_LOGGED_IN,
    FAILED_DEACTIVATED,
    FAILED_LOCKED,
    LoginFailed,
)

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate


def role_label(role: Role | str) -> str:
    labels = {
        Role.VIEWER: QCoreApplication.translate("Roles", "Viewer"),
        Role.DUTY_OFFICER: QCoreApplication.translate("Roles", "Duty officer"),
        Role.SUPERVISOR: QCoreApplication.translate("Roles", "Supervisor"),
        Role.ADMINISTRATOR: QCoreApplication.translate("Roles", "Administrator"),
    }
    try:
        return labels[Role(role)]
    except ValueError:
        return str(role)


def actor_label(actor: Actor) -> str:
    return QCoreApplication.translate("Roles", "%1 (%2)").replace(
        "%1", actor.username).replace("%2", role_label(actor.role))


def denied_text(exc: PermissionDenied) -> str:
    """A clear sentence for a refusal by the core (which also logged it)."""
    return QCoreApplication.translate(
        "Roles", "%1 may not do this: the role “%2” lacks the permission “%3”.").replace(
            "%1", exc.actor.username).replace("%2", role_label(exc.actor.role)).replace(
            "%3", str(exc.permission))


def login_failed_text(exc: LoginFailed, asked_username: bool) -> str:
    """The refusal in the operator's language. ``asked_username``: the screen has a user
    name field (log in, hand over); the lock screen and the password change do not, so
    "wrong user name" would send the officer looking for one."""
    if exc.reason == FAILED_LOCKED:
        return _tr("LoginTexts", "This account is locked for %1 s after repeated wrong "
                                "passwords.").replace("%1", str(exc.locked_for_s))
    if exc.reason == FAILED_DEACTIVATED:
        return _tr("LoginTexts", "This account is deactivated; ask an administrator.")
    if exc.reason == FAILED_ALREADY_LOGGED_IN:
        return _tr("LoginTexts", "That operator is already logged in here.")
    text = (_tr("LoginTexts", "Wrong user name or password.") if asked_username
            else _tr("LoginTexts", "Wrong password."))
    if exc.locked_for_s:
        text += " " + _tr("LoginTexts", "The account is now locked for %1 s.").replace(
            "%1", str(exc.locked_for_s))
    return text


def show_message(parent: QWidget | None, title: str, text: str,
                 icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> QMessageBox:
    """Window-modal but non-blocking (``open``, not ``exec``): the wall and the console's
    timers keep running, and a test can read and close the box."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
