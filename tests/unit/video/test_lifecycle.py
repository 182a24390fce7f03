"""The stream state model (issue 13.5) on an injected clock: which state, when, and
whether the engine is still trying."""

from __future__ import annotations

import random

import pytest

from commandroom.config import VideoSettings
from commandroom.video.backoff import PERMANENT_RETRY_FACTOR, BackoffPolicy
from commandroom.video.errors import Failure
from commandroom.video.lifecycle import StreamLifecycle
from commandroom.video.state import (
    HEALTHY,
    Health,
    OfflineReason,
    StreamHealth,
    StreamState,
    StreamStatus,
)

SETTINGS = VideoSettings(
    open_timeout_s=5.0, read_timeout_s=5.0, stall_after_s=3.0, offline_after_s=20.0,
    backoff_initial_s=1.0, backoff_max_s=30.0,
)
REFUSED = Failure(OfflineReason.REFUSED, "refused")
TIMEOUT = Failure(OfflineReason.TIMEOUT, "no answer")
NO_PICTURE = Failure(OfflineReason.NO_PICTURE, "data but no picture")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _model(clock: Clock, settings: VideoSettings = SETTINGS) -> StreamLifecycle:
    backoff = BackoffPolicy(settings.backoff_initial_s, settings.backoff_max_s, jitter=0.0,
                            rng=random.Random(1), clock=clock)
    return StreamLifecycle(settings, clock, backoff)


def _fail(model: StreamLifecycle, clock: Clock, failure: Failure,
          attempt_takes: float = 0.0) -> StreamStatus:
    """One more attempt that fails after ``attempt_takes`` s, then waits its backoff."""
    trying = model.attempt_starts()
    assert trying.retry_in is None  # while it runs: "trying now"
    clock.now += attempt_takes
    status, delay = model.attempt_failed(failure)
    clock.now += delay
    return status


def test_first_attempt_connects_a_picture_makes_it_live(clock: Clock) -> None:
    model = _model(clock)
    assert model.attempt_starts() == StreamStatus(StreamState.CONNECTING)
    assert model.picture(clock.now) is False  # no failure to end: nothing to reset
    assert model.live() == StreamStatus(StreamState.LIVE)


def test_no_picture_for_stall_after_s_is_stalled_and_says_when_it_reconnects(
    clock: Clock,
) -> None:
    model = _model(clock)
    model.picture(clock.now)
    live = model.live()
    clock.now += 2.9
    assert model.check(live, clock.now, last_data=clock.now, health=HEALTHY) is None
    clock.now += 0.2  # 3.1 s without a picture, data still arriving
    stalled = model.check(live, clock.now, last_data=clock.now - 0.1, health=HEALTHY)
    assert stalled is not None and stalled.state is StreamState.STALLED
    assert stalled.reason is OfflineReason.NO_PICTURE  # bytes, but no picture in them
    assert stalled.retry_in == pytest.approx(SETTINGS.read_timeout_s - 3.1)
    # The data stops as well: the tile says so.
    clock.now += 1.5
    silent = model.check(stalled, clock.now, last_data=clock.now - 1.5, health=HEALTHY)
    assert silent is not None and silent.reason is OfflineReason.TIMEOUT
    assert model.check(silent, clock.now + 0.5, clock.now - 2.0, HEALTHY) is None


def test_live_health_changes_are_reported_and_a_healthy_stream_never_churns(
    clock: Clock,
) -> None:
    model = _model(clock)
    model.picture(clock.now)
    live = model.live()
    slow = StreamHealth(frozenset({Health.SLOW}), fps=3, behind_s=2.5)
    assert model.check(live, clock.now, clock.now, HEALTHY) is None
    changed = model.check(live, clock.now, clock.now, slow)
    assert changed == StreamStatus(StreamState.LIVE, health=slow)
    assert model.check(changed, clock.now, clock.now, slow) is None


def test_failures_retry_with_backoff_then_offline_after_offline_after_s_still_trying(
    clock: Clock,
) -> None:
    model = _model(clock)
    model.picture(clock.now)
    lost_at = clock.now
    statuses = [_fail(model, clock, REFUSED) for _ in range(6)]
    # 1 + 2 + 4 + 8 = 15 s of waiting: RECONNECTING, each with its attempt and countdown.
    assert [s.state for s in statuses[:5]] == [StreamState.RECONNECTING] * 5
    assert [s.attempt for s in statuses] == [1, 2, 3, 4, 5, 6]
    assert [s.retry_in for s in statuses[:4]] == [1.0, 2.0, 4.0, 8.0]
    # The failure at 31 s (after the 16 s wait) is past offline_after_s: OFFLINE, still
    # retrying, and the tile knows when.
    assert clock.now - lost_at > SETTINGS.offline_after_s
    offline = statuses[-1]
    assert offline.state is StreamState.OFFLINE and offline.retrying
    assert offline.retry_in == 30.0
    # While the next attempt runs, it stays OFFLINE ("trying now"), not back to amber.
    trying = model.attempt_starts()
    assert trying.state is StreamState.OFFLINE and trying.retry_in is None and trying.retrying
    assert trying.reason is OfflineReason.REFUSED and trying.attempt == 6


def _first_offline(clock: Clock, failure: Failure, attempt_takes: float,
                   stalled: bool) -> float:
    """Seconds from the last picture to OFFLINE, with the reader's attempts and the
    watchdog's checks (every second) interleaved as they run."""
    clock.now = 0.0
    model = _model(clock)
    model.picture(0.0)
    status = model.live()
    # A stalled camera keeps its connection until read_timeout_s; a cut one fails at once.
    attempt_ends: float | None = SETTINGS.read_timeout_s if stalled else 0.0
    next_attempt: float | None = None
    tick = 0.0
    while clock.now < 120.0:
        if attempt_ends is not None and clock.now >= attempt_ends:
            status, delay = model.attempt_failed(failure)
            attempt_ends, next_attempt = None, clock.now + delay
        elif next_attempt is not None and clock.now >= next_attempt:
            status = model.attempt_starts()
            attempt_ends, next_attempt = clock.now + attempt_takes, None
        if clock.now >= tick:  # the watchdog
            status = model.check(status, clock.now, 0.0, HEALTHY) or status
            tick += 1.0
        if status.state is StreamState.OFFLINE:
            return clock.now
        clock.now = round(clock.now + 0.05, 2)
    raise AssertionError("never OFFLINE")


def test_a_cut_cable_and_a_stalled_camera_go_offline_at_the_same_time(clock: Clock) -> None:
    """Refused at once, or stalled and then timing out after open_timeout_s at every
    attempt: both are OFFLINE offline_after_s after the picture was lost (before: 2 s
    for one, 16-18 s for the other)."""
    cut = _first_offline(clock, REFUSED, attempt_takes=0.0, stalled=False)
    frozen = _first_offline(clock, TIMEOUT, attempt_takes=SETTINGS.open_timeout_s,
                            stalled=True)
    limit = SETTINGS.offline_after_s
    assert limit <= cut <= limit + 1.0  # the watchdog looks once a second
    assert limit <= frozen <= limit + 1.0


def test_waiting_past_offline_after_s_turns_offline_without_waiting_for_the_attempt(
    clock: Clock,
) -> None:
    settings = VideoSettings(stall_after_s=3.0, offline_after_s=20.0, backoff_initial_s=30.0,
                             backoff_max_s=30.0)
    model = _model(clock, settings)
    model.picture(clock.now)
    model.attempt_starts()
    waiting, _delay = model.attempt_failed(TIMEOUT)
    assert waiting.state is StreamState.RECONNECTING and waiting.retry_in == 30.0
    assert model.next_check(waiting, clock.now) == pytest.approx(1020.0)
    clock.now += 19.0
    assert model.check(waiting, clock.now, clock.now - 19.0, HEALTHY) is None
    clock.now += 1.0
    offline = model.check(waiting, clock.now, clock.now - 20.0, HEALTHY)
    assert offline is not None and offline.state is StreamState.OFFLINE
    assert offline.retrying and offline.retry_in == pytest.approx(10.0)
    assert offline.attempt == 1 and offline.reason is OfflineReason.TIMEOUT
    assert model.check(offline, clock.now + 5, clock.now - 25.0, HEALTHY) is None


def test_a_reason_a_retry_cannot_fix_is_offline_at_once_with_a_slow_retry(
    clock: Clock,
) -> None:
    model = _model(clock)
    status = _fail(model, clock, Failure(OfflineReason.WRONG_CREDENTIALS, "401"))
    assert status.state is StreamState.OFFLINE and status.retrying
    assert status.retry_in == SETTINGS.backoff_max_s * PERMANENT_RETRY_FACTOR


def test_a_picture_ends_the_outage_and_resets_the_backoff(clock: Clock) -> None:
    model = _model(clock)
    for _ in range(7):
        status = _fail(model, clock, NO_PICTURE)
    assert status.state is StreamState.OFFLINE
    assert model.picture(clock.now) is True  # the reader must say LIVE now
    again, delay = model.attempt_failed(REFUSED)
    assert again.state is StreamState.RECONNECTING and again.attempt == 1
    assert delay == SETTINGS.backoff_initial_s


def test_given_up_is_offline_and_says_it_is_not_retrying(clock: Clock) -> None:
    model = _model(clock)
    status = model.gave_up(Failure(OfflineReason.ERROR, "internal error"))
    assert status.state is StreamState.OFFLINE
    assert not status.retrying and status.retry_in is None
