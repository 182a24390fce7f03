"""A clip cut in a worker's ring, as the GUI process receives it (worker_units)."""

from __future__ import annotations

import concurrent.futures
from fractions import Fraction

import av
import pytest

from commandroom.video.clips import ClipError, RingPacket
from commandroom.video.packet_sources import SegmentInfo
from commandroom.video.worker_units import (
    NO_ANSWER,
    WORKER_GONE,
    ClipReply,
    RemoteClip,
    ring_fields,
    unit_fields,
)

INFO = SegmentInfo("h264", 640, 360, Fraction(1, 90000), Fraction(25), b"\x01\x02")


def _ring_packet(data: bytes, pts: int, keyframe: bool, arrival: float) -> RingPacket:
    packet = av.Packet(data)
    packet.pts = packet.dts = pts
    packet.time_base = Fraction(1, 90000)
    packet.is_keyframe = keyframe
    return RingPacket(packet, arrival, keyframe, pts, pts, Fraction(1, 90000))


def _answered(reply: ClipReply | None) -> RemoteClip:
    answer: concurrent.futures.Future[ClipReply | None] = concurrent.futures.Future()
    clip = RemoteClip(answer)
    assert not clip.done.is_set()
    answer.set_result(reply)
    assert clip.done.is_set()
    return clip


def test_the_clip_arrives_as_the_ring_held_it() -> None:
    kept = [_ring_packet(b"\x00\x00\x01\x65key", 0, True, 100.0),
            _ring_packet(b"\x00\x00\x01\x41p", 3600, False, 100.04)]
    clip = _answered((INFO, [ring_fields(p) for p in kept], None))
    assert clip.info == INFO
    got = clip.packets()
    assert [bytes(p.packet) for p in got] == [bytes(p.packet) for p in kept]
    assert [(p.pts, p.dts, p.keyframe, p.arrival, p.time_base) for p in got] == [
        (p.pts, p.dts, p.keyframe, p.arrival, p.time_base) for p in kept]
    assert got[0].packet.is_keyframe and got[1].packet.pts == 3600
    # A recorder's unit carries the same fields as a clip's.
    assert unit_fields(kept[1].packet, 100.04) == ring_fields(kept[1])


def test_the_workers_reason_is_the_clips_error() -> None:
    clip = _answered((None, [], "No video in the buffer yet"))
    with pytest.raises(ClipError, match="No video in the buffer yet"):
        clip.packets()


def test_a_worker_that_died_or_never_answered_is_said() -> None:
    with pytest.raises(ClipError, match=WORKER_GONE):
        _answered(None).packets()
    waiting = RemoteClip(concurrent.futures.Future())
    with pytest.raises(ClipError, match=NO_ANSWER):
        waiting.packets()
