"""The playback facade without a network: specs, learned gaps and per-device backoff."""

from __future__ import annotations

import datetime as dt

import av.error
import pytest

from commandroom.auth.permissions import SYSTEM
from commandroom.playback.nvr import NvrSource, PlaybackKind
from commandroom.playback.ranges import Gap, GapReason, Range, RangeKind
from commandroom.playback.source import GAP_MEMORY_S, PlaybackSession, PlaybackSource
from tests.support.playback_station import Station

T0 = dt.datetime(2024, 3, 5, 10, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)
NOT_FOUND = av.error.HTTPNotFoundError(-875574520, "Server returned 404 Not Found")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def playback(station: Station, clock: Clock) -> PlaybackSource:
    assert station.camera.id is not None
    station.sources.save(SYSTEM, station.camera.id, NvrSource(PlaybackKind.HIKVISION,
                                                              "10.0.0.5", channel=2))
    return PlaybackSource(station.sources, backoff_initial_s=2.0, backoff_max_s=8.0,
                          clock=clock)


def _session(result: PlaybackSession | Gap) -> PlaybackSession:
    assert isinstance(result, PlaybackSession), result
    return result


def test_a_camera_without_a_recorder_is_a_gap_not_an_error(station: Station) -> None:
    source = PlaybackSource(station.sources)
    gap = source.open(SYSTEM, station.camera, T0, T0 + MIN)
    assert gap == Gap(T0, T0 + MIN, GapReason.NOT_CONFIGURED)
    assert source.ranges(SYSTEM, station.camera, T0, T0 + MIN) == []


def test_open_gives_the_vendor_spec_with_the_cameras_credentials(
        playback: PlaybackSource, station: Station) -> None:
    with _session(playback.open(SYSTEM, station.camera, T0, T0 + MIN)) as session:
        assert session.relay is None and session.kind is PlaybackKind.HIKVISION
        assert session.spec.url == ("rtsp://10.0.0.5:554/Streaming/tracks/201"
                                    "?starttime=20240305T100000Z&endtime=20240305T100100Z")
        assert (session.spec.user, session.spec.password) == ("cam-user", "cam-pass")


def test_nothing_recorded_is_remembered_for_that_time_only(
        playback: PlaybackSource, station: Station, clock: Clock) -> None:
    session = _session(playback.open(SYSTEM, station.camera, T0, T0 + MIN))
    gap = playback.report_failure(session, NOT_FOUND)
    assert (gap.reason, gap.retry_in_s) == (GapReason.NO_RECORDING, None)
    again = playback.open(SYSTEM, station.camera, T0 + dt.timedelta(seconds=20), T0 + MIN)
    assert isinstance(again, Gap) and again.reason is GapReason.NO_RECORDING
    # Another time on the same recorder is asked for: the device is not to blame.
    _session(playback.open(SYSTEM, station.camera, T0 + 5 * MIN, T0 + 6 * MIN))
    assert playback.ranges(SYSTEM, station.camera, T0 - MIN, T0 + 2 * MIN) == [
        Range(T0 - MIN, T0, RangeKind.UNKNOWN, exact=False),
        Range(T0, T0 + MIN, RangeKind.GAP, GapReason.NO_RECORDING),
        Range(T0 + MIN, T0 + 2 * MIN, RangeKind.UNKNOWN, exact=False)]
    clock.now += GAP_MEMORY_S + 1
    _session(playback.open(SYSTEM, station.camera, T0, T0 + MIN))  # asked again later


def test_a_dead_recorder_backs_off_then_is_tried_again(
        playback: PlaybackSource, station: Station, clock: Clock) -> None:
    delays = []
    for _ in range(4):
        session = _session(playback.open(SYSTEM, station.camera, T0, T0 + MIN))
        gap = playback.report_failure(session, ConnectionRefusedError(111, "refused"))
        assert gap.reason is GapReason.UNREACHABLE and gap.retry_in_s is not None
        delays.append(gap.retry_in_s)
        waiting = playback.open(SYSTEM, station.camera, T0 + 9 * MIN, T0 + 10 * MIN)
        assert isinstance(waiting, Gap) and waiting.reason is GapReason.BACKING_OFF
        assert waiting.retry_in_s == pytest.approx(gap.retry_in_s)
        assert playback.ranges(SYSTEM, station.camera, T0, T0 + MIN) == [
            Range(T0, T0 + MIN, RangeKind.UNKNOWN, GapReason.BACKING_OFF)]
        clock.now += gap.retry_in_s
    # 2 s, 4 s, 8 s, 8 s (capped), each within the ±20 % jitter.
    for delay, base in zip(delays, (2.0, 4.0, 8.0, 8.0), strict=True):
        assert base * 0.8 <= delay <= min(base * 1.2, 8.0)
    session = _session(playback.open(SYSTEM, station.camera, T0, T0 + MIN))
    playback.report_playing(session)
    gap = playback.report_failure(session, ConnectionRefusedError(111, "refused"))
    assert gap.retry_in_s is not None and gap.retry_in_s <= 2.4  # back to the first delay


@pytest.mark.parametrize(("error", "reason"), [
    (av.error.HTTPUnauthorizedError(-1, "401"), GapReason.AUTH),
    (av.error.HTTPOtherClientError(-1, "454"), GapReason.NO_RECORDING),
    (av.error.HTTPServerError(-1, "503"), GapReason.ERROR),
    (TimeoutError("no data for 5 s"), GapReason.NO_DATA),
    (av.error.ExitError(-1, "exit"), GapReason.NO_DATA),
    (OSError(113, "No route to host"), GapReason.UNREACHABLE),
])
def test_failures_become_reasons(playback: PlaybackSource, station: Station,
                                 error: BaseException, reason: GapReason) -> None:
    session = _session(playback.open(SYSTEM, station.camera, T0, T0 + MIN))
    assert playback.report_failure(session, error).reason is reason


def test_times_must_be_in_order(playback: PlaybackSource, station: Station) -> None:
    with pytest.raises(ValueError, match="before its end"):
        playback.open(SYSTEM, station.camera, T0, T0)
    assert playback.ranges(SYSTEM, station.camera, T0, T0) == []


def test_clock_offset_configured_or_measured_beyond_noise() -> None:
    from commandroom.playback.source import clock_offset

    onvif = NvrSource(PlaybackKind.ONVIF_G, "h")
    assert clock_offset(onvif, 300.4) == 300.4
    assert clock_offset(onvif, -1.2) == 0.0  # whole-second clock + round trip: noise
    assert clock_offset(onvif, None) == 0.0
    fixed = NvrSource(PlaybackKind.ONVIF_G, "h", clock_offset_s=-30.0)
    assert clock_offset(fixed, 300.0) == -30.0
