"""Retention sweeps and the disk forecast, on a timer, on a thread of their own.

Neither may run on the GUI thread (a bulk sweep over 100,000 segments takes ~0.8 s, the
forecast sums the index) nor on a recorder's writer thread (it would stall a camera's
file). One small worker owned by the ``Core`` runs both: a sweep at start and every
``sweep_every_s``, the forecast every ``forecast_every_s`` (it publishes
``DiskForecastChanged`` itself when its warning changes). ``run_now`` asks for both at once
(new retention settings apply without waiting for the timer).

A failing pass (the database briefly locked, the folder gone) is logged and tried again
at the next tick: the worker never dies of it, or nothing would be deleted any more.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from commandroom.recording.forecast import DiskForecast
from commandroom.recording.retention import SweepResult
from commandroom.recording.service import RecordingSystem

log = logging.getLogger(__name__)

DEFAULT_SWEEP_EVERY_S = 300.0
DEFAULT_FORECAST_EVERY_S = 60.0
_JOIN_TIMEOUT_S = 30.0  # a bulk sweep takes ~1 s; a slow disk's unlinks a little longer


@dataclass(frozen=True)
class HousekeepingPass:
    """What the last pass did (for tests and the log)."""

    number: int
    sweep: SweepResult | None  # None: no sweep was due in this pass
    forecast: DiskForecast | None  # None: the forecast failed


class Housekeeper:
    def __init__(self, system: RecordingSystem, *,
                 sweep_every_s: float = DEFAULT_SWEEP_EVERY_S,
                 forecast_every_s: float = DEFAULT_FORECAST_EVERY_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._system = system
        self.sweep_every_s = sweep_every_s
        self.forecast_every_s = forecast_every_s
        self._clock = clock
        self._cond = threading.Condition()
        self._stopping = False
        self._asked = False
        self._passes = 0
        self.last: HousekeepingPass | None = None
        self._forecast_failing = False
        self._thread = threading.Thread(target=self._run, name="recording-housekeeper",
                                        daemon=True)

    def start(self) -> Housekeeper:
        self._thread.start()
        return self

    def run_now(self) -> None:
        """A sweep and a forecast as soon as the worker is free."""
        with self._cond:
            self._asked = True
            self._cond.notify_all()

    def wait_passes(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` passes in all are done (tests)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._passes >= count or self._stopping,
                                       timeout)

    def close(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread.ident is not None:
            self._thread.join(_JOIN_TIMEOUT_S)

    # -- the worker thread -----------------------------------------------------------------
    def _run(self) -> None:
        next_sweep = next_forecast = self._clock()  # both at start
        while True:
            with self._cond:
                while not self._stopping and not self._asked and \
                        self._clock() < min(next_sweep, next_forecast):
                    self._cond.wait(max(0.01, min(next_sweep, next_forecast) - self._clock()))
                if self._stopping:
                    return
                asked, self._asked = self._asked, False
            now = self._clock()
            sweep: SweepResult | None = None
            if asked or now >= next_sweep:
                sweep = self._sweep()
                next_sweep = self._clock() + self.sweep_every_s
            forecast = self._forecast()
            next_forecast = self._clock() + self.forecast_every_s
            with self._cond:
                self._passes += 1
                self.last = HousekeepingPass(self._passes, sweep, forecast)
                self._cond.notify_all()

    def _sweep(self) -> SweepResult | None:
        try:
            return self._system.parts.retention.sweep()
        except Exception:
            log.exception("recording housekeeping: the retention sweep failed; next try "
                          "in %.0f s", self.sweep_every_s)
            return None

    def _forecast(self) -> DiskForecast | None:
        try:
            forecast = self._system.check_disk()
        except OSError as exc:
            # The folder gone (a disk unplugged): the recorders say so on the status bar;
            # once in the log here, not every minute.
            if not self._forecast_failing:
                log.warning("recording housekeeping: no disk forecast for %s (%s)",
                            self._system.root, exc.strerror or type(exc).__name__)
            self._forecast_failing = True
            return None
        except Exception:
            log.exception("recording housekeeping: the disk forecast failed")
            return None
        self._forecast_failing = False
        return forecast
