"""Pure arithmetic shared by the benches: percentiles, memory growth, pass/fail lines.

No Qt, no processes: tests/unit/bench/test_figures.py covers it.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q`` quantile (0..1) of ``values`` (the benches' convention)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# What the memory benches leave out of the growth fit: the first minute, where the
# evidence ring fills (EvidenceSettings.pre_seconds: ~10 s) and the first allocations
# settle. Everything after it is the steady state "no growth" is about.
SETTLE_S = 60.0


@dataclass(frozen=True)
class Growth:
    """A least-squares line through (seconds, MB) samples: its slope in MB per minute,
    the slope's standard error (how far the samples' scatter alone could move it), and
    the seconds of the series it was fitted over."""

    mb_per_min: float
    standard_error: float
    window_s: float


def steady_window_s(end_s: float) -> float:
    """The default fitting window of a series ending at ``end_s``: all but the first
    SETTLE_S, or the second half of a series too short for that. A longer window: the
    same scatter moves the fitted slope less (10 min of samples scattered by ±3 MB: a
    standard error of 0.12 MB/min over 9 min, 0.21 over the last 5)."""
    return end_s - SETTLE_S if end_s >= 2 * SETTLE_S else end_s / 2


def growth_fit(samples: Sequence[tuple[float, float]], last_seconds: float) -> Growth:
    """The fitted growth of (seconds, MB) samples in the last ``last_seconds`` of the
    series (at least its last two samples).

    A fit, not end minus start: one sample caught in the middle of a burst (the evidence
    ring filling, glibc handing memory back) must not decide the verdict.
    """
    if len(samples) < 2:
        raise ValueError("a slope needs two samples")
    end = samples[-1][0]
    window = [(t, mb) for t, mb in samples if t >= end - last_seconds]
    if len(window) < 2:
        window = list(samples[-2:])
    mean_t = statistics.fmean(t for t, _ in window)
    mean_mb = statistics.fmean(mb for _, mb in window)
    spread = sum((t - mean_t) ** 2 for t, _ in window)
    if spread == 0:
        return Growth(0.0, 0.0, last_seconds)
    slope = sum((t - mean_t) * (mb - mean_mb) for t, mb in window) / spread
    error = 0.0
    if len(window) > 2:
        residual = sum((mb - mean_mb - slope * (t - mean_t)) ** 2 for t, mb in window)
        error = math.sqrt(residual / (len(window) - 2) / spread)
    return Growth(slope * 60.0, error * 60.0, last_seconds)


def per_stream_mb(before_mb: float, now_mb: float, streams: int) -> float:
    return (now_mb - before_mb) / max(streams, 1)


@dataclass(frozen=True)
class RunFigures:
    """What one run of a painted point gives the "every tile ≥ X fps, lag p99 ≤ Y" target."""

    min_tile_fps: float
    lag_p99_ms: float


@dataclass(frozen=True)
class Target:
    min_tile_fps: float = 24.0
    lag_p99_ms: float = 30.0

    def met_by(self, run: RunFigures) -> bool:
        return run.min_tile_fps >= self.min_tile_fps and run.lag_p99_ms <= self.lag_p99_ms


def verdict(runs: Sequence[RunFigures], target: Target) -> str:
    """One line: how many runs met the target, and the worst figures over all of them."""
    if not runs:
        return "verdict: no run"
    passed = sum(target.met_by(r) for r in runs)
    worst_fps = min(r.min_tile_fps for r in runs)
    worst_lag = max(r.lag_p99_ms for r in runs)
    word = "MET" if passed == len(runs) else "NOT MET"
    return (f"verdict: {word}: {passed} of {len(runs)} runs in a row with every tile "
            f">= {target.min_tile_fps:g} fps and lag p99 <= {target.lag_p99_ms:g} ms "
            f"(worst: tile {worst_fps:.1f} fps, lag p99 {worst_lag:.1f} ms)")


def ratio_verdict(app_fps_min: float, floor_fps_min: float, at_least: float) -> str:
    """"The app's lowest tile fps ≥ ``at_least`` × the floor's lowest fps"."""
    ratio = app_fps_min / floor_fps_min if floor_fps_min > 0 else float("nan")
    word = "MET" if ratio >= at_least else "NOT MET"
    return (f"verdict: {word}: app lowest {app_fps_min:.1f} fps / floor lowest "
            f"{floor_fps_min:.1f} fps = {ratio:.2f} (target >= {at_least:g})")
