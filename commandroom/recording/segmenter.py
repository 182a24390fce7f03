"""The recorder's writer-thread side: timestamps, files, the index, gaps and failures.

Runs on ONE thread (the recorder's writer); nothing here is called from the reader.

Wall-clock time of a frame: the stream's own clock (pts) carries the spacing, the
arrival times the anchor. Per file, ``offset = min(arrival - pts)`` is the least-delayed
packet's view of the station clock (a burst of old frames a server sends on connect, or
network jitter, never pulls it late), and camera clock drift is re-anchored with every
file. A file that follows the previous one of the same connection starts exactly where
that one ended, so the timeline has no hairline gaps.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.error
from sqlalchemy.exc import SQLAlchemyError

from commandroom.config import RecordingSettings
from commandroom.events import EventBus
from commandroom.files import private_dir_under, sha256_file, sync_dir
from commandroom.recording.index import RecordingIndex
from commandroom.recording.status import (
    GapReason,
    RecorderProblem,
    RecorderState,
    RecorderStatus,
    SegmentClosed,
    errno_name,
    problem_for,
)
from commandroom.recording.storage import (
    cut_to_whole_fragments,
    part_path,
    segment_name,
)
from commandroom.recording.writer import SegmentFile, probe_file
from commandroom.video.packet_sources import SegmentInfo
from commandroom.video.remux import fill_stamps, frame_ticks

log = logging.getLogger(__name__)

# Packets with no timestamp are held until one with a timestamp comes; never more than this.
MAX_UNSTAMPED = 250
# A new file of the same connection whose own anchor lands this close to where the last
# file ended is joined to it exactly.
CHAIN_WITHIN_S = 0.5
MIN_SEGMENT_S = 1.0
MIN_FRAGMENT_S = 0.2
_WRITE_ERRORS = (OSError, av.error.FFmpegError, SQLAlchemyError)
_PROBE_ERRORS = (*_WRITE_ERRORS, IndexError)  # IndexError: a file with no video stream
# A gap that only says "nothing yet" gives way to one that says why.
_SOFT_REASONS = frozenset({GapReason.APP_NOT_RUNNING, GapReason.RECORDING_OFF})
_ALL_REASONS = frozenset(GapReason)


WriterFactory = Callable[[Path, SegmentInfo, float], SegmentFile]


def checked_lengths(settings: RecordingSettings) -> tuple[float, float]:
    """segment_s and fragment_s within sense; a setting out of range says so in the log."""
    segment_s = max(MIN_SEGMENT_S, settings.segment_s)
    fragment_s = min(max(MIN_FRAGMENT_S, settings.fragment_s), segment_s)
    if (segment_s, fragment_s) != (settings.segment_s, settings.fragment_s):
        log.warning("settings: recording segment_s=%s fragment_s=%s out of range; using %s "
                    "and %s", settings.segment_s, settings.fragment_s, segment_s, fragment_s)
    return segment_s, fragment_s


def utc(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


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


class _OpenFile:
    def __init__(self, segment_id: int, rel: str, final: Path, writer: SegmentFile,
                 first_dts: int, time_base: Fraction, ticks: int, chain_to: float | None
                 ) -> None:
        self.segment_id, self.rel, self.final, self.writer = segment_id, rel, final, writer
        self.part = part_path(final)
        self.first_dts = self.last_dts = first_dts
        self.time_base = float(time_base)
        self.ticks = ticks
        self.chain_to = chain_to
        self.offset = float("inf")
        self.reported_bytes = 0  # of writer.size, already counted in the write rate
        self.indexed_start: float | None = None  # the start the index holds, once known

    def observe(self, dts: int, arrival: float) -> None:
        self.last_dts = max(self.last_dts, dts)
        self.offset = min(self.offset, arrival - dts * self.time_base)

    def start_wall(self) -> float:
        own = self.first_dts * self.time_base + self.offset
        if self.chain_to is not None and abs(own - self.chain_to) < CHAIN_WITHIN_S:
            return self.chain_to
        return own

    def wall(self, dts: int) -> float:
        return self.start_wall() + (dts - self.first_dts) * self.time_base

    def end_wall(self) -> float:
        return self.wall(self.last_dts + self.ticks)


class Segmenter:
    def __init__(self, camera: RecordedCamera, index: RecordingIndex, root: Path,
                 settings: RecordingSettings, tuning: RecorderTuning, *,
                 wall_clock: Callable[[], float], on_bytes: Callable[[int], None] | None,
                 on_status: Callable[[RecorderStatus], None], bus: EventBus | None = None,
                 writer_factory: WriterFactory = SegmentFile) -> None:
        self.camera, self.index, self.root = camera, index, root
        self.segment_s, self.fragment_s = checked_lengths(settings)
        self.tuning = tuning
        self._wall_clock, self._on_bytes, self._on_status, self._bus = (
            wall_clock, on_bytes, on_status, bus)
        self._writer_factory = writer_factory
        self.clock_offset_s: float | None = None
        # Read by other threads (progress): plain values, replaced whole.
        self.segments_closed = 0
        self.durable_until: float | None = None
        self.last_closed_end: float | None = None
        self.written_bytes = 0
        self._info: SegmentInfo | None = None
        self._ticks = 1
        self._time_base = 0.0
        # (packet, arrival, keyframe, pts) of packets waiting for a timestamp
        self._unstamped: list[tuple[av.Packet[Any], float, bool, int | None]] = []
        self._last_stamp: int | None = None
        self._file: _OpenFile | None = None
        self._chain_to: float | None = None  # where the last file of this connection ended
        self._last_end: float | None = None  # wall end of the footage last written
        self._failures = 0
        self._retry_at: float | None = None
        self._problem: RecorderProblem | None = None
        self._detail = ""

    # -- commands from the recorder's queue -----------------------------------------------
    def begin(self) -> None:
        try:
            self.index.begin_camera(self.camera.id, utc(self._wall_clock()))
        except SQLAlchemyError:
            log.exception("recording cam%s: could not read the index", self.camera.id)
        self._publish()

    def start_connection(self, info: SegmentInfo) -> None:
        self._close_file()
        self._info = info
        self._ticks = frame_ticks(info.rate, info.time_base)
        self._time_base = float(info.time_base)  # Fraction arithmetic per packet is slow
        self._unstamped.clear()
        self._last_stamp = None
        self._chain_to = None

    def end_connection(self, reason: GapReason, detail: str) -> None:
        self._close_file()
        self._info = None
        self._gap(reason, detail, _SOFT_REASONS)
        self._publish()

    def stream_down(self, reason: GapReason, detail: str) -> None:
        if self._file is None:
            self._gap(reason, detail, _SOFT_REASONS)

    def stalled(self, detail: str) -> None:
        end = self._close_file()
        self._chain_to = None
        self._gap(GapReason.STALLED, detail, _SOFT_REASONS, start=end)
        self._publish()

    def overflow(self, arrival: float) -> None:
        self._close_file()
        self._chain_to = None
        self._gap(GapReason.QUEUE_OVERFLOW, "", _SOFT_REASONS)
        if self._problem is None:
            self._problem = RecorderProblem.QUEUE_OVERFLOW
        log.warning("recording cam%s: writer fell behind, packets dropped", self.camera.id)
        self._publish()

    def finish(self, reason: GapReason, detail: str) -> None:
        self._close_file()
        self._gap(reason, detail, _ALL_REASONS)

    def emergency_stop(self) -> None:
        """After a bug: leave the file as it is for start-up recovery."""
        if self._file is not None:
            self._file.writer.abandon()
            self._file = None

    # -- packets --------------------------------------------------------------------------
    def packet(self, packet: av.Packet[Any], arrival: float, keyframe: bool) -> None:
        if self._info is None:
            return
        pts = packet.pts
        dts = packet.dts
        stamp = dts if dts is not None else pts
        if stamp is None:
            if self._last_stamp is None:
                self._unstamped.append((packet, arrival, keyframe, pts))
                del self._unstamped[:-MAX_UNSTAMPED]
                return
            stamp = self._last_stamp + self._ticks
        elif self._unstamped:
            held = self._unstamped
            self._unstamped = []
            filled = fill_stamps([*(None for _ in held), stamp], self._ticks)
            for (h_packet, h_arrival, h_key, h_pts), h_dts in zip(held, filled, strict=False):
                assert h_dts is not None
                self._stamped(h_packet, h_arrival, h_key, h_dts,
                              h_pts if h_pts is not None else h_dts)
        self._stamped(packet, arrival, keyframe, stamp, pts if pts is not None else stamp)

    def _stamped(self, packet: av.Packet[Any], arrival: float, keyframe: bool, dts: int,
                 pts: int) -> None:
        info = self._info
        assert info is not None
        last = self._last_stamp
        self._last_stamp = dts
        if last is not None and self._file is not None:
            jump = (dts - last) * self._time_base
            if jump > self.tuning.stall_s:
                end = self._close_file()
                self._chain_to = None
                self._gap(GapReason.STALLED, "", _SOFT_REASONS, start=end)
            elif jump < -self.tuning.stall_s:  # the camera restarted its clock
                self._close_file()
                self._chain_to = None
        if self._retry_at is not None and time.monotonic() < self._retry_at:
            return
        current = self._file
        if current is None or (
            keyframe and (dts - current.first_dts) * current.time_base >= self.segment_s
        ):
            if not keyframe:
                return
            if current is not None:
                self._close_file()
            current = self._open_file(info, arrival, dts)
            if current is None:
                return
        try:
            flushed = current.writer.write(packet, dts, pts, keyframe, info.time_base)
            if flushed and self.tuning.sync_fragments:
                current.writer.sync()
        except _WRITE_ERRORS as exc:
            self._fail(exc)
            return
        current.observe(dts, arrival)
        if flushed:
            self._index_start(current)
            self.durable_until = current.wall(dts)
            added = current.writer.size - current.reported_bytes
            current.reported_bytes = current.writer.size
            self.written_bytes += added
            if self._on_bytes is not None and added:
                self._on_bytes(added)
            self._failures = 0

    def _index_start(self, current: _OpenFile) -> None:
        """Replay reads a file while it is written: its row must say when it starts. The
        first guess (the first keyframe's arrival) is late when the server sent a burst of
        old frames on connect; the least-delayed packet so far says better."""
        start = current.start_wall()
        if current.indexed_start is not None and abs(start - current.indexed_start) < 0.002:
            return
        try:
            self.index.move_open_segment(current.segment_id, utc(start))
            current.indexed_start = start
        except SQLAlchemyError:
            log.warning("recording cam%s: could not update a segment's start", self.camera.id,
                        exc_info=True)

    # -- files ----------------------------------------------------------------------------
    def _open_file(self, info: SegmentInfo, arrival: float, dts: int) -> _OpenFile | None:
        start_guess = self._chain_to if self._chain_to is not None else arrival
        rel = segment_name(self.camera.id, utc(start_guess))
        final = self.root / rel
        try:
            private_dir_under(final.parent, self.root)
            segment_id = self.index.open_segment(self.camera.id, self.camera.name, rel,
                                                 utc(start_guess), info, self.clock_offset_s)
            try:
                writer = self._writer_factory(part_path(final), info, self.fragment_s)
                sync_dir(final.parent)
            except BaseException:
                part_path(final).unlink(missing_ok=True)
                self.index.drop_segment(segment_id)
                raise
            self.index.close_gap(self.camera.id, utc(start_guess))
        except _WRITE_ERRORS as exc:
            self._fail(exc)
            return None
        self._file = _OpenFile(segment_id, rel, final, writer, dts, info.time_base,
                               self._ticks, self._chain_to)
        if self._retry_at is not None:
            log.info("recording cam%s: writing again", self.camera.id)
        self._retry_at = None
        self._problem, self._detail = None, ""
        self._publish()
        return self._file

    def _close_file(self) -> float | None:
        """Finish the open file normally; returns the wall time its footage ends."""
        current, self._file = self._file, None
        if current is None:
            return None
        end = current.end_wall()
        try:
            size, digest = current.writer.finish()
            os.replace(current.part, current.final)
            sync_dir(current.final.parent)
            self.index.close_segment(current.segment_id, utc(current.start_wall()), utc(end),
                                     size, digest)
        except _WRITE_ERRORS as exc:
            self._file = current
            self._fail(exc)
            return self._last_end
        self._closed(current, end, size)
        return end

    def _closed(self, current: _OpenFile, end: float, size: int) -> None:
        if size > current.reported_bytes and self._on_bytes is not None:
            self._on_bytes(size - current.reported_bytes)
        self.written_bytes += size - current.reported_bytes
        self.segments_closed += 1
        self.durable_until = self.last_closed_end = end
        self._last_end = end
        self._chain_to = end
        if self._bus is not None:
            self._bus.publish(SegmentClosed(self.camera.id, current.segment_id,
                                            utc(current.start_wall()), utc(end), size))

    def _salvage(self) -> None:
        """After a failed write: keep the file's whole fragments, indexed; else drop it."""
        current, self._file = self._file, None
        if current is None:
            return
        current.writer.abandon()
        try:
            path = current.part if current.part.exists() else current.final
            scan = cut_to_whole_fragments(path)
            if scan.fragments == 0:
                path.unlink(missing_ok=True)
                self.index.drop_segment(current.segment_id)
                return
            if path != current.final:
                os.replace(path, current.final)
                sync_dir(current.final.parent)
            end = current.start_wall() + probe_file(current.final).duration_s
            self.index.close_segment(current.segment_id, utc(current.start_wall()), utc(end),
                                     scan.keep_bytes, sha256_file(current.final),
                                     note="write_failed")
            self._closed(current, end, scan.keep_bytes)
        except _PROBE_ERRORS:
            # Left as it is (row 'open', file .part): start-up recovery settles it.
            log.warning("recording cam%s: could not tidy %s after a write error",
                        self.camera.id, current.rel, exc_info=True)

    def _fail(self, exc: BaseException) -> None:
        problem = (RecorderProblem.DATABASE_ERROR if isinstance(exc, SQLAlchemyError)
                   else problem_for(exc))
        detail = errno_name(exc)
        self._salvage()
        self._chain_to = None
        self._gap(GapReason.WRITE_FAILED, detail, _SOFT_REASONS | {GapReason.STREAM_LOST,
                                                                   GapReason.STALLED})
        self._failures += 1
        delay = min(self.tuning.retry_max_s,
                    self.tuning.retry_initial_s * 2 ** (self._failures - 1))
        self._retry_at = time.monotonic() + delay
        first = self._problem is not problem
        self._problem, self._detail = problem, detail
        log.log(logging.WARNING if first else logging.DEBUG,
                "recording cam%s cannot write (%s, %s); retry in %.0f s",
                self.camera.id, problem, detail, delay)
        self._publish(retry_in=delay)

    # -- gaps and status ------------------------------------------------------------------
    def _gap(self, reason: GapReason, detail: str, replace: frozenset[GapReason],
             start: float | None = None) -> None:
        now = self._wall_clock()
        when = start if start is not None else (self._last_end or now)
        try:
            self.index.open_gap(self.camera.id, utc(when), reason, detail, now=utc(now),
                                replace_reasons=replace)
        except SQLAlchemyError:
            log.exception("recording cam%s: could not record a gap", self.camera.id)

    def _publish(self, retry_in: float | None = None) -> None:
        if self._retry_at is not None:
            state = RecorderState.FAILING
        elif self._file is not None:
            state = RecorderState.RECORDING
        else:
            state = RecorderState.WAITING
        self._on_status(RecorderStatus(state, self._problem, self._detail, retry_in))
