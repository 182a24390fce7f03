"""Hardware decoding asked for on a real RTSP stream: where the device does not open (no
GPU on the test machines) the stream plays in software and says why; the open times
with "off", "auto" and a device are printed (run with -s), not asserted."""

from __future__ import annotations

import dataclasses
import statistics
import threading
import time

import pytest

from commandroom.config import VideoSettings
from commandroom.video import hw_decode
from commandroom.video.hub import StreamHub
from commandroom.video.packet_sources import open_source
from commandroom.video.state import HwFallback, StreamState
from commandroom.video.stream_spec import StreamSpec
from tests.support.rtsp import RtspTestServer, StatusRecorder, wait_for_seq

pytestmark = pytest.mark.integration

OPEN_S = 15.0


def test_cuda_asked_for_plays_in_software_with_the_reason(
    rtsp_server: RtspTestServer, video_settings: VideoSettings, status_log: StatusRecorder
) -> None:
    settings = dataclasses.replace(video_settings, hw_decode="cuda")
    hub = StreamHub(settings, on_status=status_log)
    try:
        spec = StreamSpec(rtsp_server.url("clip6"))
        handle = hub.subscribe(spec, (320, 180))
        status_log.wait_state(spec, StreamState.LIVE, OPEN_S)
        first = wait_for_seq(handle, 1, OPEN_S)
        wait_for_seq(handle, first.seq + 10, 10.0)
        stats = handle.stats()
        if hw_decode.PROBE.error("cuda"):  # no NVIDIA device here (the test machines)
            assert stats.decoder == hw_decode.SOFTWARE
            assert stats.hw_fallback is HwFallback.DEVICE_FAILED
        else:
            assert stats.decoder == "cuda"
        assert stats.codec == "h264" and stats.fps > 5
        assert handle.status().state is StreamState.LIVE
    finally:
        hub.close()


def test_open_time_with_and_without_hardware_decoding(
    rtsp_server: RtspTestServer, video_settings: VideoSettings
) -> None:
    """Opening a stream: "auto" and "cuda" on a machine without a GPU vs "off"."""
    spec = StreamSpec(rtsp_server.url("clip7"))
    stop = threading.Event()
    times: dict[str, list[float]] = {}
    labels: dict[str, str] = {}
    for _ in range(5):
        for setting in ("off", "auto", "cuda"):
            settings = dataclasses.replace(video_settings, hw_decode=setting)
            started = time.perf_counter()
            source = open_source(spec, settings, stop)
            times.setdefault(setting, []).append((time.perf_counter() - started) * 1000)
            labels[setting] = source.stream_decoder.label
            source.close()
    for setting, measured in times.items():
        print(f"open {setting}: median {statistics.median(measured):.1f} ms "
              f"(min {min(measured):.1f}, max {max(measured):.1f}) -> {labels[setting]}")
    assert labels["off"] == hw_decode.SOFTWARE
    assert labels["cuda"] == ("cuda" if not hw_decode.PROBE.error("cuda") else "sw")
