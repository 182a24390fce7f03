"""Shared fixtures: a private data dir per test, and no thread left running after one."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt without a display, with two screens (console + wall); set before the QApplication
# exists (pytest-qt creates it lazily).
_SCREENS = Path(__file__).parent / "data" / "two_screens.json"
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREENS}"


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
