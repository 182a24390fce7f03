"""The crash hooks log an uncaught exception of a thread, or one Python could not raise,
redacted and with its traceback; they never hide it from a hook installed before them."""

from __future__ import annotations

import io
import logging
import sys
import threading
from pathlib import Path

import pytest

from commandroom.crash_hooks import CrashHooks, install_crash_hooks
from commandroom.logging_setup import configure_logging
from tests.conftest import UncaughtExceptions

URL = "rtsp://officer:S3cretPw@127.0.0.1:8554/junction-3"


def read_junction_stream() -> None:
    raise ConnectionError(f"stream lost: {URL}")


# The exceptions below are provoked; pytest's own hooks, which ours pass them on to, warn.
provoked_in_a_thread = pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnhandledThreadExceptionWarning")


@provoked_in_a_thread
def test_a_thread_exception_is_logged_redacted_with_its_traceback(
        caplog: pytest.LogCaptureFixture,
        uncaught_exceptions_fail_the_test: UncaughtExceptions) -> None:
    reader = threading.Thread(target=read_junction_stream, name="reader-junction-3")
    with caplog.at_level(logging.ERROR, logger="commandroom.crash"):
        reader.start()
        reader.join()

    [crash] = uncaught_exceptions_fail_the_test.take()  # provoked: must not fail this test
    assert (crash.door, crash.where) == ("thread", "reader-junction-3")
    [record] = [r for r in caplog.records if r.name == "commandroom.crash"]
    text = record.getMessage()
    assert "reader-junction-3" in text
    assert "in read_junction_stream" in text  # the traceback, not only the message
    assert "rtsp://officer:***@127.0.0.1:8554/junction-3" in text
    assert "S3cretPw" not in text and "S3cretPw" not in crash.traceback


@provoked_in_a_thread
def test_the_log_file_gets_the_traceback_without_the_password(
        tmp_path: Path, uncaught_exceptions_fail_the_test: UncaughtExceptions) -> None:
    log_file = configure_logging(tmp_path / "logs", console=False)
    try:
        reader = threading.Thread(target=read_junction_stream, name="reader-junction-3")
        reader.start()
        reader.join()
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_commandroom", False):
                logging.getLogger().removeHandler(handler)
                handler.close()
    uncaught_exceptions_fail_the_test.take()
    logged = log_file.read_text(encoding="utf-8")
    assert "uncaught exception (thread) in reader-junction-3" in logged
    assert "ConnectionError: stream lost: rtsp://officer:***@127.0.0.1" in logged
    assert "S3cretPw" not in logged


class _Leaky:
    def __del__(self) -> None:
        raise RuntimeError(f"cannot release {URL}")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_unraisable_exception_is_logged(
        caplog: pytest.LogCaptureFixture,
        uncaught_exceptions_fail_the_test: UncaughtExceptions) -> None:
    with caplog.at_level(logging.ERROR, logger="commandroom.crash"):
        leaky = _Leaky()
        del leaky  # CPython: __del__ runs here; its exception cannot be raised
    [crash] = uncaught_exceptions_fail_the_test.take()
    assert crash.door == "unraisable"
    assert "_Leaky.__del__" in crash.where
    assert "rtsp://officer:***@" in crash.traceback and "S3cretPw" not in crash.traceback
    assert any("uncaught exception (unraisable)" in r.getMessage() for r in caplog.records)


def test_a_hook_installed_before_is_still_called_and_put_back() -> None:
    ours = install_crash_hooks()
    ours.uninstall()  # the process as before anything was installed
    seen_before: list[str] = []
    previous = threading.excepthook
    threading.excepthook = lambda args: seen_before.append(str(args.exc_value))
    try:
        hooks = CrashHooks()
        hooks.install()
        reader = threading.Thread(target=read_junction_stream)
        reader.start()
        reader.join()
        hooks.uninstall()
        assert seen_before == [f"stream lost: {URL}"]  # pytest's own hook is one of these
        assert threading.excepthook is not hooks.on_thread_exception
    finally:
        threading.excepthook = previous
        ours.install()  # the tests' own, for the rest of this test


def test_the_interpreters_default_is_not_called_twice(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The default prints the raw traceback (password included) to stderr; the log's own
    # console handler already shows the redacted one.
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    hooks = CrashHooks(_previous_excepthook=sys.__excepthook__)
    try:
        read_junction_stream()
    except ConnectionError as exc:
        hooks.on_exception(type(exc), exc, exc.__traceback__)
    assert "S3cretPw" not in stderr.getvalue()


def test_installing_twice_keeps_one_set_of_hooks() -> None:
    first = install_crash_hooks()  # the tests' fixture installed them already
    assert install_crash_hooks() is first
    assert sys.excepthook == first.on_exception


def test_the_command_line_installs_the_crash_hooks(tmp_path: Path) -> None:
    from commandroom import cli
    from commandroom.config import Paths

    ours = install_crash_hooks()
    ours.uninstall()  # as in a process where nothing installed them yet
    try:
        out = io.StringIO()
        assert cli.run(["operator", "list"], paths=Paths.resolve(tmp_path / "data"),
                       out=out) == 0
        installed = sys.excepthook.__self__  # type: ignore[attr-defined]
        assert isinstance(installed, CrashHooks) and installed is not ours
        installed.uninstall()
    finally:
        ours.install()
