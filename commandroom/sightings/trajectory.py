"""Where an entry went: consecutive sightings folded into stops, and the hops between.

A pure function over sighting values, so the map view (and its tests) need no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from commandroom.sightings.records import SightingView


@dataclass(frozen=True)
class Stop:
    camera_id: int | None
    camera_name: str
    junction: str
    map_position: tuple[float, float] | None
    first_seen: datetime
    last_seen: datetime
    sighting_ids: tuple[int, ...]


@dataclass(frozen=True)
class Hop:
    origin: Stop
    destination: Stop

    @property
    def elapsed(self) -> timedelta:
        """From the last sighting at the origin to the first at the destination."""
        return self.destination.first_seen - self.origin.last_seen


def _camera_key(s: SightingView) -> tuple[int | None, str]:
    # A deleted camera keeps only its name; the name then identifies it.
    return (s.camera_id, "") if s.camera_id is not None else (None, s.camera_name)


def stops(sightings: Iterable[SightingView]) -> list[Stop]:
    ordered = sorted(sightings, key=lambda s: (s.frame_time, s.id))
    result: list[Stop] = []
    group: list[SightingView] = []
    for sighting in ordered:
        if group and _camera_key(group[-1]) != _camera_key(sighting):
            result.append(_stop(group))
            group = []
        group.append(sighting)
    if group:
        result.append(_stop(group))
    return result


def _stop(group: list[SightingView]) -> Stop:
    first, last = group[0], group[-1]
    return Stop(
        camera_id=first.camera_id, camera_name=first.camera_name, junction=first.junction,
        map_position=next((s.camera_map_position for s in group if s.camera_map_position), None),
        first_seen=first.frame_time, last_seen=last.frame_time,
        sighting_ids=tuple(s.id for s in group),
    )


def trajectory(sightings: Iterable[SightingView]) -> list[Hop]:
    """The ordered hops camera → next camera; staying at one camera is not a hop."""
    visited = stops(sightings)
    return [Hop(a, b) for a, b in pairwise(visited)]
