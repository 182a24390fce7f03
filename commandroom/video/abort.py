"""Abort a reader thread that is blocked inside FFmpeg (open or read), right now.

PyAV bounds every blocking call with an interrupt callback that compares
``time.monotonic()`` to a per-call deadline (``av.open(..., timeout=...)``); FFmpeg polls it
about every 100 ms while waiting on a socket. PyAV has no public "abort" call, so we give
its module a ``time`` whose ``monotonic()`` jumps far ahead *for the threads we abort only*:
their deadline has then passed and FFmpeg returns at its next poll. Every other thread
sees the real clock. If a PyAV release stops reading the clock this way, nothing breaks:
the read timeout still bounds the call, only the abort is slower.
"""

from __future__ import annotations

import threading
import time
import types
from typing import Any

_JUMP_S = 1e9
_aborted: set[int] = set()
_lock = threading.Lock()
_installed = False


class _AbortAwareTime(types.ModuleType):
    """The ``time`` module, except ``monotonic`` for aborted threads."""

    def __init__(self) -> None:
        super().__init__("time")

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    def monotonic(self) -> float:
        now = time.monotonic()
        if _aborted and threading.get_ident() in _aborted:
            return now + _JUMP_S
        return now


def install() -> bool:
    """Hook PyAV's interrupt clock once; returns False when this PyAV has no such hook."""
    global _installed
    with _lock:
        if _installed:
            return True
        try:
            import av.container.core as core
        except ImportError:  # pragma: no cover - PyAV is a hard dependency
            return False
        if getattr(core, "time", None) is not time:
            return False
        setattr(core, "time", _AbortAwareTime())  # noqa: B010 - mypy: not in the stubs
        _installed = True
        return True


def abort(thread_ident: int | None) -> None:
    """Make FFmpeg calls running in that thread give up at their next poll."""
    if thread_ident is not None:
        with _lock:
            _aborted.add(thread_ident)


def forget(thread_ident: int | None) -> None:
    """The thread is finishing: its ident may be reused by a new thread."""
    if thread_ident is not None:
        with _lock:
            _aborted.discard(thread_ident)
