"""Where a camera's recordings live on the station's NVR, and the URLs that play them.

Per camera an optional playback source: a Hikvision or Dahua NVR (recorded video by a
vendor URL with the time in it), an ONVIF Profile G device (search and replay services;
see ``commandroom.onvif.recording``), or none. Credentials are never part of the source:
``credential_ref`` names a secret in the secret store, as for cameras (empty: the
camera's own credentials, right for a camera recording onto its own SD card).

Times: everything here takes timezone-aware datetimes and works in UTC. Two device
properties shift them before they go into a URL:
* ``clock_offset_s``: the device's clock minus the true time. A recorder whose clock runs
  30 s fast labels what happened at 12:00:00 as 12:00:30, so that is what we ask for;
* ``utc_offset_min``: the device's local time minus UTC, for Dahua, whose URLs are in
  local time. A fixed offset: China keeps no daylight saving time, and a device that did
  would need a tz name we cannot learn over RTSP (the officer sets the offset it uses).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from enum import StrEnum

from commandroom.video.stream_spec import StreamSpec


class PlaybackKind(StrEnum):
    NONE = "none"
    HIKVISION = "hikvision"
    DAHUA = "dahua"
    ONVIF_G = "onvif_g"


class PlaybackConfigError(ValueError):
    """A playback source cannot be saved; the message says why, for the officer."""


MAX_CHANNEL = 512
MAX_CLOCK_OFFSET_S = 86_400.0
UTC_OFFSET_RANGE_MIN = (-12 * 60, 14 * 60)  # UTC-12:00 .. UTC+14:00


@dataclass(frozen=True)
class NvrSource:
    """One camera's playback source (what the officer configures)."""

    kind: PlaybackKind = PlaybackKind.NONE
    host: str = ""
    rtsp_port: int = 554  # Hikvision/Dahua playback URLs
    onvif_port: int = 80  # ONVIF device service (Profile G)
    channel: int = 1  # NVR channel of this camera (1-based)
    credential_ref: str = ""  # secret store reference; "" = the camera's credentials
    utc_offset_min: int = 0  # device local time minus UTC (Dahua URLs)
    # Device clock minus true time, seconds. None: measure it (ONVIF: GetSystemDateAndTime)
    # or take it as 0 (Hikvision/Dahua give no clock over RTSP).
    clock_offset_s: float | None = None
    # Some Hikvision firmwares read starttime as their local time despite the "Z".
    hikvision_local_time: bool = False
    recording_token: str = ""  # ONVIF: the recording to play; "" = the channel-th one

    @property
    def enabled(self) -> bool:
        return self.kind is not PlaybackKind.NONE


def validate_source(source: NvrSource) -> NvrSource:
    """Normalise and check a source; raises PlaybackConfigError with a sentence."""
    kind = PlaybackKind(source.kind)
    host = source.host.strip().strip("[]")
    if kind is PlaybackKind.NONE:
        return replace(source, kind=kind, host=host)
    if not host:
        raise PlaybackConfigError("The recorder needs an address.")
    if any(c.isspace() or c in "/@?#" for c in host):
        raise PlaybackConfigError(f"The recorder address {host!r} is not a host name or IP.")
    for name, port in (("RTSP", source.rtsp_port), ("ONVIF", source.onvif_port)):
        if not 1 <= port <= 65535:
            raise PlaybackConfigError(f"The {name} port must be between 1 and 65535.")
    if not 1 <= source.channel <= MAX_CHANNEL:
        raise PlaybackConfigError(f"The channel must be between 1 and {MAX_CHANNEL}.")
    low, high = UTC_OFFSET_RANGE_MIN
    if not low <= source.utc_offset_min <= high:
        raise PlaybackConfigError("The recorder's UTC offset must be between -12:00 and +14:00.")
    offset = source.clock_offset_s
    if offset is not None and (not math.isfinite(offset) or abs(offset) > MAX_CLOCK_OFFSET_S):
        raise PlaybackConfigError("The recorder's clock offset must be within one day.")
    return replace(source, kind=kind, host=host, recording_token=source.recording_token.strip())


def _utc(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("playback times must be timezone-aware")
    return when.astimezone(dt.UTC)


def device_time(true_utc: dt.datetime, clock_offset_s: float | None) -> dt.datetime:
    """The device's label (UTC) for the moment ``true_utc``."""
    return _utc(true_utc) + dt.timedelta(seconds=clock_offset_s or 0.0)


def true_time(device_utc: dt.datetime, clock_offset_s: float | None) -> dt.datetime:
    """The true moment (UTC) of what the device labels ``device_utc``."""
    return _utc(device_utc) - dt.timedelta(seconds=clock_offset_s or 0.0)


def _floor_second(when: dt.datetime) -> dt.datetime:
    return when.replace(microsecond=0)


def _ceil_second(when: dt.datetime) -> dt.datetime:
    floor = when.replace(microsecond=0)
    return floor if floor == when else floor + dt.timedelta(seconds=1)


def playback_origin(source: NvrSource, start_utc: dt.datetime) -> dt.datetime:
    """The true time of the first frame the recorder sends for a playback from
    ``start_utc``: vendor URLs ask for whole seconds of the device's clock (rounded
    down, see hikvision_url), ONVIF replay for the exact moment."""
    if source.kind is PlaybackKind.ONVIF_G:
        return _utc(start_utc)
    offset = source.clock_offset_s
    return true_time(_floor_second(device_time(start_utc, offset)), offset)


def _authority(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def hikvision_track(channel: int) -> int:
    """Track of a channel's main stream recording: channel 1 -> 101, channel 12 -> 1201."""
    return channel * 100 + 1


def hikvision_url(host: str, port: int, channel: int, start: dt.datetime, end: dt.datetime,
                  *, local_offset_min: int | None = None) -> str:
    """``rtsp://HOST:PORT/Streaming/tracks/101?starttime=YYYYMMDDTHHMMSSZ&endtime=...``.

    ``start``/``end`` are the device's labels; UTC unless ``local_offset_min`` is given
    (firmwares that read the time as local, "Z" or not). The start is rounded down and
    the end up to whole seconds, so the asked-for moment is always inside.
    """
    shift = dt.timedelta(minutes=local_offset_min or 0)
    fmt = "%Y%m%dT%H%M%SZ"
    first = (_floor_second(_utc(start)) + shift).strftime(fmt)
    last = (_ceil_second(_utc(end)) + shift).strftime(fmt)
    return (f"rtsp://{_authority(host, port)}/Streaming/tracks/{hikvision_track(channel)}"
            f"?starttime={first}&endtime={last}")


def dahua_url(host: str, port: int, channel: int, start: dt.datetime, end: dt.datetime,
              utc_offset_min: int) -> str:
    """``rtsp://HOST:PORT/cam/playback?channel=N&starttime=YYYY_MM_DD_HH_MM_SS&endtime=...``.

    Dahua reads the times as the device's local time: UTC + ``utc_offset_min``.
    """
    zone = dt.timezone(dt.timedelta(minutes=utc_offset_min))
    fmt = "%Y_%m_%d_%H_%M_%S"
    first = _floor_second(_utc(start)).astimezone(zone).strftime(fmt)
    last = _ceil_second(_utc(end)).astimezone(zone).strftime(fmt)
    return (f"rtsp://{_authority(host, port)}/cam/playback?channel={channel}"
            f"&starttime={first}&endtime={last}")


def vendor_spec(source: NvrSource, start_utc: dt.datetime, end_utc: dt.datetime,
                user: str | None, password: str | None) -> StreamSpec:
    """The stream spec that plays [start, end) (true UTC) from a Hikvision or Dahua NVR.

    Credentials ride in the spec (never in the URL, which may be logged: see redact).
    """
    if not _utc(start_utc) < _utc(end_utc):
        raise ValueError("the playback start must be before its end")
    start = device_time(start_utc, source.clock_offset_s)
    end = device_time(end_utc, source.clock_offset_s)
    if source.kind is PlaybackKind.HIKVISION:
        local = source.utc_offset_min if source.hikvision_local_time else None
        url = hikvision_url(source.host, source.rtsp_port, source.channel, start, end,
                            local_offset_min=local)
    elif source.kind is PlaybackKind.DAHUA:
        url = dahua_url(source.host, source.rtsp_port, source.channel, start, end,
                        source.utc_offset_min)
    else:
        raise ValueError(f"{source.kind} has no vendor playback URL")
    # Recorded video is a file, not a live feed: TCP never loses a reference frame.
    return StreamSpec(url=url, user=user or None, password=password or None, transport="tcp")
