"""Ctrl+Q quits everything (console, wall, readers, the operator's session), from the
console or the wall, asking first only when alerts are still on their way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, select

from commandroom.audit.trail import AuditEventRow
from commandroom.auth.permissions import SYSTEM
from commandroom.watchlist.records import Category, EntryInput, Risk
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import modals_driven, press
from ui.app import CommandRoomApp

CTRL = Qt.KeyboardModifier.ControlModifier
ROOT = Path(__file__).resolve().parents[2]


def _logged_in(app: CommandRoomApp) -> list[int]:
    """Log an administrator in as main() does; returns the exit codes asked for."""
    actor = app.auth.bootstrap_admin("chief", "chief-pass-9", log_in=True)
    app.log_in(actor)
    exits: list[int] = []
    app.exit_event_loop = exits.append
    return exits


def _audit(app: CommandRoomApp) -> list[tuple[str, dict[str, object]]]:
    with app.sessions() as db:
        rows = db.execute(select(AuditEventRow.action, AuditEventRow.details)
                          .order_by(AuditEventRow.seq)).all()
    return [(action, json.loads(details)) for action, details in rows]


def _everything_stopped(app: CommandRoomApp) -> bool:
    return (not app.console.isVisible() and not app.wall.window.isVisible()
            and app.hub.reader_count() == 0)


def test_ctrl_q_on_the_console_quits_everything_and_logs_out(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    exits = _logged_in(app)
    qtbot.waitUntil(lambda: app.hub.reader_count() == 4, timeout=10_000)
    assert app.wall.window.isVisible()
    app.console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.console)
    press(Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(lambda: exits == [0])  # after the pending alerts are counted
    assert _everything_stopped(app)
    # One event says both: the operator's session ended because the app was quit.
    assert _audit(app)[-1] == ("auth.logout", {"reason": "quit"})


def test_ctrl_q_on_the_wall_quits_too(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    exits = _logged_in(app)
    app.wall.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.wall.window)
    press(Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(lambda: exits == [0])
    assert _everything_stopped(app)
    assert _audit(app)[-1] == ("auth.logout", {"reason": "quit"})


def test_the_console_close_button_quits_the_process_not_just_the_window(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    exits = _logged_in(app)
    app.console.close()  # the title bar's close button
    qtbot.waitUntil(lambda: exits == [0])
    assert _everything_stopped(app)


def test_quit_asks_while_alerts_are_pending_delivery(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    exits = _logged_in(app)
    team = app.alerting.teams.list_teams()[0]
    # Nothing listens on port 9 of 127.0.0.1: the delivery stays "retrying".
    app.alerting.teams.save_channel(SYSTEM, team.id, "webhook", "hook",
                                    {"url": "http://127.0.0.1:9/hook", "signing_secret": "s"})
    app.watchlist.create(SYSTEM, EntryInput(name="Zhang San", category=Category.WANTED,
                                            risk=Risk.HIGH, reason="theft"))
    grid = app.console.grid
    qtbot.waitUntil(lambda: grid.tiles[0].painted_seq > 0, timeout=20_000)
    grid.select(grid.tiles[0])
    dialog = app.tagging.start_tag()
    assert dialog is not None
    dialog.query.setText("Zhang")
    with qtbot.waitSignal(app.tagging.alert_requested, timeout=10_000):
        dialog.save()
    # The send dialog opens once the entry and the preview are read off the GUI thread.
    qtbot.waitUntil(lambda: app.alerts_ui.dialog is not None, timeout=10_000)
    send = app.alerts_ui.dialog
    assert send is not None
    with qtbot.waitSignal(send.sent, timeout=10_000):
        send.send()
    qtbot.waitUntil(lambda: not send.isVisible())

    questions: list[str] = []

    def keep_running(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        questions.append(box.text())
        press(Qt.Key.Key_Escape)

    app.console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.console)
    with modals_driven([keep_running]):
        press(Qt.Key.Key_Q, CTRL)
        qtbot.waitUntil(lambda: bool(questions) and QApplication.activeModalWidget() is None,
                        timeout=10_000)
    assert questions and "not delivered yet" in questions[0]
    assert exits == [] and app.console.isVisible() and app.wall.window.isVisible()

    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.console)
    with modals_driven([lambda _box: press(Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)]):
        press(Qt.Key.Key_Q, CTRL)
        qtbot.waitUntil(lambda: exits == [0], timeout=10_000)
    assert _everything_stopped(app)


_SCRIPT = textwrap.dedent("""
    import sys, threading
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from commandroom.config import Paths, Settings
    from ui.app import build_app, build_parser, prepare_qt_app, run_console

    qt_app = QApplication([])
    translators = prepare_qt_app(qt_app, "en")
    paths = Paths.resolve(sys.argv[1]); paths.ensure()
    app = build_app(paths, Settings(), build_parser().parse_args(["--demo"]))
    app.log_in(app.auth.bootstrap_admin("chief", "chief-pass-9", log_in=True))

    def press_ctrl_q():
        if app.hub.reader_count() < 4 or QApplication.activeWindow() is not app.console:
            app.console.activateWindow()
            QTimer.singleShot(50, press_ctrl_q)
            return
        if sys.argv[2] == "signal":  # locked, and the test sends the signal
            app.auth_ui.session.lock()
            print("ready", flush=True)
            return
        target = QApplication.focusWidget() or QApplication.activeWindow()
        QTest.keyClick(target, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(0, press_ctrl_q)
    code = run_console(qt_app, app)
    print("exit", code, "threads", sorted(t.name for t in threading.enumerate()
                                          if t is not threading.main_thread() and t.is_alive()
                                          and not t.daemon))
    sys.exit(code)
""")


def test_ctrl_q_ends_the_process_with_status_0(tmp_path: Path) -> None:
    """The real event loop, in its own process: before, the console closed and the process
    went on with the wall."""
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(tmp_path / "data"), "keys"],
                          cwd=ROOT, env=dict(os.environ), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "exit 0 threads []"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_or_ctrl_c_stops_in_order_even_locked(tmp_path: Path, sig: int) -> None:
    """The system's shutdown (SIGTERM) or Ctrl+C in the terminal: before, Python's
    default ended the process on the spot, with no logout audited and the recordings'
    open segments left for the next start to repair."""
    data = tmp_path / "data"
    console = subprocess.Popen([sys.executable, "-c", _SCRIPT, str(data), "signal"],
                               cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert console.stdout is not None and console.stdout.readline() == "ready\n"
        console.send_signal(sig)
        out, err = console.communicate(timeout=60)
    finally:
        if console.poll() is None:
            console.kill()
            console.communicate()
    assert console.returncode == 0, err[-3000:]
    assert out.strip().splitlines()[-1] == "exit 0 threads []"
    assert f"stopping on {signal.Signals(sig).name}" in err
    engine = create_engine(f"sqlite:///{data / 'commandroom.db'}")
    try:
        with engine.connect() as db:
            rows = db.execute(select(AuditEventRow.action, AuditEventRow.details)
                              .order_by(AuditEventRow.seq)).all()
    finally:
        engine.dispose()
    assert [(a, json.loads(d)) for a, d in rows][-2:] == [
        ("auth.lock", {"reason": "manual"}), ("auth.logout", {"reason": "signal"})]


def test_ctrl_q_on_the_wall_does_not_quit_a_locked_console(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    exits = _logged_in(app)
    assert app.auth_ui is not None
    app.auth_ui.session.lock()
    app.wall.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.wall.window)
    press(Qt.Key.Key_Q, CTRL)  # a passer-by at the wall screen
    assert exits == [] and app.console.isVisible() and app.auth_ui.session.locked
    assert app.auth_ui.overlay.error.text() == "Unlock the console first, then quit."
