"""Shared fixtures: a private data dir per test, and no thread left running after one."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from commandroom.crash_hooks import Crash, install_crash_hooks
from commandroom.video.worker_pool import READER_PROCESSES_ENV

pytest_plugins = ["pytester"]  # tests that run an inner pytest (the crash hooks fail it)

# Qt without a display, with two screens (console + wall); set before the QApplication
# exists (pytest-qt creates it lazily).
_SCREENS = Path(__file__).parent / "data" / "two_screens.json"
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREENS}"
# The app's default puts stream readers in worker processes (VideoSettings.reader_processes
# = -1): every hub of the suite would start 2 processes (~1 s of CPU each). The suite's
# hubs use reader threads unless a test asks for workers; the tests that run the default
# unset this (tests/ui/test_tagging.py, test_reader_workers_ui.py).
os.environ[READER_PROCESSES_ENV] = "0"


class UncaughtExceptions:
    """What the app's crash hooks saw during one test; a test that provokes one on
    purpose takes it (``take``) so that it does not fail the test."""

    def __init__(self) -> None:
        self._seen: list[Crash] = []
        self._lock = threading.Lock()  # threads report while the test reads

    def record(self, crash: Crash) -> None:
        with self._lock:
            self._seen.append(crash)

    def take(self) -> list[Crash]:
        with self._lock:
            taken, self._seen = self._seen, []
        return taken


@pytest.fixture(autouse=True)
def uncaught_exceptions_fail_the_test() -> Iterator[UncaughtExceptions]:
    """An exception nobody caught (in a Qt slot, a reader or worker thread, a ``__del__``)
    fails the test that caused it, with its traceback as logged.

    These are the app's own hooks (``commandroom.crash_hooks``, which ``build_app`` and
    the command line install too: a no-op here). pytest-qt's capture of slot exceptions is
    off (``qt_no_exception_capture`` in pyproject.toml) so that a slot exception goes
    through the same hook as in the app and is reported once; pytest's thread and
    unraisable hooks still get every exception after ours (they warn)."""
    hooks = install_crash_hooks()
    seen = UncaughtExceptions()
    hooks.listeners.append(seen.record)
    try:
        yield seen
    finally:
        hooks.listeners.remove(seen.record)
        hooks.uninstall()
    crashes = seen.take()
    if crashes:
        pytest.fail("uncaught exception(s) during the test:\n" + "\n".join(
            f"--- {c.door} in {c.where}\n{c.traceback}" for c in crashes), pytrace=False)


@pytest.fixture(autouse=True)
def no_thread_left_running() -> Iterator[None]:
    """Fail a test that leaves a thread of its own running (a reader, a worker)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5.0
    while True:
        leaked = [
            t
            for t in threading.enumerate()
            if t not in before
            and t.is_alive()
            and not getattr(t, "allowed_to_outlive_test", False)
        ]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.02)  # polling thread liveness: there is no event to wait on
    assert not leaked, f"threads left running: {[t.name for t in leaked]}"


@pytest.fixture(autouse=True)
def private_audit_anchors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The audit anchor key and file of every app or CLI a test starts: in this test's
    folder, never in the user's real config folder."""
    folder = tmp_path / "audit-anchors"
    monkeypatch.setenv("COMMANDROOM_AUDIT_ANCHOR_DIR", str(folder))
    return folder


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Everything the app writes goes here for this test only."""
    root = tmp_path / "data"
    monkeypatch.setenv("COMMANDROOM_DATA_DIR", str(root))
    return root
