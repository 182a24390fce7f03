"""A stream read in a worker process, seen from the GUI process as a StreamReader is.

The hub and the handles use a ``RemoteReader`` exactly like a ``StreamReader`` (start,
stop, status, stats, set_decoding, full_resolution, open_clip, sinks...). Its pictures
arrive in the entry's ``SharedSlotReader``; its statuses and stats come from the worker's
pipe (``worker_pool`` calls the ``on_*`` methods from its receiving thread). The evidence
ring stays in the worker: a clip is cut there and sent whole (``worker_units``). The
compressed access units cross only while a recorder here is fed from ``sinks``: they are
made into ``av.Packet`` again and fed to it, so recording works as with in-process
readers.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy
import numpy.typing as npt

from commandroom.video.frames import Frame
from commandroom.video.handles import NO_STATS
from commandroom.video.packet_sources import SegmentInfo
from commandroom.video.shm_slot import SharedSlotReader
from commandroom.video.sinks import PacketSink, SinkFanOut
from commandroom.video.state import (
    OfflineReason,
    StreamState,
    StreamStats,
    StreamStatus,
)
from commandroom.video.stream_spec import StreamSpec
from commandroom.video.worker_units import RemoteClip, packet_from

if TYPE_CHECKING:
    from commandroom.video.worker_pool import WorkerPool

# Tagging waits this long for the worker's full-resolution picture.
FULL_RESOLUTION_TIMEOUT_S = 3.0
WORKER_LOST = StreamStatus(
    StreamState.RECONNECTING, OfflineReason.ERROR,
    detail="The video worker process stopped; it is being restarted",
)

FullResolution = tuple[npt.NDArray[numpy.uint8], Frame]


class _ForwardedSinks(SinkFanOut):
    """The recorders fed from a worker's stream: the worker forwards the access units
    while there is at least one (``changed`` says when that flips)."""

    def __init__(self, changed: Callable[[bool], None]) -> None:
        super().__init__()
        self._changed = changed
        # A recording released while another starts: the last word sent must be the
        # state after both, so each change and its word go together.
        self._flip = threading.Lock()
        self._forwarding = False

    def add(self, sink: PacketSink) -> None:
        with self._flip:
            super().add(sink)
            self._say()

    def remove(self, sink: PacketSink) -> None:
        with self._flip:
            super().remove(sink)
            self._say()

    def _say(self) -> None:
        wanted = bool(self.sinks())
        if wanted != self._forwarding:
            self._forwarding = wanted
            self._changed(wanted)


class RemoteReader:
    def __init__(
        self,
        pool: WorkerPool,
        spec: StreamSpec,
        slot: SharedSlotReader,
        *,
        keep_s: float,
        on_status: Callable[[StreamStatus], None],
        target: tuple[int, int] | None,
        low_latency: Callable[[], bool],
        decoding: bool,
        first_picture_from_ring: bool,
        planes: bool = False,
    ) -> None:
        self.spec = spec
        self.slot = slot
        self.sid = 0  # given by the pool at start
        self._pool = pool
        self._on_status = on_status
        self._target = target
        self._planes = planes
        self._low_latency = low_latency
        self._low_latency_now = True  # asked at start() (see there)
        self._decoding = decoding
        self._from_ring = first_picture_from_ring
        self._keep_s = keep_s  # the worker's evidence ring
        self.sinks: SinkFanOut = _ForwardedSinks(self._forward)
        self._clips: list[RemoteClip] = []
        self._clips_lock = threading.Lock()
        self._status = StreamStatus(StreamState.STOPPED)
        self._stats = NO_STATS
        self._stop = threading.Event()
        self._ended = threading.Event()
        self._started = False

    # ----------------------------------------------------------------- as StreamReader
    def start(self) -> None:
        # Asked here, not in open_message: a worker's restart sends that under the pool's
        # send lock, and asking the hub there would take the hub's lock after the pool's,
        # the reverse of the hub's order (a tile closed during a restart hung both). The
        # worker keeps the answer for its reconnections, and a restart reopens with it.
        self._low_latency_now = self._low_latency()
        self._started = True
        self._set_status(StreamStatus(StreamState.CONNECTING))
        self._pool.open(self)

    def stop(self) -> None:
        if not self._stop.is_set():
            self._stop.set()
            self._pool.stop(self)

    def set_decoding(self, on: bool) -> None:
        if on != self._decoding:
            self._decoding = on
            self._pool.send(self, ("decoding", self.sid, on))

    def retarget(self, target: tuple[int, int] | None, planes: bool = False) -> None:
        """The tiles' size, or what they paint with, changed: the worker scales to that
        size, into a segment that fits it, and publishes 4:2:0 planes when ``planes``
        (every viewer paints on the GPU), else BGRA."""
        if target == self._target and planes == self._planes:
            return
        self._target, self._planes = target, planes
        self._pool.send(self, ("target", self.sid, target, self._segment(), planes))

    @property
    def decoding(self) -> bool:
        return self._decoding

    def join(self, timeout: float | None = None) -> None:
        if self._started:
            self._ended.wait(timeout)

    def is_alive(self) -> bool:
        return self._started and not self._ended.is_set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def status(self) -> StreamStatus:
        return self._status

    def stats(self) -> StreamStats:
        return self._stats

    def pending_clips(self) -> int:
        with self._clips_lock:
            self._clips = [c for c in self._clips if not c.done.is_set()]
            return len(self._clips)

    def open_clip(self, pre_s: float, post_s: float) -> RemoteClip:
        clip = RemoteClip(self._pool.ask_clip(self, pre_s, post_s, time.time()))
        with self._clips_lock:
            self._clips.append(clip)
        return clip

    def full_resolution(self, seq: int | None) -> FullResolution | None:
        future: concurrent.futures.Future[FullResolution | None] = self._pool.ask_full(self, seq)
        try:
            found = future.result(FULL_RESOLUTION_TIMEOUT_S)
        except (concurrent.futures.TimeoutError, concurrent.futures.CancelledError):
            return None
        if found is None:
            return None
        # The very frame on screen when it is that one, as an in-process reader gives.
        shown = self.slot.handed_out(found[1].seq)
        return found if shown is None else (found[0], shown)

    def check(self, now: float) -> float | None:
        """The worker runs the time-driven checks next to its readers."""
        return None

    # ----------------------------------------------------------------- for the pool
    def open_message(self) -> tuple[Any, ...]:
        # Asked at every (re)start, as a StreamReader asks at every connection; the worker
        # keeps the answer for its own reconnections.
        return ("open", self.sid, self.spec, self._decoding, self._target, self._segment(),
                self.slot.seq, self._low_latency_now, self._from_ring, self._planes,
                self._keep_s, bool(self.sinks.sinks()))

    def _forward(self, on: bool) -> None:
        # Before start() the open message carries it (sid 0 reaches no worker).
        self._pool.send(self, ("forward", self.sid, on))

    def _segment(self) -> tuple[str, tuple[int, int]] | None:
        if self._target is None:
            return self.slot.segment
        return self.slot.resize(self._target)

    def on_status(self, status: StreamStatus) -> None:
        if not self._ended.is_set():
            self._set_status(status)

    def on_stats(self, stats: StreamStats) -> None:
        self._stats = stats

    def on_segment(self, info: SegmentInfo) -> None:
        self.sinks.start_segment(info)

    def on_unit(self, data: bytes, pts: int | None, dts: int | None,
                time_base: Fraction | None, keyframe: bool, arrival: float) -> None:
        self.sinks.append(packet_from(data, pts, dts, time_base, keyframe), arrival)

    def on_segment_end(self) -> None:
        self.sinks.end_segment()

    def on_worker_lost(self) -> None:
        """The worker died: the connection it had is gone; the pool opens it again."""
        self.sinks.end_segment()
        if not self._stop.is_set():
            self._set_status(WORKER_LOST)

    def on_ended(self) -> None:
        """The worker's reader has ended (stopped, or gave up): nothing more will come."""
        if self._ended.is_set():
            return
        self.sinks.end_segment()
        if self._stop.is_set():  # its last status came from the worker, unless it died
            self._set_status(StreamStatus(StreamState.STOPPED))
        self._ended.set()

    def _set_status(self, status: StreamStatus) -> None:
        if status == self._status:
            return
        self._status = status
        self._on_status(status)
