"""One feed, several sinks: the evidence ring and a recorder get the same packets."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import av

from commandroom.video.clips import PacketRing
from commandroom.video.packet_sources import SegmentInfo
from commandroom.video.sinks import PacketSink, SinkFanOut
from tests.support.recording import ClipPacket, feed, packets_in
from tests.unit.recording.conftest import FAST, RecStack

Clip = tuple[SegmentInfo, list[ClipPacket]]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR = datetime(2100, 1, 1, tzinfo=UTC)


class Broken:
    def start_segment(self, info: SegmentInfo) -> None:
        raise RuntimeError("boom")

    def append(self, packet: av.Packet[Any], arrival: float) -> None:
        raise RuntimeError("boom")

    def end_segment(self) -> None:
        raise RuntimeError("boom")


def test_ring_and_recorder_share_one_feed(stack: RecStack, clip: Clip) -> None:
    info, packets = clip
    ring = PacketRing(keep_s=30)
    recorder = stack.recorder(tuning=FAST).start()
    sinks: list[PacketSink] = [ring, recorder, Broken()]
    fan = SinkFanOut(*sinks)
    feed(fan, info, packets_in(packets, 0, 4.0), 100.0)
    request = ring.open_clip(10.0, 0.0, now=104.0)
    fan.end_segment()
    recorder.close()
    assert len(request.packets()) == 100  # the ring kept its copy of every packet
    (segment,) = stack.index.segments(stack.cam.id, EPOCH, FAR)
    assert segment.duration_s == 4.0


def test_a_sink_added_mid_connection_starts_at_once(stack: RecStack, clip: Clip) -> None:
    """A "while shown" recorder joins a reader that is already playing."""
    info, packets = clip
    fan = SinkFanOut(PacketRing(keep_s=5))
    feed(fan, info, packets_in(packets, 0, 1.0), 200.0)
    recorder = stack.recorder(tuning=FAST).start()
    fan.add(recorder)
    for item in packets_in(packets, 1.0, 6.0):
        fan.append(item.packet, 200.0 + item.media_s)
    fan.remove(recorder)  # hidden again: the recorder is told the segment ended
    for item in packets_in(packets, 6.0, 8.0):
        fan.append(item.packet, 200.0 + item.media_s)
    recorder.close()
    (segment,) = stack.index.segments(stack.cam.id, EPOCH, FAR)
    # It waited for the keyframe at 2 s and got nothing after its removal at 6 s.
    assert segment.start_at == datetime.fromtimestamp(202.0, UTC)
    assert segment.end_at == datetime.fromtimestamp(206.0, UTC)
