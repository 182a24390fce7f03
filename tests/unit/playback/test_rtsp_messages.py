"""The relay's request rewriting, byte for byte, on requests FFmpeg really sends."""

from __future__ import annotations

import datetime as dt

import pytest

from commandroom.playback.rtsp_messages import (
    FramingError,
    Interleaved,
    Message,
    ReplayRewrite,
    Splitter,
    clock_time,
    parse_npt_start,
    rewrite_request,
)

START = dt.datetime(2024, 3, 5, 10, 20, 30, tzinfo=dt.UTC)
REWRITE = ReplayRewrite(START)
AUTH = (b'Authorization: Digest username="officer", realm="GStreamer RTSP Server", '
        b'nonce="f8d68776b4dd64a8", uri="rtsp://127.0.0.1:44803/onvif/replay/", '
        b'response="3d768b5e0fad20b1bb280ba857be3318"\r\n')
# Captured from FFmpeg (libavformat 62) through the relay.
FFMPEG_PLAY = (b"PLAY rtsp://127.0.0.1:44803/onvif/replay/ RTSP/1.0\r\n"
               b"Range: npt=0.000-\r\nCSeq: 5\r\nUser-Agent: Lavf62.12.102\r\n"
               b"Session: GBC0odh2oKytxv+e\r\n" + AUTH + b"\r\n")
FFMPEG_DESCRIBE = (b"DESCRIBE rtsp://127.0.0.1:44803/onvif/replay?recording=R1 RTSP/1.0\r\n"
                   b"Accept: application/sdp\r\nCSeq: 2\r\nUser-Agent: Lavf62.12.102\r\n\r\n")


def test_play_gets_the_clock_range_and_the_require_tag_nothing_else() -> None:
    assert rewrite_request(FFMPEG_PLAY, REWRITE) == (
        b"PLAY rtsp://127.0.0.1:44803/onvif/replay/ RTSP/1.0\r\n"
        b"Range: clock=20240305T102030.000Z-\r\nCSeq: 5\r\nUser-Agent: Lavf62.12.102\r\n"
        b"Session: GBC0odh2oKytxv+e\r\n" + AUTH + b"Require: onvif-replay\r\n\r\n")


def test_describe_and_setup_get_require_before_the_blank_line() -> None:
    assert rewrite_request(FFMPEG_DESCRIBE, REWRITE) == (
        b"DESCRIBE rtsp://127.0.0.1:44803/onvif/replay?recording=R1 RTSP/1.0\r\n"
        b"Accept: application/sdp\r\nCSeq: 2\r\nUser-Agent: Lavf62.12.102\r\n"
        b"Require: onvif-replay\r\n\r\n")
    setup = (b"SETUP rtsp://127.0.0.1:44803/onvif/replay/stream=0 RTSP/1.0\r\n"
             b"Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\nCSeq: 4\r\n\r\n")
    assert rewrite_request(setup, REWRITE) == setup[:-2] + b"Require: onvif-replay\r\n\r\n"


@pytest.mark.parametrize("method", [b"OPTIONS", b"TEARDOWN", b"GET_PARAMETER"])
def test_other_requests_pass_unchanged(method: bytes) -> None:
    request = (method + b" rtsp://127.0.0.1:44803/onvif/replay/ RTSP/1.0\r\nCSeq: 6\r\n"
               b"Range: npt=0.000-\r\nSession: GBC0odh2oKytxv+e\r\n\r\n")
    assert rewrite_request(request, REWRITE) == request


def test_an_existing_require_gains_the_tag_once() -> None:
    request = b"PLAY rtsp://h/x RTSP/1.0\r\nrequire: com.example.foo\r\nCSeq: 7\r\n\r\n"
    assert rewrite_request(request, REWRITE) == (
        b"PLAY rtsp://h/x RTSP/1.0\r\nRequire: com.example.foo, onvif-replay\r\nCSeq: 7\r\n\r\n")
    already = b"PLAY rtsp://h/x RTSP/1.0\r\nRequire: onvif-replay\r\nCSeq: 7\r\n\r\n"
    assert rewrite_request(already, REWRITE) == already


def test_a_seek_becomes_start_plus_offset_and_the_end_is_kept() -> None:
    rewrite = ReplayRewrite(START, START + dt.timedelta(minutes=5))
    request = b"PLAY rtsp://h/x RTSP/1.0\r\nRange: npt=75.250-\r\nCSeq: 9\r\n\r\n"
    assert rewrite_request(request, rewrite) == (
        b"PLAY rtsp://h/x RTSP/1.0\r\nRange: clock=20240305T102145.250Z-20240305T102530.000Z"
        b"\r\nCSeq: 9\r\nRequire: onvif-replay\r\n\r\n")


def test_resume_without_range_and_npt_now_are_left_alone() -> None:
    resume = b"PLAY rtsp://h/x RTSP/1.0\r\nCSeq: 9\r\nSession: 1\r\n\r\n"
    assert rewrite_request(resume, REWRITE) == resume[:-2] + b"Require: onvif-replay\r\n\r\n"
    now = b"PLAY rtsp://h/x RTSP/1.0\r\nRange: npt=now-\r\nCSeq: 9\r\n\r\n"
    assert b"Range: npt=now-\r\n" in rewrite_request(now, REWRITE)


def test_bare_newlines_keep_their_style() -> None:
    request = b"PLAY rtsp://h/x RTSP/1.0\nRange: npt=0-\nCSeq: 2\n\n"
    assert rewrite_request(request, REWRITE) == (
        b"PLAY rtsp://h/x RTSP/1.0\nRange: clock=20240305T102030.000Z-\nCSeq: 2\n"
        b"Require: onvif-replay\n\n")


@pytest.mark.parametrize(("text", "seconds"), [
    ("0.000-", 0.0), ("12.5-20", 12.5), ("0:01:02.5-", 62.5), ("1:00:00-", 3600.0),
    ("now-", None), ("-", None), ("abc-", None)])
def test_npt_start(text: str, seconds: float | None) -> None:
    assert parse_npt_start(text) == seconds


def test_clock_time_is_utc_with_milliseconds() -> None:
    beijing = dt.timezone(dt.timedelta(hours=8))
    when = dt.datetime(2024, 3, 6, 2, 0, 1, 123_999, tzinfo=beijing)
    assert clock_time(when) == "20240305T180001.123Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        clock_time(when.replace(tzinfo=None))


def test_splitter_cuts_messages_and_interleaved_packets_across_reads() -> None:
    response = (b"RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\n"
                b"Content-Length: 10\r\n\r\nv=0\r\no=- 1")
    rtp = b"$\x00\x00\x05HELLO"
    rtcp = b"$\x01\x00\x02hi"
    stream = response + rtp + rtcp + FFMPEG_PLAY
    splitter = Splitter()
    units: list[Message | Interleaved] = []
    for i in range(0, len(stream), 7):  # 7-byte reads: every boundary split somewhere
        units.extend(splitter.feed(stream[i:i + 7]))
    assert units == [
        Message(response[:-10], b"v=0\r\no=- 1"), Interleaved(rtp), Interleaved(rtcp),
        Message(FFMPEG_PLAY, b"")]
    first, last = units[0], units[-1]
    assert isinstance(first, Message) and isinstance(last, Message)
    assert (first.status, first.cseq, first.method) == (200, 2, None)
    assert (last.status, last.cseq, last.method) == (None, 5, "PLAY")


def test_splitter_refuses_a_header_block_without_end() -> None:
    with pytest.raises(FramingError):
        Splitter().feed(b"GET / HTTP/1.1\r\n" + b"X" * 70_000)
