from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import numpy

from commandroom.config import VideoSettings
from commandroom.video import OfflineReason, StreamHub, StreamSpec, StreamState, StreamStatus
from tests.unit.video.conftest import wait_until

DEMO = StreamSpec("demo://test?w=320&h=180&fps=25&gop=1")


def test_demo_delivers_moving_frames_at_the_asked_size(settings: VideoSettings) -> None:
    hub = StreamHub(settings)
    try:
        t0 = time.monotonic()
        handle = hub.subscribe(DEMO, (200, 200))  # square tile: fit keeps 16:9
        assert wait_until(lambda: handle.slot.seq >= 1)
        first_frame_s = time.monotonic() - t0
        first = handle.slot.latest()
        assert wait_until(lambda: handle.slot.seq >= first.seq + 3)  # type: ignore[union-attr]
        later = handle.slot.latest()
        assert first is not None and later is not None
        assert later.seq > first.seq and later.capture_time > first.capture_time
        assert first.image.shape == (112, 200, 4)  # 320x180 fitted into 200x200, even
        assert first.image.dtype == numpy.uint8 and first.image.flags.c_contiguous
        assert not first.image.flags.writeable  # published frames are never mutated
        assert first.source_size == (320, 180) and first.codec == "h264"
        assert not numpy.array_equal(first.image, later.image)
        assert handle.status().state is StreamState.LIVE
        assert first_frame_s < 2.0
        stats = handle.stats()
        assert (stats.width, stats.height, stats.codec) == (320, 180, "h264")
        assert stats.latency_ms is not None and stats.latency_ms >= 0
    finally:
        hub.close()
    assert hub.reader_count() == 0


def test_two_viewers_share_one_reader_at_the_larger_size(settings: VideoSettings) -> None:
    hub = StreamHub(settings)
    try:
        console = hub.subscribe(DEMO, (160, 90))
        wall = hub.subscribe(StreamSpec(DEMO.url), (320, 180))
        assert hub.reader_count() == 1
        assert console.slot is wall.slot
        assert wait_until(lambda: (f := wall.slot.latest()) is not None and f.image.shape[1] == 320)
        wall.set_paused(True)  # wall tile hidden: only the console's size counts now
        seq = console.slot.seq
        assert wait_until(
            lambda: (f := console.slot.latest()) is not None and f.seq > seq
            and f.image.shape[:2] == (90, 160)
        )
        other = hub.subscribe(StreamSpec("demo://other?w=160&h=90"), (160, 90))
        assert hub.reader_count() == 2
        other.release()
    finally:
        hub.close()


def test_reader_stops_idle_stop_s_after_the_last_release(settings: VideoSettings) -> None:
    hub = StreamHub(settings)  # idle_stop_s = 0.3
    try:
        handle = hub.subscribe(DEMO, (160, 90))
        assert wait_until(lambda: handle.slot.seq > 0)
        released_at = time.monotonic()
        handle.release()
        handle.release()  # idempotent
        assert hub.reader_count() == 1  # not immediately: a tile may come right back
        assert wait_until(lambda: hub.reader_count() == 0, 3.0)
        assert time.monotonic() - released_at >= 0.25
        # A new viewer starts a fresh reader.
        again = hub.subscribe(DEMO, (160, 90))
        assert wait_until(lambda: again.slot.seq > 0)
        assert hub.reader_count() == 1
    finally:
        hub.close()


def test_all_viewers_paused_stops_the_reader_and_resume_restarts_it(
    settings: VideoSettings,
) -> None:
    hub = StreamHub(settings)
    try:
        handle = hub.subscribe(DEMO, (160, 90))
        assert wait_until(lambda: handle.slot.seq > 0)
        handle.set_paused(True)
        assert wait_until(lambda: hub.reader_count() == 0, 3.0)
        assert handle.status().state is StreamState.STOPPED
        seq = handle.slot.seq
        handle.set_paused(False)
        assert wait_until(lambda: handle.slot.seq > seq)  # same slot, seq keeps counting
        handle.release()
    finally:
        hub.close()


def test_full_resolution_returns_exactly_the_frame_asked_for(settings: VideoSettings) -> None:
    hub = StreamHub(settings)
    try:
        handle = hub.subscribe(DEMO, (320, 180))  # tile = source size: comparable pixels
        assert wait_until(lambda: handle.slot.seq >= 3)
        shown = handle.slot.latest()
        assert shown is not None
        assert wait_until(lambda: handle.slot.seq >= shown.seq + 2)  # the stream moved on
        result = handle.full_resolution(shown.seq)
        assert result is not None
        bgr, frame = result
        assert frame is shown
        assert bgr.shape == (180, 320, 3) and bgr.flags.c_contiguous
        tile_bgr = shown.image[:, :, :3].astype(int)
        assert numpy.abs(bgr.astype(int) - tile_bgr).mean() < 3  # same picture
        newest = handle.slot.latest()
        assert newest is not None
        other = newest.image[:, :, :3].astype(int)
        assert numpy.abs(bgr.astype(int) - other).mean() > numpy.abs(
            bgr.astype(int) - tile_bgr
        ).mean()
        latest = handle.full_resolution()
        assert latest is not None and latest[1].seq >= newest.seq
        assert handle.full_resolution(10**9) is None  # never was
        assert wait_until(lambda: handle.slot.seq >= shown.seq + 12)  # out of the ring
        oldest = handle.full_resolution(shown.seq)
        # a frame already gone: the nearest one kept, never None and never an older one
        assert oldest is not None and shown.seq < oldest[1].seq < handle.slot.seq
    finally:
        hub.close()


def test_missing_file_goes_offline_not_found_and_does_not_storm(
    settings: VideoSettings, tmp_path: Path
) -> None:
    statuses: list[StreamStatus] = []
    got_offline = threading.Event()

    def on_status(spec: StreamSpec, status: StreamStatus) -> None:
        statuses.append(status)
        if status.state is StreamState.OFFLINE:
            got_offline.set()

    hub = StreamHub(settings, on_status=on_status)
    try:
        handle = hub.subscribe(StreamSpec(str(tmp_path / "nope.mp4")), (160, 90))
        assert got_offline.wait(3.0)
        status = handle.status()
        assert status.reason is OfflineReason.NOT_FOUND and status.detail
        assert status.retry_in is not None and status.retry_in >= 10 * settings.backoff_max_s
        assert statuses[0].state is StreamState.CONNECTING
        assert handle.full_resolution() is None
        future = handle.clip(1, 1, tmp_path / "x.mp4")
        assert "No video" in str(future.exception(1))
    finally:
        hub.close()
    assert statuses[-1].state is StreamState.STOPPED


def test_close_aborts_a_reader_blocked_in_open_at_once(settings: VideoSettings) -> None:
    # A "camera" that accepts TCP and then says nothing: FFmpeg blocks in open.
    silent = socket.create_server(("127.0.0.1", 0))
    silent.settimeout(5.0)
    port = silent.getsockname()[1]
    slow = VideoSettings(open_timeout_s=30.0, read_timeout_s=30.0, idle_stop_s=0.3)
    hub = StreamHub(slow)
    try:
        handle = hub.subscribe(StreamSpec(f"rtsp://127.0.0.1:{port}/x"), (160, 90))
        conn, _ = silent.accept()  # the reader is now inside av.open
        assert handle.status().state is StreamState.CONNECTING
        started = time.monotonic()
        hub.close()
        assert time.monotonic() - started < 1.0
        assert hub.reader_count() == 0
        conn.close()
    finally:
        hub.close()
        silent.close()


def test_planes_only_when_every_active_viewer_paints_on_the_gpu(settings: VideoSettings) -> None:
    hub = StreamHub(settings)
    try:
        gpu = hub.subscribe(DEMO, (320, 180))
        gpu.set_planes(True)
        assert wait_until(lambda: (f := gpu.slot.latest()) is not None and f.planes is not None)
        frame = gpu.slot.latest()
        assert frame is not None and frame.planes is not None and frame.colour is not None
        assert frame.image.shape == (180, 320)  # the Y plane
        cpu = hub.subscribe(DEMO, (320, 180))  # a CPU viewer of the same stream: BGRA
        assert wait_until(lambda: (f := cpu.slot.latest()) is not None and f.planes is None
                          and f.seq > frame.seq)
        cpu.set_paused(True)  # only the GPU viewer is active again: planes again
        assert wait_until(lambda: (f := gpu.slot.latest()) is not None and f.planes is not None
                          and f.seq > frame.seq)
    finally:
        hub.close()
