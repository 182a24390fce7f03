"""Retention: oldest unlocked footage goes first, locked footage stays, all of it audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow
from commandroom.auth.permissions import Actor, PermissionDenied, Role
from commandroom.config import RecordingSettings
from commandroom.recording.locks import EvidenceLocks, LockKind, add_lock
from commandroom.recording.policy import RecordingPolicy
from commandroom.recording.retention import RetentionError, RetentionService
from commandroom.video.packet_sources import SegmentInfo
from tests.support.recording import ClipPacket, iter_files
from tests.unit.recording.conftest import RecStack

Clip = tuple[SegmentInfo, list[ClipPacket]]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR = datetime(2100, 1, 1, tzinfo=UTC)
ADMIN = Actor("admin", Role.ADMINISTRATOR, 1)
DUTY = Actor("li", Role.DUTY_OFFICER, 2)
T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC).timestamp()


def _deleted_events(stack: RecStack) -> list[dict[str, object]]:
    with stack.sessions() as session:
        rows = session.scalars(select(AuditEventRow).where(
            AuditEventRow.action == "recording.retention_delete").order_by(AuditEventRow.seq))
        return [json.loads(r.details) for r in rows]


def _service(stack: RecStack, now: datetime, **settings: float) -> RetentionService:
    return RetentionService(stack.index, stack.root, RecordingSettings(**settings),  # type: ignore[arg-type]
                            stack.audit, clock=lambda: now)


def test_a_small_quota_deletes_oldest_unlocked_first_and_audits_each(
    stack: RecStack, clip: Clip
) -> None:
    stack.record(clip, 12.0, T0, segment_s=2.0)  # six 2 s segments of camera 1
    stack.record(clip, 4.0, T0 + 1.0, camera=stack.cam2, segment_s=2.0)  # two of camera 2
    all_segments = sorted(
        stack.index.segments(stack.cam.id, EPOCH, FAR)
        + stack.index.segments(stack.cam2.id, EPOCH, FAR), key=lambda s: s.start_at)
    assert len(all_segments) == 8
    oldest = all_segments[0]
    # A sighting references the oldest footage of camera 1: it must stay.
    with stack.sessions.begin() as session:
        add_lock(session, stack.cam.id, oldest.start_at + timedelta(seconds=0.5),
                 oldest.start_at + timedelta(seconds=1), LockKind.SIGHTING, "17")
    total = sum(s.bytes for s in all_segments)
    quota = total - sum(s.bytes for s in all_segments[1:4]) + 1  # room for all but 3

    result = _service(stack, datetime.fromtimestamp(T0 + 60, UTC)).sweep(quota_bytes=quota)

    expected = all_segments[1:4]  # the 3 oldest after the locked one (both cameras)
    assert [d.id for d in result.deleted] == [s.id for s in expected]
    assert result.kept_locked == 1 and result.over_quota_bytes == 0
    remaining = {s.id for s in stack.index.all_segments()}
    assert oldest.id in remaining and remaining.isdisjoint(s.id for s in expected)
    assert sum(s.bytes for s in stack.index.all_segments()) <= quota
    for segment in expected:
        assert not (stack.root / segment.path).exists()
    assert (stack.root / oldest.path).exists()
    (event,) = _deleted_events(stack)
    assert event["columns"] == "id,camera_id,start,end,bytes,sha256,why"
    lines = str(event["segments"]).split("\n")
    assert [line.split(",") for line in lines] == [
        [str(s.id), str(s.camera_id), s.start_at.isoformat(), s.end_at.isoformat(),
         str(s.bytes), s.sha256, "quota"] for s in expected]
    assert stack.audit.verify().ok


def test_keep_days_per_camera_and_locks_by_export(stack: RecStack, clip: Clip) -> None:
    stack.record(clip, 4.0, T0, segment_s=2.0)
    stack.record(clip, 4.0, T0, camera=stack.cam2, segment_s=2.0)
    policy = RecordingPolicy(stack.sessions, stack.audit)
    policy.set_keep_days(ADMIN, stack.cam2.id, 10)  # camera 2 keeps longer than the default
    first2 = stack.index.segments(stack.cam2.id, EPOCH, FAR)[0]
    now = datetime.fromtimestamp(T0, UTC) + timedelta(days=8)

    result = _service(stack, now, keep_days=7).sweep()

    assert {d.camera_id for d in result.deleted} == {stack.cam.id}
    assert {d.why for d in result.deleted} == {"age"}
    assert stack.index.segments(stack.cam.id, EPOCH, FAR) == []
    # 11 days on, camera 2's are due too, but an export holds the first of them.
    with stack.sessions.begin() as session:
        add_lock(session, stack.cam2.id, first2.start_at, first2.start_at, LockKind.EXPORT, "x")
    later = _service(stack, now + timedelta(days=3), keep_days=7).sweep()
    assert [d.camera_id for d in later.deleted] == [stack.cam2.id]
    assert [s.id for s in stack.index.all_segments()] == [first2.id]
    assert not (stack.root / f"cam{stack.cam.id}").exists()  # emptied folders go too
    assert [p.name for p in iter_files(stack.root)] == [first2.path.rsplit("/", 1)[-1]]


def test_only_an_administrator_changes_retention(stack: RecStack) -> None:
    service = _service(stack, datetime.now(UTC))
    with pytest.raises(PermissionDenied):
        service.configure(DUTY, 3, 10.0, 24.0)
    with pytest.raises(RetentionError):
        service.configure(ADMIN, 0, 10.0, 24.0)
    settings = service.configure(ADMIN, 3, 10.0, 12.0)
    assert (settings.keep_days, service.quota_bytes) == (3, 10 * 1024**3)
    with stack.sessions() as session:
        actions = list(session.scalars(select(AuditEventRow.action)))
    assert actions == ["recording.retention_settings"]


def test_lifting_a_lock_needs_an_administrator(stack: RecStack) -> None:
    locks = EvidenceLocks(stack.sessions, stack.audit)
    start = datetime(2026, 5, 1, tzinfo=UTC)
    lock = locks.lock(DUTY, stack.cam.id, start, start + timedelta(minutes=5), "case 42")
    with pytest.raises(PermissionDenied):
        locks.release(DUTY, lock.id)
    assert locks.between(DUTY, stack.cam.id, start, start + timedelta(hours=1)) == [lock]
    assert locks.release(ADMIN, lock.id)
    assert locks.between(DUTY, stack.cam.id, start, start + timedelta(hours=1)) == []
