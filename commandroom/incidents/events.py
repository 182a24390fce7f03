"""Domain events of incidents (published on the EventBus after the commit)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IncidentChanged:
    """An incident was created, or its state, links or notes changed (lists follow)."""

    incident_id: int
    state: str
