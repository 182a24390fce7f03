"""Keeps database work off one thread: the GUI thread, which also paints the wall.

SQLite waits up to its busy timeout (5 s) for a write lock. A session used on the GUI
thread while a worker writes freezes the console and the wall for that long, so the UI
never opens one there: it asks the UI's background executor, or reads an in-memory
snapshot the core keeps (``commandroom.cameras.directory``).

Whoever opens the database (the composition root) arms a :class:`ThreadGuard` on the
GUI thread's ident and attaches it to the engine. Every connection taken from the pool
on that thread (a session's first statement, ``engine.connect()``) is then checked:

- ``strict`` (test runs, ``COMMANDROOM_DB_THREAD_GUARD=raise``): raise
  :class:`DatabaseOnGuiThread` naming the caller, so the test that walked the path fails;
- otherwise (the app): log a warning with the caller once per call site and go on. A path
  we missed degrades the console for a moment; it never ends an officer's shift.

``watched_packages`` limits the check to calls made while code of those packages is on
the stack (the UI passes ``("ui",)``): a test that fills the database on the main thread
before it opens a window is not the UI blocking its own thread.

The module knows nothing of Qt: the caller says which thread is forbidden.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.pool import Pool

log = logging.getLogger(__name__)

ENV_MODE = "COMMANDROOM_DB_THREAD_GUARD"  # "raise" in test runs; anything else: warn
# Comma-separated "module:function" names excused in test runs (see ``excused``).
ENV_EXCUSED = "COMMANDROOM_DB_THREAD_GUARD_EXCUSED"


class DatabaseOnGuiThread(RuntimeError):
    """A database connection was taken on the thread that must never wait for one."""


def strict_from_environment() -> bool:
    """Raise (test runs set the variable) or only warn (the app in service)."""
    return os.environ.get(ENV_MODE, "").strip().lower() == "raise"


def excused_from_environment() -> frozenset[str]:
    return frozenset(n.strip() for n in os.environ.get(ENV_EXCUSED, "").split(",") if n.strip())


class ThreadGuard:
    """Forbids database connections on one thread; attach it to engines or pools."""

    def __init__(self, thread_ident: int, *, strict: bool | None = None,
                 watched_packages: tuple[str, ...] = (),
                 excused: frozenset[str] | None = None) -> None:
        self.thread_ident = thread_ident
        self.strict = strict_from_environment() if strict is None else strict
        self.watched_packages = watched_packages
        # "module:function" names: a call with one of them on the stack is only counted
        # (``excused_calls``), never raised: start-up paths, and paths still to be moved.
        self.excused = excused_from_environment() if excused is None else excused
        self.excused_calls: list[str] = []
        self._allowed = threading.local()
        self._warned: set[str] = set()
        self.violations: list[str] = []  # every offending call site, in order

    # -- where it applies -------------------------------------------------------------
    def attach(self, engine: Engine) -> Engine:
        """Check every connection ``engine`` hands out; returns the engine."""
        event.listen(engine, "checkout", self._on_checkout)
        return engine

    def detach(self, engine: Engine) -> None:
        if event.contains(engine, "checkout", self._on_checkout):
            event.remove(engine, "checkout", self._on_checkout)

    @contextlib.contextmanager
    def everywhere(self) -> Iterator[ThreadGuard]:
        """Check every engine of the process while the block runs (a test: windows the
        test builds on engines of its own are checked too)."""
        event.listen(Pool, "checkout", self._on_checkout)
        try:
            yield self
        finally:
            event.remove(Pool, "checkout", self._on_checkout)

    @contextlib.contextmanager
    def allowed(self) -> Iterator[None]:
        """Start-up on the GUI thread before any window shows (open, migrate, recover,
        log in): nothing is painted yet, so nothing can freeze."""
        depth = getattr(self._allowed, "depth", 0)
        self._allowed.depth = depth + 1
        try:
            yield
        finally:
            self._allowed.depth = depth

    # -- the check ----------------------------------------------------------------------
    def check(self) -> None:
        """Raise or warn when called on the forbidden thread (outside ``allowed``)."""
        if threading.get_ident() != self.thread_ident:
            return
        if int(getattr(self._allowed, "depth", 0)) > 0:
            return
        frame = sys._getframe(1)
        where = self._caller(frame)
        if where is None:  # no watched code on the stack: not the UI's doing
            return
        if self.excused and self._excused_by(frame):
            self.excused_calls.append(where)
            return
        self.violations.append(where)
        if self.strict:
            raise DatabaseOnGuiThread(f"database used on the GUI thread by {where}")
        if where not in self._warned:  # once per call site: the log stays readable
            self._warned.add(where)
            log.warning("database used on the GUI thread by %s (it may freeze the console)",
                        where)

    def _on_checkout(self, _dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        self.check()

    def _excused_by(self, frame: FrameType | None) -> bool:
        while frame is not None:
            name = f"{frame.f_globals.get('__name__', '')}:{frame.f_code.co_name}"
            if name in self.excused:
                return True
            frame = frame.f_back
        return False

    def _caller(self, frame: FrameType | None) -> str | None:
        """The innermost watched frame as "module:line in function" (the innermost frame
        when nothing is watched)."""
        first: str | None = None
        while frame is not None:
            module = str(frame.f_globals.get("__name__", ""))
            here = f"{module}:{frame.f_lineno} in {frame.f_code.co_name}"
            if not self.watched_packages:
                if not module.startswith(("sqlalchemy", "commandroom.db.thread_guard")):
                    return here
            elif any(module == p or module.startswith(p + ".")
                     for p in self.watched_packages):
                return here
            first = first or here
            frame = frame.f_back
        return None if self.watched_packages else first
