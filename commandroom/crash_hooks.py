"""Uncaught exceptions end up in the log, redacted, with their whole traceback.

An exception nobody catches leaves the program by one of three doors:

- ``sys.excepthook``: the main thread's, and every exception raised in a Qt slot or
  virtual method (PySide6 hands it here and the event loop goes on);
- ``threading.excepthook``: a ``threading.Thread`` whose ``run`` raised (a stream reader,
  a worker);
- ``sys.unraisablehook``: one Python cannot raise (in ``__del__``, a weakref callback).

Unhooked, the first two print to a terminal nobody at the console reads and the third
is easily lost; the thread or slot is simply gone. ``install_crash_hooks`` puts one hook
on each door that logs the traceback at ERROR on the ``commandroom.crash`` logger. The
text is redacted here, not only by the log handlers: an exception from FFmpeg or zeep
quotes the URL it was given, camera password included, and a listener (the tests') must
not see it either.

A hook installed before ours (pytest's, pytest-qt's) is still called after ours, so we
never hide an exception from whoever else watches for them; the interpreter's own
defaults are not, as they would print the unredacted traceback to stderr a second time.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from commandroom.redact import redact_text

log = logging.getLogger("commandroom.crash")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]
ThreadHook = Callable[[threading.ExceptHookArgs], Any]
UnraisableHook = Callable[["sys.UnraisableHookArgs"], Any]


@dataclass(frozen=True)
class Crash:
    """One uncaught exception, as logged: where it happened and its redacted traceback."""

    door: str  # "excepthook" (main thread or a Qt slot), "thread", "unraisable"
    where: str  # the thread's name, or what Python could not raise from
    traceback: str


def _format(exc_type: type[BaseException] | None, exc: BaseException | None,
            tb: TracebackType | None) -> str:
    if exc_type is None:
        return "(no exception)"
    return redact_text("".join(traceback.format_exception(exc_type, exc, tb)))


@dataclass
class CrashHooks:
    """The three hooks, with the ones they replaced (restored by ``uninstall``)."""

    listeners: list[Callable[[Crash], None]] = field(default_factory=list)
    _previous_excepthook: ExceptHook | None = None
    _previous_threadhook: ThreadHook | None = None
    _previous_unraisablehook: UnraisableHook | None = None

    @property
    def installed(self) -> bool:
        return sys.excepthook == self.on_exception

    def install(self) -> None:
        self._previous_excepthook = sys.excepthook
        self._previous_threadhook = threading.excepthook
        self._previous_unraisablehook = sys.unraisablehook
        sys.excepthook = self.on_exception
        threading.excepthook = self.on_thread_exception
        sys.unraisablehook = self.on_unraisable

    def uninstall(self) -> None:
        """Put back the hooks found at ``install`` (each only if ours is still there)."""
        if sys.excepthook == self.on_exception and self._previous_excepthook:
            sys.excepthook = self._previous_excepthook
        if threading.excepthook == self.on_thread_exception and self._previous_threadhook:
            threading.excepthook = self._previous_threadhook
        if sys.unraisablehook == self.on_unraisable and self._previous_unraisablehook:
            sys.unraisablehook = self._previous_unraisablehook

    def on_exception(self, exc_type: type[BaseException], exc: BaseException,
                     tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in the terminal: not a crash
            sys.__excepthook__(exc_type, exc, tb)
            return
        where = threading.current_thread().name
        self._report(Crash("excepthook", where, _format(exc_type, exc, tb)))
        previous = self._previous_excepthook
        if previous is not None and previous is not sys.__excepthook__:
            previous(exc_type, exc, tb)

    def on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # a thread that asked to end (the default is silent too)
            return
        where = args.thread.name if args.thread is not None else "<unknown thread>"
        self._report(Crash("thread", where,
                           _format(args.exc_type, args.exc_value, args.exc_traceback)))
        previous = self._previous_threadhook
        if previous is not None and previous is not threading.__excepthook__:
            previous(args)

    def on_unraisable(self, args: sys.UnraisableHookArgs) -> None:
        where = redact_text(args.err_msg or "Exception ignored in")
        if args.object is not None:
            try:
                where = f"{where}: {redact_text(repr(args.object))}"
            except Exception:  # a broken __repr__ must not hide the exception itself
                where = f"{where}: <{type(args.object).__name__}>"
        self._report(Crash("unraisable", where,
                           _format(args.exc_type, args.exc_value, args.exc_traceback)))
        previous = self._previous_unraisablehook
        if previous is not None and previous is not sys.__unraisablehook__:
            previous(args)

    def _report(self, crash: Crash) -> None:
        log.error("uncaught exception (%s) in %s\n%s", crash.door, crash.where,
                  crash.traceback.rstrip())
        for listener in list(self.listeners):
            listener(crash)


_hooks: CrashHooks | None = None


def install_crash_hooks() -> CrashHooks:
    """Log every uncaught exception of the process (main thread, Qt slots, threads,
    unraisable); called first thing by the app and the command line. Installing again
    while ours are in place changes nothing."""
    global _hooks
    if _hooks is not None and _hooks.installed:
        return _hooks
    _hooks = CrashHooks()
    _hooks.install()
    return _hooks
