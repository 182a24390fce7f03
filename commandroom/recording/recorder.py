"""A camera's recorder: a ``PacketSink`` on the reader's feed, writing segments off-thread.

The reader calls ``start_segment`` / ``append`` / ``end_segment`` exactly as it feeds the
evidence ring (``commandroom.video.sinks.SinkFanOut`` feeds both); those calls only put
the packet in a bounded queue and return. A writer thread (``writer_thread``: one shared
by all recorders, or one of its own) muxes (no decode, no re-encode), cuts a new file
every ``segment_s`` at a keyframe, syncs each fragment, indexes the files and records
gaps. When the queue is full (a disk too slow) packets are dropped up to the next
keyframe and counted, and the reader never waits.

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
from commandroom.recording.segmenter import (
    RecordedCamera,
    RecorderTuning,
    Segmenter,
    WriterFactory,
)
from commandroom.recording.status import (
    GapReason,
    RecorderState,
    RecorderStatus,
    RecorderStatusChanged,
)
from commandroom.recording.writer import SegmentFile
from commandroom.recording.writer_thread import WriterThread
from commandroom.video.packet_sources import SegmentInfo

__all__ = ["RecordedCamera", "Recorder", "RecorderProgress", "RecorderTuning"]

log = logging.getLogger(__name__)

# A queue this full wakes the writer at once instead of after its gathering pause.
WAKE_BYTES = 1024 * 1024


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
        writer: WriterThread | None = None,
    ) -> None:
        """``writer``: the shared writer thread (the app gives all recorders one);
        None: a thread of its own, stopped by ``close``."""
        self.camera = camera
        self.tuning = tuning or RecorderTuning()
        self._bus = bus
        self._writer = writer or WriterThread(f"recorder cam{camera.id}")
        self._own_writer = writer is None
        self._cond = threading.Condition()  # guards the queue; wait_idle waits on it
        self._queue: deque[tuple[Any, ...]] = deque()
        self._queued_bytes = 0
        self._dropping = False
        self._dropped = 0
        self._closing: tuple[GapReason, str] | None = None
        self._started = False
        self._begun = False  # writer side: the index was told recording starts
        self._busy = False  # the writer has a batch of ours in hand
        self._finished = threading.Event()
        self._status = RecorderStatus(RecorderState.WAITING)
        self._segmenter = Segmenter(
            camera, index, root, settings, self.tuning, wall_clock=wall_clock,
            on_bytes=on_bytes, on_status=self._status_from_writer, bus=bus,
            writer_factory=writer_factory,
        )

    # -- control --------------------------------------------------------------------------
    def start(self) -> Recorder:
        self._started = True
        self._writer.attach()
        self._writer.wake(self, hurry=True)
        return self

    def close(self, reason: GapReason = GapReason.APP_NOT_RUNNING, detail: str = "",
              timeout: float = 30.0) -> None:
        """Write what is queued, close the file, mark the gap that starts now, stop."""
        with self._cond:
            if self._closing is None:
                self._closing = (reason, detail)
        if not self._started:
            return
        self._writer.wake(self, hurry=True)
        if self._finished.wait(timeout):
            self._writer.detach()
        else:
            log.warning("recorder cam%s did not finish in %.0f s", self.camera.id, timeout)
        if self._own_writer:
            self._writer.close(timeout)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until everything fed so far is handled (written or dropped)."""
        self._writer.wake(self, hurry=True)
        with self._cond:
            return self._cond.wait_for(
                lambda: self._finished.is_set() or (not self._queue and not self._busy),
                timeout)

    def set_clock_offset(self, seconds: float | None) -> None:
        """The camera's clock minus the station's (ONVIF), stored with each new segment."""
        self._segmenter.clock_offset_s = seconds

    def note_stream_down(self, reason: GapReason = GapReason.STREAM_LOST,
                         detail: str = "") -> None:
        """The reader cannot reach the camera (no segment to end): say why in the gap."""
        self._put(("down", reason, detail))

    def note_stalled(self, detail: str = "") -> None:
        """The stream is connected but no video comes (the reader says STALLED): the
        file ends at its last frame and the gap from there says so. Should video come
        back on the same connection, a new file starts at its next keyframe."""
        self._put(("stall", detail))

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
        self._put(("start", info))

    def end_segment(self, reason: GapReason = GapReason.STREAM_LOST, detail: str = "") -> None:
        self._put(("end", reason, detail))

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
                wake, hurry = True, True
            if not self._dropping:
                was_empty = not self._queue
                self._queue.append(("packet", packet, arrival, keyframe))
                self._queued_bytes += size
                # Wake the writer for the first packet only: it then gathers a while.
                # One wake-up per frame per camera cost more CPU than the writing.
                wake = was_empty or self._queued_bytes >= WAKE_BYTES
                hurry = self._queued_bytes >= WAKE_BYTES
        if wake:
            self._writer.wake(self, hurry)

    def _put(self, item: tuple[Any, ...]) -> None:
        with self._cond:
            if self._closing is not None:
                return
            self._queue.append(item)
        self._writer.wake(self, hurry=True)

    # -- writer thread (Drainable) --------------------------------------------------------
    def drain(self) -> bool:
        if self._finished.is_set():
            return True
        seg = self._segmenter
        if not self._begun:
            self._begun = True
            seg.begin()
        with self._cond:
            batch = list(self._queue)
            self._queue.clear()
            self._queued_bytes = 0
            self._busy = True
            closing = self._closing
        for item in batch:
            self._handle(item)
        if closing is not None:
            seg.finish(*closing)
            self._finish()
            return True
        with self._cond:
            self._busy = False
            self._cond.notify_all()  # wait_idle
        return False

    def crashed(self) -> None:
        log.error("recorder for camera %s stopped after an error", self.camera.id)
        self._segmenter.emergency_stop()
        self._finish()

    def _finish(self) -> None:
        self._status_from_writer(RecorderStatus(RecorderState.STOPPED,
                                                dropped_packets=self._dropped))
        self._finished.set()
        with self._cond:
            self._busy = False
            self._cond.notify_all()

    def _handle(self, item: tuple[Any, ...]) -> None:
        seg = self._segmenter
        kind = item[0]
        if kind == "packet":
            seg.packet(item[1], item[2], item[3])
        elif kind == "start":
            seg.start_connection(item[1])
        elif kind == "end":
            seg.end_connection(item[1], item[2])
        elif kind == "down":
            seg.stream_down(item[1], item[2])
        elif kind == "stall":
            seg.stalled(item[1])
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

