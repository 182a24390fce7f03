"""The hash-chained audit trail: append, redaction, tamper detection, threads, view, export."""

from __future__ import annotations

import csv
import json
import sqlite3
import stat
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from commandroom.audit.trail import (
    GENESIS_HASH,
    AuditEventRow,
    AuditFilter,
    compute_hash,
    verify_chain,
)
from commandroom.auth.permissions import Actor, Role
from tests.unit.auth.fixtures import Stack, make_stack

SUP = Actor("sup", Role.SUPERVISOR)
DUTY = Actor("duty", Role.DUTY_OFFICER)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    built = make_stack(tmp_path)
    yield built
    built.engine.dispose()


def _append(stack: Stack, actor: Actor, action: str, subject: str = "",
            details: dict[str, Any] | None = None) -> None:
    with stack.sessions.begin() as session:
        stack.audit.append(session, actor, action, subject, details)


def _fill(stack: Stack, count: int) -> None:
    for i in range(1, count + 1):
        _append(stack, DUTY, "sighting.tag", f"camera {i}", {"i": i})
        stack.clock.advance(60)


def _rows(stack: Stack) -> list[AuditEventRow]:
    with stack.sessions() as session:
        return list(session.scalars(select(AuditEventRow).order_by(AuditEventRow.seq)))


def _tamper(stack: Stack, *statements: str) -> None:
    """Edit the SQLite file behind the app's back, as an intruder with file access would."""
    stack.engine.dispose()
    with sqlite3.connect(stack.db_file) as conn:
        for sql in statements:
            conn.execute(sql)


def test_events_chain_from_genesis_with_ascending_seq(stack: Stack) -> None:
    _fill(stack, 3)
    rows = _rows(stack)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS_HASH
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert rows[1].occurred_at == rows[0].occurred_at + timedelta(seconds=60)
    for r in rows:
        assert r.hash == compute_hash(r.seq, r.occurred_at, r.actor, r.actor_role, r.action,
                                      r.subject, r.details, r.prev_hash)
    assert verify_chain(stack.sessions) == stack.audit.verify()
    result = stack.audit.verify()
    assert (result.ok, result.checked, result.head_hash) == (True, 3, rows[-1].hash)


def test_details_are_canonical_json(stack: Stack) -> None:
    _append(stack, DUTY, "a", details={"b": 1, "a": "北京", "c": [1, 2]})
    _append(stack, DUTY, "a", details={"c": [1, 2], "a": "北京", "b": 1})
    first, second = _rows(stack)
    assert first.details == second.details == '{"a":"北京","b":1,"c":[1,2]}'


def test_event_is_part_of_the_callers_transaction(stack: Stack) -> None:
    with pytest.raises(RuntimeError), stack.sessions.begin() as session:
        stack.audit.append(session, DUTY, "camera.delete", "cam 1")
        raise RuntimeError("the change failed")
    assert _rows(stack) == []
    _append(stack, DUTY, "camera.delete", "cam 1")  # the lock was released by the rollback
    assert [r.seq for r in _rows(stack)] == [1]


def test_passwords_tokens_and_url_credentials_never_reach_the_table(stack: Stack) -> None:
    details = {
        "password": "hunter22", "new_password": "hunter33", "api_token": "tok-123",
        "nested": {"client_secret": "s3cr3t", "url": "rtsp://cam:campass@10.0.0.5/main"},
        "urls": ["http://u:webpass@hook.example/x"], "note": "kept", "pwd": "hunter44",
        "smtp_pass": "hunter55", "passport_no": "E1234567",
    }
    _append(stack, SUP, "camera.update", "rtsp://cam:subjpass@10.0.0.5/sub", details)
    raw = b"".join(p.read_bytes() for p in stack.db_file.parent.glob(f"{stack.db_file.name}*"))
    for secret in (b"hunter22", b"hunter33", b"hunter44", b"hunter55", b"tok-123", b"s3cr3t",
                   b"campass", b"webpass", b"subjpass"):
        assert secret not in raw
    (row,) = _rows(stack)
    stored = json.loads(row.details)
    assert stored["password"] == stored["api_token"] == "***"
    assert stored["nested"] == {"client_secret": "***", "url": "rtsp://cam:***@10.0.0.5/main"}
    assert stored["note"] == "kept"
    assert stored["passport_no"] == "E1234567"  # only secret-like names are masked
    assert row.subject == "rtsp://cam:***@10.0.0.5/sub"
    assert stack.audit.verify().ok  # redacted before hashing, so the chain checks


def test_edited_details_are_named(stack: Stack) -> None:
    _fill(stack, 5)
    _tamper(stack, """UPDATE audit_event SET details='{"i":99}' WHERE seq=3""")
    result = stack.audit.verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)
    assert "edited" in result.reason


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(stack: Stack) -> None:
    _fill(stack, 5)
    row = _rows(stack)[2]
    forged = compute_hash(row.seq, row.occurred_at, "someone-else", row.actor_role, row.action,
                          row.subject, row.details, row.prev_hash)
    _tamper(stack, f"UPDATE audit_event SET actor='someone-else', hash='{forged}' WHERE seq=3")
    result = stack.audit.verify()
    assert (result.ok, result.first_broken_seq) == (False, 4)
    assert "prev_hash" in result.reason


def test_deleted_event_is_named(stack: Stack) -> None:
    _fill(stack, 5)
    _tamper(stack, "DELETE FROM audit_event WHERE seq=3")
    result = stack.audit.verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)
    assert result.reason == "event #3 is missing (the chain jumps from #2 to #4)"


def test_deleted_first_event_is_named(stack: Stack) -> None:
    _fill(stack, 3)
    _tamper(stack, "DELETE FROM audit_event WHERE seq=1")
    assert stack.audit.verify().first_broken_seq == 1


def test_deleted_and_renumbered_event_is_named(stack: Stack) -> None:
    _fill(stack, 5)
    _tamper(stack, "DELETE FROM audit_event WHERE seq=3",
            "UPDATE audit_event SET seq=seq-1 WHERE seq>3")
    result = stack.audit.verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)


def test_swapped_events_are_named(stack: Stack) -> None:
    _fill(stack, 5)
    _tamper(stack, "UPDATE audit_event SET seq=-1 WHERE seq=3",
            "UPDATE audit_event SET seq=3 WHERE seq=4",
            "UPDATE audit_event SET seq=4 WHERE seq=-1")
    result = stack.audit.verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)


def test_empty_trail_verifies(stack: Stack) -> None:
    result = stack.audit.verify()
    assert (result.ok, result.checked, result.head_hash) == (True, 0, GENESIS_HASH)


def test_two_threads_appending_keep_one_unbroken_chain(stack: Stack) -> None:
    per_thread = 25
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(actor: Actor) -> None:
        try:
            start.wait(timeout=10)
            for i in range(per_thread):
                _append(stack, actor, "thread.append", str(i))
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(a,)) for a in (SUP, DUTY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert [r.seq for r in _rows(stack)] == list(range(1, 2 * per_thread + 1))
    assert stack.audit.verify().ok


def test_the_append_lock_is_held_until_the_transaction_ends(stack: Stack) -> None:
    appended, release, second_done = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with stack.sessions.begin() as session:
            stack.audit.append(session, SUP, "first")
            appended.set()
            release.wait(timeout=10)

    def second() -> None:
        _append(stack, DUTY, "second")
        second_done.set()

    t1 = threading.Thread(target=first)
    t1.start()
    assert appended.wait(timeout=10)
    t2 = threading.Thread(target=second)
    t2.start()
    # Negative check: the second appender must still be waiting while the first is open.
    assert not second_done.wait(timeout=0.3)
    release.set()
    t1.join(timeout=10)
    assert second_done.wait(timeout=10)
    t2.join(timeout=10)
    assert [(r.seq, r.action) for r in _rows(stack)] == [(1, "first"), (2, "second")]
    assert stack.audit.verify().ok


def test_query_filters_for_the_audit_view(stack: Stack) -> None:
    start = stack.clock.now
    _append(stack, DUTY, "sighting.tag", "camera north", {"plate": "京A12345"})
    stack.clock.advance(3600)
    _append(stack, SUP, "watchlist.edit", "person 100%")
    stack.clock.advance(3600)
    _append(stack, DUTY, "sighting.untag", "camera south")
    _append(stack, DUTY, "alert.send", "team A")

    def seqs(**kw: object) -> list[int]:
        return [e.seq for e in stack.audit.query(SUP, AuditFilter(**kw))]  # type: ignore[arg-type]

    assert seqs() == [4, 3, 2, 1]  # newest first
    assert seqs(actor="sup") == [2]
    assert seqs(action_prefix="sighting.") == [3, 1]
    assert seqs(since=start + timedelta(minutes=30), until=start + timedelta(hours=2)) == [2]
    assert seqs(text="京a1") == [1]
    assert seqs(text="100%") == [2]  # a wildcard character is matched literally
    assert seqs(text="%") == [2]
    assert seqs(limit=2) == [4, 3]
    event = stack.audit.query(SUP, AuditFilter(actor="duty", limit=1))[0]
    assert (event.action, event.details) == ("alert.send", {})


def test_export_csv_is_private_neutralises_formulas_and_is_audited(
    stack: Stack, tmp_path: Path
) -> None:
    _append(stack, DUTY, "sighting.tag", "=HYPERLINK(\"http://evil\")")
    _append(stack, DUTY, "alert.send", "team A")
    out = tmp_path / "exports" / "audit.csv"
    assert stack.audit.export_csv(SUP, out) == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["seq"] for r in rows] == ["1", "2"]
    assert rows[0]["subject"].startswith("'=")
    assert rows[1]["hash"] == _rows(stack)[1].hash
    last = _rows(stack)[-1]
    assert (last.action, last.actor, json.loads(last.details)["rows"]) == ("audit.export", "sup", 2)
    assert stack.audit.verify().ok


def test_failed_export_leaves_no_file_and_no_event(stack: Stack, tmp_path: Path) -> None:
    _append(stack, DUTY, "alert.send")
    target = tmp_path / "taken"
    target.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(OSError):
        stack.audit.export_csv(SUP, target)
    assert list(target.iterdir()) == []
    assert list(tmp_path.glob(".taken.*")) == []
    assert [r.action for r in _rows(stack)] == ["alert.send"]
