"""First start, log-in, forced password change, hand-over and the lock screen, typed
without a mouse: keys go to QApplication.focusWidget() (tests/ui/keyboard.py)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow
from commandroom.auth.permissions import Actor, Role
from commandroom.db.thread_guard import ThreadGuard
from tests.ui.keyboard import focused, modals_driven, press, type_keys
from tests.unit.auth.fixtures import ADMIN_PASSWORD, Stack, make_stack
from ui.auth.install import install_auth, login_at_start
from ui.auth.password_dialogs import BootstrapDialog, ChangePasswordDialog, LoginDialog
from ui.bridge import UI_PACKAGES

DUTY_PASSWORD = "duty-pass-1"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    built = make_stack(tmp_path)
    yield built
    built.engine.dispose()


@pytest.fixture
def admin(stack: Stack) -> Actor:
    return stack.auth.bootstrap_admin("admin", ADMIN_PASSWORD, "Station Admin")


@pytest.fixture
def console(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    window.setCentralWidget(QLineEdit())  # something on the console takes the keys
    window.resize(900, 600)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def _details(stack: Stack, action: str) -> list[dict[str, object]]:
    with stack.sessions() as db:
        rows = db.scalars(select(AuditEventRow.details).where(AuditEventRow.action == action)
                          .order_by(AuditEventRow.seq))
        return [json.loads(d) for d in rows]


def test_first_start_typed_without_a_mouse_logs_the_administrator_in(
        qtbot: QtBot, stack: Stack) -> None:
    # A space in the full name used to press a button; the password was asked a third time.
    with modals_driven([lambda _d: type_keys(
            "chief\tZhang Wei\tchief-pass-9\tchief-pass-9\n")]) as seen:
        actor = login_at_start(stack.auth)
    assert [type(w) for w in seen] == [BootstrapDialog]  # no log-in dialog after it
    assert actor is not None and (actor.username, actor.role) == ("chief", Role.ADMINISTRATOR)
    assert stack.auth.list_operators(actor)[0].display_name == "Zhang Wei"
    assert stack.audit_actions() == ["operator.bootstrap", "auth.login"]


def test_cancel_on_the_first_start_asks_before_quitting(qtbot: QtBot, stack: Stack) -> None:
    questions: list[str] = []
    back_in_form: list[tuple[str, str]] = []

    def ask(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        questions.append(box.text())

    def go_on(box: QWidget) -> None:
        ask(box)
        press(Qt.Key.Key_Escape)  # Escape (or Enter) means "Go on": nothing is lost

    def cancel_again(dialog: QWidget) -> None:
        assert isinstance(dialog, BootstrapDialog)
        widget = focused()
        back_in_form.append((type(widget).__name__, dialog.username.text()))
        type_keys("\x1b")

    def quit_now(box: QWidget) -> None:
        ask(box)
        press(Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)

    steps = [lambda _d: type_keys("chief\x1b"), go_on, cancel_again, quit_now]
    with modals_driven(steps) as seen:
        actor = login_at_start(stack.auth)
    assert actor is None and len(seen) == 4 and stack.auth.needs_bootstrap()
    assert len(questions) == 2 and "Quit without creating the administrator" in questions[0]
    assert back_in_form == [("QLineEdit", "chief")]


def test_later_log_in_and_forced_password_change_typed(
        qtbot: QtBot, stack: Stack, admin: Actor) -> None:
    stack.auth.create_operator(admin, "duty1", DUTY_PASSWORD, Role.DUTY_OFFICER)
    with modals_driven([lambda _d: type_keys(f"duty1\t{DUTY_PASSWORD}\n"),
                        lambda _d: type_keys(f"{DUTY_PASSWORD}\tduty-own-pass-2"
                                             "\tduty-own-pass-2\n")]) as seen:
        actor = login_at_start(stack.auth)
    assert [type(w) for w in seen] == [LoginDialog, ChangePasswordDialog]
    assert actor is not None and actor.username == "duty1"
    assert not stack.auth.must_change_password(actor)


def test_hand_over_typed(qtbot: QtBot, stack: Stack, admin: Actor,
                         console: QMainWindow) -> None:
    stack.auth.create_operator(admin, "duty1", DUTY_PASSWORD, Role.DUTY_OFFICER)
    stack.auth.reset_password(admin, "duty1", DUTY_PASSWORD)
    ui = install_auth(console, stack.auth, stack.audit, admin, 0)
    press(Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = ui.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    with qtbot.waitSignal(ui.session.handed_over):
        type_keys(f"duty1\t{DUTY_PASSWORD}\n")
    # The administrator set duty1's password: the change dialog is next, cursor in it.
    change = ui.dialog
    assert isinstance(change, ChangePasswordDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is change)
    type_keys(f"{DUTY_PASSWORD}\tduty-own-pass-2\tduty-own-pass-2\n")
    qtbot.waitUntil(lambda: change.changed)  # checked off the GUI thread
    assert ui.session.actor.username == "duty1"
    ui.session.end()


def test_lock_screen_after_a_cancelled_hand_over_takes_the_password(
        qtbot: QtBot, stack: Stack, admin: Actor, console: QMainWindow) -> None:
    ui = install_auth(console, stack.auth, stack.audit, admin, 0)
    press(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert ui.session.locked
    qtbot.waitUntil(lambda: focused() is ui.overlay.password)
    type_keys("wrong-pass-1\n")
    qtbot.waitUntil(lambda: not ui.overlay.busy)  # checked off the GUI thread
    # No user name field on the lock screen: the message must not talk about one.
    assert ui.overlay.error.text() == "Wrong password."
    assert focused() is ui.overlay.password
    type_keys("\t\t ")  # Tab to "Hand over to the next officer…", Space opens it
    dialog = ui.overlay.hand_over_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    type_keys("\x1b")  # changed one's mind
    qtbot.waitUntil(lambda: ui.overlay.hand_over_dialog is None
                    and QApplication.activeWindow() is console)
    with qtbot.waitSignal(ui.session.locked_changed):
        type_keys(ADMIN_PASSWORD + "\n")
    assert not ui.session.locked
    assert [d["reason"] for d in _details(stack, "auth.lock")] == ["manual"]
    assert stack.audit_actions()[-3:] == ["auth.lock", "auth.login_failed", "auth.unlock"]
    ui.session.end()


def test_unlocking_gives_the_keys_back_to_where_they_were_before_the_lock(
        qtbot: QtBot, stack: Stack, admin: Actor, console: QMainWindow) -> None:
    """The officer unlocks and presses R or T at once: the keys must reach the grid (here
    the console's line edit), not whatever widget Qt picked when the prompt hid."""
    side = QLineEdit(console)  # another focusable widget, ahead in the tab chain
    side.move(0, 0)
    side.show()
    ui = install_auth(console, stack.auth, stack.audit, admin, 0)
    central = console.centralWidget()
    central.setFocus()
    qtbot.waitUntil(lambda: focused() is central)
    press(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: focused() is ui.overlay.password)
    with qtbot.waitSignal(ui.session.locked_changed):
        type_keys(ADMIN_PASSWORD + "\n")
    assert focused() is central
    type_keys("r")
    assert central.text() == "r"  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not ui.overlay.busy)  # the answer's hand-back, queued

    # Locked from the side field, which is gone by the unlock: the central widget.
    side.setFocus()
    qtbot.waitUntil(lambda: focused() is side)
    press(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: focused() is ui.overlay.password)
    side.hide()
    with qtbot.waitSignal(ui.session.locked_changed):
        type_keys(ADMIN_PASSWORD + "\n")
    assert focused() is central
    ui.session.end()


def test_lock_unlock_and_hand_over_typed_never_touch_the_database_on_the_gui_thread(
        qtbot: QtBot, stack: Stack, admin: Actor, console: QMainWindow) -> None:
    """No excuse at all (not even the conftest's lists): every password check, audit row
    and must-change question of the lock screen and the hand-over runs off the GUI thread,
    while the field keeps the cursor and the screen says it is checking."""
    stack.auth.create_operator(admin, "duty1", DUTY_PASSWORD, Role.DUTY_OFFICER)
    guard = ThreadGuard(threading.main_thread().ident or 0, strict=True,
                        watched_packages=UI_PACKAGES, excused=frozenset())
    with guard.everywhere():
        ui = install_auth(console, stack.auth, stack.audit, admin, 0)
        press(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: focused() is ui.overlay.password)
        type_keys("wrong-pass-1\n")
        assert ui.overlay.busy and ui.overlay.busy_note.isVisible()  # the check is running
        assert focused() is ui.overlay.password  # ...and the cursor stays in the field
        type_keys("\n")  # a second Return while checking: ignored
        qtbot.waitUntil(lambda: not ui.overlay.busy)
        assert ui.overlay.error.text() == "Wrong password." and ui.session.locked
        assert focused() is ui.overlay.password and not ui.overlay.busy_note.isVisible()
        with qtbot.waitSignal(ui.session.locked_changed):
            type_keys(ADMIN_PASSWORD + "\n")
        assert not ui.session.locked

        press(Qt.Key.Key_H,
              Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        dialog = ui.dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        with qtbot.waitSignal(ui.session.handed_over):
            type_keys(f"duty1\t{DUTY_PASSWORD}\n")
            assert dialog.busy and isinstance(focused(), QLineEdit)  # type: ignore[attr-defined]
        change = ui.dialog  # duty1's password was set by the administrator
        assert isinstance(change, ChangePasswordDialog)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is change)
        type_keys(f"{DUTY_PASSWORD}\tduty-own-pass-2\tduty-own-pass-2\n")
        qtbot.waitUntil(lambda: change.changed)
        ui.session.end()
    assert guard.violations == [] and guard.excused_calls == []
    # The logout at the end is written in the background, after the rest, in order.
    qtbot.waitUntil(lambda: stack.audit_actions()[-1] == "auth.logout")
    assert stack.audit_actions()[-7:] == [
        "auth.lock", "auth.login_failed", "auth.unlock", "auth.logout", "auth.login",
        "auth.password_changed", "auth.logout"]
