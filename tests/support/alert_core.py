"""The core as the alerting tests use it: ``commandroom.runtime.Core`` opened on the test's
folder with the hooks a test needs (a clock it moves, a recording audit sink, a fixed ack
link base), plus shortcuts the tests share. It builds no service of its own."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select

from commandroom.alerts.dispatcher import Dispatcher, RetryPolicy
from commandroom.alerts.models import DeliveryRow, TeamMemberRow, TeamRow
from commandroom.config import Paths, Settings
from commandroom.db.base import utcnow
from commandroom.runtime import Core, CoreHooks

LOOPBACK = "127.0.0.1"
# Retries in tenths of a second: the tests wait for outcomes, not for back-off.
FAST_RETRY = RetryPolicy(base_s=0.05, cap_s=0.2, max_attempts=50)


class FakeClock:
    """An injected clock the test moves by hand."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> dt.datetime:
        self.now += dt.timedelta(**kwargs)
        return self.now


@dataclass
class AuditRecord:
    actor: str
    action: str
    subject: str
    details: dict[str, Any]


class RecordingAudit:
    """AuditSink stand-in (the hash-chained trail is another module): keeps what it got."""

    def __init__(self) -> None:
        self.records: list[AuditRecord] = []

    def append(
        self,
        session: Any,
        actor: Any,
        action: str,
        subject: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        assert session.in_transaction(), "audit must be written inside the caller's transaction"
        self.records.append(AuditRecord(actor.username, action, subject, details or {}))

    def anchor_head(self, session: Any) -> None:
        return None

    def actions(self) -> list[str]:
        return [r.action for r in self.records]


class AlertStack:
    """A core opened for an alerting test; the names are the ones the tests use."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.events: list[Any] = []  # everything published on the bus
        core.events.subscribe(object, self.events.append)

    @property
    def engine(self) -> Engine:
        return self.core.engine

    @property
    def sessions(self) -> Any:
        return self.core.sessions

    @property
    def secrets(self) -> Any:
        return self.core.secrets

    @property
    def bus(self) -> Any:
        return self.core.events

    @property
    def audit(self) -> Any:  # RecordingAudit unless the test asked for the real trail
        return self.core.audit_sink

    @property
    def clock(self) -> Callable[[], dt.datetime]:
        return self.core.hooks.clock

    @property
    def signer(self) -> Any:
        return self.core.alerting.signer

    @property
    def composer(self) -> Any:
        return self.core.alerting.composer

    @property
    def acks(self) -> Any:
        return self.core.alerting.acks

    @property
    def service(self) -> Any:
        return self.core.alerting.service

    @property
    def teams(self) -> Any:
        return self.core.alerting.teams

    @property
    def escalation(self) -> Any:
        return self.core.alerting.escalation

    def close(self) -> None:
        self.core.stop()

    def team_id(self, key: str) -> int:
        return next(t.id for t in self.teams.list_teams() if t.key == key)

    def dispatcher(self, **kwargs: Any) -> Dispatcher:
        """A dispatcher over this core's outbox, for tests that vary its senders, retry
        policy, escalation or clock; the core's own runs only after ``core.start()``."""
        kwargs.setdefault("retry", FAST_RETRY)
        kwargs.setdefault("escalation", self.escalation)
        kwargs.setdefault("clock", self.clock)
        return Dispatcher(self.sessions, self.secrets, self.bus, self.composer, **kwargs)

    def deliveries(self) -> list[Any]:
        with self.sessions() as session:
            return list(session.scalars(select(DeliveryRow).order_by(DeliveryRow.id)).all())

    def of_type(self, event_type: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, event_type)]


def _no_sighting_fk(engine: Engine) -> None:
    def foreign_keys_off(dbapi_connection: Any, _record: Any) -> None:
        # The sighting table belongs to another module with its own required columns;
        # these tests reference sighting ids without creating sightings.
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    event.listen(engine, "connect", foreign_keys_off)


def make_stack(
    db_path: Path,
    clock: Callable[[], dt.datetime] | None = None,
    ack_base_url: str = f"http://{LOOPBACK}:8765",
    escalation_policy: Any = None,
    sighting_fk: bool = False,
    audit_factory: Callable[[Any], Any] | None = None,
    members: dict[str, list[str]] | None = None,
    settings: Settings | None = None,
) -> AlertStack:
    """A core whose data folder is named after ``db_path`` (the same path opens the same
    station again, in another process too). ``members``: team key -> member names put on
    file (default TEAM_MEMBERS; ``{}`` for teams with nobody on file, whose messages carry
    no ack link)."""
    hooks = CoreHooks(
        clock=clock or utcnow,
        keyring=None,
        audit_sink=audit_factory or (lambda _sessions: RecordingAudit()),
        engine_setup=None if sighting_fk else _no_sighting_fk,
        ack_base_url=ack_base_url,
        escalation_policy=escalation_policy,
        retry=FAST_RETRY,
    )
    paths = Paths.resolve(db_path.with_suffix(""))
    stack = AlertStack(Core(paths, settings or Settings(), hooks=hooks))
    _put_members(stack.sessions, TEAM_MEMBERS if members is None else members)
    return stack


# Who is on file in the test teams (the ack page and MQTT acks name one of them).
TEAM_MEMBERS = {"community": ["Li Wei", "PC Zhao"], "case": ["Sgt Liu", "Wang Fang"]}


def _put_members(sessions: Any, members: dict[str, list[str]]) -> None:
    with sessions.begin() as session:
        for key, names in members.items():
            team_id = session.scalar(select(TeamRow.id).where(TeamRow.key == key))
            for i, name in enumerate(names):
                session.add(TeamMemberRow(team_id=team_id, name=name, phone=f"1380000{i:04d}"))


def member_id(stack: AlertStack, team_key: str, name: str) -> int:
    return int(next(m.id for m in stack.acks.members(stack.team_id(team_key)) if m.name == name))


def sample_content(tmp_path: Path, category: str = "wanted", **overrides: Any) -> Any:
    """A sighting's alert content with a real snapshot file and its SHA-256."""
    from commandroom.alerts.content import AlertContent

    snapshot = tmp_path / "snapshot.jpg"
    if not snapshot.exists():
        snapshot.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9")
    values: dict[str, Any] = {
        "name": "Zhang San",
        "category": category,
        "risk": 3,
        "camera": "North gate",
        "junction": "X12 / Main road",
        "map_x": 116.39,
        "map_y": 39.91,
        "frame_time": dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5),
        "snapshot_path": str(snapshot),
        "snapshot_sha256": hashlib.sha256(snapshot.read_bytes()).hexdigest(),
        "note": "blue jacket",
        "evidence_ref": "EV-2026-0001",
    }
    values.update(overrides)
    return AlertContent(**values)
