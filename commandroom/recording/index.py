"""The segment index and gaps in the database: what the recorder writes, and the
indexed queries the timeline and playback read.

Segments of one camera never overlap (one recorder per camera writes them in order), so
"what overlaps [start, end)" is two index seeks on (camera_id, start_at): the last segment
that began at or before ``start``, and those that began inside the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from commandroom.recording.models import RecordingGapRow, RecordingSegmentRow
from commandroom.recording.status import GapReason
from commandroom.video.packet_sources import SegmentInfo

# A camera whose last segment ended longer ago than this when recording starts again
# was not recorded in between because the app was not running (or crashed).
APP_GAP_MIN_S = 2.0
# Two gap reasons this close together describe one moment (see open_gap).
SAME_MOMENT_S = 1.0


@dataclass(frozen=True)
class SegmentRecord:
    id: int
    camera_id: int | None
    path: str  # relative to the recordings folder
    start_at: datetime
    end_at: datetime
    open: bool  # still being written: the bytes are at path + ".part"
    bytes: int
    sha256: str
    clock_offset_s: float | None
    note: str
    codec: str
    width: int
    height: int

    @property
    def duration_s(self) -> float:
        return (self.end_at - self.start_at).total_seconds()


@dataclass(frozen=True)
class SegmentTimes:
    """A segment's place in time, without the rest of its row (the timeline's read)."""

    start_at: datetime
    end_at: datetime  # so far, while open
    open: bool


@dataclass(frozen=True)
class GapRecord:
    id: int
    camera_id: int | None
    start_at: datetime
    end_at: datetime | None  # None: still lasting
    reason: GapReason
    detail: str


def _segment(row: RecordingSegmentRow) -> SegmentRecord:
    return SegmentRecord(row.id, row.camera_id, row.path, row.start_at, row.end_at,
                         row.status == "open", row.bytes, row.sha256, row.clock_offset_s,
                         row.note, row.codec, row.width, row.height)


def _gap(row: RecordingGapRow) -> GapRecord:
    return GapRecord(row.id, row.camera_id, row.start_at, row.end_at,
                     GapReason(row.reason), row.detail)


class RecordingIndex:
    """Database side of recording. Internal to the recording core (no actor): the guarded
    entry points for operators are ``RecordingCatalog`` and ``ExportService``."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    # -- written by the recorder ---------------------------------------------------------
    def open_segment(self, camera_id: int, camera_name: str, path: str, start_at: datetime,
                     info: SegmentInfo, clock_offset_s: float | None) -> int:
        with self.sessions.begin() as session:
            row = RecordingSegmentRow(
                camera_id=camera_id, camera_name=camera_name, path=path, start_at=start_at,
                end_at=start_at, status="open", codec=info.codec, width=info.width,
                height=info.height, clock_offset_s=clock_offset_s,
            )
            session.add(row)
            session.flush()
            return row.id

    def close_segment(self, segment_id: int, start_at: datetime, end_at: datetime,
                      size: int, sha256: str, note: str = "") -> None:
        with self.sessions.begin() as session:
            session.execute(
                update(RecordingSegmentRow).where(RecordingSegmentRow.id == segment_id)
                .values(status="closed", start_at=start_at, end_at=end_at, bytes=size,
                        sha256=sha256, note=note)
            )

    def move_open_segment(self, segment_id: int, start_at: datetime) -> None:
        """A file being written starts at ``start_at`` after all (a better anchor)."""
        with self.sessions.begin() as session:
            session.execute(
                update(RecordingSegmentRow)
                .where(RecordingSegmentRow.id == segment_id,
                       RecordingSegmentRow.status == "open")
                .values(start_at=start_at, end_at=start_at)
            )

    def drop_segment(self, segment_id: int) -> None:
        """The row of a file that got no whole fragment (the file is already gone)."""
        with self.sessions.begin() as session:
            session.execute(delete(RecordingSegmentRow).where(RecordingSegmentRow.id == segment_id))

    def begin_camera(self, camera_id: int, now: datetime) -> None:
        """Recording (re)starts: the time since the last segment was not recorded because
        the app was not running, unless a gap already says why (it stays open until the
        first new segment closes it)."""
        with self.sessions.begin() as session:
            if self._open_gap(session, camera_id) is not None:
                return
            last_end = session.scalar(
                select(RecordingSegmentRow.end_at)
                .where(RecordingSegmentRow.camera_id == camera_id)
                .order_by(RecordingSegmentRow.start_at.desc()).limit(1)
            )
            if last_end is not None and (now - last_end).total_seconds() > APP_GAP_MIN_S:
                session.add(RecordingGapRow(camera_id=camera_id, start_at=last_end,
                                            reason=GapReason.APP_NOT_RUNNING.value))

    def open_gap(self, camera_id: int, start_at: datetime, reason: GapReason,
                 detail: str = "", *, now: datetime | None = None,
                 replace_reasons: frozenset[GapReason] = frozenset()) -> None:
        """A gap starts at ``start_at`` (where the footage ends).

        One open gap per camera: an open one keeps its reason unless that reason is in
        ``replace_reasons``; then it ends ``now`` and the new reason goes on from there
        (or, if it began within a second, it simply takes the new reason: a stream that
        ends because recording stops is "stopped", not "lost").
        """
        with self.sessions.begin() as session:
            current = self._open_gap(session, camera_id)
            if current is None:
                session.add(RecordingGapRow(camera_id=camera_id, start_at=start_at,
                                            reason=reason.value, detail=detail[:120]))
                return
            if current.reason == reason.value or GapReason(current.reason) not in replace_reasons:
                return
            moment = now or start_at
            if (moment - current.start_at).total_seconds() <= SAME_MOMENT_S:
                current.reason, current.detail = reason.value, detail[:120]
                return
            current.end_at = moment
            session.add(RecordingGapRow(camera_id=camera_id, start_at=moment,
                                        reason=reason.value, detail=detail[:120]))

    def close_gap(self, camera_id: int, end_at: datetime) -> None:
        with self.sessions.begin() as session:
            current = self._open_gap(session, camera_id)
            if current is not None:
                current.end_at = max(end_at, current.start_at)

    @staticmethod
    def _open_gap(session: Session, camera_id: int) -> RecordingGapRow | None:
        return session.scalars(
            select(RecordingGapRow)
            .where(RecordingGapRow.camera_id == camera_id, RecordingGapRow.end_at.is_(None))
            .order_by(RecordingGapRow.start_at.desc()).limit(1)
        ).first()

    # -- read by the timeline, playback, export, retention ---------------------------------
    def segments(self, camera_id: int, start: datetime, end: datetime) -> list[SegmentRecord]:
        """Segments overlapping [start, end), oldest first (two index seeks)."""
        with self.sessions() as session:
            rows = self._overlapping(session, RecordingSegmentRow, camera_id, start, end)
            return [_segment(r) for r in rows if r.status == "open" or r.end_at > start]

    def segment_times(self, camera_id: int, start: datetime,
                      end: datetime) -> list[SegmentTimes]:
        """Only the times of the segments overlapping [start, end), oldest first: what the
        timeline needs (a week is 10,080 rows; whole ORM rows took most of its read)."""
        columns = (RecordingSegmentRow.start_at, RecordingSegmentRow.end_at,
                   RecordingSegmentRow.status)
        with self.sessions() as session:
            before = session.execute(
                select(*columns).where(RecordingSegmentRow.camera_id == camera_id,
                                       RecordingSegmentRow.start_at <= start)
                .order_by(RecordingSegmentRow.start_at.desc()).limit(1)).all()
            inside = session.execute(
                select(*columns).where(RecordingSegmentRow.camera_id == camera_id,
                                       RecordingSegmentRow.start_at > start,
                                       RecordingSegmentRow.start_at < end)
                .order_by(RecordingSegmentRow.start_at)).all()
        return [SegmentTimes(a, b, status == "open") for a, b, status in [*before, *inside]
                if status == "open" or b > start]

    def gaps(self, camera_id: int, start: datetime, end: datetime) -> list[GapRecord]:
        with self.sessions() as session:
            rows = self._overlapping(session, RecordingGapRow, camera_id, start, end)
            return [_gap(r) for r in rows if r.end_at is None or r.end_at > start]

    @staticmethod
    def _overlapping(session: Session, model: Any, camera_id: int, start: datetime,
                     end: datetime) -> list[Any]:
        before = session.scalars(
            select(model).where(model.camera_id == camera_id, model.start_at <= start)
            .order_by(model.start_at.desc()).limit(1)
        ).all()
        inside = session.scalars(
            select(model).where(model.camera_id == camera_id, model.start_at > start,
                                model.start_at < end)
            .order_by(model.start_at)
        ).all()
        return [*before, *inside]

    def segment_at(self, camera_id: int, moment: datetime) -> SegmentRecord | None:
        """The segment holding ``moment`` (an open one holds everything after its start)."""
        found = self.segments(camera_id, moment, moment + timedelta(microseconds=1))
        for segment in found:
            if segment.start_at <= moment and (segment.open or moment < segment.end_at):
                return segment
        return None

    def next_segment(self, camera_id: int, moment: datetime) -> SegmentRecord | None:
        with self.sessions() as session:
            row = session.scalars(
                select(RecordingSegmentRow)
                .where(RecordingSegmentRow.camera_id == camera_id,
                       RecordingSegmentRow.start_at > moment)
                .order_by(RecordingSegmentRow.start_at).limit(1)
            ).first()
            return _segment(row) if row is not None else None

    def get(self, segment_id: int) -> SegmentRecord | None:
        with self.sessions() as session:
            row = session.get(RecordingSegmentRow, segment_id)
            return _segment(row) if row is not None else None

    def all_segments(self) -> list[SegmentRecord]:
        with self.sessions() as session:
            rows = session.scalars(select(RecordingSegmentRow).order_by(RecordingSegmentRow.id))
            return [_segment(r) for r in rows]

    def stored_bytes(self) -> int:
        with self.sessions() as session:
            return int(session.scalar(select(func.coalesce(func.sum(RecordingSegmentRow.bytes), 0)))
                       or 0)
