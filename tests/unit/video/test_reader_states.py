"""The reader's part of the state model: a connection that yields nothing is given up,
and a reader that cannot go on says it is not retrying (no GStreamer needed)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import pytest

from commandroom.config import VideoSettings
from commandroom.video import OfflineReason, StreamHub, StreamSpec, StreamState, StreamStatus
from commandroom.video import reader as reader_module
from commandroom.video.hw_decode import StreamDecoder
from commandroom.video.lifecycle import StreamLifecycle
from commandroom.video.packet_sources import SegmentInfo, SourcePacket
from commandroom.video.state import DelaySource
from tests.unit.video.test_network_errors import Recorder


class SwallowingSource:
    """Connected, and then the demuxer reads on without ever returning a packet (data it
    discards): only abort() ends the read, as FFmpeg's interrupt callback would."""

    skips_parser = False
    delay_source = DelaySource.NO_SENDER_REPORTS

    def __init__(self) -> None:
        self.info = SegmentInfo("h264", 320, 180, Fraction(1, 90000), None, None)
        self.decoder = av.CodecContext.create("h264", "r")
        self.stream_decoder = StreamDecoder("h264", None, "off", self.decoder)
        self.aborted = threading.Event()
        self.aborted_at: float | None = None

    def packets(self) -> Iterator[SourcePacket]:
        self.aborted.wait(30.0)
        raise OSError("Immediate exit requested")
        yield  # pragma: no cover - a generator that never yields

    def abort(self) -> None:
        self.aborted_at = time.monotonic()
        self.aborted.set()

    def close(self) -> None:
        pass

    def sender_epoch(self) -> float | None:
        return None

    def key_packet(self, packet: Any) -> bool:
        return False

    def decode_whole_frames(self) -> bool:
        return False


def test_the_watchdog_aborts_a_connection_that_gives_no_picture(
    settings: VideoSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources: list[SwallowingSource] = []

    def open_swallowing(*_args: Any, **_kwargs: Any) -> SwallowingSource:
        sources.append(SwallowingSource())
        return sources[-1]

    monkeypatch.setattr(reader_module, "open_source", open_swallowing)
    settings.read_timeout_s = 0.5
    settings.offline_after_s = 10.0  # the first failure is RECONNECTING
    record = Recorder()
    hub = StreamHub(settings, on_status=record)
    try:
        started = time.monotonic()
        hub.subscribe(StreamSpec("rtsp://127.0.0.1:9/swallow"), (160, 90))
        assert record.wait_for(lambda s: s.state is StreamState.RECONNECTING, 5.0)
        assert sources[0].aborted_at is not None
        took = sources[0].aborted_at - started
        # read_timeout_s plus the watchdog's grace (1 s), and the watchdog's wake-up.
        assert 0.5 <= took < 0.5 + 1.0 + 1.5, took
        retry = next(s for s in record.statuses if s.state is StreamState.RECONNECTING)
        assert retry.reason is OfflineReason.TIMEOUT and "No picture" in retry.detail
    finally:
        hub.close()


def test_a_reader_that_cannot_go_on_says_not_retrying_until_opened_again(
    settings: VideoSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: StreamLifecycle, failure: Any) -> Any:
        raise RuntimeError("a bug in the state model")

    monkeypatch.setattr(StreamLifecycle, "attempt_failed", broken)
    record = Recorder()
    hub = StreamHub(settings, on_status=record)
    spec = StreamSpec(str(tmp_path / "missing.mp4"))
    try:
        handle = hub.subscribe(spec, (160, 90))
        assert record.wait_for(lambda s: s.state is StreamState.OFFLINE, 5.0)
        status: StreamStatus = handle.status()
        assert status.state is StreamState.OFFLINE and not status.retrying
        assert status.retry_in is None
        assert hub.reader_count() == 0  # nothing runs: the tile must not say "trying"
        # Opening the camera again (a tile assigned anew) starts a fresh reader.
        monkeypatch.undo()
        again = hub.subscribe(spec, (160, 90))
        assert record.wait_for(
            lambda s: s.state is StreamState.OFFLINE and s.retrying, 5.0
        )
        assert again.status().reason is OfflineReason.NOT_FOUND
    finally:
        hub.close()
