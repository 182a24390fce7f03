"""How fast recordings fill the disk, and whether it will be full within ``warn_hours``."""

from __future__ import annotations

import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

_BUCKET_S = 10.0


class WriteRateMeter:
    """Bytes written by all recorders, averaged over the last ``window_s`` (thread-safe;
    the recorders' writer threads call ``add``)."""

    def __init__(self, window_s: float = 600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: deque[list[float]] = deque()  # [bucket start, bytes]
        self._started = clock()

    def add(self, nbytes: int) -> None:
        now = self._clock()
        with self._lock:
            if not self._buckets or now - self._buckets[-1][0] >= _BUCKET_S:
                self._buckets.append([now, 0.0])
            self._buckets[-1][1] += nbytes
            self._trim(now)

    def rate_bps(self) -> float:
        """Bytes per second over the window (or since the meter started, if shorter)."""
        now = self._clock()
        with self._lock:
            self._trim(now)
            total = sum(b for _, b in self._buckets)
        span = min(self.window_s, now - self._started)
        return total / span if span > 0 else 0.0

    def _trim(self, now: float) -> None:
        while self._buckets and now - self._buckets[0][0] > self.window_s:
            self._buckets.popleft()


class DiskUsage(NamedTuple):
    total: int
    used: int
    free: int


@dataclass(frozen=True)
class DiskForecast:
    rate_bps: float
    free_bytes: int
    stored_bytes: int  # by recordings
    quota_bytes: int | None
    # When the disk is full at this rate; None: never (no writing, or the quota makes
    # retention delete the oldest footage before the disk fills).
    hours_to_full: float | None
    warn: bool


@dataclass(frozen=True)
class DiskForecastChanged:
    """Domain event: the status bar shows (or clears) the disk warning."""

    forecast: DiskForecast


def forecast_disk(folder: Path, rate_bps: float, stored_bytes: int, quota_bytes: int | None,
                  warn_hours: float,
                  disk_usage: Callable[[Path], DiskUsage] = shutil.disk_usage  # type: ignore[assignment]
                  ) -> DiskForecast:
    free = int(disk_usage(folder).free)
    hours: float | None = None
    quota_catches_it = quota_bytes is not None and quota_bytes - stored_bytes < free
    if rate_bps > 0 and not quota_catches_it:
        hours = free / rate_bps / 3600.0
    warn = hours is not None and hours < warn_hours
    return DiskForecast(rate_bps, free, stored_bytes, quota_bytes, hours, warn)
