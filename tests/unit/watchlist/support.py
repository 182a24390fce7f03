"""Test helpers shared by the watch-list and sighting tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

import commandroom.db.migrations.all_models  # noqa: F401  (every table, incl. camera for the FK)
from commandroom.auth.permissions import Actor, Role
from commandroom.db.base import Base
from commandroom.db.engine import create_db_engine
from commandroom.watchlist.idcard import check_character

VIEWER = Actor("vera", Role.VIEWER)
DUTY = Actor("dan", Role.DUTY_OFFICER)
SUPERVISOR = Actor("sam", Role.SUPERVISOR, operator_id=3)


def make_sessions(path: Path) -> sessionmaker[Session]:
    """A file database with the real engine set-up (WAL, foreign keys on)."""
    engine = create_db_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)


class RecordingAudit:
    """Keeps appended events, but only those whose transaction committed (like the real
    hash-chained sink, which writes in the caller's transaction)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.events: list[tuple[str, str, str, dict[str, Any]]] = []
        self.fail_on: str | None = None
        event.listen(sessions, "after_commit", self._commit)
        event.listen(sessions, "after_rollback", self._rollback)

    def append(
        self,
        session: Session,
        actor: Actor,
        action: str,
        subject: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        if action == self.fail_on:
            raise RuntimeError(f"simulated database failure while writing {action}")
        json.dumps(details or {})  # the real sink stores JSON: details must be plain data
        session.info.setdefault("audit", []).append(
            (actor.username, action, subject, details or {})
        )

    def _commit(self, session: Session) -> None:
        self.events.extend(session.info.pop("audit", []))

    def _rollback(self, session: Session) -> None:
        session.info.pop("audit", None)

    def actions(self) -> list[str]:
        return [action for _, action, _, _ in self.events]


def id_number(first17: str) -> str:
    """A valid ID number for the given first 17 digits."""
    return first17 + check_character(first17)
