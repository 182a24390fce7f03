"""What the timeline and playback ask: recorded ranges, gaps, locks; where moment T is.

Times in and out are UTC (aware datetimes); ``station_time`` gives the station's local
time for display. Every query is a few index seeks (see ``RecordingIndex``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from commandroom.auth.guard import requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.db.base import utcnow
from commandroom.recording.index import GapRecord, RecordingIndex, SegmentRecord, SegmentTimes
from commandroom.recording.locks import EvidenceLock, locks_between
from commandroom.recording.storage import part_path

# Segments closer than this are one recorded range on the timeline.
JOIN_S = 1.0


def station_time(moment: datetime) -> datetime:
    """``moment`` in the station's (this computer's) local time zone, for display."""
    return moment.astimezone()


@dataclass(frozen=True)
class TimeRange:
    start: datetime
    end: datetime
    open: bool  # ends "now": still being recorded


@dataclass(frozen=True)
class Timeline:
    camera_id: int
    start: datetime
    end: datetime
    recorded: list[TimeRange]
    gaps: list[GapRecord]
    locks: list[EvidenceLock]


@dataclass(frozen=True)
class PlaybackPosition:
    """Open ``path`` with PyAV and seek to ``offset_s`` (media time from the file's start)."""

    segment_id: int
    path: Path  # the file as it is now (``.part`` while being written)
    offset_s: float
    segment_start: datetime
    segment_end: datetime | None  # None: still being written
    clock_offset_s: float | None


def merge_ranges(segments: Sequence[SegmentRecord | SegmentTimes],
                 now: datetime) -> list[TimeRange]:
    ranges: list[TimeRange] = []
    for seg in segments:
        end = max(now, seg.start_at) if seg.open else seg.end_at
        if ranges and (seg.start_at - ranges[-1].end).total_seconds() <= JOIN_S:
            last = ranges[-1]
            ranges[-1] = TimeRange(last.start, max(last.end, end), seg.open)
        else:
            ranges.append(TimeRange(seg.start_at, end, seg.open))
    return ranges


class RecordingCatalog:
    """Read side for operators: every viewer may replay."""

    def __init__(self, index: RecordingIndex, root: Path,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._index = index
        self._root = root
        self._clock = clock

    @requires(Permission.VIEW_VIDEO)
    def timeline(self, actor: Actor, camera_id: int, start: datetime,
                 end: datetime) -> Timeline:
        segments = self._index.segment_times(camera_id, start, end)
        now = self._clock()
        recorded = [
            TimeRange(max(r.start, start), min(r.end, end), r.open)
            for r in merge_ranges(segments, now)
        ]
        with self._index.sessions() as session:
            locks = locks_between(session, camera_id, start, end)
        return Timeline(camera_id, start, end, recorded,
                        self._index.gaps(camera_id, start, end), locks)

    @requires(Permission.VIEW_VIDEO)
    def locate(self, actor: Actor, camera_id: int, moment: datetime) -> PlaybackPosition | None:
        """The segment holding wall-clock ``moment`` and how far into it; None in a gap."""
        segment = self._index.segment_at(camera_id, moment)
        return None if segment is None else self._position(segment, moment)

    @requires(Permission.VIEW_VIDEO)
    def next_recorded(self, actor: Actor, camera_id: int,
                      moment: datetime) -> PlaybackPosition | None:
        """Where footage resumes after ``moment`` (to jump over a gap)."""
        segment = self._index.next_segment(camera_id, moment)
        return None if segment is None else self._position(segment, segment.start_at)

    def _position(self, segment: SegmentRecord, moment: datetime) -> PlaybackPosition:
        final = self._root / segment.path
        path = part_path(final) if segment.open and not final.exists() else final
        return PlaybackPosition(
            segment.id, path, max(0.0, (moment - segment.start_at).total_seconds()),
            segment.start_at, None if segment.open else segment.end_at, segment.clock_offset_s,
        )
