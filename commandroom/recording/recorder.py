"""A camera's recorder: a ``PacketSink`` on the reader's feed, writing segments off-thread.

The reader calls ``start_segment`` / ``append`` / ``end_segment`` exactly as it feeds the
evidence ring (``commandroom.video.sinks.SinkFanOut`` feeds both); those calls only put
the packet in a bounded queue and return. A writer thread per camera muxes (no decode, no
re-encode), cuts a new file every ``segment_s`` at a keyframe, syncs each fragment,
indexes the files and records gaps. When the queue is full (a disk too slow) packets are
dropped up to the next keyframe and counted, and the reader never waits.

When a write fails (disk full, permission, folder gone, read-only) the file keeps its
whole fragments and is indexed, a gap opens, the state says FAILING with the problem, and
the writer retries with a growing pause; live view is untouched.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av

from commandroom.config import RecordingSettings
from commandroom.events import EventBus
from commandroom.recording.index import RecordingIndex
from commandroom.recording.segmenter import Segmenter, StampedPacket, WriterFactory
from commandroom.recording.status import (
    GapReason,
    RecorderState,
    RecorderStatus,
    RecorderStatusChanged,
)
from commandroom.recording.writer import SegmentFile
from commandroom.video.sources import SegmentInfo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecorderTuning:
    max_queue_bytes: int = 32 * 1024 * 1024  # ~2 min of a 2 Mbit/s camera
    retry_initial_s: float = 1.0
    retry_max_s: float = 30.0
    stall_s: float = 3.0  # a jump in the stream's own time this long is a gap
    sync_fragments: bool = True  # fdatasync each fragment (power-cut safety)


@dataclass(frozen=True)
class RecordedCamera:
    id: int
    name: str


@dataclass(frozen=True)
class RecorderProgress:
    segments_closed: int
    durable_until: float | None  # wall clock up to which the footage is on disk
    last_closed_end: float | None  # where the last finished file ends (the open one starts)
    written_bytes: int
    dropped_packets: int


class Recorder:
    """Records one camera. Thread-safe feed; ``close`` drains the queue and stops."""

    def __init__(
        self,
        camera: RecordedCamera,
        index: RecordingIndex,
        root: Path,
        settings: RecordingSettings,
        *,
        bus: EventBus | None = None,
        tuning: RecorderTuning | None = None,
        wall_clock: Callable[[], float] = time.time,
        on_bytes: Callable[[int], None] | None = None,
        writer_factory: WriterFactory = SegmentFile,
    ) -> None:
        self.camera = camera
        self.tuning = tuning or RecorderTuning()
        self._bus = bus
        self._cond = threading.Condition()
        self._queue: deque[tuple[Any, ...]] = deque()
        self._queued_bytes = 0
        self._dropping = False
        self._dropped = 0
        self._closing: tuple[GapReason, str] | None = None
        self._busy = True  # the writer has work in hand (until it first waits)
        self._status = RecorderStatus(RecorderState.WAITING)
        self._segmenter = Segmenter(
            camera, index, root, settings, self.tuning, wall_clock=wall_clock,
            on_bytes=on_bytes, on_status=self._status_from_writer, bus=bus,
            writer_factory=writer_factory,
        )
        self._thread = threading.Thread(
            target=self._run, name=f"recorder cam{camera.id}", daemon=True
        )

    # -- control --------------------------------------------------------------------------
    def start(self) -> Recorder:
        self._thread.start()
        return self

    def close(self, reason: GapReason = GapReason.APP_NOT_RUNNING, detail: str = "",
              timeout: float = 30.0) -> None:
        """Write what is queued, close the file, mark the gap that starts now, stop."""
        with self._cond:
            if self._closing is None:
                self._closing = (reason, detail)
            self._cond.notify()
        if self._thread.ident is not None:
            self._thread.join(timeout)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until everything fed so far is handled (written or dropped)."""
        with self._cond:
            return self._cond.wait_for(
                lambda: not self._thread.is_alive() or (not self._queue and not self._busy),
                timeout)

    def set_clock_offset(self, seconds: float | None) -> None:
        """The camera's clock minus the station's (ONVIF), stored with each new segment."""
        self._segmenter.clock_offset_s = seconds

    def note_stream_down(self, reason: GapReason = GapReason.STREAM_LOST,
                         detail: str = "") -> None:
        """The reader cannot reach the camera (no segment to end): say why in the gap."""
        self._put(("down", reason, detail), 0)

    def status(self) -> RecorderStatus:
        with self._cond:
            return self._status

    def progress(self) -> RecorderProgress:
        seg = self._segmenter
        with self._cond:
            dropped = self._dropped
        return RecorderProgress(seg.segments_closed, seg.durable_until, seg.last_closed_end,
                                seg.written_bytes, dropped)

    # -- PacketSink (reader thread: never blocks on I/O) ----------------------------------
    def start_segment(self, info: SegmentInfo) -> None:
        self._put(("start", info), 0)

    def end_segment(self, reason: GapReason = GapReason.STREAM_LOST, detail: str = "") -> None:
        self._put(("end", reason, detail), 0)

    def append(self, packet: av.Packet[Any], arrival: float) -> None:
        size = packet.size
        keyframe = bool(packet.is_keyframe)
        with self._cond:
            if self._closing is not None:
                return
            room = self._queued_bytes + size <= self.tuning.max_queue_bytes
            if self._dropping:
                if not (keyframe and room):
                    self._dropped += 1
                    return
                self._dropping = False
            elif not room:
                self._dropping = True
                self._dropped += 1
                self._queue.append(("overflow", arrival))
                self._cond.notify()
                return
            self._queue.append(("packet", packet, arrival, keyframe))
            self._queued_bytes += size
            self._cond.notify()

    def _put(self, item: tuple[Any, ...], size: int) -> None:
        with self._cond:
            if self._closing is None:
                self._queue.append(item)
                self._queued_bytes += size
                self._cond.notify()

    # -- writer thread --------------------------------------------------------------------
    def _run(self) -> None:
        seg = self._segmenter
        try:
            seg.begin()
            while True:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()  # wait_idle
                    while not self._queue and self._closing is None:
                        self._cond.wait()
                    batch = list(self._queue)
                    self._queue.clear()
                    self._queued_bytes = 0
                    self._busy = True
                    closing = self._closing
                for item in batch:
                    self._handle(item)
                if closing is not None and not batch:
                    seg.finish(*closing)
                    break
        except Exception:
            log.exception("recorder for camera %s crashed", self.camera.id)
            seg.emergency_stop()
        finally:
            self._status_from_writer(RecorderStatus(RecorderState.STOPPED,
                                                    dropped_packets=self._dropped))
            with self._cond:
                self._busy = False
                self._cond.notify_all()

    def _handle(self, item: tuple[Any, ...]) -> None:
        seg = self._segmenter
        kind = item[0]
        if kind == "packet":
            _, packet, arrival, keyframe = item
            seg.packet(StampedPacket.of(packet, arrival, keyframe))
        elif kind == "start":
            seg.start_connection(item[1])
        elif kind == "end":
            seg.end_connection(item[1], item[2])
        elif kind == "down":
            seg.stream_down(item[1], item[2])
        elif kind == "overflow":
            seg.overflow(item[1])
        else:  # pragma: no cover - a programming error
            raise ValueError(f"unknown recorder item {kind!r}")

    def _status_from_writer(self, status: RecorderStatus) -> None:
        with self._cond:
            dropped = self._dropped
        if status.dropped_packets != dropped:
            status = RecorderStatus(status.state, status.problem, status.detail,
                                    status.retry_in_s, dropped)
        with self._cond:
            if status == self._status:
                return
            self._status = status
        if self._bus is not None:
            self._bus.publish(RecorderStatusChanged(self.camera.id, status))

