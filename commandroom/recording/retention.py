"""Retention: keep N days per camera and stay under the disk quota, oldest first.

A sweep (run by the app every few minutes, and when a recorder reports a full disk)
deletes closed segments that are older than their camera's ``keep_days``, then, while the
recordings take more than the quota, the oldest remaining ones of any camera. A segment
overlapping an evidence lock is never deleted. Each deletion is in the audit trail (one
event per batch lists every segment with its SHA-256); the rows and the audit event commit
together, the files are unlinked after the commit (start-up recovery removes a row whose
file is gone, never the reverse).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import open_access, requires
from commandroom.auth.permissions import SYSTEM, Actor, Permission
from commandroom.config import RecordingSettings
from commandroom.db.base import utcnow
from commandroom.recording.index import RecordingIndex
from commandroom.recording.locks import LockedRanges
from commandroom.recording.models import (
    CameraRecordingRow,
    RecordingGapRow,
    RecordingSegmentRow,
)

log = logging.getLogger(__name__)

AUDIT_BATCH = 500  # segments per audit event (and per delete statement)
GIB = 1024**3
_COLUMNS = (RecordingSegmentRow.id, RecordingSegmentRow.camera_id, RecordingSegmentRow.path,
            RecordingSegmentRow.start_at, RecordingSegmentRow.end_at,
            RecordingSegmentRow.bytes, RecordingSegmentRow.sha256)


class RetentionError(ValueError):
    """A retention setting out of range; the message says which."""


@dataclass(frozen=True)
class Doomed:
    id: int
    camera_id: int | None
    path: str
    start_at: datetime
    end_at: datetime
    bytes: int
    sha256: str
    why: str  # "age", "quota" or "disk_full"


@dataclass
class SweepResult:
    deleted: list[Doomed] = field(default_factory=list)
    kept_locked: int = 0  # segments due for deletion that a lock kept
    over_quota_bytes: int = 0  # still over the quota after the sweep (locked footage)
    unlink_failures: list[str] = field(default_factory=list)

    @property
    def freed_bytes(self) -> int:
        return sum(d.bytes for d in self.deleted)


class RetentionService:
    def __init__(self, index: RecordingIndex, root: Path, settings: RecordingSettings,
                 audit: AuditSink, clock: Callable[[], datetime] = utcnow) -> None:
        self._index = index
        self._root = root
        self.settings = settings
        self._audit = audit
        self._clock = clock
        self._sweeping = threading.Lock()

    @requires(Permission.MANAGE_SETTINGS)
    def configure(self, actor: Actor, keep_days: int, quota_gb: float,
                  warn_hours: float) -> RecordingSettings:
        """New general retention settings (the caller saves them to settings.toml)."""
        if not 1 <= keep_days <= 3650:
            raise RetentionError(f"keep_days must be 1..3650, not {keep_days}")
        if quota_gb < 0 or warn_hours < 0:
            raise RetentionError("quota_gb and warn_hours cannot be negative")
        before = self.settings
        self.settings = replace(before, keep_days=keep_days, quota_gb=quota_gb,
                                warn_hours=warn_hours)
        with self._index.sessions.begin() as session:
            self._audit.append(session, actor, "recording.retention_settings", "", {
                "from": {"keep_days": before.keep_days, "quota_gb": before.quota_gb,
                         "warn_hours": before.warn_hours},
                "to": {"keep_days": keep_days, "quota_gb": quota_gb,
                       "warn_hours": warn_hours}})
        return self.settings

    @property
    def quota_bytes(self) -> int | None:
        return int(self.settings.quota_gb * GIB) if self.settings.quota_gb > 0 else None

    @open_access("runs as the system on a timer; deletes only what the administrator's "
                 "settings say, and audits every deletion")
    def sweep(self, quota_bytes: int | None = None, why: str = "quota") -> SweepResult:
        """One pass. ``quota_bytes`` overrides the setting (e.g. to free room now), and
        ``why`` is what the audit says of the segments it deletes."""
        with self._sweeping:  # two at once would pick the same segments
            return self._sweep(quota_bytes, why)

    def _sweep(self, quota_bytes: int | None, why: str) -> SweepResult:
        now = self._clock()
        quota = quota_bytes if quota_bytes is not None else self.quota_bytes
        result = SweepResult()
        with self._index.sessions() as session:
            locked = LockedRanges(session)
            keep = self._keep_days(session)
            chosen = self._too_old(session, now, keep, locked, result)
            if quota is not None:
                self._over_quota(session, quota, locked, chosen, result, why)
        for batch_start in range(0, len(chosen), AUDIT_BATCH):
            self._delete(chosen[batch_start:batch_start + AUDIT_BATCH], result)
        self._forget_old_gaps(now, keep)
        if result.deleted:
            log.info("retention: deleted %d segment(s), %.1f MB; %d kept by locks",
                     len(result.deleted), result.freed_bytes / 1e6, result.kept_locked)
        return result

    def _keep_days(self, session: Session) -> dict[int | None, int]:
        keep: dict[int | None, int] = {None: self.settings.keep_days}
        for camera_id, days in session.execute(
            select(CameraRecordingRow.camera_id, CameraRecordingRow.keep_days)
            .where(CameraRecordingRow.keep_days.is_not(None))
        ):
            if days is not None:
                keep[camera_id] = days
        return keep

    def _too_old(self, session: Session, now: datetime, keep: dict[int | None, int],
                 locked: LockedRanges, result: SweepResult) -> list[Doomed]:
        cutoff_of = {cam: now - timedelta(days=days) for cam, days in keep.items()}
        latest_cutoff = max(cutoff_of.values())
        default_cutoff = cutoff_of[None]
        chosen: list[Doomed] = []
        rows = session.execute(
            select(*_COLUMNS)
            .where(RecordingSegmentRow.status == "closed",
                   RecordingSegmentRow.end_at < latest_cutoff)
            .order_by(RecordingSegmentRow.start_at)
        )
        for row in rows:
            if row.end_at >= cutoff_of.get(row.camera_id, default_cutoff):
                continue
            if locked.overlaps(row.camera_id, row.start_at, row.end_at):
                result.kept_locked += 1
                continue
            chosen.append(Doomed(*row, why="age"))
        return chosen

    def _over_quota(self, session: Session, quota: int, locked: LockedRanges,
                    chosen: list[Doomed], result: SweepResult, why: str) -> None:
        stored = int(session.scalar(
            select(func.coalesce(func.sum(RecordingSegmentRow.bytes), 0))) or 0)
        excess = stored - sum(d.bytes for d in chosen) - quota
        if excess <= 0:
            return
        already = {d.id for d in chosen}
        rows = session.execute(
            select(*_COLUMNS).where(RecordingSegmentRow.status == "closed")
            .order_by(RecordingSegmentRow.start_at).execution_options(yield_per=2000)
        )
        for row in rows:
            if excess <= 0:
                break
            if row.id in already:
                continue
            if locked.overlaps(row.camera_id, row.start_at, row.end_at):
                result.kept_locked += 1
                continue
            chosen.append(Doomed(*row, why=why))
            excess -= row.bytes
        result.over_quota_bytes = max(0, excess)

    def _delete(self, batch: list[Doomed], result: SweepResult) -> None:
        with self._index.sessions.begin() as session:
            session.execute(delete(RecordingSegmentRow)
                            .where(RecordingSegmentRow.id.in_([d.id for d in batch])))
            self._audit.append(session, SYSTEM, "recording.retention_delete",
                               f"{len(batch)} segment(s)", {
                                   "columns": AUDIT_COLUMNS,
                                   # One line per segment: as complete as a list of
                                   # objects, and a tenth of the cost to redact and hash.
                                   "segments": "\n".join(_audited(d) for d in batch),
                                   "bytes": sum(d.bytes for d in batch)})
        result.deleted.extend(batch)
        root = str(self._root)
        folders = set()
        for doomed in batch:
            path = os.path.join(root, doomed.path)
            folders.add(os.path.dirname(path))
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass  # already gone: the row was all that was left
            except OSError:
                log.warning("retention: could not delete %s", path, exc_info=True)
                result.unlink_failures.append(doomed.path)
        _remove_empty_dirs(self._root, {Path(f) for f in folders})

    def _forget_old_gaps(self, now: datetime, keep: dict[int | None, int]) -> None:
        """Gaps older than the footage kept around them say nothing any more."""
        oldest = now - timedelta(days=max(keep.values()))
        with self._index.sessions.begin() as session:
            session.execute(delete(RecordingGapRow).where(RecordingGapRow.end_at < oldest))


AUDIT_COLUMNS = "id,camera_id,start,end,bytes,sha256,why"


def _audited(doomed: Doomed) -> str:
    return (f"{doomed.id},{doomed.camera_id},{doomed.start_at.isoformat()},"
            f"{doomed.end_at.isoformat()},{doomed.bytes},{doomed.sha256},{doomed.why}")


def _remove_empty_dirs(root: Path, folders: Iterable[Path]) -> None:
    for folder in sorted(set(folders), key=lambda p: len(p.parts), reverse=True):
        current = folder
        while current != root and root in current.parents:
            try:
                current.rmdir()  # only when empty
            except OSError:
                break
            current = current.parent
