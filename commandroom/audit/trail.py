"""Hash-chained audit trail: who did what, when; an edited, deleted or moved row shows.

Every event carries ``hash = SHA-256(canonical(seq, time, actor, role, action, subject,
details, prev_hash))`` and the previous event's hash, so changing any stored field, removing
an event or swapping two breaks the chain at that point and ``verify`` names it. The
chain alone cannot show a chain rewritten with this (public) hash function, nor the
newest events cut off: with an ``AuditAnchor`` (commandroom.audit.anchor) every commit
that appended also writes the new head, with an HMAC, to a file outside the database,
and ``verify`` checks the chain against it (commandroom.audit.verify).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, String, Text, event, select
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column, sessionmaker

from commandroom.audit.anchor import GENESIS, AuditAnchor
from commandroom.audit.verify import GENESIS_HASH as GENESIS_HASH
from commandroom.audit.verify import VerifyResult as VerifyResult
from commandroom.audit.verify import verify_rows
from commandroom.auth.guard import open_access, requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.csvfiles import escape_cell
from commandroom.db.base import Base, UTCDateTime, utcnow
from commandroom.files import atomic_private
from commandroom.redact import redact_text

_HASH_VERSION = "commandroom-audit-v1"
REDACTED = "***"
# Keys whose values are never stored, whatever a caller passes in ``details``.
_SECRET_KEY = re.compile(
    r"passw(or)?d|passphrase|pwd|(^|_)pass$|secret|token|credential|api_?key|private_?key",
    re.IGNORECASE,
)
CSV_COLUMNS = ("seq", "occurred_at", "actor", "actor_role", "action", "subject", "details",
               "prev_hash", "hash")


class AuditEventRow(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Unique: two workstations sharing one PostgreSQL database that both read the same
    # tail get an IntegrityError on the second insert instead of a silently forked chain.
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(120), index=True)
    actor_role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(120), index=True)
    subject: Mapped[str] = mapped_column(String(400), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditError(RuntimeError):
    """The audit trail could not record an event."""


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    occurred_at: datetime
    actor: str
    actor_role: str
    action: str
    subject: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action_prefix: str | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    text: str | None = None
    limit: int = 1000


def redact_details(value: Any) -> Any:
    """Copy of ``value`` with secret-named keys masked and URL credentials removed."""
    if isinstance(value, dict):
        return {
            str(k): REDACTED if _SECRET_KEY.search(str(k)) else redact_details(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [redact_details(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def compute_hash(seq: int, occurred_at: datetime, actor: str, role: str, action: str,
                 subject: str, details: str, prev_hash: str) -> str:
    payload = canonical_json(
        [_HASH_VERSION, seq, _iso(occurred_at), actor, role, action, subject, details, prev_hash]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _row_hash(row: AuditEventRow) -> str:
    return compute_hash(row.seq, row.occurred_at, row.actor, row.actor_role, row.action,
                        row.subject, row.details, row.prev_hash)


# Appenders in this process take the lock before reading the tail and keep it until their
# transaction ends: releasing it after the insert but before the commit would let a second
# thread read the same (old) tail and hit the unique seq on commit.
_append_lock = threading.Lock()
_lock_owner: int | None = None  # the thread holding it: appending again there would wait
_LOCK_HELD = "commandroom.audit.trail.lock_held"
_LOCK_TIMEOUT_S = 30.0


def _release() -> None:
    global _lock_owner
    _lock_owner = None
    _append_lock.release()


def append_lock_held_here() -> bool:
    """True while this thread's open transaction has appended (and holds the lock): an
    append from another session now would wait for itself."""
    return _lock_owner == threading.get_ident()


@event.listens_for(Session, "after_transaction_end")
def _release_append_lock(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and session.info.pop(_LOCK_HELD, False):
        _release()


def _to_event(row: AuditEventRow) -> AuditEvent:
    try:
        details = json.loads(row.details)
    except ValueError:
        details = {"unreadable": row.details}
    return AuditEvent(row.seq, row.occurred_at, row.actor, row.actor_role, row.action,
                      row.subject, details if isinstance(details, dict) else {"value": details},
                      row.prev_hash, row.hash)


def verify_chain(sessions: sessionmaker[Session],
                 anchor: AuditAnchor | None = None) -> VerifyResult:
    """Walk the whole chain in seq order; stop at and name the first broken event. With
    ``anchor``, the chain is also checked against the heads anchored outside it."""
    with sessions() as session:
        rows = session.scalars(
            select(AuditEventRow).order_by(AuditEventRow.seq).execution_options(yield_per=500)
        )
        return verify_rows(rows, _row_hash, anchor)  # type: ignore[arg-type]


_APPENDED = "commandroom.audit.trail.appended"  # (anchor, seq, hash) of this transaction's last


@event.listens_for(Session, "after_commit")
def _anchor_committed_head(session: Session) -> None:
    appended = session.info.pop(_APPENDED, None)
    if appended is not None:
        anchor, seq, head = appended
        anchor.record(seq, head)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_head(session: Session) -> None:
    session.info.pop(_APPENDED, None)


class AuditTrail:
    """The audit sink every service appends to, plus the audit view's queries."""

    def __init__(self, sessions: sessionmaker[Session],
                 clock: Callable[[], datetime] = utcnow,
                 anchor: AuditAnchor | None = None) -> None:
        self._sessions = sessions
        self._clock = clock
        self.anchor = anchor
        if anchor is not None and anchor.new_key:
            # First use of this key: the trail as it stands is the anchored start.
            with sessions() as session:
                seq, head = self._tail(session)
            anchor.record(seq, head, GENESIS)

    @staticmethod
    def _tail(session: Session) -> tuple[int, str]:
        tail = session.execute(
            select(AuditEventRow.seq, AuditEventRow.hash)
            .order_by(AuditEventRow.seq.desc()).limit(1)
        ).first()
        return (tail[0], tail[1]) if tail else (0, GENESIS_HASH)

    def _take_lock(self, session: Session) -> bool:
        """The process-wide append lock for ``session``'s transaction; True if taken now."""
        global _lock_owner
        if session.info.get(_LOCK_HELD):
            return False
        if not _append_lock.acquire(timeout=_LOCK_TIMEOUT_S):
            raise AuditError("audit trail busy: another transaction holds it too long")
        _lock_owner = threading.get_ident()
        session.info[_LOCK_HELD] = True
        return True

    @open_access("a hand-over records the head it was made at; the head is no secret")
    def anchor_head(self, session: Session) -> dict[str, Any] | None:
        """The head (seq, hash) with its HMAC, for a record inside ``session``'s
        transaction (the shift hand-over): holds the append lock like ``append``, so the
        next event appended in this transaction follows this head."""
        if self.anchor is None:
            return None
        self._take_lock(session)
        seq, head = self._tail(session)
        return self.anchor.head_record(seq, head)

    @open_access("services record what an actor did; that action was checked by the service")
    def append(self, session: Session, actor: Actor, action: str, subject: str = "",
               details: dict[str, Any] | None = None) -> None:
        """Add one event in ``session``'s transaction; it commits or rolls back with it.

        Holds the process-wide append lock until that transaction ends: keep the
        transaction short, and do not append from a second session while the first is open
        in the same thread (it would wait for itself and fail after 30 s with AuditError).
        """
        if not action:
            raise ValueError("audit action must not be empty")
        acquired_here = self._take_lock(session)
        try:
            last_seq, prev_hash = self._tail(session)
            seq = last_seq + 1
            occurred_at = self._clock().astimezone(UTC)
            text = canonical_json(redact_details(details or {}))
            subject_clean = redact_text(subject)[:400]
            role = str(actor.role)
            event_hash = compute_hash(seq, occurred_at, actor.username, role, action,
                                      subject_clean, text, prev_hash)
            session.add(AuditEventRow(
                seq=seq, occurred_at=occurred_at, actor=actor.username, actor_role=role,
                action=action, subject=subject_clean, details=text, prev_hash=prev_hash,
                hash=event_hash,
            ))
            session.flush()
            if self.anchor is not None:  # written out once the transaction commits
                session.info[_APPENDED] = (self.anchor, seq, event_hash)
        except BaseException:
            # Normally the end of the caller's transaction releases the lock; if none was
            # ever started there is no end to wait for.
            if acquired_here and not session.in_transaction():
                session.info.pop(_LOCK_HELD, None)
                _release()
            raise

    @open_access("reveals only a count, a sequence number and a hash; run by start-up checks")
    def verify(self) -> VerifyResult:
        return verify_chain(self._sessions, self.anchor)

    @requires(Permission.VIEW_AUDIT)
    def query(self, actor: Actor, filters: AuditFilter | None = None) -> list[AuditEvent]:
        """Matching events, newest first (at most ``filters.limit``)."""
        f = filters or AuditFilter()
        with self._sessions() as session:
            stmt = self._filtered(f).order_by(AuditEventRow.seq.desc()).limit(max(f.limit, 0))
            return [_to_event(row) for row in session.scalars(stmt)]

    @requires(Permission.EXPORT_DATA)
    def export_csv(self, actor: Actor, out: Path, filters: AuditFilter | None = None) -> int:
        """Write matching events (oldest first, with hashes) to ``out``; the export is audited.

        The file is written beside ``out`` and renamed into place, so a failure never leaves
        half a file or clobbers an older export; it is private to the user (0600).
        """
        f = filters or AuditFilter(limit=0)
        out = Path(out)
        with self._sessions.begin() as session:
            stmt = self._filtered(f).order_by(AuditEventRow.seq)
            if f.limit > 0:
                stmt = stmt.limit(f.limit)
            rows = session.scalars(stmt.execution_options(yield_per=500))
            count = self._write_csv(out, rows)
            self.append(session, actor, "audit.export", str(out.name), {
                "rows": count, "actor": f.actor, "action_prefix": f.action_prefix,
                "since": f.since, "until": f.until, "text": f.text,
            })
        return count

    @staticmethod
    def _write_csv(out: Path, rows: Iterable[AuditEventRow]) -> int:
        count = 0
        with atomic_private(out) as handle:
            fh = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            for row in rows:
                writer.writerow([escape_cell(cell) for cell in (
                    row.seq, _iso(row.occurred_at), row.actor, row.actor_role,
                    row.action, row.subject, row.details, row.prev_hash, row.hash,
                )])
                count += 1
            fh.detach()  # the handle is atomic_private's to fsync and close
        return count

    @staticmethod
    def _filtered(f: AuditFilter) -> Any:
        stmt = select(AuditEventRow)
        if f.actor:
            stmt = stmt.where(AuditEventRow.actor == f.actor)
        if f.action_prefix:
            stmt = stmt.where(AuditEventRow.action.startswith(f.action_prefix, autoescape=True))
        if f.since is not None:
            stmt = stmt.where(AuditEventRow.occurred_at >= f.since)
        if f.until is not None:
            stmt = stmt.where(AuditEventRow.occurred_at < f.until)
        if f.text:
            needle = f.text
            stmt = stmt.where(
                AuditEventRow.subject.icontains(needle, autoescape=True)
                | AuditEventRow.details.icontains(needle, autoescape=True)
                | AuditEventRow.action.icontains(needle, autoescape=True)
                | AuditEventRow.actor.icontains(needle, autoescape=True)
            )
        return stmt
