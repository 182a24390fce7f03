"""The thread that does the recorders' writing: one for all cameras, or one per recorder.

Measured at 16 cameras (bench/README.md): with a thread per camera, most of the
recording CPU went to the kernel switching threads and handing the GIL around (every
mux and write releases it), not to writing. One shared thread that wakes a few times a
second and writes every camera's batch in turn costs a fraction. The price: a write that
blocks (a hung network disk) delays every camera; their queues absorb ~2 minutes, then
they drop packets (counted, as gaps) — the readers never wait either way.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

log = logging.getLogger(__name__)

# Woken by a recorder's first queued packet, the thread gathers this long before writing,
# so it runs a few times a second instead of once per frame per camera. Footage at risk in
# a crash grows by this much (see writer.py).
GATHER_S = 0.25


class Drainable(Protocol):
    def drain(self) -> bool:
        """Handle what is queued; True when the recorder has finished for good."""

    def crashed(self) -> None:
        """``drain`` raised (a bug): stop this recorder, leave its file for recovery."""


class WriterThread:
    def __init__(self, name: str = "recording writer") -> None:
        self._cond = threading.Condition()
        self._ready: dict[Drainable, None] = {}  # insertion-ordered set
        self._members = 0
        self._hurry = False
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def attach(self) -> None:
        """A recorder will use this thread (it starts with the first)."""
        with self._cond:
            self._members += 1
            start = self._thread.ident is None
        if start:
            self._thread.start()

    def detach(self) -> None:
        with self._cond:
            self._members -= 1

    def wake(self, recorder: Drainable, hurry: bool = False) -> None:
        """``recorder`` has work; ``hurry``: handle it now (a command, a waiter)."""
        with self._cond:
            self._ready[recorder] = None
            self._hurry = self._hurry or hurry
            self._cond.notify()

    def close(self, timeout: float = 30.0) -> None:
        """Stop after the work in hand (the recorders are closed first)."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread.ident is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._ready and not self._stopping:
                    self._cond.wait()
                if not self._ready and self._stopping:
                    return
                if not self._hurry and not self._stopping:
                    self._cond.wait(GATHER_S)
                self._hurry = False
                ready = list(self._ready)
                self._ready.clear()
            for recorder in ready:
                try:
                    recorder.drain()
                except Exception:
                    log.exception("recording writer: a recorder failed")
                    recorder.crashed()
