"""The disk forecast: at the current write rate, when is the disk full?"""

from __future__ import annotations

from pathlib import Path

import pytest

from commandroom.recording.forecast import DiskUsage, WriteRateMeter, forecast_disk

GB = 10**9


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_over_the_window() -> None:
    clock = Clock()
    meter = WriteRateMeter(window_s=60, clock=clock)
    for _ in range(30):  # 1 MB every 2 s for a minute
        clock.now += 2
        meter.add(1_000_000)
    assert meter.rate_bps() == pytest.approx(500_000, rel=0.2)
    clock.now += 600  # nothing written for ten minutes
    assert meter.rate_bps() == 0


@pytest.mark.parametrize(("free", "rate", "stored", "quota", "hours", "warn"), [
    (100 * GB, 1_000_000, 0, None, 100 * GB / 1e6 / 3600, False),  # ~27.8 h
    (50 * GB, 1_000_000, 0, None, 50 * GB / 1e6 / 3600, True),  # ~13.9 h < 24 h
    (50 * GB, 1_000_000, 95 * GB, 100 * GB, None, False),  # retention keeps it under quota
    (50 * GB, 1_000_000, 10 * GB, 100 * GB, 50 * GB / 1e6 / 3600, True),  # quota > the disk
    (50 * GB, 0, 0, None, None, False),  # nothing being written
])
def test_forecast(free: int, rate: float, stored: int, quota: int | None,
                  hours: float | None, warn: bool) -> None:
    found = forecast_disk(Path("/"), rate, stored, quota, 24.0,
                          disk_usage=lambda _: DiskUsage(200 * GB, 200 * GB - free, free))
    assert found.hours_to_full == (pytest.approx(hours) if hours is not None else None)
    assert found.warn is warn


def test_forecast_reads_the_real_disk(tmp_path: Path) -> None:
    found = forecast_disk(tmp_path, 1.0, 0, None, 24.0)
    assert found.free_bytes > 0 and found.hours_to_full is not None
