"""What the wall shows besides video: the alert banner request (a domain event).

The alerts service publishes one for every high-priority alert; the console can raise
one by hand. The wall shows it until the officer clears it in the console.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class WallAlert:
    camera_id: int | None
    camera_name: str
    junction: str
    who: str
    category: str
    frame_time: datetime
    snapshot_path: str | None = None
    alert_id: int | None = None
    priority: str = "high"
    # Set for a suggested sighting not yet confirmed (camera events): the banner says so,
    # and answering the suggestion takes it down.
    suggestion_id: int | None = None


@dataclass(frozen=True)
class WallAlertCleared:
    alert_id: int | None = None
