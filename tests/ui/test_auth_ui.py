"""Operator sessions in the UI: first run, login and lockout, idle lock, hand-over, audit view.

A real SQLite database (migrated), the real core services with a cheap argon2 hasher and a
fake clock; dialogs are driven like an officer would (type, click). With
COMMANDROOM_SCREENSHOT_DIR set, two tests also save the docs' screenshots there.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow, AuditTrail
from commandroom.auth.permissions import Actor, Role
from commandroom.auth.service import AuthService
from tests.ui.conftest import AppFactory
from tests.unit.auth.fixtures import ADMIN_PASSWORD, Stack, fast_hasher, make_stack
from ui.auth.install import AuthUi, install_auth, login_at_start
from ui.auth.password_dialogs import BootstrapDialog, ChangePasswordDialog, LoginDialog
from ui.theme import apply_dark_theme

DUTY_PASSWORD = "duty-pass-1"
WRONG_LOGIN = "Wrong user name or password."
SHOTS = os.environ.get("COMMANDROOM_SCREENSHOT_DIR", "")


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
    window.setCentralWidget(QWidget())
    window.resize(900, 600)
    qtbot.addWidget(window)
    window.show()
    return window


def _install(stack: Stack, console: QMainWindow, actor: Actor,
             idle_minutes: float = 0) -> AuthUi:
    return install_auth(console, stack.auth, stack.audit, actor, idle_minutes)


def _settled(qtbot: QtBot, dialog: QDialog) -> None:
    """The core call a submit started (off the GUI thread) has answered."""
    qtbot.waitUntil(lambda: not dialog.busy)  # type: ignore[attr-defined]


def _fill(qtbot: QtBot, dialog: QDialog, **fields: str) -> None:
    for name, text in fields.items():
        edit = getattr(dialog, name)
        edit.clear()
        qtbot.keyClicks(edit, text)


@contextmanager
def _dark_theme() -> Iterator[None]:
    """The product's theme for a screenshot, then the test session's look back."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, palette, sheet = app.style().name(), app.palette(), app.styleSheet()
    apply_dark_theme(app)
    try:
        yield
    finally:
        app.setStyleSheet(sheet)
        app.setPalette(palette)
        app.setStyle(style)


def _save_shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        # A theme set after the widget was laid out posts a re-layout: let it run first.
        QApplication.sendPostedEvents()
        QApplication.processEvents()
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        assert widget.grab().save(str(Path(SHOTS) / name))


def test_first_run_creates_the_administrator_and_refuses_a_short_password(
        qtbot: QtBot, stack: Stack) -> None:
    assert stack.auth.needs_bootstrap()
    dialog = BootstrapDialog(stack.auth)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(qtbot, dialog, username="chief", password="short", repeat="short")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    _settled(qtbot, dialog)
    assert "at least 8" in dialog.error.text()  # the core's policy, shown as it is
    assert dialog.isVisible() and stack.auth.needs_bootstrap()

    _fill(qtbot, dialog, password="chief-pass-9", repeat="chief-pass-8")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "differ" in dialog.error.text() and stack.auth.needs_bootstrap()

    _fill(qtbot, dialog, repeat="chief-pass-9")
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    _settled(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    assert dialog.actor is not None and dialog.actor.role is Role.ADMINISTRATOR
    assert not stack.auth.needs_bootstrap()
    # Whoever created the administrator is logged in as it: no third typing.
    assert stack.audit_actions() == ["operator.bootstrap", "auth.login"]


def _answer_modals(qtbot: QtBot, steps: list[Callable[[QDialog], None]]) -> list[str]:
    """Drive ``exec()``-ed dialogs: each step acts on the next modal dialog that appears."""
    seen: list[str] = []

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog) and modal.isVisible() and \
                (not seen or seen[-1] != f"{id(modal)}"):
            seen.append(f"{id(modal)}")
            steps.pop(0)(modal)
        if steps:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return seen


def test_login_at_start_first_run_logs_the_new_administrator_in(
        qtbot: QtBot, stack: Stack) -> None:
    def bootstrap(dialog: QDialog) -> None:
        assert isinstance(dialog, BootstrapDialog)
        _fill(qtbot, dialog, username="chief", password="chief-pass-9",
              repeat="chief-pass-9")
        dialog.submit()

    seen = _answer_modals(qtbot, [bootstrap])
    actor = login_at_start(stack.auth)
    assert len(seen) == 1  # no log-in dialog after the first start
    assert actor is not None and (actor.username, actor.role) == ("chief", Role.ADMINISTRATOR)
    assert stack.audit_actions() == ["operator.bootstrap", "auth.login"]


def test_login_at_start_forces_a_password_change_set_by_an_administrator(
        qtbot: QtBot, stack: Stack, admin: Actor) -> None:
    stack.auth.create_operator(admin, "duty1", DUTY_PASSWORD, Role.DUTY_OFFICER)

    def login(dialog: QDialog) -> None:
        _fill(qtbot, dialog, username="duty1", password=DUTY_PASSWORD)
        dialog.submit()

    def change(dialog: QDialog) -> None:
        assert "An administrator set your password" in dialog.intro.text()  # type: ignore[attr-defined]
        _fill(qtbot, dialog, old=DUTY_PASSWORD, new="my-own-pass-1", repeat="my-own-pass-1")
        dialog.submit()  # type: ignore[attr-defined]

    _answer_modals(qtbot, [login, change])
    actor = login_at_start(stack.auth)
    assert actor is not None and actor.username == "duty1"
    assert not stack.auth.must_change_password(actor)
    assert stack.auth.login("duty1", "my-own-pass-1") == actor


def test_wrong_password_then_lockout_messages_come_from_the_core(
        qtbot: QtBot, stack: Stack, admin: Actor) -> None:
    dialog = LoginDialog(stack.auth)
    qtbot.addWidget(dialog)
    dialog.show()
    # An unknown name and a wrong password look exactly the same on screen.
    _fill(qtbot, dialog, username="nobody", password="whatever-1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    _settled(qtbot, dialog)
    unknown = (dialog.error.text(), dialog.username.text(), dialog.password.text())
    _fill(qtbot, dialog, username="admin", password="wrong-pass-1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    _settled(qtbot, dialog)
    assert dialog.error.text() == WRONG_LOGIN == unknown[0]
    assert dialog.password.text() == "" == unknown[2] and dialog.isVisible()

    for _ in range(2):  # failures 2 and 3 for admin
        _fill(qtbot, dialog, password="wrong-pass-1")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        _settled(qtbot, dialog)
    assert dialog.error.text() == f"{WRONG_LOGIN} The account is now locked for 30 s."
    _fill(qtbot, dialog, password=ADMIN_PASSWORD)  # right, but locked
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    _settled(qtbot, dialog)
    assert dialog.error.text() == \
        "This account is locked for 30 s after repeated wrong passwords."
    assert dialog.isVisible() and dialog.actor is None

    stack.clock.advance(31)
    _fill(qtbot, dialog, password=ADMIN_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    _settled(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.username == "admin"


def test_idle_lock_covers_the_real_console_and_needs_the_right_password(
        qtbot: QtBot, make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app()
    audit = AuditTrail(app.sessions)
    auth = AuthService(app.sessions, audit, hasher=fast_hasher())
    actor = auth.bootstrap_admin("admin", ADMIN_PASSWORD)
    ui = install_auth(app.console, auth, audit, actor, idle_lock_minutes=0.25 / 60)
    session, overlay, console = ui.session, ui.overlay, app.console
    assert ui.operator_label.text() == "Operator: admin (Administrator)"

    wall_shown = app.wall.window.isVisible()
    with qtbot.waitSignal(session.locked_changed, timeout=5000) as locked:
        pass  # nobody touches anything for 0.25 s
    assert locked.args == [True] and session.locked
    assert overlay.isVisible() and overlay.geometry() == console.rect()
    assert console.isVisible()  # covered, not closed
    # The wall is its own window, outside the console: neither hidden nor input-guarded.
    assert app.wall.window.isVisible() == wall_shown
    assert not session._in_console(app.wall.window)

    # Shortcuts under the cover do nothing: Ctrl+Q would close the console.
    qtbot.keyClick(overlay.password, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert console.isVisible() and session.locked
    qtbot.keyClicks(overlay.password, "wrong-pass-1")
    qtbot.keyClick(overlay.password, Qt.Key.Key_Return)  # Return is also a console shortcut
    qtbot.waitUntil(lambda: not overlay.busy)  # checked off the GUI thread
    # No user name on the lock screen: the message does not talk about one.
    assert overlay.error.text() == "Wrong password." and session.locked
    with qtbot.waitSignal(session.locked_changed) as unlocked:
        qtbot.keyClicks(overlay.password, ADMIN_PASSWORD)
        qtbot.keyClick(overlay.password, Qt.Key.Key_Return)
    assert unlocked.args == [False] and not overlay.isVisible()
    with app.sessions() as db:
        actions = list(db.scalars(select(AuditEventRow.action).order_by(AuditEventRow.seq)))
    assert actions[-3:] == ["auth.lock", "auth.login_failed", "auth.unlock"]

    # Ctrl+L locks at once.
    console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    qtbot.keyClick(console, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert session.locked and overlay.isVisible()
    with qtbot.waitSignal(session.locked_changed):
        session.unlock(ADMIN_PASSWORD)
    session.end()


def test_lock_closes_open_dialogs_of_the_console(qtbot: QtBot, stack: Stack, admin: Actor,
                                                 console: QMainWindow) -> None:
    ui = _install(stack, console, admin)
    dialog = ui.open_change_password()
    assert dialog.isVisible()
    ui.lock_action.trigger()
    assert ui.session.locked and not dialog.isVisible()
    with qtbot.waitSignal(ui.session.locked_changed):
        ui.session.unlock(ADMIN_PASSWORD)


def test_hand_over_switches_the_actor_and_audits_logout_then_login(
        qtbot: QtBot, stack: Stack, admin: Actor, console: QMainWindow) -> None:
    stack.auth.create_operator(admin, "duty1", DUTY_PASSWORD, Role.DUTY_OFFICER, "Officer One")
    ui = _install(stack, console, admin)
    audit_view = ui.open_audit()
    qtbot.waitUntil(audit_view.isVisible)
    assert ui.audit_action.isEnabled()

    dialog = ui.open_hand_over()
    _fill(qtbot, dialog, username="duty1", password="wrong-pass-1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    _settled(qtbot, dialog)
    assert dialog.error.text() == WRONG_LOGIN and ui.session.actor == admin
    with qtbot.waitSignal(ui.session.actor_changed) as changed:
        _fill(qtbot, dialog, password=DUTY_PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    new = changed.args[0]
    assert (new.username, new.role) == ("duty1", Role.DUTY_OFFICER) and ui.session.actor == new
    assert ui.operator_label.text() == "Operator: duty1 (Duty officer)"
    assert stack.audit_actions()[-2:] == ["auth.logout", "auth.login"]
    # The supervisor's view closed with their session; a duty officer gets no audit menu.
    assert ui.audit_view is None and not ui.audit_action.isEnabled()
    assert not ui.operators_action.isEnabled()

    # The administrator chose duty1's password: duty1 must choose their own now.
    change = ui.dialog
    assert change is not None and change.isVisible()
    _fill(qtbot, change, old=DUTY_PASSWORD, new="duty-own-pass-2", repeat="duty-own-pass-2")
    qtbot.keyClick(change.repeat, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: change.changed)  # type: ignore[attr-defined]
    assert not stack.auth.must_change_password(new)


def test_hand_over_from_the_lock_screen(qtbot: QtBot, stack: Stack, admin: Actor,
                                        console: QMainWindow) -> None:
    sup = stack.auth.create_operator(admin, "sup1", "sup-pass-123", Role.SUPERVISOR)
    stack.auth.reset_password(admin, sup.username, "sup-pass-123")
    ui = _install(stack, console, admin)
    ui.session.lock()
    qtbot.mouseClick(ui.overlay.switch_button, Qt.MouseButton.LeftButton)
    dialog = ui.overlay.hand_over_dialog
    assert dialog is not None
    _fill(qtbot, dialog, username="sup1", password="sup-pass-123")
    with qtbot.waitSignal(ui.session.handed_over):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert not ui.session.locked and ui.session.actor.username == "sup1"
    assert not ui.overlay.isVisible()
    assert ui.dialog is not None  # asked for their own password (set by the administrator)
    # ...once: unlocking and handing over both ask, one dialog answers both.
    asking = [w for w in QApplication.topLevelWidgets()
              if isinstance(w, ChangePasswordDialog) and w.isVisible()]
    assert asking == [ui.dialog]
    ui.dialog.reject()  # refusing locks the console again
    assert ui.session.locked


def _tamper(stack: Stack, seq: int) -> None:
    """Edit the SQLite file behind the app's back, as an intruder with file access would."""
    stack.engine.dispose()
    with sqlite3.connect(stack.db_file) as conn:
        conn.execute("UPDATE audit_event SET subject = 'nobody was here' WHERE seq = ?", (seq,))
    conn.close()


def test_audit_view_verifies_then_finds_the_tampered_event(
        qtbot: QtBot, stack: Stack, admin: Actor, console: QMainWindow) -> None:
    for i in range(40):
        with stack.sessions.begin() as db:
            stack.audit.append(db, admin, "camera.update", f"camera {i}", {"i": i})
        stack.clock.advance(60)
    ui = _install(stack, console, admin)
    view = ui.open_audit()
    qtbot.waitUntil(lambda: view.isVisible() and not view.searching)
    total = stack.audit_count()
    assert view.model.rowCount() == total and view.model.event_at(0).seq == total

    view.action_prefix.setText("camera.")
    view.search()
    qtbot.waitUntil(lambda: not view.searching)
    assert view.model.rowCount() == 40
    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.chain_label.text() == f"Chain intact: {total} events")

    _tamper(stack, 7)
    view.text.setText("camera 1")  # a filter that hides event #7 (its subject is "camera 5")
    view.search()
    qtbot.waitUntil(lambda: not view.searching)
    assert view.model.row_of_seq(7) is None
    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.chain_label.text().startswith("BROKEN")
                    and view.table.selectionModel().hasSelection())
    assert view.chain_label.text() == \
        "BROKEN at event #7: stored content does not match its hash (edited)"
    assert "ff5a5a" in view.chain_label.styleSheet()
    rows = view.table.selectionModel().selectedRows()
    assert len(rows) == 1 and view.model.event_at(rows[0].row()).seq == 7
    assert view.model.event_at(rows[0].row()).subject == "nobody was here"
    with _dark_theme():
        _save_shot(view, "audit-broken.png")

    out = Path(stack.db_file).parent / "export" / "audit.csv"
    view.export_to(out)
    qtbot.waitUntil(lambda: view.status.text().startswith("Exported"))
    assert out.read_text(encoding="utf-8").count("\n") == total + 1
    view.close()


def test_a_viewer_cannot_open_the_audit_view(qtbot: QtBot, stack: Stack, admin: Actor,
                                             console: QMainWindow) -> None:
    viewer = stack.auth.create_operator(admin, "watcher", "watch-pass-1", Role.VIEWER)
    ui = _install(stack, console, Actor(viewer.username, Role.VIEWER, viewer.id))
    assert not ui.audit_action.isEnabled() and not ui.operators_action.isEnabled()
    ui.open_audit()
    qtbot.waitUntil(lambda: ui.last_message is not None)  # the core refused (PermissionDenied)
    box = ui.last_message
    assert box is not None and box.isVisible() and ui.audit_view is None
    assert box.text() == ("watcher may not do this: the role “Viewer” lacks the permission "
                          "“view_audit”.")
    assert ui.audit_view is None
    box.close()
    ui.last_message = None
    ui.open_operators()
    qtbot.waitUntil(lambda: ui.last_message is not None)
    assert ui.operators_view is None
    ui.last_message.close()


def test_operators_view_creates_resets_changes_role_and_deactivates(
        qtbot: QtBot, stack: Stack, admin: Actor, console: QMainWindow) -> None:
    ui = _install(stack, console, admin)
    view = ui.open_operators()
    qtbot.waitUntil(view.isVisible)
    assert [r.username for r in view.model.rows] == ["admin"]
    create = view.open_create()
    _fill(qtbot, create, username="Duty2", display_name="Officer Two",
          password="duty2-pass-1", repeat="duty2-pass-1")
    qtbot.mouseClick(create.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(view.model.rows) == 2 and not view.busy)
    assert [r.username for r in view.model.rows] == ["admin", "duty2"]
    assert view.selected() is not None and view.selected().must_change_password  # type: ignore[union-attr]

    view.role.setCurrentIndex(view.role.findData(Role.SUPERVISOR.value))
    assert view.apply_role()
    assert view.error.text() == "Saving…"
    qtbot.waitUntil(lambda: not view.busy)
    assert view.selected().role is Role.SUPERVISOR  # type: ignore[union-attr]
    assert view.toggle_active()
    qtbot.waitUntil(lambda: not view.busy)
    assert not view.selected().active  # type: ignore[union-attr]
    view.select("admin")
    assert view.toggle_active()  # asked; the core refuses: not your own account
    qtbot.waitUntil(lambda: not view.busy)
    assert view.error.text() == "you cannot deactivate your own account"
    assert stack.audit_actions()[-3:] == ["operator.create", "operator.set_role",
                                          "operator.deactivate"]
    view.close()


def _zh_translator(tmp_path: Path) -> QTranslator:
    """A throw-away zh_CN translation of the login dialog (the real one is kept elsewhere)."""
    root = Path(__file__).resolve().parents[2]
    ts = tmp_path / "login_zh_CN.ts"
    tools = Path(sys.executable).parent
    subprocess.run([str(tools / "pyside6-lupdate"), "-silent", "-locations", "none",
                    str(root / "ui/auth/password_dialogs.py"), "-ts", str(ts)], check=True)
    chinese = {
        "Log in": "登录", "Cancel": "取消",
        "Command room": "指挥室", "Username": "用户名", "Password": "密码",
        "Log in with your operator account.": "请使用您的值班员账号登录。",
        "Enter your username and your password.": "请输入用户名和密码。",
    }
    tree = ET.parse(ts)
    tree.getroot().set("language", "zh_CN")
    for message in tree.getroot().iter("message"):
        source, translation = message.findtext("source"), message.find("translation")
        if source in chinese and translation is not None:
            translation.text = chinese[source]
            translation.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    qm = ts.with_suffix(".qm")
    subprocess.run([str(tools / "pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                   check=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    return translator


def test_login_dialog_in_chinese(qtbot: QtBot, stack: Stack, admin: Actor,
                                 tmp_path: Path) -> None:
    assert any("WenQuanYi" in f or "Noto Sans CJK" in f for f in QFontDatabase.families()), \
        "a CJK font is needed (fonts-wqy-microhei)"
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translator = _zh_translator(tmp_path)
    app.installTranslator(translator)
    try:
        with _dark_theme():
            dialog = LoginDialog(stack.auth)
            qtbot.addWidget(dialog)
            dialog.show()
            assert dialog.windowTitle() == "登录"  # the window system adds " — 指挥室"
            assert dialog.ok_button.text() == "登录" and dialog.cancel_button.text() == "取消"
            _fill(qtbot, dialog, username="admin", password="wrong-pass-1")
            qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
            _settled(qtbot, dialog)
            assert dialog.error.text() == WRONG_LOGIN  # (this throw-away .qm lacks it)
            dialog.error.clear()
            _fill(qtbot, dialog, username="admin", password="secret-pass")
            dialog.adjustSize()
            _save_shot(dialog, "login-zh.png")
    finally:
        app.removeTranslator(translator)
    assert QCoreApplication.translate("LoginDialog", "Log in") == "Log in"
