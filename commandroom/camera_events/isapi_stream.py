"""Hikvision ``GET /ISAPI/Event/notification/alertStream`` as an ``EventClient``.

The camera answers with a multipart/mixed body that never ends: one
``EventNotificationAlert`` XML part per event, an ANPR alert followed by its JPEG
part(s), and a ``videoloss``/``inactive`` alert every few seconds as a heartbeat.

Two things real cameras do that the client evens out:
- a detection that lasts is re-sent as ``active`` about once a second (activePostCount
  rising), with no ``inactive`` on many firmwares: we give one START per detection and
  another only after ``repeat_window_s`` without a repeat;
- an ``inactive`` alert for something that was not active is the heartbeat (or the end
  of a detection we already timed out): liveness, not an event.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Unpack

from commandroom.camera_events.http_event_stream import (
    MultipartEventClient,
    StreamOptions,
    report_problem,
)
from commandroom.camera_events.isapi_parse import PULSE_TYPES, BadEventXml, IsapiAlert, parse_alert
from commandroom.camera_events.model import (
    CameraEvent,
    EventEndpoint,
    EventPicture,
    EventSink,
    EventSource,
    ProblemCode,
    ProblemSink,
)
from commandroom.camera_events.multipart_stream import OversizedPart, Part

log = logging.getLogger(__name__)

ALERT_STREAM_PATH = "/ISAPI/Event/notification/alertStream"
DEFAULT_REPEAT_WINDOW_S = 10.0


class IsapiAlertStreamClient(MultipartEventClient):
    def __init__(self, endpoint: EventEndpoint, *,
                 repeat_window_s: float = DEFAULT_REPEAT_WINDOW_S,
                 **options: Unpack[StreamOptions]) -> None:
        super().__init__(endpoint, ALERT_STREAM_PATH, **options)
        self._repeat_window_s = repeat_window_s

    def run_once(self, sink: EventSink, problems: ProblemSink, stop: threading.Event) -> None:
        session = _AlertSession(self._endpoint, sink, problems, self._repeat_window_s,
                                self._clock, self._stream.where)
        try:
            self._stream.run(session.on_part, stop)
        finally:
            # An ANPR alert whose pictures did not come (yet) is still a plate read.
            session.flush()


@dataclass
class _PendingPlate:
    alert: IsapiAlert
    received_at: datetime
    pictures: list[EventPicture] = field(default_factory=list)
    parts_seen: int = 0  # picture parts read, kept or oversized


class _AlertSession:
    """What one connection has seen: the START states and an ANPR awaiting pictures."""

    def __init__(self, endpoint: EventEndpoint, sink: EventSink, problems: ProblemSink,
                 repeat_window_s: float, clock: Callable[[], datetime], where: str) -> None:
        self._endpoint = endpoint
        self._sink = sink
        self._problems = problems
        self._repeat_window_s = repeat_window_s
        self._clock = clock
        self._where = where
        self._active_since: dict[tuple[str, int | None], float] = {}  # key -> last repeat
        self._pending: _PendingPlate | None = None

    def on_part(self, part: Part | OversizedPart) -> None:
        if isinstance(part, OversizedPart):
            self._problem(ProblemCode.OVERSIZED,
                          f"{part.headers.get('content-type', '?')[:40]} part of {part.size} bytes")
            if self._pending is not None and _is_image(part.headers.get("content-type", "")):
                self._pending.parts_seen += 1  # the picture that was too big: not awaited
                self._emit_pending_if_complete()
            return
        if part.content_type.startswith("image/"):
            self._on_picture(part)
            return
        self.flush()  # a new alert: the previous one's pictures are all in
        if "xml" not in part.content_type and not part.body.lstrip().startswith(b"<"):
            self._problem(ProblemCode.BAD_XML, f"unexpected {part.content_type or 'untyped'} part")
            return
        try:
            alert = parse_alert(part.body)
        except BadEventXml as exc:
            self._problem(ProblemCode.BAD_XML, str(exc))
            return
        self._on_alert(alert)

    def flush(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self._emit(pending.alert, pending.received_at, _best(pending.pictures))

    def _on_alert(self, alert: IsapiAlert) -> None:
        if alert.channel is not None and alert.channel != self._endpoint.channel:
            return  # an NVR streams every channel's alerts; this client is one camera's
        received_at = self._clock()
        if alert.kind in PULSE_TYPES:
            if not alert.active:
                return
            if alert.pictures_expected:
                self._pending = _PendingPlate(alert, received_at)
                return
            self._emit(alert, received_at, None)
            return
        key = (alert.event_type.lower(), alert.channel)
        now = time.monotonic()
        if alert.active:
            last = self._active_since.get(key)
            self._active_since[key] = now
            if last is None or now - last > self._repeat_window_s:
                self._emit(alert, received_at, None)
        elif self._active_since.pop(key, None) is not None:
            self._emit(alert, received_at, None)
        # else: inactive without active before it, the heartbeat: liveness only.

    def _on_picture(self, part: Part) -> None:
        pending = self._pending
        if pending is None:
            log.debug("events: %s sent a picture with no alert before it", self._where)
            return
        pending.parts_seen += 1
        pending.pictures.append(EventPicture(part.body, part.content_type))
        self._emit_pending_if_complete()

    def _emit_pending_if_complete(self) -> None:
        pending = self._pending
        if pending is not None and pending.parts_seen >= pending.alert.pictures_expected:
            self.flush()

    def _emit(self, alert: IsapiAlert, received_at: datetime,
              picture: EventPicture | None) -> None:
        details = dict(alert.details)
        if alert.channel is not None:
            details["channel"] = str(alert.channel)
        self._sink(CameraEvent(
            camera_id=self._endpoint.camera_id,
            source=EventSource.ISAPI,
            type=alert.kind,
            state=alert.state,
            device_time=alert.device_time,
            received_at=received_at,
            topic=alert.event_type[:60],
            plate=alert.plate,
            plate_colour=alert.plate_colour,
            picture=picture,
            details=details,
        ))

    def _problem(self, code: ProblemCode, detail: str) -> None:
        report_problem(self._problems, self._endpoint, self._where, code, detail)


def _is_image(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower().startswith("image/")


def _best(pictures: list[EventPicture]) -> EventPicture | None:
    """The scene rather than the plate close-up: the officer needs the vehicle, and the
    scene picture is the larger one (the close-up is a strip of a few KB)."""
    return max(pictures, key=lambda p: len(p.data), default=None)
