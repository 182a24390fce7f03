from __future__ import annotations

import random

import pytest

from commandroom.video.backoff import PERMANENT_RETRY_FACTOR, BackoffPolicy
from commandroom.video.state import OfflineReason


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_delays_double_up_to_the_cap_within_the_jitter() -> None:
    policy = BackoffPolicy(1.0, 30.0, jitter=0.2, rng=random.Random(7), clock=FakeClock())
    delays = [policy.next_delay(OfflineReason.UNREACHABLE) for _ in range(8)]
    for n, delay in enumerate(delays, start=1):
        base = min(30.0, 2.0 ** (n - 1))
        assert base * 0.8 <= delay <= min(30.0, base * 1.2)
    assert delays[-1] <= 30.0 and delays[-2] >= 24.0  # capped, still jittered
    assert policy.attempt == 8


def test_same_seed_same_delays_and_jitter_spreads_cameras() -> None:
    def run(seed: int) -> list[float]:
        policy = BackoffPolicy(1.0, 30.0, rng=random.Random(seed), clock=FakeClock())
        return [policy.next_delay() for _ in range(5)]

    assert run(1) == run(1)
    assert run(1) != run(2)


def test_zero_jitter_is_exact() -> None:
    policy = BackoffPolicy(0.5, 4.0, jitter=0.0, clock=FakeClock())
    assert [policy.next_delay() for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


@pytest.mark.parametrize(
    "reason",
    [OfflineReason.WRONG_CREDENTIALS, OfflineReason.NOT_FOUND, OfflineReason.UNSUPPORTED_CODEC],
)
def test_hopeless_errors_retry_only_slowly(reason: OfflineReason) -> None:
    policy = BackoffPolicy(1.0, 30.0, rng=random.Random(3), clock=FakeClock())
    assert policy.next_delay(reason) == 30.0 * PERMANENT_RETRY_FACTOR


def test_retry_in_follows_the_injected_clock_and_reset_starts_over() -> None:
    clock = FakeClock()
    policy = BackoffPolicy(2.0, 30.0, jitter=0.0, clock=clock)
    assert policy.retry_in() is None
    policy.next_delay()
    policy.next_delay()
    assert policy.retry_in() == pytest.approx(4.0)
    clock.now += 3.0
    assert policy.retry_in() == pytest.approx(1.0)
    clock.now += 5.0
    assert policy.retry_in() == 0.0
    policy.reset()
    assert policy.retry_in() is None
    assert policy.next_delay() == 2.0
