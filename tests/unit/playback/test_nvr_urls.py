"""Hikvision and Dahua playback URLs, exact to the character, across time zones."""

from __future__ import annotations

import datetime as dt

import pytest

from commandroom.playback.nvr import (
    NvrSource,
    PlaybackConfigError,
    PlaybackKind,
    dahua_url,
    hikvision_track,
    hikvision_url,
    validate_source,
    vendor_spec,
)

UTC = dt.UTC
BEIJING = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2024, 3, 5, 10, 20, 30, tzinfo=UTC)
END = dt.datetime(2024, 3, 5, 10, 25, 0, tzinfo=UTC)


def test_hikvision_url_is_utc_with_z_and_track_channel_01() -> None:
    assert hikvision_url("10.0.0.5", 554, 1, START, END) == (
        "rtsp://10.0.0.5:554/Streaming/tracks/101"
        "?starttime=20240305T102030Z&endtime=20240305T102500Z")


@pytest.mark.parametrize(("channel", "track"), [(1, 101), (2, 201), (9, 901), (12, 1201),
                                                (32, 3201)])
def test_hikvision_track_is_channel_times_100_plus_1(channel: int, track: int) -> None:
    assert hikvision_track(channel) == track
    assert f"/Streaming/tracks/{track}?" in hikvision_url("h", 554, channel, START, END)


def test_hikvision_converts_any_zone_to_utc() -> None:
    # 18:20:30 in Beijing is 10:20:30 UTC; just after midnight local is the UTC day before.
    local = dt.datetime(2024, 3, 5, 18, 20, 30, tzinfo=BEIJING)
    after_midnight = dt.datetime(2024, 3, 6, 0, 10, 0, tzinfo=BEIJING)
    assert hikvision_url("h", 554, 1, local, after_midnight) == (
        "rtsp://h:554/Streaming/tracks/101"
        "?starttime=20240305T102030Z&endtime=20240305T161000Z")


def test_hikvision_local_time_firmware_gets_local_digits() -> None:
    assert hikvision_url("h", 554, 1, START, END, local_offset_min=480) == (
        "rtsp://h:554/Streaming/tracks/101"
        "?starttime=20240305T182030Z&endtime=20240305T182500Z")


def test_dahua_url_is_device_local_time_with_underscores() -> None:
    assert dahua_url("10.0.0.6", 554, 3, START, END, 480) == (
        "rtsp://10.0.0.6:554/cam/playback?channel=3"
        "&starttime=2024_03_05_18_20_30&endtime=2024_03_05_18_25_00")


@pytest.mark.parametrize(("offset_min", "start", "end"), [
    (0, "2024_03_05_10_20_30", "2024_03_05_10_25_00"),
    (-300, "2024_03_05_05_20_30", "2024_03_05_05_25_00"),  # UTC-5, a fixed offset
    (330, "2024_03_05_15_50_30", "2024_03_05_15_55_00"),  # UTC+5:30
    (840, "2024_03_06_00_20_30", "2024_03_06_00_25_00"),  # UTC+14: the next day
])
def test_dahua_fixed_offsets_without_daylight_saving(offset_min: int, start: str,
                                                     end: str) -> None:
    url = dahua_url("h", 554, 1, START, END, offset_min)
    assert url.endswith(f"&starttime={start}&endtime={end}")


def test_dahua_offset_is_fixed_whatever_the_date() -> None:
    # Same offset in January and July: no daylight-saving jump is applied.
    jan = dt.datetime(2024, 1, 15, 12, 0, tzinfo=UTC)
    jul = dt.datetime(2024, 7, 15, 12, 0, tzinfo=UTC)
    one = dt.timedelta(minutes=1)
    assert "starttime=2024_01_15_07_00_00" in dahua_url("h", 554, 1, jan, jan + one, -300)
    assert "starttime=2024_07_15_07_00_00" in dahua_url("h", 554, 1, jul, jul + one, -300)


def test_start_rounds_down_and_end_up_to_whole_seconds() -> None:
    start = START + dt.timedelta(milliseconds=700)
    end = END + dt.timedelta(milliseconds=1)
    assert hikvision_url("h", 554, 1, start, end).endswith(
        "starttime=20240305T102030Z&endtime=20240305T102501Z")
    assert dahua_url("h", 554, 1, start, end, 0).endswith(
        "starttime=2024_03_05_10_20_30&endtime=2024_03_05_10_25_01")


def test_ipv6_host_in_brackets_and_other_port() -> None:
    assert hikvision_url("fd00::5", 10554, 1, START, END).startswith(
        "rtsp://[fd00::5]:10554/Streaming/tracks/101?")


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        hikvision_url("h", 554, 1, START.replace(tzinfo=None), END)


def test_vendor_spec_applies_the_clock_offset_and_keeps_credentials_apart() -> None:
    source = NvrSource(PlaybackKind.HIKVISION, "10.0.0.5", clock_offset_s=30.0)
    spec = vendor_spec(source, START, END, "admin", "Pa55-word")
    # The NVR's clock runs 30 s fast: it labels 10:20:30 as 10:21:00.
    assert spec.url == ("rtsp://10.0.0.5:554/Streaming/tracks/101"
                        "?starttime=20240305T102100Z&endtime=20240305T102530Z")
    assert (spec.user, spec.password, spec.transport) == ("admin", "Pa55-word", "tcp")
    assert "Pa55-word" not in repr(spec) and "Pa55-word" not in spec.display_url
    assert spec.open_url().startswith("rtsp://admin:Pa55-word@10.0.0.5:554/")


def test_vendor_spec_for_dahua_and_refusals() -> None:
    source = NvrSource(PlaybackKind.DAHUA, "nvr.local", channel=4, utc_offset_min=480)
    assert vendor_spec(source, START, END, None, None).url == (
        "rtsp://nvr.local:554/cam/playback?channel=4"
        "&starttime=2024_03_05_18_20_30&endtime=2024_03_05_18_25_00")
    with pytest.raises(ValueError, match="before its end"):
        vendor_spec(source, END, START, None, None)
    with pytest.raises(ValueError, match="no vendor playback URL"):
        vendor_spec(NvrSource(PlaybackKind.ONVIF_G, "h"), START, END, None, None)


@pytest.mark.parametrize(("source", "message"), [
    (NvrSource(PlaybackKind.HIKVISION, "  "), "needs an address"),
    (NvrSource(PlaybackKind.DAHUA, "user@host"), "not a host name"),
    (NvrSource(PlaybackKind.DAHUA, "h", rtsp_port=0), "RTSP port"),
    (NvrSource(PlaybackKind.ONVIF_G, "h", onvif_port=70000), "ONVIF port"),
    (NvrSource(PlaybackKind.HIKVISION, "h", channel=0), "channel"),
    (NvrSource(PlaybackKind.DAHUA, "h", utc_offset_min=15 * 60), "UTC offset"),
    (NvrSource(PlaybackKind.DAHUA, "h", clock_offset_s=float("nan")), "clock offset"),
    (NvrSource(PlaybackKind.DAHUA, "h", clock_offset_s=2 * 86400.0), "clock offset"),
])
def test_validation_says_what_is_wrong(source: NvrSource, message: str) -> None:
    with pytest.raises(PlaybackConfigError, match=message):
        validate_source(source)


def test_validation_normalises() -> None:
    cleaned = validate_source(NvrSource("dahua", " [fd00::6] ",  # type: ignore[arg-type]
                                        recording_token=" Rec_1 "))
    assert (cleaned.kind, cleaned.host, cleaned.recording_token) == (
        PlaybackKind.DAHUA, "fd00::6", "Rec_1")
    assert validate_source(NvrSource()).enabled is False
