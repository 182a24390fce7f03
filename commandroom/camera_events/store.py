"""The event log: every camera event stored with its picture, read back by the console.

``store`` is called by the intake's one writer thread (the database sees one writer of
events however many cameras talk at once); it writes the picture first (atomic, 0600,
SHA-256, ``data_dir/events/YYYY/MM/DD/``), then the row, and publishes
``CameraEventStored`` after the commit. A picture the log will not keep (larger than
``max_picture_bytes``, or bytes that are no image we know) is left out and the event is
stored all the same, saying why in its details: the event is what happened; a device
that sends a broken or giant blob must not fill the disk nor cost us the event.

Retention (``sweep``): events older than ``retention_days`` go with their pictures,
except those a pending or confirmed suggestion refers to (the officer has yet to decide,
or decided it is evidence).
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import cv2
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import open_access, requires
from commandroom.auth.permissions import SYSTEM, Actor, Permission
from commandroom.camera_events.evidence import LiveLookup
from commandroom.camera_events.model import (
    CameraEvent,
    EventPicture,
    EventSource,
    EventState,
    EventType,
)
from commandroom.camera_events.records import (
    PLATE_LIMIT,
    TOPIC_LIMIT,
    CameraEventRow,
    PlateSuggestionRow,
)
from commandroom.camera_events.views import CameraEventStored, CameraEventView, SuggestionStatus
from commandroom.cameras.directory import CameraDirectory
from commandroom.config import EventSettings
from commandroom.db.base import utcnow
from commandroom.events import EventBus
from commandroom.files import absolute, dated_path, relative_to, remove_quietly, write_private
from commandroom.watchlist.plate_match import normalise_read

log = logging.getLogger(__name__)
# The newest frame of a stream being read is this close to a plate read it stands for
# (the decoded ring holds a fraction of a second; the read reaches us within it).
CONSOLE_FRAME_TOLERANCE_S = 2.0

SWEEP_BATCH = 1000  # rows per transaction: a long sweep never holds the database for long
# What a picture starts with -> the file's suffix (JPEG is what cameras send).
_MAGIC = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG\r\n\x1a\n", ".png"), (b"BM", ".bmp"))


class PictureRefused:
    """Why a picture was left out (the value kept in the event's details)."""

    OVERSIZED = "oversized"
    NOT_AN_IMAGE = "not_an_image"


class EventCounters:
    """Counts since start, shared by the intake (received, dropped, problems) and the log
    (stored): count in = stored + dropped."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, key: str, amount: int = 1) -> None:
        with self._lock:
            self._counts[key] += amount

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            base = {"received": 0, "stored": 0, "dropped": 0, "problems": 0}
            return base | dict(self._counts)


def event_view(row: CameraEventRow) -> CameraEventView:
    return CameraEventView(
        id=row.id, camera_id=row.camera_id or 0, camera_name=row.camera_name,
        junction=row.junction, source=EventSource(row.source), type=EventType(row.type),
        state=EventState(row.state), device_time=row.device_time,
        received_at=row.received_at, topic=row.topic, plate=row.plate,
        plate_colour=row.plate_colour, picture_path=row.picture_path,
        picture_sha256=row.picture_sha256)


def picture_suffix(data: bytes) -> str | None:
    for magic, suffix in _MAGIC:
        if data.startswith(magic):
            return suffix
    return None


class CameraEventLog:
    """Implements ``api.EventLogApi`` (reading needs VIEW_VIDEO) and the writer's side."""

    def __init__(self, sessions: sessionmaker[Session], events: EventBus,
                 cameras: CameraDirectory, audit: AuditSink, *, data_dir: Path,
                 settings: EventSettings | None = None,
                 clock: Callable[[], datetime] = utcnow,
                 live: LiveLookup | None = None) -> None:
        """``live``: the camera's stream when the console reads it now; a plate read that
        came without a picture (Dahua, ONVIF) then keeps our frame of that moment."""
        self._sessions = sessions
        self._live = live
        self._events = events
        self._cameras = cameras
        self._audit = audit
        self.data_dir = data_dir
        self.pictures_dir = data_dir / "events"
        self.settings = settings or EventSettings()
        self._clock = clock
        self.counters = EventCounters()

    # -- the writer's side (the intake's writer thread) ---------------------------------
    @open_access("the intake's writer: what a camera reported, no one's request")
    def store(self, event: CameraEvent) -> CameraEventView:
        """Write the picture and the row; publish ``CameraEventStored`` after the commit."""
        details = {str(k)[:64]: str(v)[:200] for k, v in event.details.items()}
        picture_path, picture_sha = "", ""
        if event.picture is None and event.type is EventType.PLATE:
            frame = self._console_frame(event)
            if frame is not None:
                event = replace(event, picture=frame)
                details["picture_origin"] = "console_frame"
        if event.picture is not None:
            refused = self._refused(event.picture)
            if refused:
                details["picture_refused"] = refused
                self.counters.add(f"picture_{refused}")
                log.warning("camera %d: event picture left out (%s, %d bytes)",
                            event.camera_id, refused, len(event.picture.data))
            else:
                suffix = picture_suffix(event.picture.data) or ".jpg"
                path = dated_path(self.pictures_dir, event.received_at, suffix)
                picture_sha = write_private(path, event.picture.data)
                picture_path = relative_to(self.data_dir, path)
        try:
            view = self._insert(event, details, picture_path, picture_sha)
        except BaseException:
            if picture_path:  # no row names it: it must not stay behind
                remove_quietly(absolute(self.data_dir, picture_path))
            raise
        self.counters.add("stored")
        self._events.publish(CameraEventStored(view))
        return view

    def _console_frame(self, event: CameraEvent) -> EventPicture | None:
        """Our frame of the read's moment, when the camera's stream is being read now and
        its newest frame is of that moment (the card and the events list then show the
        vehicle, not "no picture"). Only for plate reads: the officer decides on those."""
        handle = self._live(event.camera_id) if self._live is not None else None
        got = handle.full_resolution(None) if handle is not None else None
        if got is None:
            return None
        image, frame = got
        if abs(frame.capture_time - event.received_at.timestamp()) > CONSOLE_FRAME_TOLERANCE_S:
            return None
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
        return EventPicture(bytes(data.tobytes())) if ok else None

    def _refused(self, picture: EventPicture) -> str:
        if len(picture.data) > self.settings.max_picture_bytes:
            return PictureRefused.OVERSIZED
        if picture_suffix(picture.data) is None:
            return PictureRefused.NOT_AN_IMAGE
        return ""

    def _insert(self, event: CameraEvent, details: dict[str, str], picture_path: str,
                picture_sha: str) -> CameraEventView:
        camera = self._cameras.snapshot.by_id.get(event.camera_id)
        plate = event.plate.strip()[:PLATE_LIMIT]
        with self._sessions.begin() as session:
            row = CameraEventRow(
                camera_id=event.camera_id if camera is not None else None,
                camera_name=camera.name if camera else f"#{event.camera_id}",
                junction=camera.junction if camera else "",
                source=event.source.value, type=event.type.value, state=event.state.value,
                device_time=event.device_time, received_at=event.received_at,
                topic=event.topic[:TOPIC_LIMIT], plate=plate,
                plate_normalised=normalise_read(plate)[:PLATE_LIMIT] if plate else "",
                plate_colour=event.plate_colour[:16], picture_path=picture_path,
                picture_sha256=picture_sha, details=json.dumps(details, ensure_ascii=False))
            session.add(row)
            session.flush()
            view = event_view(row)
        return view

    # -- reading (the console, on its background executor) ------------------------------
    @requires(Permission.VIEW_VIDEO)
    def recent(self, actor: Actor, *, camera_id: int | None = None,
               types: Collection[EventType] | None = None, since: datetime | None = None,
               limit: int = 500) -> list[CameraEventView]:
        query = select(CameraEventRow)
        if camera_id is not None:
            query = query.where(CameraEventRow.camera_id == camera_id)
        if types is not None:
            query = query.where(CameraEventRow.type.in_([t.value for t in types]))
        if since is not None:
            query = query.where(CameraEventRow.received_at >= since)
        query = query.order_by(CameraEventRow.received_at.desc(), CameraEventRow.id.desc())
        with self._sessions() as session:
            return [event_view(row) for row in session.scalars(query.limit(max(0, limit)))]

    @requires(Permission.VIEW_VIDEO)
    def picture(self, actor: Actor, event_id: int) -> Path | None:
        with self._sessions() as session:
            stored = session.scalar(
                select(CameraEventRow.picture_path).where(CameraEventRow.id == event_id))
        return absolute(self.data_dir, stored) if stored else None

    @requires(Permission.VIEW_VIDEO)
    def counts(self, actor: Actor) -> dict[str, int]:
        return self.counters.snapshot()

    @requires(Permission.VIEW_VIDEO)
    def details(self, actor: Actor, event_id: int) -> dict[str, str]:
        """The vendor details kept with an event (for the events window's detail pane)."""
        with self._sessions() as session:
            raw = session.scalar(
                select(CameraEventRow.details).where(CameraEventRow.id == event_id))
        try:
            loaded = json.loads(raw or "{}")
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}

    # -- retention -----------------------------------------------------------------------
    @open_access("retention on the intake's writer, audited as the system")
    def sweep(self, now: datetime | None = None) -> int:
        """Delete events older than ``retention_days`` and their pictures (not those a
        pending or confirmed suggestion refers to). Returns how many went."""
        cutoff = (now or self._clock()) - timedelta(days=self.settings.retention_days)
        kept = select(PlateSuggestionRow.event_id).where(PlateSuggestionRow.status.in_(
            (SuggestionStatus.PENDING.value, SuggestionStatus.CONFIRMED.value)))
        removed = 0
        while True:
            with self._sessions.begin() as session:
                rows = session.execute(
                    select(CameraEventRow.id, CameraEventRow.picture_path)
                    .where(CameraEventRow.received_at < cutoff, CameraEventRow.id.not_in(kept))
                    .order_by(CameraEventRow.id).limit(SWEEP_BATCH)).all()
                if not rows:
                    break
                ids = [event_id for event_id, _ in rows]
                # Dismissed suggestions of these events go with them (explicitly: a
                # database without ON DELETE CASCADE must not refuse the sweep).
                session.execute(delete(PlateSuggestionRow)
                                .where(PlateSuggestionRow.event_id.in_(ids)))
                session.execute(delete(CameraEventRow).where(CameraEventRow.id.in_(ids)))
            for _, picture in rows:  # after the commit: a row never names a missing file
                if picture:
                    remove_quietly(absolute(self.data_dir, picture))
            removed += len(rows)
        if removed:
            with self._sessions.begin() as session:
                self._audit.append(session, SYSTEM, "camera_events.sweep", f"{removed} events",
                                   {"before": cutoff.isoformat(),
                                    "retention_days": self.settings.retention_days})
            log.info("camera events: %d older than %s deleted", removed, cutoff.isoformat())
        return removed
