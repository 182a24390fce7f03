"""The GUI-thread database guard: raises in test runs, warns in the app, lets other threads
through, and only counts calls made while watched code is on the stack."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from commandroom.db.engine import create_db_engine
from commandroom.db.thread_guard import (
    ENV_EXCUSED,
    ENV_MODE,
    DatabaseOnGuiThread,
    ThreadGuard,
    strict_from_environment,
)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = create_db_engine(f"sqlite:///{tmp_path / 'guard.db'}")
    yield made
    made.dispose()


def _read(sessions: sessionmaker[Session]) -> int:
    with sessions() as s:
        return int(s.scalar(text("SELECT 1")) or 0)


def test_a_session_on_the_forbidden_thread_raises_in_strict_mode(engine: Engine) -> None:
    guard = ThreadGuard(threading.get_ident(), strict=True)
    sessions = sessionmaker(guard.attach(engine))
    with pytest.raises(DatabaseOnGuiThread, match="test_thread_guard"):
        _read(sessions)
    assert guard.violations and "_read" in guard.violations[0]


def test_other_threads_use_the_database_as_before(engine: Engine) -> None:
    guard = ThreadGuard(threading.get_ident(), strict=True)
    sessions = sessionmaker(guard.attach(engine))
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(_read, sessions).result(timeout=10) == 1
    assert guard.violations == []


def test_in_the_app_it_logs_once_per_call_site_and_the_call_goes_on(
        engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    guard = ThreadGuard(threading.get_ident(), strict=False)
    sessions = sessionmaker(guard.attach(engine))
    with caplog.at_level(logging.WARNING, logger="commandroom.db.thread_guard"):
        assert [_read(sessions) for _ in range(3)] == [1, 1, 1]
    warnings = [r for r in caplog.records if "GUI thread" in r.getMessage()]
    assert len(warnings) == 1 and "_read" in warnings[0].getMessage()
    assert len(guard.violations) == 3


def test_allowed_block_and_detach_let_the_thread_through(engine: Engine) -> None:
    guard = ThreadGuard(threading.get_ident(), strict=True)
    sessions = sessionmaker(guard.attach(engine))
    with guard.allowed():
        assert _read(sessions) == 1
    with pytest.raises(DatabaseOnGuiThread):
        _read(sessions)
    guard.detach(engine)
    assert _read(sessions) == 1


def test_watched_packages_count_only_calls_through_that_code(engine: Engine) -> None:
    guard = ThreadGuard(threading.get_ident(), strict=True,
                        watched_packages=("tests.unit.db.test_thread_guard",))
    sessions = sessionmaker(guard.attach(engine))
    with pytest.raises(DatabaseOnGuiThread):
        _read(sessions)  # this module is watched
    unwatched = ThreadGuard(threading.get_ident(), strict=True, watched_packages=("ui",))
    unwatched.attach(engine)
    guard.detach(engine)
    assert _read(sessions) == 1  # no ui.* frame on the stack: a test filling the database


def test_excused_functions_are_counted_not_raised(engine: Engine) -> None:
    guard = ThreadGuard(threading.get_ident(), strict=True,
                        excused=frozenset({f"{__name__}:_read"}))
    sessions = sessionmaker(guard.attach(engine))
    assert _read(sessions) == 1
    assert guard.violations == [] and len(guard.excused_calls) == 1


def test_everywhere_checks_engines_made_later(tmp_path: Path) -> None:
    guard = ThreadGuard(threading.get_ident(), strict=True)
    with guard.everywhere():
        later = create_db_engine(f"sqlite:///{tmp_path / 'later.db'}")
        try:
            with pytest.raises(DatabaseOnGuiThread):
                _read(sessionmaker(later))
        finally:
            later.dispose()
    other = create_db_engine(f"sqlite:///{tmp_path / 'after.db'}")
    try:
        assert _read(sessionmaker(other)) == 1  # outside the block: not checked
    finally:
        other.dispose()


def test_strict_mode_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_MODE, "raise")
    assert strict_from_environment() and ThreadGuard(1).strict
    monkeypatch.setenv(ENV_MODE, "warn")
    assert not ThreadGuard(1).strict


def test_excused_names_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_EXCUSED, "ui.app:start, ui.app:main,")
    assert ThreadGuard(1).excused == {"ui.app:start", "ui.app:main"}
