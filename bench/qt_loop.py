"""The GUI-loop pieces the painted benches share: running the loop, measuring its lag."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.figures import percentile

PROBE_MS = 10


def spin(app: Any, seconds: float) -> None:
    """Run the Qt event loop for ``seconds`` (processEvents returns at once when idle)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)


def spin_until(app: Any, done: Callable[[], bool], timeout: float) -> bool:
    """Run the loop until ``done()`` (checked every ~1 ms) or ``timeout``; True if done."""
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            return False
        app.processEvents()
        time.sleep(0.001)
    return True


class LagProbe:
    """A precise 10 ms QTimer recording how late each tick fires while recording: the p99
    of that lateness is how long the GUI thread was busy in one go."""

    def __init__(self, period_ms: int = PROBE_MS) -> None:
        from PySide6.QtCore import Qt, QTimer

        self._period_ms = period_ms
        self.lateness: list[float] = []
        self.recording = False
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(period_ms)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.recording:
            self.lateness.append(max(0.0, (now - self._last) * 1000 - self._period_ms))
        self._last = now

    def record(self) -> None:
        self.lateness = []
        self._last = time.perf_counter()
        self.recording = True

    def stop(self) -> dict[str, float]:
        """Stop recording; p50, p99 and max lateness in ms (NaN when no tick came)."""
        self.recording = False
        self._timer.stop()
        if not self.lateness:
            nan = float("nan")
            return {"lag_p50_ms": nan, "lag_p99_ms": nan, "lag_max_ms": nan}
        return {"lag_p50_ms": statistics.median(self.lateness),
                "lag_p99_ms": percentile(self.lateness, 0.99),
                "lag_max_ms": max(self.lateness)}
