"""Sightings, alerts and camera events of one camera in a time window: the timeline's marks.

Qt-free. The timeline asks for a window (one minute to seven days) each time the officer
zooms or scrolls; both queries use the sighting's (camera, frame time) indexes, and the
number of marks is capped so a week of a busy camera stays a quick read (the widget
draws marks closer than a pixel as one anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.models import AlertRow
from commandroom.auth.guard import requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.camera_events.records import CameraEventRow
from commandroom.sightings.models import SightingRow

MAX_MARKS = 2000  # per kind and window


class MarkKind(StrEnum):
    SIGHTING = "sighting"
    ALERT = "alert"
    EVENT = "event"  # a camera event (motion, line crossing, plate read...) began


# An event mark is where something began or happened: a STOP closes what its START marked.
_EVENT_STATES = ("start", "pulse")


@dataclass(frozen=True)
class TimelineMark:
    kind: MarkKind
    moment: datetime  # the frame's time (UTC)
    sighting_id: int
    entry_id: int | None  # who the sighting is of (the UI shows the entry's label)
    operator: str  # who tagged it / who sent the alert
    alert_id: int | None = None
    priority: str = ""  # alerts: "high" | "normal"
    category: str = ""  # alerts: the watch-list category alerted on
    # Camera events (sighting_id is 0, entry_id None): the stored event, its
    # camera_events.model.EventType value and the plate read, if any.
    event_id: int | None = None
    event_type: str = ""
    plate: str = ""


class TimelineMarks:
    """Read side for the timeline: sightings are watch-list data (VIEW_WATCHLIST)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @requires(Permission.VIEW_WATCHLIST)
    def between(self, actor: Actor, camera_id: int, start: datetime, end: datetime,
                limit: int = MAX_MARKS, *, events: bool = False) -> list[TimelineMark]:
        """Sightings and alerts of ``camera_id`` with a frame time in [start, end), by time;
        with ``events``, the camera's events received in the window too."""
        in_window = (SightingRow.camera_id == camera_id, SightingRow.frame_time >= start,
                     SightingRow.frame_time < end)
        with self._sessions() as session:
            sightings = session.execute(
                select(SightingRow.id, SightingRow.frame_time, SightingRow.watch_entry_id,
                       SightingRow.operator)
                .where(*in_window).order_by(SightingRow.frame_time).limit(limit))
            marks = [TimelineMark(MarkKind.SIGHTING, at, sid, entry, operator)
                     for sid, at, entry, operator in sightings]
            alerts = session.execute(
                select(AlertRow.id, AlertRow.frame_time, AlertRow.sighting_id,
                       SightingRow.watch_entry_id, AlertRow.created_by, AlertRow.priority,
                       AlertRow.category)
                .join(SightingRow, SightingRow.id == AlertRow.sighting_id)
                .where(*in_window).order_by(SightingRow.frame_time).limit(limit))
            marks += [TimelineMark(MarkKind.ALERT, at, sid, entry, by, aid, priority, category)
                      for aid, at, sid, entry, by, priority, category in alerts]
            if events:
                marks += _event_marks(session, camera_id, start, end, limit)
        marks.sort(key=lambda m: (m.moment, m.kind != MarkKind.SIGHTING))
        return marks


def _event_marks(session: Session, camera_id: int, start: datetime, end: datetime,
                 limit: int) -> list[TimelineMark]:
    """The window is on the receive time (indexed); the mark sits at the camera's own
    time when it gave one (a few seconds apart at most on a camera with a sane clock)."""
    found = session.execute(
        select(CameraEventRow.id, CameraEventRow.device_time, CameraEventRow.received_at,
               CameraEventRow.type, CameraEventRow.plate)
        .where(CameraEventRow.camera_id == camera_id, CameraEventRow.received_at >= start,
               CameraEventRow.received_at < end, CameraEventRow.state.in_(_EVENT_STATES))
        .order_by(CameraEventRow.received_at).limit(limit))
    return [TimelineMark(MarkKind.EVENT, device_time or received, 0, None, "",
                         event_id=event_id, event_type=kind, plate=plate)
            for event_id, device_time, received, kind, plate in found]
