from __future__ import annotations

import hashlib
import time
from pathlib import Path

import av
import pytest

from commandroom.config import EvidenceSettings, VideoSettings
from commandroom.video import ClipResult, StreamHub, StreamSpec
from tests.unit.video.conftest import wait_until

GOP_S = 0.5
DEMO = StreamSpec(f"demo://clip?w=320&h=180&fps=25&gop={GOP_S}")


def _probe(path: Path) -> tuple[float, int, str]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.demux(stream) if _.size)
        assert container.duration is not None
        return container.duration / 1e6, frames, stream.codec_context.name


def test_clip_is_pre_plus_post_remuxed_with_a_true_sha256(
    settings: VideoSettings, tmp_path: Path
) -> None:
    hub = StreamHub(settings, evidence=EvidenceSettings(pre_seconds=2.0))
    try:
        handle = hub.subscribe(DEMO, (160, 90))
        assert wait_until(lambda: handle.slot.seq >= 30)  # >1 s of video in the ring
        pre_s, post_s = 1.0, 0.5
        asked_at = time.time()
        dest = tmp_path / "evidence" / "clip.mp4"
        future = handle.clip(pre_s, post_s, dest)
        assert not dest.exists()  # waits for the "after" part
        result: ClipResult = future.result(timeout=10)
        assert time.time() - asked_at >= post_s
        assert result.path == dest and dest.exists()
        assert not list(dest.parent.glob(".*part"))  # temp file renamed away
        assert result.sha256 == hashlib.sha256(dest.read_bytes()).hexdigest()
        duration, frames, codec = _probe(dest)
        assert codec == "h264"  # no re-encode: the stream's own codec
        assert pre_s + post_s - 0.1 <= duration <= pre_s + post_s + GOP_S + 0.1
        assert result.duration_s == pytest.approx(duration, abs=0.05)
        assert frames == pytest.approx(duration * 25, abs=2)
        assert asked_at - pre_s - GOP_S - 0.1 <= result.start_time <= asked_at - pre_s + 0.05
    finally:
        hub.close()


def test_pending_clip_keeps_the_reader_and_close_finishes_it(
    settings: VideoSettings, tmp_path: Path
) -> None:
    hub = StreamHub(settings)
    handle = hub.subscribe(DEMO, (160, 90))
    try:
        assert wait_until(lambda: handle.slot.seq >= 13)
        future = handle.clip(0.2, 30.0, tmp_path / "long.mp4")
        handle.release()
    finally:
        hub.close()  # the clip gets what has arrived; close does not wait 30 s
    result = future.result(timeout=5)
    duration, frames, _ = _probe(result.path)
    assert 0.1 < duration < 5 and frames >= 3


def test_file_source_plays_in_real_time_and_loops(
    settings: VideoSettings, short_video: Path, tmp_path: Path
) -> None:
    hub = StreamHub(settings)
    try:
        handle = hub.subscribe(StreamSpec(f"file://{short_video}"), (160, 90))
        started = time.monotonic()
        assert wait_until(lambda: handle.slot.seq >= 40, 5.0)  # 1 s file: it looped
        assert time.monotonic() - started >= 40 / 25 - 0.4  # paced, not decoded flat out
        frame = handle.slot.latest()
        assert frame is not None and frame.source_size == (160, 90)
        # A clip across the loop point still has increasing timestamps.
        result = handle.clip(1.2, 0.0, tmp_path / "loop.mp4").result(timeout=5)
        duration, frames, _ = _probe(result.path)
        assert duration >= 1.0 and frames >= 25
    finally:
        hub.close()
