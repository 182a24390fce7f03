"""Helpers shared by the auth, audit and CLI tests: a fake clock, a fast hasher, a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.trail import AuditEventRow, AuditTrail
from commandroom.auth.service import AuthService
from commandroom.db.engine import open_database

ADMIN_PASSWORD = "admin-pass-1"


class FakeClock:
    """A wall clock the test moves by hand: lockouts are checked without sleeping."""

    def __init__(self, start: datetime = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def fast_hasher() -> PasswordHasher:
    # Real argon2id with tiny parameters: the production ones take ~150 ms per hash here.
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@dataclass
class Stack:
    engine: Engine
    sessions: sessionmaker[Session]
    clock: FakeClock
    audit: AuditTrail
    auth: AuthService
    db_file: Path

    def audit_count(self) -> int:
        with self.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)

    def audit_actions(self) -> list[str]:
        with self.sessions() as session:
            return list(session.scalars(select(AuditEventRow.action).order_by(AuditEventRow.seq)))


def make_stack(tmp_path: Path) -> Stack:
    db_file = tmp_path / "test.db"
    engine, sessions = open_database(f"sqlite:///{db_file}")
    clock = FakeClock()
    audit = AuditTrail(sessions, clock=clock)
    auth = AuthService(sessions, audit, clock=clock, hasher=fast_hasher())
    return Stack(engine, sessions, clock, audit, auth, db_file)
