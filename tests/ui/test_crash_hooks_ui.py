"""An exception raised in a Qt slot is logged (redacted) and the console goes on; in the
tests, one raised in a slot or a reader thread fails the test that caused it."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from commandroom.crash_hooks import CrashHooks, install_crash_hooks
from tests.conftest import UncaughtExceptions
from ui.app import CommandRoomApp
from ui.qt_messages import log_qt_message

URL = "rtsp://officer:S3cretPw@127.0.0.1:8554/junction-3"
ROOT = Path(__file__).resolve().parents[2]


def test_a_slot_exception_is_logged_and_the_event_loop_goes_on(
        qtbot: QtBot, caplog: pytest.LogCaptureFixture,
        uncaught_exceptions_fail_the_test: UncaughtExceptions) -> None:
    later: list[bool] = []

    def open_stream_slot() -> None:
        raise RuntimeError(f"cannot open {URL}")

    with caplog.at_level(logging.ERROR, logger="commandroom.crash"):
        QTimer.singleShot(0, open_stream_slot)
        QTimer.singleShot(20, lambda: later.append(True))
        qtbot.waitUntil(lambda: bool(later))  # the slot after the broken one still ran

    [crash] = uncaught_exceptions_fail_the_test.take()
    assert crash.door == "excepthook" and crash.where == "MainThread"
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "commandroom.crash")
    assert "in open_stream_slot" in text
    assert "rtsp://officer:***@127.0.0.1:8554" in text and "S3cretPw" not in text


def test_build_app_installs_the_crash_hooks(make_app: object) -> None:
    ours = install_crash_hooks()
    ours.uninstall()  # as in a process where nothing installed them yet
    try:
        app = make_app()  # type: ignore[operator]
        assert isinstance(app, CommandRoomApp)
        installed = sys.excepthook.__self__  # type: ignore[attr-defined]
        assert isinstance(installed, CrashHooks) and installed is not ours
        installed.uninstall()
    finally:
        ours.install()


def test_a_qt_message_goes_to_the_log_redacted(caplog: pytest.LogCaptureFixture) -> None:
    from PySide6.QtCore import QMessageLogContext, QtMsgType

    with caplog.at_level(logging.WARNING, logger="qt"):
        log_qt_message(QtMsgType.QtWarningMsg, QMessageLogContext(), f"cannot play {URL}")
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert "rtsp://officer:***@" in record.getMessage() and "S3cretPw" not in record.getMessage()


INNER_CONFTEST = """
from tests.conftest import uncaught_exceptions_fail_the_test  # noqa: F401  (the real one)
"""

INNER_TESTS = f"""
import threading
from pathlib import Path

from PySide6.QtCore import QTimer

from commandroom.logging_setup import configure_logging

URL = "{URL}"


def test_slot_raises(qtbot):
    configure_logging(Path("logs"), console=False)
    later = []

    def open_stream_slot():
        raise RuntimeError("cannot open " + URL)

    QTimer.singleShot(0, open_stream_slot)
    QTimer.singleShot(20, lambda: later.append(True))
    qtbot.waitUntil(lambda: bool(later))


def test_reader_thread_raises():
    configure_logging(Path("logs"), console=False)

    def read_junction_stream():
        raise ConnectionError("stream lost: " + URL)

    reader = threading.Thread(target=read_junction_stream, name="reader-junction-3")
    reader.start()
    reader.join()


def test_nothing_raises(qtbot):
    QTimer.singleShot(0, lambda: None)
    qtbot.wait(10)
"""


def test_a_slot_or_thread_exception_fails_the_test_run(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makeini("[pytest]\nqt_api = pyside6\nqt_no_exception_capture = true\n")
    pytester.makepyfile(test_inner=INNER_TESTS)
    # In its own process (its hooks and QApplication are not this test's), importing this
    # worktree's code and its tests' conftest.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    # The two that raised fail at teardown, where the fixture reads what the hooks saw
    # (pytest counts their calls as passed); the one that raised nothing passes alone.
    outcomes = result.parseoutcomes()
    assert (outcomes.get("errors"), outcomes.get("passed")) == (2, 3)
    out = result.stdout.str()
    assert "ERROR at teardown of test_slot_raises" in out
    assert "ERROR at teardown of test_reader_thread_raises" in out
    assert "--- excepthook in MainThread" in out and "in open_stream_slot" in out
    assert "--- thread in reader-junction-3" in out and "in read_junction_stream" in out
    logged = (pytester.path / "logs" / "commandroom.log").read_text(encoding="utf-8")
    assert "in open_stream_slot" in logged and "in read_junction_stream" in logged
    assert logged.count("rtsp://officer:***@127.0.0.1:8554/junction-3") == 2
    assert "S3cretPw" not in logged
