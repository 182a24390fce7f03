"""Threads writing to the embedded SQLite with audit events: they queue, none fails.

Seen in a real run: the clip-finished callback and the alert dispatcher each changed a
row and then appended an audit event. With deferred transactions one held SQLite's write
lock while waiting for the audit lock the other held while waiting for SQLite's write
lock; busy_timeout broke the tie after 5 s with "database is locked".
"""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import select

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.models import CameraGroupRow
from commandroom.db.engine import open_database


def test_concurrent_change_plus_audit_transactions_all_commit(tmp_path: Path) -> None:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'c.db'}")
    audit = AuditTrail(sessions)
    with sessions.begin() as s:
        s.add_all([CameraGroupRow(name="a"), CameraGroupRow(name="b")])
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker(name: str) -> None:
        try:
            start.wait(5)
            for i in range(15):
                with sessions.begin() as s:
                    row = s.scalar(select(CameraGroupRow).where(CameraGroupRow.name == name))
                    assert row is not None
                    row.position = i
                    s.flush()  # this transaction now writes...
                    audit.append(s, SYSTEM, "test.step", name, {"i": i})  # ...then audits
        except BaseException as exc:  # recorded for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    result = audit.verify()
    assert result.ok and result.checked == 30
    with sessions() as s:
        assert [r.position for r in s.scalars(select(CameraGroupRow))] == [14, 14]
    engine.dispose()
