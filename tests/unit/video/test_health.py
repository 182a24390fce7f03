"""Lag, bursts, catch-up, damage and the health flags, on synthetic frame timelines."""

from __future__ import annotations

import pytest

from commandroom.config import VideoSettings
from commandroom.video.health import (
    BURST_UNITS,
    DAMAGE_WINDOW_S,
    CatchUp,
    DamageCounter,
    HealthJudge,
    LagMeter,
)
from commandroom.video.rtp_units import has_key_nal
from commandroom.video.state import HEALTHY, Health

FPS = 25
T0 = 1_796_000_000.0  # wall clock, s


def _feed(meter: LagMeter, frames: int, after_media: float, after_arrival: float,
          arrival_step: float) -> tuple[float, float]:
    """``frames`` frames following the one at (media, arrival); returns the last one's."""
    media, arrival = after_media, after_arrival
    for _ in range(frames):
        media += 1 / FPS
        arrival += arrival_step
        meter.unit(media, arrival)
    return media, arrival


def test_a_healthy_stream_is_not_behind_whatever_its_constant_delay() -> None:
    meter = LagMeter()
    _feed(meter, 200, 0.0, T0 + 0.8, 1 / FPS)  # 0.8 s of encoder + network: constant
    assert meter.behind == pytest.approx(0.0, abs=1e-6)
    assert not meter.bursting


def test_a_slow_link_falls_behind_by_the_media_time_it_cannot_carry() -> None:
    meter = LagMeter()
    media, arrival = _feed(meter, 50, 0.0, T0, 1 / FPS)
    _feed(meter, 30, media, arrival, 1 / 3)  # 3 frames a second arrive of 25
    # 30 frames of 1/25 s took 10 s: 10 - 1.2 = 8.8 s further behind.
    assert meter.behind == pytest.approx(30 / 3 - 30 / FPS, abs=0.05)
    assert not meter.bursting


def test_a_backlog_delivered_at_once_is_a_burst() -> None:
    meter = LagMeter()
    media, arrival = _feed(meter, 50, 0.0, T0, 1 / FPS)
    media, arrival = _feed(meter, 30, media, arrival, 1 / 3)
    assert not meter.arrives_in_burst(media + 1 / FPS, arrival + 0.33)
    assert meter.arrives_in_burst(media + 1 / FPS, arrival + 0.001)
    _feed(meter, BURST_UNITS, media, arrival, 0.002)
    assert meter.bursting


def test_clock_drift_does_not_read_as_lag_and_a_timestamp_jump_starts_afresh() -> None:
    meter = LagMeter()
    # The camera's clock runs 100 ppm slow against ours, for an hour.
    _feed(meter, FPS * 3600, 0.0, T0, (1 / FPS) * 1.0001)
    assert meter.behind < 0.01
    # The camera restarts its timestamps at 0: not 3600 s "behind".
    meter.unit(0.0, T0 + 3600.5)
    assert meter.behind == 0.0


def test_the_delay_is_arrival_minus_capture_by_the_senders_clock() -> None:
    meter = LagMeter()
    meter.sender_epoch = T0  # media time 0 was captured at T0 by the camera's clock
    _feed(meter, 100, 0.0, T0 + 0.3, 1 / FPS)  # every frame arrives 0.3 s after capture
    assert meter.delay == pytest.approx(0.3, abs=1e-3)


def test_catch_up_holds_from_the_newest_keyframe_and_hands_it_over_when_live() -> None:
    meter = LagMeter()
    catch_up = CatchUp(behind_s=1.0)
    media, arrival = _feed(meter, 50, 0.0, T0, 1 / FPS)
    media, arrival = _feed(meter, 30, media, arrival, 1 / 3)  # 8.8 s behind
    assert catch_up.should_start(meter, media + 1 / FPS, arrival + 0.001)
    catch_up.start()
    # The backlog: 100 frames in a burst, a keyframe every 40, then live ones.
    decoded_now = []
    handed_over: list[object] = []
    for n in range(130):
        burst = n < 100
        media += 1 / FPS
        arrival += 0.002 if burst else 1 / FPS
        meter.unit(media, arrival)
        held = catch_up.new_unit(meter)
        if held:
            handed_over = held
        packet = ("frame", n)
        key = n % 40 == 0
        if catch_up.mode != CatchUp.NORMAL:
            if catch_up.offer(packet, key, n):
                decoded_now.append(n)
        else:
            decoded_now.append(n)
    # Held from the newest keyframe of the backlog (80), the older ones dropped; the
    # first live frames are held too until the burst is seen to be over.
    assert handed_over[0] == ("frame", 80) and handed_over[-1][1] >= 100
    assert catch_up.skipped == 80  # frames 0..79 were never decoded
    assert catch_up.mode == CatchUp.NORMAL
    assert decoded_now and decoded_now[0] > 100  # decoding in order resumed at live


def test_catch_up_without_a_keyframe_waits_for_the_next_one() -> None:
    meter = LagMeter()
    catch_up = CatchUp(behind_s=1.0)
    media, arrival = _feed(meter, 50, 0.0, T0, 1 / FPS)
    media, arrival = _feed(meter, 30, media, arrival, 1 / 3)
    catch_up.start()
    for n in range(20):  # a short burst without a keyframe, then real time
        media += 1 / FPS
        arrival += 0.002 if n < 8 else 1 / FPS
        meter.unit(media, arrival)
        assert not catch_up.new_unit(meter)
        if catch_up.mode != CatchUp.NORMAL:
            assert not catch_up.offer(("frame", n), False, n)
    assert catch_up.mode == CatchUp.WAIT_KEY
    assert not catch_up.offer(("p", 0), False, 99)
    assert catch_up.offer(("idr", 0), True, 100)  # decoding starts at the keyframe
    assert catch_up.mode == CatchUp.NORMAL


def test_damage_counts_an_episode_and_clears_after_a_quiet_window() -> None:
    damage = DamageCounter()
    for n in range(10):
        damage.hit(100.0 + n * 0.1)
    assert damage.recent(101.0) == 10 and damage.total == 10
    assert damage.recent(100.9 + DAMAGE_WINDOW_S) == 0
    damage.hit(200.0)  # a new episode counts from one
    assert damage.recent(200.1) == 1 and damage.total == 11


def test_health_flags_with_hysteresis_and_only_the_figures_shown() -> None:
    judge = HealthJudge(VideoSettings(slow_behind_s=1.0, delay_warn_s=0.25))
    assert judge.judge(25.0, 0.2, 0.01, 0) is HEALTHY
    slow = judge.judge(7.4, 1.23, None, 0)
    assert slow.flags == {Health.SLOW} and slow.fps == 7 and slow.behind_s == 1.2
    assert Health.SLOW in judge.judge(8.0, 0.6, None, 0).flags  # clears below half
    assert judge.judge(25.0, 0.4, None, 0) is HEALTHY
    late = judge.judge(25.0, 0.0, 0.31, 3)
    assert late.flags == {Health.DELAYED, Health.DAMAGED}
    assert late.delay_s == 0.3 and late.damaged_frames == 3 and late.fps == 0.0
    assert Health.DELAYED in judge.judge(25.0, 0.0, 0.21, 0).flags
    assert judge.judge(25.0, 0.0, 0.19, 0) is HEALTHY


def test_key_nal_units_are_found_in_annex_b_data() -> None:
    sps, idr, p_slice = b"\x00\x00\x00\x01\x67", b"\x00\x00\x01\x65", b"\x00\x00\x00\x01\x41"
    assert has_key_nal(sps + b"\x42\x00" + idr + b"\x88")
    assert has_key_nal(idr + b"\x88\x84")
    assert not has_key_nal(p_slice + b"\x9a\x00\x00\x00\x01\x06\x05")
    assert not has_key_nal(b"\x00\x00\x01")
