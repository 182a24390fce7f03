"""The station's own recordings as a replay feed: one camera's segments from moment T on.

``LocalFootage.open_at(T)`` finds the segment holding T (the index), opens the file and
seeks to the keyframe at or before T; the feed then reads on across segment boundaries
(files of one connection join exactly), marks gaps between recorded ranges (with the
reason the index gives) and, in the file still being written, waits for the next
fragment. A packet's recorded time is the segment's start plus its pts from the file's
first packet: the same rule the export cutter uses, so a frame replayed and a frame
exported agree.

How close to "now" replay can start: a fragment reaches the file when the next one
starts (``fragment_s``, 1.5 s, or a keyframe) and the writer gathers ~0.25 s, so the file
being written ends ~0.3-1.8 s before now. Instant replay from 30 s back is well inside.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.error
from av.video.codeccontext import VideoCodecContext

from commandroom.recording.index import RecordingIndex, SegmentRecord
from commandroom.recording.storage import part_path
from commandroom.recording.timeline import JOIN_S
from commandroom.video.packet_sources import configure_decoder
from commandroom.video.replay_feed import (
    FeedGap,
    FeedPacket,
    FeedSegment,
    FeedUnavailable,
    FootageKind,
)

log = logging.getLogger(__name__)

NO_RECORDING = "no_recording"  # FeedUnavailable.reason: nothing at or after T
# The file being written is read again this often once its end is reached.
TAIL_POLL_S = 0.25
# Nearer than this to a file's first packet, reading from the start beats a seek.
SEEK_MIN_S = 0.5
_OPEN_ERRORS = (av.error.FFmpegError, OSError, IndexError)


def _utc(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


class LocalFootage:
    """A ``ReplayOpener`` over the recorded segments of one camera."""

    def __init__(self, index: RecordingIndex, root: Path, camera_id: int, *,
                 tail_poll_s: float = TAIL_POLL_S) -> None:
        self.index = index
        self.root = root
        self.camera_id = camera_id
        self.tail_poll_s = tail_poll_s

    def has_footage(self, moment: float) -> bool:
        return self.index.segment_at(self.camera_id, _utc(moment)) is not None

    def open_at(self, moment: float, stop: threading.Event) -> LocalFeed | FeedUnavailable:
        when = _utc(moment)
        segment = self.index.segment_at(self.camera_id, when)
        lead: FeedGap | None = None
        if segment is None:
            following = self.index.next_segment(self.camera_id, when)
            if following is None:
                return FeedUnavailable(NO_RECORDING, "nothing recorded at or after this time")
            resumes = following.start_at.timestamp()
            lead = FeedGap(moment, resumes, self.gap_reason(when, following.start_at))
            segment, moment = following, resumes
        return LocalFeed(self, segment, moment, lead, stop)

    def gap_reason(self, start: datetime, end: datetime) -> str:
        gaps = self.index.gaps(self.camera_id, start, end)
        return gaps[-1].reason.value if gaps else ""

    def path(self, segment: SegmentRecord) -> Path:
        final = self.root / segment.path
        return part_path(final) if segment.open and not final.exists() else final


class LocalFeed:
    kind = FootageKind.LOCAL

    def __init__(self, footage: LocalFootage, segment: SegmentRecord, start: float,
                 lead: FeedGap | None, stop: threading.Event) -> None:
        self._footage = footage
        self._segment = segment
        self._start = start
        self._lead = lead
        self.lead_gap = lead  # not None: the footage starts after the moment asked for
        self._stop = stop
        self._aborted = threading.Event()
        self._decoder: VideoCodecContext | None = None
        self._decoder_key: tuple[str, bytes] | None = None

    def abort(self) -> None:
        self._aborted.set()

    def close(self) -> None:
        self._aborted.set()

    def _ended(self) -> bool:
        return self._aborted.is_set() or self._stop.is_set()

    def items(self) -> Iterator[FeedPacket | FeedGap]:
        if self._lead is not None:
            yield self._lead
        footage = self._footage
        segment, start = self._segment, self._start
        while not self._ended():
            end = yield from self._segment_items(segment, start)
            if end is None:
                return
            following = footage.index.next_segment(footage.camera_id, segment.start_at)
            if following is None:
                return
            resumes = following.start_at.timestamp()
            if resumes - end > JOIN_S:
                yield FeedGap(end, resumes, footage.gap_reason(_utc(end), following.start_at))
            segment, start = following, resumes

    def _segment_items(self, segment: SegmentRecord, start: float
                       ) -> Generator[FeedPacket, None, float | None]:
        """One segment's packets from ``start``; waits at the end of a file still being
        written. Returns the wall time its footage ends (None: aborted)."""
        last_pts: int | None = None
        last_wall = start
        current = segment
        while not self._ended():
            refreshed = self._footage.index.get(segment.id)
            if refreshed is None:  # deleted by retention meanwhile
                return last_wall
            current = refreshed
            try:
                with av.open(str(self._footage.path(current))) as container:
                    for item in self._read(container, current, start, last_pts):
                        last_pts, last_wall = item.packet.pts, item.wall
                        yield item
            except _OPEN_ERRORS as exc:
                if not current.open:
                    log.warning("replay: cannot read %s (%s)", current.path, exc)
                    return last_wall
                # The file being written may have no fragment yet: wait for one.
            if not current.open:
                return max(last_wall, current.end_at.timestamp())
            if self._aborted.wait(self._footage.tail_poll_s) or self._stop.is_set():
                return None
        return None

    def _read(self, container: Any, segment: SegmentRecord, start: float,
              last_pts: int | None) -> Iterator[FeedPacket]:
        stream = container.streams.video[0]
        time_base = float(stream.time_base or Fraction(1, 90000))
        demux = container.demux(stream)
        first = next((p for p in demux if p.size and p.pts is not None), None)
        if first is None:
            return
        base = first.pts
        origin = segment.start_at.timestamp()
        feed_segment = self._feed_segment(stream, origin, base, time_base)
        resume = start if last_pts is None else origin + (last_pts - base) * time_base
        pending: list[Any] = [first]
        if resume - origin > SEEK_MIN_S:
            # To the keyframe at or before the moment (fragments carry their times).
            container.seek(base + int((resume - origin) / time_base), stream=stream,
                           backward=True, any_frame=False)
            demux = container.demux(stream)
            pending = []
        for packet in pending:
            yield from self._packet(packet, segment, feed_segment, base, time_base, last_pts)
        for packet in demux:
            if packet.size == 0 or packet.pts is None:
                continue
            if segment.open and packet.is_corrupt:
                return  # a fragment only half on disk yet: read again later
            yield from self._packet(packet, segment, feed_segment, base, time_base, last_pts)

    @staticmethod
    def _packet(packet: Any, segment: SegmentRecord, feed_segment: FeedSegment, base: int,
                time_base: float, last_pts: int | None) -> Iterator[FeedPacket]:
        if last_pts is not None and packet.pts <= last_pts:
            return
        wall = feed_segment.origin + (packet.pts - base) * time_base
        yield FeedPacket(packet, feed_segment, wall, bool(packet.is_keyframe))

    def _feed_segment(self, stream: Any, origin: float, base: int,
                      time_base: float) -> FeedSegment:
        context = stream.codec_context
        key = (context.name, bytes(context.extradata or b""))
        if self._decoder is None or key != self._decoder_key:
            # A decoder of our own: it outlives the file (the next segment of the same
            # connection decodes on with it, its parameter sets being the same).
            decoder = av.CodecContext.create(context.name, "r")
            assert isinstance(decoder, VideoCodecContext)
            if context.extradata:
                decoder.extradata = context.extradata
            configure_decoder(decoder)
            self._decoder, self._decoder_key = decoder, key
        rate = stream.average_rate or stream.guessed_rate
        frame_s = 1.0 / float(rate) if rate else 0.04
        return FeedSegment(self._decoder, context.name, origin, base, time_base, frame_s)
