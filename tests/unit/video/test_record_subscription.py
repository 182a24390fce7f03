"""hub.record: a recorded stream keeps its reader, is demuxed only, decodes for viewers."""

from __future__ import annotations

import threading
import time
from typing import Any

import av
import pytest

from commandroom.config import VideoSettings
from commandroom.video import StreamHub, StreamSpec, StreamState, StreamStatus
from commandroom.video.packet_sources import SegmentInfo
from commandroom.video.playback import Playback
from tests.unit.video.conftest import wait_until

DEMO = StreamSpec("demo://recorded?w=320&h=180&fps=25&gop=1")


class CountingSink:
    """A PacketSink that counts what it is fed (the recorder's place in the fan-out)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.segments = 0
        self.ended = 0
        self.packets = 0
        self.keyframes = 0

    def start_segment(self, info: SegmentInfo) -> None:
        with self.lock:
            self.segments += 1

    def append(self, packet: av.Packet[Any], arrival: float) -> None:
        with self.lock:
            self.packets += 1
            self.keyframes += bool(packet.is_keyframe)

    def end_segment(self) -> None:
        with self.lock:
            self.ended += 1


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every call into the decoder (Playback._decode / _decode_backlog)."""
    calls: list[int] = []
    original = Playback._decode
    backlog = Playback._decode_backlog

    def counted(self: Playback, packet: av.Packet[Any], arrival: float) -> bool:
        calls.append(1)
        return original(self, packet, arrival)

    def counted_backlog(self: Playback, packets: Any, arrival: float) -> None:
        calls.append(1)
        backlog(self, packets, arrival)

    monkeypatch.setattr(Playback, "_decode", counted)
    monkeypatch.setattr(Playback, "_decode_backlog", counted_backlog)
    return calls


def test_recorded_only_stream_is_demuxed_and_never_decoded(
        settings: VideoSettings, decodes: list[int]) -> None:
    statuses: list[StreamStatus] = []
    hub = StreamHub(settings)
    sink = CountingSink()
    try:
        recording = hub.record(DEMO, sink, on_status=statuses.append)
        assert wait_until(lambda: sink.packets >= 30)
        assert hub.reader_count() == 1 and hub.decoding_count() == 0
        assert decodes == []  # not one packet reached the decoder
        assert recording.status().state is StreamState.LIVE  # whole units count as pictures
        assert any(s.state is StreamState.LIVE for s in statuses)
        # Longer than idle_stop_s (0.3 s): a recording keeps the reader alive.
        time.sleep(3 * settings.idle_stop_s)  # nothing to wait on: the reader must NOT stop
        assert hub.reader_count() == 1
        assert sink.segments == 1 and sink.keyframes >= 1
        recording.release()
        assert sink.ended == 1  # told the segment ended when taken out
        assert wait_until(lambda: hub.reader_count() == 0, 3.0)
    finally:
        hub.close()


def test_a_viewer_on_a_recorded_stream_shares_its_reader_and_decodes_only_while_there(
        settings: VideoSettings, decodes: list[int]) -> None:
    hub = StreamHub(settings)
    sink = CountingSink()
    try:
        recording = hub.record(DEMO, sink)
        assert wait_until(lambda: sink.packets >= 10)
        viewer = hub.subscribe(StreamSpec(DEMO.url), (320, 180))
        assert hub.reader_count() == 1  # one connection for both
        assert wait_until(lambda: viewer.slot.seq >= 3)
        assert hub.decoding_count() == 1
        viewer.release()
        assert wait_until(lambda: hub.decoding_count() == 0)
        seq, calls = viewer.slot.seq, len(decodes)
        before = sink.packets
        assert wait_until(lambda: sink.packets >= before + 10)
        assert len(decodes) <= calls + 1  # at most the packet in hand when it stopped
        assert viewer.slot.seq <= seq + 1
        assert hub.reader_count() == 1 and sink.segments == 1  # never reconnected
        recording.release()
    finally:
        hub.close()


def test_paused_viewers_of_a_recorded_stream_stop_decoding_not_the_reader(
        settings: VideoSettings) -> None:
    hub = StreamHub(settings)
    sink = CountingSink()
    try:
        recording = hub.record(DEMO, sink)
        viewer = hub.subscribe(DEMO, (160, 90))
        assert wait_until(lambda: viewer.slot.seq >= 2)
        viewer.set_paused(True)
        assert wait_until(lambda: hub.decoding_count() == 0, 3.0)
        assert hub.reader_count() == 1
        seq = viewer.slot.seq
        viewer.set_paused(False)
        assert wait_until(lambda: viewer.slot.seq > seq)
        assert sink.segments == 1
        viewer.release()
        recording.release()
    finally:
        hub.close()


def test_first_picture_for_a_viewer_joining_a_recorded_stream_comes_from_the_ring(
        settings: VideoSettings) -> None:
    """GOP of 4 s: waiting for the next keyframe would take ~2 s on average; the ring's
    newest keyframe gives a picture at once."""
    spec = StreamSpec("demo://longgop?w=320&h=180&fps=25&gop=4")
    hub = StreamHub(settings)  # first_picture_from_ring=False fails this test
    sink = CountingSink()
    try:
        recording = hub.record(spec, sink)
        assert wait_until(lambda: sink.keyframes >= 1 and sink.packets >= 30)
        # Right after a keyframe would favour the keyframe wait: be mid-GOP.
        assert wait_until(lambda: sink.packets % 100 == 50, 6.0)
        started = time.monotonic()
        viewer = hub.subscribe(spec, (320, 180))
        assert wait_until(lambda: viewer.slot.seq >= 1, 5.0)
        assert time.monotonic() - started < 0.5
        viewer.release()
        recording.release()
    finally:
        hub.close()
