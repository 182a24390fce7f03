"""Compressed access units across a reader worker's pipe: a recorder's feed, and clips.

The evidence ring of a stream read in a worker process lives in that process, beside its
reader (the ring of an in-process reader lives beside it too): the access units cross
the pipe only when the GUI process asks for them. That is a recorder's feed while the
camera is recorded (the worker forwards each unit, ``unit_fields``), and a clip when an
officer tags a sighting (the worker cuts it from its ring and sends it whole, then the
GUI process's ``RemoteClip`` hands it to ``clips.write_clip``). Before, every unit of
every stream crossed, to keep the ring in the GUI process: at 16 streams that cost ~0.1
of a core between pickling, waking both sides and unpickling (bench/README.md).
"""

from __future__ import annotations

import concurrent.futures
import threading
from fractions import Fraction
from typing import Any

import av

from commandroom.video.clips import NOT_RUNNING, ClipError, RingPacket
from commandroom.video.packet_sources import SegmentInfo

# (data, pts, dts, time_base, keyframe, arrival): one access unit as it crosses the pipe.
UnitFields = tuple[bytes, "int | None", "int | None", "Fraction | None", bool, float]
# The worker's answer to a clip: its segment and units, or why there are none.
ClipReply = tuple["SegmentInfo | None", "list[UnitFields]", "str | None"]

WORKER_GONE = "The video worker stopped before the clip was complete"
NO_ANSWER = "The clip did not come from the video worker in time"
# The answer for a stream no worker reads: from the worker, or from the pool at once.
NOT_RUNNING_REPLY: ClipReply = (None, [], NOT_RUNNING)


def unit_fields(packet: av.Packet[Any], arrival: float) -> UnitFields:
    return (bytes(packet), packet.pts, packet.dts, packet.time_base,
            bool(packet.is_keyframe), arrival)


def ring_fields(item: RingPacket) -> UnitFields:
    return (bytes(item.packet), item.pts, item.dts, item.time_base, item.keyframe,
            item.arrival)


def packet_from(data: bytes, pts: int | None, dts: int | None,
                time_base: Fraction | None, keyframe: bool) -> av.Packet[Any]:
    packet = av.Packet(data)
    packet.pts, packet.dts = pts, dts
    if time_base is not None:
        packet.time_base = time_base
    packet.is_keyframe = keyframe
    return packet


def ring_packet_from(fields: UnitFields) -> RingPacket:
    data, pts, dts, time_base, keyframe, arrival = fields
    return RingPacket(packet_from(data, pts, dts, time_base, keyframe), arrival, keyframe,
                      pts, dts, time_base or Fraction(1, 90000))


class RemoteClip:
    """A clip being cut in a worker's ring, as ``clips.write_clip`` reads a ClipRequest:
    ``done`` is set when the worker's answer came (or its process died); ``packets()``
    raises ClipError with the reason when there is no video."""

    def __init__(self, answer: concurrent.futures.Future[ClipReply | None]) -> None:
        self.done = threading.Event()
        self._reply: ClipReply | None = None
        answer.add_done_callback(self._answered)

    def _answered(self, answer: concurrent.futures.Future[ClipReply | None]) -> None:
        # None: the worker died before it answered (worker_pool._lost).
        self._reply = None if answer.cancelled() else answer.result()
        self.done.set()

    def _video(self) -> tuple[SegmentInfo, list[UnitFields]]:
        reply = self._reply
        if reply is None:
            raise ClipError(WORKER_GONE if self.done.is_set() else NO_ANSWER)
        info, units, error = reply
        if info is None:
            raise ClipError(error or "No video in the buffer for this clip")
        return info, units

    @property
    def info(self) -> SegmentInfo:
        return self._video()[0]

    def packets(self) -> list[RingPacket]:
        return [ring_packet_from(fields) for fields in self._video()[1]]
