"""The audit chain anchored outside the database: a chain rewritten with the app's own
hash function, events cut from the end, or every event deleted, no longer verifies."""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom import cli
from commandroom.audit.anchor import KEY_FILE, AuditAnchor, open_audit_anchor
from commandroom.audit.trail import AuditEventRow, AuditTrail, compute_hash
from commandroom.audit.verify import (
    ANCHOR_ALTERED,
    ANCHOR_EMPTY,
    ANCHOR_MISSING,
    ANCHOR_RESTARTED,
    HANDOVER_FORGED,
    REWRITTEN,
    TRUNCATED,
)
from commandroom.auth.permissions import Actor, Role
from commandroom.auth.service import AuthService
from commandroom.config import Paths
from commandroom.db.engine import open_database
from tests.unit.auth.fixtures import FakeClock, fast_hasher

DUTY = Actor("duty", Role.DUTY_OFFICER)


@dataclass
class Station:
    paths: Paths
    engine: Engine
    sessions: sessionmaker[Session]
    clock: FakeClock
    trail: AuditTrail

    @property
    def url(self) -> str:
        return f"sqlite:///{self.paths.database_file}"

    def reopen(self) -> AuditTrail:
        """The trail as the next start of the app (or the CLI) sees it."""
        return AuditTrail(self.sessions, self.clock, open_audit_anchor(self.paths, self.url,
                                                                       keyring=None))

    def fill(self, count: int) -> None:
        for i in range(1, count + 1):
            with self.sessions.begin() as session:
                self.trail.append(session, DUTY, "sighting.tag", f"camera {i}", {"i": i})
            self.clock.advance(60)

    def tamper(self, *statements: str) -> None:
        """Edit the SQLite file behind the app's back, as an intruder with the data folder."""
        self.engine.dispose()
        with sqlite3.connect(self.paths.database_file) as conn:
            for sql in statements:
                conn.execute(sql)

    def recompute_from(self, seq: int) -> None:
        """Re-hash every event from ``seq`` on with the app's own function, so the chain
        checks again (what the hash chain alone cannot see)."""
        with self.sessions.begin() as session:
            rows = list(session.scalars(select(AuditEventRow).order_by(AuditEventRow.seq)))
            prev = rows[seq - 2].hash if seq > 1 else "0" * 64
            for row in rows[seq - 1:]:
                row.prev_hash = prev
                row.hash = compute_hash(row.seq, row.occurred_at, row.actor, row.actor_role,
                                        row.action, row.subject, row.details, prev)
                prev = row.hash


@pytest.fixture
def station(data_dir: Path) -> Iterator[Station]:
    paths = Paths.resolve(data_dir)
    paths.ensure()
    engine, sessions = open_database(f"sqlite:///{paths.database_file}")
    clock = FakeClock()
    made = Station(paths, engine, sessions, clock, AuditTrail(sessions))
    made.trail = made.reopen()
    yield made
    made.engine.dispose()


def _anchor_lines(station: Station) -> list[dict[str, object]]:
    assert station.trail.anchor is not None
    return [json.loads(line) for line in station.trail.anchor.path.read_text().splitlines()]


def test_every_commit_anchors_its_head_outside_the_data_folder(
        station: Station, private_audit_anchors: Path) -> None:
    station.fill(3)
    anchor = station.trail.anchor
    assert anchor is not None
    assert anchor.path.parent.parent == private_audit_anchors
    assert not anchor.path.is_relative_to(station.paths.data_dir)
    lines = _anchor_lines(station)
    assert [(line["kind"], line["seq"]) for line in lines] == [
        ("genesis", 0), ("commit", 1), ("commit", 2), ("commit", 3)]
    assert lines[-1]["hash"] == station.trail.verify().head_hash
    for path, mode in ((anchor.path, 0o600), (anchor.path.parent / KEY_FILE, 0o600),
                       (anchor.path.parent, 0o700)):
        assert stat.S_IMODE(path.stat().st_mode) == mode
    result = station.reopen().verify()
    assert (result.ok, result.anchored, result.anchors_checked, result.anchored_seq) == (
        True, True, 4, 3)


def test_a_rolled_back_append_is_not_anchored(station: Station) -> None:
    station.fill(2)
    with pytest.raises(RuntimeError), station.sessions.begin() as session:
        station.trail.append(session, DUTY, "camera.delete", "cam 1")
        raise RuntimeError("the change failed")
    assert [line["seq"] for line in _anchor_lines(station)] == [0, 1, 2]
    assert station.trail.verify().ok  # no false "truncated"


def test_an_edit_with_every_later_hash_recomputed_is_found(station: Station) -> None:
    station.fill(5)
    station.tamper("UPDATE audit_event SET actor='someone-else' WHERE seq=3")
    station.recompute_from(3)
    unanchored = AuditTrail(station.sessions).verify()
    assert unanchored.ok  # the chain alone is fooled: that was the hole
    result = station.reopen().verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)
    assert result.problem is not None and result.problem.code == REWRITTEN
    assert "rewritten at or before this event" in result.reason


@pytest.mark.parametrize(("deleted", "broken_at"), [("seq > 3", 4), ("1 = 1", 1)])
def test_events_cut_from_the_end_or_all_deleted_are_found(
        station: Station, deleted: str, broken_at: int) -> None:
    station.fill(5)
    station.tamper(f"DELETE FROM audit_event WHERE {deleted}")
    result = station.reopen().verify()
    assert (result.ok, result.first_broken_seq) == (False, broken_at)
    assert result.problem is not None and result.problem.code == TRUNCATED
    assert result.problem.get("anchored") == 5


def test_an_existing_trail_is_anchored_from_the_first_start_on(data_dir: Path) -> None:
    paths = Paths.resolve(data_dir)
    engine, sessions = open_database(f"sqlite:///{paths.database_file}")
    station = Station(paths, engine, sessions, FakeClock(), AuditTrail(sessions))
    station.fill(4)  # written before anchoring existed
    station.trail = station.reopen()  # the first start with it: genesis at #4
    assert [(line["kind"], line["seq"]) for line in _anchor_lines(station)] == [("genesis", 4)]
    station.tamper("DELETE FROM audit_event WHERE seq = 4")
    assert station.reopen().verify().first_broken_seq == 4
    engine.dispose()


def test_the_anchor_file_itself_altered_emptied_or_lost(station: Station) -> None:
    station.fill(2)
    anchor = station.trail.anchor
    assert anchor is not None
    original = anchor.path.read_text()
    forged = original.replace('"seq":2', '"seq":1', 1)
    anchor.path.write_text(forged)
    result = station.reopen().verify()
    assert (result.ok, result.problem and result.problem.code) == (False, ANCHOR_ALTERED)
    assert result.problem.get("line") == 3  # type: ignore[union-attr]
    anchor.path.write_text("")
    assert station.reopen().verify().problem.code == ANCHOR_EMPTY  # type: ignore[union-attr]
    anchor.path.unlink()
    result = station.reopen().verify()
    assert (result.ok, result.problem and result.problem.code) == (False, ANCHOR_MISSING)
    station.fill(1)  # anchoring goes on, and says it started again
    result = station.reopen().verify()
    assert result.problem is not None and result.problem.code == ANCHOR_RESTARTED
    assert result.problem.get("seq") == 3


def test_a_hand_over_records_the_head_and_betrays_a_rewrite(station: Station) -> None:
    auth = AuthService(station.sessions, station.trail, clock=station.clock,
                       hasher=fast_hasher())
    admin = auth.bootstrap_admin("admin", "admin-pass-1")
    auth.create_operator(admin, "wang", "wang-pass-12", Role.DUTY_OFFICER)
    station.fill(2)
    auth.hand_over(admin, "wang", "wang-pass-12")
    with station.sessions() as session:
        logout = session.scalars(select(AuditEventRow).where(
            AuditEventRow.action == "auth.logout")).one()
    head = json.loads(logout.details)["audit_head"]
    assert (head["seq"], head["hash"]) == (logout.seq - 1, logout.prev_hash)
    assert station.reopen().verify().handovers_checked == 1
    # An intruder rewrites an event before the hand-over and cuts the anchor file back
    # to its first line (lines can be removed, not forged): the hand-over still tells.
    anchor = station.trail.anchor
    assert anchor is not None
    anchor.path.write_text(anchor.path.read_text().splitlines()[0] + "\n")
    station.tamper("UPDATE audit_event SET subject='camera 9' WHERE seq=3")
    station.recompute_from(3)
    result = station.reopen().verify()
    assert (result.ok, result.first_broken_seq) == (False, logout.seq)
    assert result.problem is not None and result.problem.code == HANDOVER_FORGED


def test_another_key_is_not_this_stations_anchor(station: Station) -> None:
    station.fill(2)
    anchor = station.trail.anchor
    assert anchor is not None
    stranger = AuditAnchor(b"k" * 32, anchor.path, new_key=False)
    assert AuditTrail(station.sessions, anchor=stranger).verify().problem.code == (  # type: ignore[union-attr]
        ANCHOR_ALTERED)


def _cli(paths: Paths, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.run(list(argv), paths=paths)
    return code, capsys.readouterr().out


def test_cli_audit_verify_on_a_recomputed_and_on_a_truncated_chain(
        station: Station, capsys: pytest.CaptureFixture[str]) -> None:
    station.fill(6)
    code, out = _cli(station.paths, capsys, "audit", "verify")
    assert code == 0 and out.splitlines()[0] == "chain intact: 6 events"
    assert out.splitlines()[2].startswith("anchored: 7 anchor(s) up to event #6 in ")
    station.tamper("UPDATE audit_event SET details='{\"i\":99}' WHERE seq=4")
    station.recompute_from(4)
    code, out = _cli(station.paths, capsys, "audit", "verify")
    assert code == 1
    assert out.startswith("BROKEN at event #4: its hash differs from the one anchored outside "
                          "the database on 20")
    assert out.rstrip().endswith("the chain was rewritten at or before this event")
    station.tamper("DELETE FROM audit_event WHERE seq >= 4")
    code, out = _cli(station.paths, capsys, "audit", "verify")
    assert code == 1
    assert out.startswith("BROKEN at event #4: the trail ends at #3, but event #6 was anchored "
                          "outside the database on 20")
