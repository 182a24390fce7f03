"""SIGTERM and SIGINT end the console as Ctrl+Q does, without a question.

SIGTERM is how the system stops a program at shutdown (and how an administrator's
``kill`` does); SIGINT is Ctrl+C in the terminal the console was started from. Python's
default for SIGTERM ends the process on the spot: no logout in the audit trail, the
recordings' open segments left for the next start to repair, the readers' shared memory
reclaimed only by the resource tracker. Here the signal reaches the Qt event loop (its
number written to a socket by the C-level handler, ``signal.set_wakeup_fd``, so it is
seen at once even while Qt waits in C++) and the console stops in order. Nobody is there
to answer a question: alerts not delivered yet stay queued and go out at the next start.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)

Handler = Callable[[int, FrameType | None], object] | int | None


class StopSignals(QObject):
    def __init__(self, on_stop: Callable[[str], None], parent: QObject | None = None) -> None:
        """``on_stop(name)``: on the GUI thread, once, with "SIGTERM" or "SIGINT"."""
        super().__init__(parent)
        self._on_stop = on_stop
        self._stopping = False
        self._read, self._write = socket.socketpair()
        for end in (self._read, self._write):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        self._previous: dict[signal.Signals, Handler] = {
            sig: signal.signal(sig, _noted) for sig in STOP_SIGNALS}
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)

    def _woken(self) -> None:
        try:
            received = self._read.recv(64)
        except BlockingIOError:
            return
        for number in received:
            if number in STOP_SIGNALS and not self._stopping:
                self._stopping = True
                self._on_stop(signal.Signals(number).name)

    def restore(self) -> None:
        """Put back what was there before (tests; the process's end)."""
        self._notifier.setEnabled(False)
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._read.close()
        self._write.close()


def _noted(_signum: int, _frame: FrameType | None) -> None:
    """The Python-level handler does nothing: the wake-up byte carries the signal."""
