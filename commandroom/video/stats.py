"""Frame rate, bit rate and latency over a short sliding window."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from commandroom.video.state import StreamStats

WINDOW_S = 2.0


class StatsMeter:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._frames: deque[float] = deque()
        self._bytes: deque[tuple[float, int]] = deque()
        self._latency_ms: float | None = None
        self.width = 0
        self.height = 0
        self.codec = ""
        self.skips_parser = False
        self.decoder = ""  # "sw" or the hardware device type (hw_decode.py)

    def packet(self, size: int) -> None:
        now = self._clock()
        with self._lock:
            self._bytes.append((now, size))
            self._trim(now)

    def frame(self, latency_ms: float | None) -> None:
        now = self._clock()
        with self._lock:
            self._frames.append(now)
            self._latency_ms = latency_ms
            self._trim(now)

    def _trim(self, now: float) -> None:
        while self._frames and self._frames[0] < now - WINDOW_S:
            self._frames.popleft()
        while self._bytes and self._bytes[0][0] < now - WINDOW_S:
            self._bytes.popleft()

    def reset(self) -> None:
        with self._lock:
            self._frames.clear()
            self._bytes.clear()
            self._latency_ms = None

    def fps(self) -> float:
        """Decoded frames a second over the window (ends at the last frame)."""
        now = self._clock()
        with self._lock:
            self._trim(now)
            return self._fps()

    def _fps(self) -> float:
        frames = len(self._frames)
        if frames < 2:
            return 0.0
        span = self._frames[-1] - self._frames[0]
        return (frames - 1) / span if span > 0 else 0.0

    def snapshot(self) -> StreamStats:
        now = self._clock()
        with self._lock:
            self._trim(now)
            fps = self._fps()
            total = sum(size for _, size in self._bytes)
            return StreamStats(
                fps=round(fps, 2),
                latency_ms=self._latency_ms,
                width=self.width,
                height=self.height,
                codec=self.codec,
                bitrate_kbps=round(total * 8 / WINDOW_S / 1000, 1),
                skips_parser=self.skips_parser,
                decoder=self.decoder,
            )
