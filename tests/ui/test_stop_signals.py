"""The stop signals reach the GUI thread once, and what was there before comes back
(the whole app's path under a real SIGTERM: test_quit.py)."""

from __future__ import annotations

import os
import signal

from pytestqt.qtbot import QtBot

from ui.stop_signals import StopSignals


def test_a_signal_reaches_the_gui_thread_once_and_restore_puts_back_the_defaults(
        qtbot: QtBot) -> None:
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    stops: list[str] = []
    signals = StopSignals(stops.append)
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: stops == ["SIGTERM"])
        os.kill(os.getpid(), signal.SIGINT)  # already stopping: not a second stop
        qtbot.wait(50)  # nothing to wait on: a second stop must not come
        assert stops == ["SIGTERM"]
    finally:
        signals.restore()
    assert {sig: signal.getsignal(sig) for sig in before} == before
    assert signal.set_wakeup_fd(-1) == -1  # no wake-up socket left behind
