"""A real RTSP server on 127.0.0.1 plays through StreamHub: H.264 over TCP and UDP, H.265."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from commandroom.video.state import StreamState
from commandroom.video.stream_spec import StreamSpec
from tests.support.rtsp import RtspTestServer, StatusRecorder, wait_for_seq

pytestmark = pytest.mark.integration

OPEN_S = 15.0  # generous: first keyframe + a loaded 2-core CI machine


def _play(hub: Any, status_log: StatusRecorder, spec: StreamSpec, size: tuple[int, int]) -> Any:
    handle = hub.subscribe(spec, size)
    status_log.wait_state(spec, StreamState.LIVE, OPEN_S)
    return handle


def test_first_frame_arrives_scaled_to_the_tile(
    rtsp_server: RtspTestServer, hub: Any, status_log: StatusRecorder
) -> None:
    spec = StreamSpec(rtsp_server.url("live1"))
    handle = _play(hub, status_log, spec, (320, 180))

    first = wait_for_seq(handle, 1, OPEN_S)
    assert first.image.dtype == np.uint8
    assert first.image.shape == (180, 320, 4)  # 640x360 fits 320x180 exactly, BGRA
    assert first.source_size == (640, 360)
    assert first.codec == "h264"
    # A real picture, not an empty buffer: videotestsrc's ball on black plus the clock.
    assert first.image[..., :3].std() > 5

    # It keeps playing: 25 more frames at 25 fps take ~1 s.
    later = wait_for_seq(handle, first.seq + 25, 10.0)
    assert later.seq > first.seq
    stats = handle.stats()
    assert (stats.width, stats.height, stats.codec) == (640, 360, "h264")
    assert stats.fps > 5
    assert "SETUP /live1/stream=0 TCP" in rtsp_server.events()


def test_udp_transport_plays(
    rtsp_server: RtspTestServer, hub: Any, status_log: StatusRecorder
) -> None:
    spec = StreamSpec(rtsp_server.url("live2"), transport="udp")
    handle = _play(hub, status_log, spec, (320, 180))

    frame = wait_for_seq(handle, 10, OPEN_S)
    assert frame.source_size == (640, 360)
    # The server saw a UDP SETUP for this mount (not an interleaved TCP one).
    setups = [e for e in rtsp_server.events() if e.startswith("SETUP /live2")]
    assert setups and all(e.endswith(" UDP") for e in setups), setups


def test_h265_mount_plays(
    rtsp_server: RtspTestServer, hub: Any, status_log: StatusRecorder
) -> None:
    spec = StreamSpec(rtsp_server.url("h265"))
    handle = _play(hub, status_log, spec, (640, 360))

    frame = wait_for_seq(handle, 5, OPEN_S)
    assert frame.codec == "hevc"
    assert frame.source_size == (640, 360)
    assert frame.image.shape == (360, 640, 4)
    assert frame.image[..., :3].std() > 5  # SMPTE bars, not a grey/black failure picture


def test_equal_specs_share_one_reader(
    rtsp_server: RtspTestServer, hub: Any, status_log: StatusRecorder
) -> None:
    """Console and wall showing the same camera decode it once."""
    spec = StreamSpec(rtsp_server.url("clip1"))
    console = _play(hub, status_log, spec, (320, 180))
    wall = hub.subscribe(StreamSpec(rtsp_server.url("clip1")), (640, 360))

    assert hub.reader_count() == 1
    assert wall.slot is console.slot
    frame = wait_for_seq(wall, console.slot.seq + 5, OPEN_S)
    # The reader scales to the LARGEST live viewer size.
    assert frame.image.shape == (360, 640, 4)


def test_clip_from_the_first_gop_of_a_live_session_plays(
    rtsp_server: RtspTestServer, hub: Any, status_log: StatusRecorder, tmp_path: Any
) -> None:
    """The session's first keyframe comes without a timestamp; a clip that starts there
    must keep it (without its IDR the MP4 could not be decoded at all)."""
    import json
    import subprocess

    spec = StreamSpec(rtsp_server.url("live1"))
    handle = _play(hub, status_log, spec, (320, 180))
    wait_for_seq(handle, 20, OPEN_S)  # inside the first 2 s GOP
    result = handle.clip(5.0, 0.5, tmp_path / "first.mp4").result(30)
    probe = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries",
                            "stream=nb_read_frames,codec_name", "-of", "json", str(result.path)],
                           capture_output=True, text=True, check=True)
    stream = json.loads(probe.stdout)["streams"][0]
    assert stream["codec_name"] == "h264" and int(stream["nb_read_frames"]) >= 20


def test_rtsp_h264_skips_the_parser_only_up_to_the_configured_number_of_streams(
    rtsp_server: RtspTestServer, video_settings: Any
) -> None:
    """Beyond the limit, per-packet GIL hand-overs would cost more than the 40 ms saved."""
    from commandroom.video.hub import StreamHub

    video_settings.low_latency_max_streams = 1
    hub = StreamHub(video_settings)
    try:
        first = hub.subscribe(StreamSpec(rtsp_server.url("clip5")), (320, 180))
        wait_for_seq(first, 1, 15.0)
        second = hub.subscribe(StreamSpec(rtsp_server.url("clip6")), (320, 180))
        wait_for_seq(second, 1, 15.0)
        assert first.stats().skips_parser
        assert not second.stats().skips_parser
        assert second.stats().codec == "h264"
    finally:
        hub.close()
