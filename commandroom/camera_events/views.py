"""What the UI reads of stored events and suggestions, and the domain events it follows.

The suggestion service (``suggestions.py``) and the event log (``store.py``) return these;
they are published on the EventBus after the commit, on the intake's thread (the UI
re-posts them to the GUI thread through ``ui.bridge.GuiEvents``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from commandroom.camera_events.model import EventSource, EventState, EventType
from commandroom.watchlist.plate_match import Edit


@dataclass(frozen=True)
class CameraEventView:
    id: int
    camera_id: int
    camera_name: str
    junction: str
    source: EventSource
    type: EventType
    state: EventState
    device_time: datetime | None
    received_at: datetime
    topic: str
    plate: str
    plate_colour: str
    picture_path: str  # relative to the data dir, "" when the event had no picture
    picture_sha256: str

    @property
    def time(self) -> datetime:
        """The camera's time when it gave one, else ours."""
        return self.device_time or self.received_at


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class DismissReason(StrEnum):
    FALSE_READ = "false_read"  # the camera misread the plate
    NOT_THIS_VEHICLE = "not_this_vehicle"  # the plate is right, the vehicle is not the one
    OTHER = "other"


@dataclass(frozen=True)
class SuggestionView:
    """A suggested sighting: a plate read that matched a watch-listed vehicle."""

    id: int
    event_id: int
    camera_id: int
    camera_name: str
    junction: str
    event_time: datetime  # device time when given, else receive time
    received_at: datetime
    plate_read: str  # as the camera read it
    plate_colour: str
    entry_id: int
    entry_label: str
    entry_plate: str  # the plate on file
    entry_risk: str  # watchlist Risk value ("low", "medium", "high")
    entry_category: str  # watchlist Category value
    score: float  # 1.0 exact, lower for a tolerated misread
    rules: tuple[str, ...]  # watchlist MatchRule values that matched ("exact", ...)
    picture_path: str  # the event's picture, relative to the data dir, "" if none
    repeats: int  # further reads of the same plate at the same camera folded into this card
    status: SuggestionStatus
    decided_by: str = ""
    decided_at: datetime | None = None
    reason: DismissReason | None = None
    sighting_id: int | None = None  # the sighting a confirmation created
    # Which character became which, as the match found them when the card was raised
    # (() for an exact read); None for a card raised before they were stored (0012).
    edits: tuple[Edit, ...] | None = None


# -- domain events (published after the commit) -----------------------------------------

@dataclass(frozen=True)
class CameraEventStored:
    event: CameraEventView


@dataclass(frozen=True)
class SuggestionRaised:
    suggestion: SuggestionView


@dataclass(frozen=True)
class SuggestionRepeated:
    """The same plate read again at the same camera within the folding window."""

    suggestion: SuggestionView


@dataclass(frozen=True)
class SuggestionDecided:
    suggestion: SuggestionView  # status CONFIRMED (with sighting_id) or DISMISSED


@dataclass(frozen=True)
class EventIntakeStatus:
    """A camera's event connection changed state (for the events window's status line)."""

    camera_id: int
    connected: bool
    problem: str = ""  # a model.ProblemCode value when not connected
