"""What the console asks of the camera-events core (implemented by ``store.CameraEventLog``
and ``suggestions.SuggestionService``, built by ``commandroom.runtime.core.Core`` as the
parts ``camera_events`` and ``suggestions``). Every call touches the database: the UI
calls them on its background executor, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import Protocol

from commandroom.auth.permissions import Actor
from commandroom.camera_events.model import EventType
from commandroom.camera_events.views import CameraEventView, DismissReason, SuggestionView
from commandroom.sightings.records import SightingView


class EventLogApi(Protocol):
    def recent(
        self,
        actor: Actor,
        *,
        camera_id: int | None = None,
        types: Collection[EventType] | None = None,
        since: datetime | None = None,
        limit: int = 500,
    ) -> list[CameraEventView]:
        """Stored events, newest first, filtered by camera and type (VIEW_VIDEO)."""
        ...

    def picture(self, actor: Actor, event_id: int) -> Path | None:
        """The event's picture file (absolute), None when it had none (VIEW_VIDEO)."""
        ...

    def counts(self, actor: Actor) -> dict[str, int]:
        """Counters since start: "received", "stored", "problems", and one per
        ProblemCode value that occurred (for the events window's status line)."""
        ...


class SuggestionsApi(Protocol):
    def pending(self, actor: Actor) -> list[SuggestionView]:
        """Undecided suggestions, oldest first (the card queue at start-up)."""
        ...

    def confirm(self, actor: Actor, suggestion_id: int, note: str = "") -> SightingView:
        """A sighting exactly as if tagged by hand (snapshot, clip, hashes, audit), of the
        suggestion's entry at the event's camera and time (TAG_SIGHTING). Raises
        ``SuggestionDecidedAlready`` when another seat decided it first."""
        ...

    def dismiss(
        self, actor: Actor, suggestion_id: int, reason: DismissReason, note: str = ""
    ) -> SuggestionView:
        """Recorded with the reason and audited (TAG_SIGHTING)."""
        ...

    def decided_counts(self, actor: Actor) -> dict[str, int]:
        """How many were confirmed and dismissed (per DismissReason value), all time."""
        ...


class SuggestionDecidedAlready(RuntimeError):
    """The suggestion was confirmed or dismissed already (by this seat or another)."""
