"""What the timeline paints, read off the GUI thread and handed over as plain values.

``load_snapshot`` runs on the UI executor (``FutureBridge.run``): the look-back core's
timeline (local and NVR ranges, gaps with reasons, evidence locks) and the sightings,
alerts and camera events of each camera in the window, with who each sighting is of. The widget then
paints from these frozen values; nothing it does touches the database.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from commandroom.auth.permissions import Actor, Permission
from commandroom.cameras.registry import Camera
from commandroom.lookback import LookBack, SpanKind
from commandroom.lookback.marks import MarkKind, TimelineMarks

# The core answers gaps with the window's edges; a little beyond the visible window is
# read so that a small scroll shows no blank margin while the next read runs.
MARGIN = 0.25


class EntryLabeller(Protocol):
    """Who a sighting is of (``ui.common.entry_labels.EntryLabels``)."""

    def warm(self, entry_ids: Iterable[int | None]) -> int: ...

    def label(self, entry_id: int | None) -> str: ...


@dataclass(frozen=True)
class SpanBar:
    start: float
    end: float
    kind: SpanKind  # LOCAL and NVR are drawn alike: footage is there
    reason: str = ""  # GAP / UNKNOWN: the reason code (texts turn it into a sentence)
    open: bool = False


@dataclass(frozen=True)
class LockBar:
    start: float
    end: float
    kind: str  # sighting | alert | export | manual
    ref: str
    created_by: str


@dataclass(frozen=True)
class MarkDot:
    moment: float
    kind: MarkKind
    sighting_id: int
    who: str  # the entry's label
    operator: str
    priority: str = ""
    category: str = ""
    # Camera events (kind EVENT): the camera_events.model.EventType value, the plate read.
    event_type: str = ""
    plate: str = ""


@dataclass(frozen=True)
class TimelineRow:
    camera_id: int
    camera_name: str
    spans: tuple[SpanBar, ...]
    locks: tuple[LockBar, ...]
    marks: tuple[MarkDot, ...]
    marks_allowed: bool  # False: this role may not see sightings (no marks drawn)


@dataclass(frozen=True)
class TimelineSnapshot:
    start: float
    end: float
    rows: tuple[TimelineRow, ...]
    read_at: float  # wall clock when read (the open range ends there)
    read_s: float  # how long the read took (shown in the log, measured by the bench)

    def covers(self, start: float, end: float) -> bool:
        return self.start <= start and end <= self.end


def _utc(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


def load_snapshot(lookback: LookBack, marks: TimelineMarks | None,
                  labels: EntryLabeller | None, actor: Actor, cameras: Sequence[Camera],
                  start: float, end: float) -> TimelineSnapshot:
    """On the UI executor: every row of ``cameras`` over [start, end) (plus a margin)."""
    began = time.perf_counter()
    pad = (end - start) * MARGIN
    start, end = start - pad, end + pad
    rows = [_row(lookback, marks, labels, actor, camera, start, end)
            for camera in cameras if camera.id is not None]
    return TimelineSnapshot(start, end, tuple(rows), time.time(),
                            time.perf_counter() - began)


def _row(lookback: LookBack, marks: TimelineMarks | None, labels: EntryLabeller | None,
         actor: Actor, camera: Camera, start: float, end: float) -> TimelineRow:
    assert camera.id is not None
    timeline = lookback.timeline(actor, camera, _utc(start), _utc(end))
    spans = tuple(SpanBar(s.start.timestamp(), s.end.timestamp(), s.kind, s.reason, s.open)
                  for s in timeline.spans)
    locks = tuple(LockBar(lock.start_at.timestamp(), lock.end_at.timestamp(),
                          lock.kind.value, lock.ref, lock.created_by)
                  for lock in timeline.locks)
    allowed = marks is not None and actor.can(Permission.VIEW_WATCHLIST)
    dots: tuple[MarkDot, ...] = ()
    if allowed and marks is not None:
        found = marks.between(actor, camera.id, _utc(start), _utc(end), events=True)
        if labels is not None:
            labels.warm(m.entry_id for m in found)  # then label() answers from its cache
        dots = tuple(
            MarkDot(m.moment.timestamp(), m.kind, m.sighting_id,
                    labels.label(m.entry_id) if labels is not None else "",
                    m.operator, m.priority, m.category, m.event_type, m.plate)
            for m in found)
    return TimelineRow(camera.id, camera.name, spans, locks, dots, allowed)
