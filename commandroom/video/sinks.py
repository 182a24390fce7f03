"""Where the reader's compressed packets go: the evidence ring, a recorder, both.

One connection per camera serves live view, evidence clips and recording: the reader hands
every whole access unit (Annex B, keyframe flag, pts in the stream's time base) to one
``PacketSink``; ``SinkFanOut`` is a sink that passes the feed on to several.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Protocol

import av

from commandroom.video.packet_sources import SegmentInfo

log = logging.getLogger(__name__)


class PacketSink(Protocol):
    """Takes the reader's feed. Called on the reader thread: must never block it."""

    def start_segment(self, info: SegmentInfo) -> None:
        """A new connection: its timestamps and parameters do not continue the old ones."""

    def append(self, packet: av.Packet[Any], arrival: float) -> None:
        """One whole access unit; ``arrival`` is the wall clock (time.time()) it came in.
        The packet is shared with the other sinks: read it, never change it."""

    def end_segment(self) -> None:
        """The connection ended (failure or stop)."""


class SinkFanOut:
    """A sink that feeds several; sinks may be added and removed while the reader plays.

    A sink added in the middle of a connection is given ``start_segment`` with that
    connection's parameters at once, so a recorder that starts when a tile is shown
    needs no reconnection. One failing sink is logged and never stops the others.
    """

    def __init__(self, *sinks: PacketSink) -> None:
        self._lock = threading.Lock()
        self._sinks: tuple[PacketSink, ...] = sinks
        self._info: SegmentInfo | None = None

    def add(self, sink: PacketSink) -> None:
        with self._lock:
            if sink in self._sinks:
                return
            # Under the lock and before the sink is published: the reader's own
            # start_segment cannot slip in between, and no packet comes before it.
            if self._info is not None:
                self._call(sink, "start_segment", self._info)
            self._sinks = (*self._sinks, sink)

    def remove(self, sink: PacketSink) -> None:
        """Stop feeding ``sink``; it is told the segment ended if one was open."""
        with self._lock:
            if sink not in self._sinks:
                return
            self._sinks = tuple(s for s in self._sinks if s is not sink)
            was_open = self._info is not None
        if was_open:
            self._call(sink, "end_segment")

    def sinks(self) -> tuple[PacketSink, ...]:
        return self._sinks

    def start_segment(self, info: SegmentInfo) -> None:
        with self._lock:
            self._info = info
            sinks = self._sinks
        for sink in sinks:
            self._call(sink, "start_segment", info)

    def append(self, packet: av.Packet[Any], arrival: float) -> None:
        for sink in self._sinks:  # a tuple swapped whole under the lock: safe to iterate
            try:
                sink.append(packet, arrival)
            except Exception:
                log.exception("packet sink %s failed", type(sink).__name__)

    def end_segment(self) -> None:
        with self._lock:
            self._info = None
            sinks = self._sinks
        for sink in sinks:
            self._call(sink, "end_segment")

    @staticmethod
    def _call(sink: PacketSink, method: str, *args: object) -> None:
        try:
            getattr(sink, method)(*args)
        except Exception:
            log.exception("packet sink %s.%s failed", type(sink).__name__, method)
