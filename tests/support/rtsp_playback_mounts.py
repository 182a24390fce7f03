"""NVR playback mounts for the RTSP test server (runs inside rtsp_server.py, Debian python3).

Three URL shapes of recorded video, each answering with footage whose burned-in barcode
(tests/support/barcode.py) is the RECORDED time of the frame, in UTC milliseconds: the
first frame of a session carries exactly the start the client asked for.

  /Streaming/tracks/{c}01?starttime=YYYYMMDDTHHMMSSZ&endtime=...   Hikvision, UTC
  /cam/playback?channel=N&starttime=YYYY_MM_DD_HH_MM_SS&endtime=...  Dahua, device local
                                                                    time (--nvr-utc-offset-min)
  /onvif/replay?recording=TOKEN                                     ONVIF Profile G replay

The ONVIF mount behaves like a real Profile G device: DESCRIBE, SETUP and PLAY without
``Require: onvif-replay`` get 551 Option not supported; PLAY's ``Range: clock=...`` picks
the start (GStreamer's RTSP server turns it into a seek, which reaches our appsrc as
``seek-data`` in NTP-era nanoseconds); a start outside the recorded windows gets 457
Invalid Range. On the Hikvision and Dahua shapes a start outside them gets 404.

Why frames made in Python rather than videotestsrc + clockoverlay: the stamp must be
machine-readable and exact (one frame, 40 ms), and each session needs its own start;
a non-live, seekable appsrc per session costs one x264 ultrafast encode at 640x360,
only while someone plays. Each frame's stamp comes from its timestamp, not the wall
clock, so a loaded machine delays frames but never mislabels them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from gi.repository import Gst, GstRtsp, GstRtspServer

WIDTH, HEIGHT, FPS = 640, 360, 25
FRAME_NS = 1_000_000_000 // FPS
NTP_EPOCH_OFFSET_S = 2_208_988_800  # 1900-01-01 to 1970-01-01: GStreamer's clock= seeks
HIKVISION_CHANNELS = (1, 2, 3, 4)
REPLAY_PATH = "/onvif/replay"
DAHUA_PATH = "/cam/playback"
REPLAY_TAG = "onvif-replay"
_ENCODE = ("x264enc tune=zerolatency speed-preset=ultrafast key-int-max=50 ! "
           "rtph264pay name=pay0 pt=96 config-interval=1")

FrameMaker = Callable[[int, int], bytes]  # (stamp in ms, frame number) -> I420 bytes
EventSink = Callable[[str], None]


@dataclass
class PlaybackOptions:
    # Recorded windows, UTC epoch seconds [from, to); empty: everything is recorded.
    recorded: list[tuple[float, float]] = field(default_factory=list)
    utc_offset_min: int = 480  # Dahua device local time = UTC + this (China: +8 h)

    def is_recorded(self, epoch_s: float) -> bool:
        return not self.recorded or any(a <= epoch_s < b for a, b in self.recorded)

    def recording_start_s(self) -> float:
        return min(a for a, _ in self.recorded) if self.recorded else 0.0


def parse_hikvision_time(value: str) -> float:
    """``20240305T102030Z`` (UTC) -> epoch seconds."""
    when = dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    return when.timestamp()


def parse_dahua_time(value: str, utc_offset_min: int) -> float:
    """``2024_03_05_18_20_30`` in device local time -> epoch seconds."""
    local = dt.datetime.strptime(value, "%Y_%m_%d_%H_%M_%S")
    return local.replace(tzinfo=dt.timezone(dt.timedelta(minutes=utc_offset_min))).timestamp()


def _query(url: GstRtsp.RTSPUrl) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(url.query or "").items()}


class PlaybackFactory(GstRtspServer.RTSPMediaFactory):  # type: ignore[misc]
    """One pipeline per session (not shared): a seekable appsrc that stamps each frame."""

    def __init__(self, kind: str, options: PlaybackOptions, make_frame: FrameMaker,
                 events: EventSink) -> None:
        super().__init__()
        self.kind = kind  # "hikvision" | "dahua" | "onvif"
        self.options = options
        self.make_frame = make_frame
        self.events = events
        self.set_shared(False)

    def _window(self, url: GstRtsp.RTSPUrl) -> tuple[float, float | None]:
        query = _query(url)
        if self.kind == "onvif":
            return self.options.recording_start_s(), None
        if self.kind == "hikvision":
            start = parse_hikvision_time(query["starttime"])
            end = query.get("endtime")
            return start, parse_hikvision_time(end) if end else None
        offset = self.options.utc_offset_min
        end = query.get("endtime")
        return (parse_dahua_time(query["starttime"], offset),
                parse_dahua_time(end, offset) if end else None)

    def do_create_element(self, url: GstRtsp.RTSPUrl) -> Gst.Element:
        start_s, end_s = self._window(url)
        self.events(f"PLAYBACK {url.abspath} start_ms={int(start_s * 1000)}")
        launch = (
            "appsrc name=src is-live=false format=time stream-type=seekable "
            f"caps=video/x-raw,format=I420,width={WIDTH},height={HEIGHT},framerate={FPS}/1 ! "
            + _ENCODE)
        element = Gst.parse_bin_from_description(launch, False)
        src = element.get_by_name("src")
        # base_ns: recorded time of position 0; position: where the session plays now.
        state = {"base_ns": int(start_s * 1e9), "position_ns": 0, "frame": 0}
        end_ns = int(end_s * 1e9) if end_s is not None else None

        def need_data(appsrc: Gst.Element, _length: int) -> None:
            position = state["position_ns"]
            recorded_ns = state["base_ns"] + position
            if end_ns is not None and recorded_ns >= end_ns:
                appsrc.emit("end-of-stream")
                return
            buf = Gst.Buffer.new_wrapped(self.make_frame(recorded_ns // 1_000_000,
                                                         state["frame"]))
            buf.pts, buf.duration = position, FRAME_NS
            state["position_ns"] = position + FRAME_NS
            state["frame"] += 1
            appsrc.emit("push-buffer", buf)

        def seek_data(_appsrc: Gst.Element, offset: int) -> bool:
            if offset >= NTP_EPOCH_OFFSET_S * 1_000_000_000:
                # Range: clock=... arrives as nanoseconds since 1900: the position IS the
                # recorded time, shifted to the Unix epoch.
                state["base_ns"] = -NTP_EPOCH_OFFSET_S * 1_000_000_000
            state["position_ns"] = offset  # buffers after a seek start at its offset
            return True

        src.connect("need-data", need_data)
        src.connect("seek-data", seek_data)
        return element


def add_mounts(add: Callable[[str, GstRtspServer.RTSPMediaFactory], None],
               options: PlaybackOptions, make_frame: FrameMaker, events: EventSink) -> None:
    for channel in HIKVISION_CHANNELS:
        add(f"/Streaming/tracks/{channel}01",
            PlaybackFactory("hikvision", options, make_frame, events))
    add(DAHUA_PATH, PlaybackFactory("dahua", options, make_frame, events))
    add(REPLAY_PATH, PlaybackFactory("onvif", options, make_frame, events))


def _header(ctx: GstRtspServer.RTSPContext, field_id: GstRtsp.RTSPHeaderField) -> str:
    values = []
    index = 0
    while True:
        result, value = ctx.request.get_header(field_id, index)
        if result != GstRtsp.RTSPResult.OK:
            return ", ".join(values)
        values.append(value)
        index += 1


def _is_replay(ctx: GstRtspServer.RTSPContext) -> bool:
    return ctx.uri is not None and ctx.uri.abspath.startswith(REPLAY_PATH)


def _is_playback(ctx: GstRtspServer.RTSPContext) -> bool:
    path = ctx.uri.abspath if ctx.uri is not None else ""
    return path.startswith(("/Streaming/tracks/", DAHUA_PATH, REPLAY_PATH))


def _requires_replay(ctx: GstRtspServer.RTSPContext) -> bool:
    tags = {t.strip() for t in _header(ctx, GstRtsp.RTSPHeaderField.REQUIRE).split(",")}
    return REPLAY_TAG in tags


def _start_in_request(ctx: GstRtspServer.RTSPContext, options: PlaybackOptions) -> float | None:
    """Epoch seconds the client asks for on a Hikvision/Dahua URL (None: unreadable)."""
    query = _query(ctx.uri)
    try:
        if ctx.uri.abspath.startswith(DAHUA_PATH):
            return parse_dahua_time(query["starttime"], options.utc_offset_min)
        return parse_hikvision_time(query["starttime"])
    except (KeyError, ValueError):
        return None


def _clock_start(range_value: str) -> float | None:
    """Epoch seconds of ``clock=YYYYMMDDTHHMMSS[.fff]Z-...`` (None: not a clock range)."""
    if not range_value.startswith("clock="):
        return None
    start = range_value[6:].partition("-")[0]
    for fmt in ("%Y%m%dT%H%M%S.%fZ", "%Y%m%dT%H%M%SZ"):
        try:
            return dt.datetime.strptime(start, fmt).replace(tzinfo=dt.UTC).timestamp()
        except ValueError:
            continue
    return None


def watch_client(client: GstRtspServer.RTSPClient, options: PlaybackOptions,
                 events: EventSink) -> None:
    """Per-connection checks a real NVR makes on its playback URLs."""
    ok = GstRtsp.RTSPStatusCode.OK

    def check_requirements(_client: object, ctx: GstRtspServer.RTSPContext,
                           requirements: list[str]) -> str:
        unsupported = [r for r in requirements if r != REPLAY_TAG or not _is_replay(ctx)]
        return ", ".join(unsupported)

    def describe_or_setup(_client: object, ctx: GstRtspServer.RTSPContext) -> object:
        if _is_replay(ctx):
            return ok if _requires_replay(ctx) else GstRtsp.RTSPStatusCode.OPTION_NOT_SUPPORTED
        if _is_playback(ctx) and ctx.method == GstRtsp.RTSPMethod.DESCRIBE:
            start = _start_in_request(ctx, options)
            if start is None:
                return GstRtsp.RTSPStatusCode.BAD_REQUEST
            if not options.is_recorded(start):
                return GstRtsp.RTSPStatusCode.NOT_FOUND
        return ok

    def play(_client: object, ctx: GstRtspServer.RTSPContext) -> object:
        if not _is_playback(ctx):
            return ok
        range_value = _header(ctx, GstRtsp.RTSPHeaderField.RANGE)
        events(f"PLAY {ctx.uri.abspath} range={range_value} "
               f"require={_header(ctx, GstRtsp.RTSPHeaderField.REQUIRE)}")
        if not _is_replay(ctx):
            return ok
        if not _requires_replay(ctx):
            return GstRtsp.RTSPStatusCode.OPTION_NOT_SUPPORTED
        start = _clock_start(range_value)
        if start is not None and not options.is_recorded(start):
            return GstRtsp.RTSPStatusCode.INVALID_RANGE
        return ok

    client.connect("check-requirements", check_requirements)
    client.connect("pre-describe-request", describe_or_setup)
    client.connect("pre-setup-request", describe_or_setup)
    client.connect("pre-play-request", play)
