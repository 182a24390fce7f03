"""Evidence locks: footage that a sighting, an alert or an export references stays.

Retention never deletes a segment that overlaps a lock of its camera. The services that
create the reference (tagging, alerting, export, evidence packages) add the lock in their
own transaction with ``add_lock``; officers can protect a stretch by hand
(``EvidenceLocks.lock``), and only an administrator can lift a lock.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.recording.models import EvidenceLockRow


class LockKind(StrEnum):
    SIGHTING = "sighting"
    ALERT = "alert"
    EXPORT = "export"
    PACKAGE = "package"  # an evidence package refers to it (ref: the package id)
    MANUAL = "manual"


@dataclass(frozen=True)
class EvidenceLock:
    id: int
    camera_id: int | None
    start_at: datetime
    end_at: datetime
    kind: LockKind
    ref: str
    created_by: str


class LockError(ValueError):
    """A lock that makes no sense (end before start)."""


def add_lock(session: Session, camera_id: int | None, start: datetime, end: datetime,
             kind: LockKind, ref: str = "", created_by: str = "") -> EvidenceLockRow:
    """Lock footage inside the caller's transaction (it commits with the reference)."""
    if end < start:
        raise LockError("lock ends before it starts")
    row = EvidenceLockRow(camera_id=camera_id, start_at=start, end_at=end, kind=kind.value,
                          ref=ref[:64], created_by=created_by[:120])
    session.add(row)
    session.flush()
    return row


# Footage kept either side of a tagged frame: the evidence clip's pre/post roll (10 s by
# default) and what led up to it, with room for a camera clock a little off.
REFERENCE_MARGIN = timedelta(seconds=30)


def lock_reference(session: Session, camera_id: int | None, moment: datetime,
                   kind: LockKind, ref: str, created_by: str,
                   before: timedelta = REFERENCE_MARGIN,
                   after: timedelta = REFERENCE_MARGIN) -> EvidenceLockRow | None:
    """Lock the footage around ``moment`` that a sighting or an alert refers to (in the
    caller's transaction). None: no camera (it was deleted, or a `view` stream)."""
    if camera_id is None:
        return None
    return add_lock(session, camera_id, moment - before, moment + after, kind, ref,
                    created_by)


def _lock(row: EvidenceLockRow) -> EvidenceLock:
    return EvidenceLock(row.id, row.camera_id, row.start_at, row.end_at, LockKind(row.kind),
                        row.ref, row.created_by)


def locks_between(session: Session, camera_id: int | None, start: datetime,
                  end: datetime) -> list[EvidenceLock]:
    """Locks of a camera overlapping [start, end), by start (index on camera, start)."""
    camera = (EvidenceLockRow.camera_id.is_(None) if camera_id is None
              else EvidenceLockRow.camera_id == camera_id)
    rows = session.scalars(
        select(EvidenceLockRow)
        .where(camera, EvidenceLockRow.start_at < end, EvidenceLockRow.end_at > start)
        .order_by(EvidenceLockRow.start_at)
    )
    return [_lock(r) for r in rows]


class LockedRanges:
    """Every lock, merged per camera, for quick "is this stretch locked?" during a sweep."""

    def __init__(self, session: Session) -> None:
        spans: dict[int | None, list[tuple[datetime, datetime]]] = defaultdict(list)
        for camera_id, start, end in session.execute(
            select(EvidenceLockRow.camera_id, EvidenceLockRow.start_at, EvidenceLockRow.end_at)
            .order_by(EvidenceLockRow.camera_id, EvidenceLockRow.start_at)
        ):
            merged = spans[camera_id]
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self._starts = {cam: [s for s, _ in merged] for cam, merged in spans.items()}
        self._spans = dict(spans)

    def overlaps(self, camera_id: int | None, start: datetime, end: datetime) -> bool:
        spans = self._spans.get(camera_id)
        if not spans:
            return False
        # The last lock starting before ``end`` is the only one that can reach back to us.
        i = bisect.bisect_left(self._starts[camera_id], end) - 1
        return i >= 0 and spans[i][1] >= start


class EvidenceLocks:
    def __init__(self, sessions: sessionmaker[Session], audit: AuditSink) -> None:
        self._sessions = sessions
        self._audit = audit

    @requires(Permission.EXPORT_VIDEO)
    def lock(self, actor: Actor, camera_id: int, start: datetime, end: datetime,
             note: str = "") -> EvidenceLock:
        """An officer keeps a stretch of footage from retention (audited)."""
        with self._sessions.begin() as session:
            row = add_lock(session, camera_id, start, end, LockKind.MANUAL, note,
                           actor.username)
            self._audit.append(session, actor, "recording.lock", f"camera {camera_id}", {
                "lock_id": row.id, "start": start, "end": end, "note": note})
            return _lock(row)

    @requires(Permission.MANAGE_SETTINGS)
    def release(self, actor: Actor, lock_id: int) -> bool:
        """Lift a lock (administrator; audited). False if there was none."""
        with self._sessions.begin() as session:
            row = session.get(EvidenceLockRow, lock_id)
            if row is None:
                return False
            self._audit.append(session, actor, "recording.unlock", f"camera {row.camera_id}", {
                "lock_id": lock_id, "kind": row.kind, "ref": row.ref,
                "start": row.start_at, "end": row.end_at})
            session.execute(delete(EvidenceLockRow).where(EvidenceLockRow.id == lock_id))
            return True

    @requires(Permission.VIEW_VIDEO)
    def between(self, actor: Actor, camera_id: int, start: datetime,
                end: datetime) -> list[EvidenceLock]:
        with self._sessions() as session:
            return locks_between(session, camera_id, start, end)
