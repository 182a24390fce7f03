"""Suggestions and events for the camera-events UI tests: views as the core returns them,
and in-memory stand-ins for the two core APIs that fail when called on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commandroom.auth.permissions import Actor
from commandroom.camera_events.model import EventSource, EventState, EventType
from commandroom.camera_events.views import (
    CameraEventView,
    DismissReason,
    SuggestionStatus,
    SuggestionView,
)
from commandroom.sightings.records import ClipStatus, SightingView
from commandroom.watchlist.plate_match import compare, normalise_read, split_plate
from commandroom.watchlist.plates import normalise_plate

T0 = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)


def suggestion(sid: int, *, risk: str = "medium", plate: str = "鄂A12345",
               on_file: str = "鄂A12345", score: float = 1.0, repeats: int = 0,
               rules: tuple[str, ...] = ("exact",), camera_id: int = 1,
               label: str = "Zhang San", seconds: int = 0) -> SuggestionView:
    when = T0 + timedelta(seconds=seconds)
    # The edits the core's match stores with the card (suggestions.py).
    edits = compare(split_plate(normalise_read(plate)), split_plate(normalise_plate(on_file)))
    return SuggestionView(
        id=sid, event_id=100 + sid, camera_id=camera_id, camera_name=f"Camera {camera_id}",
        junction="East gate", event_time=when, received_at=when, plate_read=plate,
        plate_colour="blue", entry_id=10 + sid, entry_label=label, entry_plate=on_file,
        entry_risk=risk, entry_category="wanted", score=score, rules=rules,
        picture_path="", repeats=repeats, status=SuggestionStatus.PENDING, edits=edits)


def event_view(eid: int, *, camera_id: int = 1, type_: EventType = EventType.PLATE,
               source: EventSource = EventSource.ISAPI, plate: str = "",
               state: EventState = EventState.PULSE) -> CameraEventView:
    when = T0 + timedelta(seconds=eid)
    return CameraEventView(
        id=eid, camera_id=camera_id, camera_name=f"Camera {camera_id}", junction="East gate",
        source=source, type=type_, state=state, device_time=when, received_at=when,
        topic="ANPR", plate=plate, plate_colour="", picture_path="", picture_sha256="")


def _off_gui_thread() -> None:
    assert threading.current_thread() is not threading.main_thread(), \
        "a core call on the GUI thread"


class FakeSuggestions:
    def __init__(self, pending: list[SuggestionView] | None = None) -> None:
        self._pending = list(pending or [])
        self.confirmed: list[int] = []
        self.dismissed: list[tuple[int, DismissReason]] = []
        self.release = threading.Event()
        self.release.set()

    def pending(self, actor: Actor) -> list[SuggestionView]:
        _off_gui_thread()
        return list(self._pending)

    def confirm(self, actor: Actor, suggestion_id: int, note: str = "") -> SightingView:
        _off_gui_thread()
        self.release.wait(10)
        self.confirmed.append(suggestion_id)
        return SightingView(
            id=500 + suggestion_id, watch_entry_id=11, camera_id=1, camera_name="Camera 1",
            junction="East gate", frame_time=T0, seq=1, operator=actor.username, box=None,
            note=note, snapshot_path="s.png", snapshot_sha256="", clip_path="",
            clip_sha256="", clip_status=ClipStatus.PENDING, clip_error="", created_at=T0)

    def dismiss(self, actor: Actor, suggestion_id: int, reason: DismissReason,
                note: str = "") -> SuggestionView:
        _off_gui_thread()
        self.dismissed.append((suggestion_id, reason))
        return replace(suggestion(suggestion_id), status=SuggestionStatus.DISMISSED,
                       reason=reason)

    def decided_counts(self, actor: Actor) -> dict[str, int]:
        _off_gui_thread()
        return {"confirmed": len(self.confirmed), "dismissed": len(self.dismissed)}


class FakeEventLog:
    def __init__(self, events: list[CameraEventView]) -> None:
        self.events = events

    def recent(self, actor: Actor, *, camera_id: int | None = None,
               types: Collection[EventType] | None = None, since: datetime | None = None,
               limit: int = 500) -> list[CameraEventView]:
        _off_gui_thread()
        rows = [e for e in self.events if (camera_id is None or e.camera_id == camera_id)
                and (types is None or e.type in types)]
        return sorted(rows, key=lambda e: e.id, reverse=True)[:limit]

    def picture(self, actor: Actor, event_id: int) -> Path | None:
        _off_gui_thread()
        return None

    def counts(self, actor: Actor) -> dict[str, int]:
        _off_gui_thread()
        return {"received": len(self.events), "stored": len(self.events), "problems": 0}
