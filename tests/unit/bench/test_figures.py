"""The arithmetic behind the benches' verdict lines (bench/figures.py, bench/procstat.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench.figures import (
    RunFigures,
    Target,
    growth_fit,
    per_stream_mb,
    percentile,
    ratio_verdict,
    steady_window_s,
    verdict,
)
from bench.procstat import process_tree, tree_memory_mb


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert percentile(values, 0.99) == 100.0
    assert percentile(values, 0.5) == 51.0
    assert percentile([7.0], 0.99) == 7.0
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_growth_is_the_fitted_slope_of_the_last_window_only() -> None:
    # 60 MB in the first minute (the evidence ring filling), then flat at 0.1 MB/min
    # with one +3 MB outlier sample: the fit over the last 5 minutes stays near 0.1.
    samples = [(float(t), t / 60 * 60.0) for t in range(0, 60, 10)]
    samples += [(float(t), 60.0 + (t - 60) / 60 * 0.1) for t in range(60, 601, 10)]
    samples[40] = (samples[40][0], samples[40][1] + 3.0)
    slope = growth_fit(samples, last_seconds=300).mb_per_min
    assert 0.0 < slope < 0.3
    # Over the whole series the start-up fill dominates.
    assert growth_fit(samples, last_seconds=600).mb_per_min > 1.5


def test_growth_of_a_steady_leak_and_of_flat_memory() -> None:
    leak = [(t * 10.0, 100.0 + t * 10.0 / 60 * 2.0) for t in range(61)]  # 2 MB/min
    assert growth_fit(leak, 300).mb_per_min == pytest.approx(2.0)
    flat = [(t * 10.0, 250.0) for t in range(61)]
    assert growth_fit(flat, 300).mb_per_min == 0.0
    # A window narrower than the sample period still uses the last two samples.
    assert growth_fit(leak, 1).mb_per_min == pytest.approx(2.0)
    with pytest.raises(ValueError):
        growth_fit([(0.0, 1.0)], 60)


def test_the_standard_error_says_how_far_scatter_alone_moves_the_slope() -> None:
    # Flat memory wandering ±3 MB (a sawtooth of period 70 s), sampled every 10 s.
    wander = [(float(t), 530.0 + 3.0 * ((t // 10) % 7 - 3) / 3) for t in range(0, 601, 10)]
    short = growth_fit(wander, 300)
    long = growth_fit(wander, steady_window_s(600.0))
    assert long.window_s == 540.0  # all but the first minute
    assert abs(long.mb_per_min) < 0.2 and abs(short.mb_per_min) < 0.5
    assert 0.0 < long.standard_error < short.standard_error  # more samples, less doubt
    # A straight line has no scatter: its slope is known exactly.
    leak = [(t * 10.0, 100.0 + t * 10.0 / 60 * 2.0) for t in range(61)]
    assert growth_fit(leak, 300).mb_per_min == pytest.approx(2.0)
    assert growth_fit(leak, 300).standard_error == pytest.approx(0.0, abs=1e-9)
    assert growth_fit(leak[:2], 300).standard_error == 0.0  # two samples: no scatter known


def test_the_default_window_leaves_out_the_first_minute() -> None:
    assert steady_window_s(600.0) == 540.0
    assert steady_window_s(1800.0) == 1740.0
    assert steady_window_s(90.0) == 45.0  # too short to leave a minute out: second half


def test_per_stream_memory() -> None:
    assert per_stream_mb(100.0, 420.0, 16) == 20.0


def test_verdict_needs_every_run_to_meet_both_figures() -> None:
    target = Target(min_tile_fps=24.0, lag_p99_ms=30.0)
    good = RunFigures(min_tile_fps=24.6, lag_p99_ms=12.0)
    slow_tile = RunFigures(min_tile_fps=23.9, lag_p99_ms=10.0)
    laggy = RunFigures(min_tile_fps=25.0, lag_p99_ms=30.5)
    line = verdict([good] * 5, target)
    assert line.startswith("verdict: MET: 5 of 5 runs")
    line = verdict([good, good, slow_tile, good, laggy], target)
    assert line.startswith("verdict: NOT MET: 3 of 5 runs")
    assert "tile 23.9 fps" in line and "lag p99 30.5 ms" in line  # the worst of each
    assert verdict([], target) == "verdict: no run"


def test_ratio_verdict() -> None:
    assert ratio_verdict(22.5, 25.0, 0.9).startswith("verdict: MET")
    assert "= 0.90" in ratio_verdict(22.5, 25.0, 0.9)
    assert ratio_verdict(22.0, 25.0, 0.9).startswith("verdict: NOT MET")
    assert ratio_verdict(10.0, 0.0, 0.9).startswith("verdict: NOT MET")  # no floor: nan


def test_process_tree_memory_includes_children_and_leaves_out_excluded() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)
    try:
        assert child.pid in process_tree()
        assert child.pid not in process_tree(exclude=[child.pid])
        with_child, kind = tree_memory_mb()
        without, _ = tree_memory_mb(exclude=[child.pid])
        assert kind in ("pss", "rss")
        assert with_child > without > 0
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(10)
