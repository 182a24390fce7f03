"""Plain values the incident service takes and returns (codes, never sentences: the UI
words them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path


class State(StrEnum):
    OPEN = "open"
    DISPATCHED = "dispatched"  # an alert (or a radio call) went to at least one team
    ACKNOWLEDGED = "acknowledged"  # every team it went to has acknowledged
    ON_SCENE = "on_scene"
    RESOLVED = "resolved"


# The order states follow; an incident never goes back.
STATE_ORDER = tuple(State)


class Outcome(StrEnum):
    CAUGHT = "caught"
    CLEARED = "cleared"
    FALSE_ALARM = "false_alarm"
    HANDED_OVER = "handed_over"


class How(StrEnum):
    """How a step became known: a team's reply on a channel, or the officer's word."""

    LINK = "link"  # the signed link in a message (WeCom, DingTalk, e-mail, webhook)
    MQTT = "mqtt"  # the field app's reply
    PHONE = "phone"
    RADIO = "radio"
    IN_PERSON = "in person"
    CONSOLE = "console"  # the officer's own action at the console


class LinkKind(StrEnum):
    SIGHTING = "sighting"
    ALERT = "alert"
    EVIDENCE_PACKAGE = "evidence_package"


class IncidentError(ValueError):
    """A request the incident cannot take (resolved already, a team not sent to...):
    ``code`` says which, for the UI to word."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class TeamProgress:
    team_id: int
    team_key: str  # a seeded team's name is translated by the console
    team_name: str
    alert_id: int | None
    dispatched_at: datetime
    acked_at: datetime | None
    ack_how: str
    acked_by: str
    ack_seconds: int | None  # from dispatch to acknowledgement


@dataclass(frozen=True)
class IncidentView:
    id: int
    number: str
    title: str
    category: str
    priority: str
    state: State
    outcome: Outcome | None
    junction: str
    created_at: datetime
    created_by: str
    created_day: date
    dispatched_at: datetime | None
    acknowledged_at: datetime | None
    on_scene_at: datetime | None
    resolved_at: datetime | None
    resolved_by: str
    scene_seconds: int | None  # from creation
    resolution_seconds: int | None  # from creation: "caught in 47 min"
    teams: tuple[TeamProgress, ...] = ()
    entry_ids: tuple[int, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.state is not State.RESOLVED


@dataclass(frozen=True)
class IncidentFilter:
    open_only: bool = False
    states: tuple[State, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    text: str = ""  # in the number or the title
    limit: int = 200


class ItemKind(StrEnum):
    CREATED = "created"
    STATE = "state"  # on scene, resolved, acknowledged as a whole
    DISPATCHED = "dispatched"  # one team
    ACK = "ack"  # one team
    SIGHTING = "sighting"
    ALERT = "alert"
    NOTE = "note"
    EXPORT = "export"  # an evidence package made for it


@dataclass(frozen=True)
class TimelineItem:
    """One line of the incident's timeline; ``seconds`` from the incident's creation
    (negative for a sighting that came before it). ``facts`` hold codes and values for
    the UI to word: team name, how, who, outcome, camera, note text..."""

    kind: ItemKind
    at: datetime
    seconds: int
    facts: dict[str, str] = field(default_factory=dict)
    thumbnail: Path | None = None  # a sighting's snapshot
