"""Domain events of sightings (published on the EventBus after the commit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SightingCreated:
    sighting_id: int
    watch_entry_id: int | None
    new_entry: bool  # an "unknown person/vehicle" file was opened for it
    camera_id: int | None
    camera_name: str
    junction: str
    frame_time: datetime
    operator: str


@dataclass(frozen=True)
class SightingClipReady:
    sighting_id: int
    status: str  # "done" | "failed"
    clip_path: str  # relative to the data dir; empty when failed
    error: str = ""
