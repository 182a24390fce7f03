"""Dahua ``GET /cgi-bin/eventManager.cgi?action=attach&codes=[All]`` as an ``EventClient``.

The device answers ``multipart/x-mixed-replace; boundary=myboundary`` with a text part
per event (``Code=...;action=Start|Stop|Pulse;index=N[;data={json}]``) and, because we
ask for ``heartbeat=N``, a ``Heartbeat`` part every N seconds: that is what lets a read
timeout tell a silent camera from a dead connection. Dahua sends event pictures on
another interface (snapManager), so plate reads here carry the plate and no picture.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Unpack

from commandroom.camera_events.dahua_parse import BadEventText, DahuaEvent, is_heartbeat, parse_part
from commandroom.camera_events.http_event_stream import (
    MultipartEventClient,
    StreamOptions,
    report_problem,
)
from commandroom.camera_events.model import (
    CameraEvent,
    EventEndpoint,
    EventSink,
    EventSource,
    ProblemCode,
    ProblemSink,
)
from commandroom.camera_events.multipart_stream import OversizedPart, Part

DEFAULT_HEARTBEAT_S = 10  # Dahua accepts 1..60


def attach_path(heartbeat_s: int) -> str:
    # Brackets as Dahua documents them; httpx percent-encodes them, which devices accept.
    return f"/cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat={heartbeat_s}"


class DahuaEventManagerClient(MultipartEventClient):
    def __init__(self, endpoint: EventEndpoint, *, heartbeat_s: int = DEFAULT_HEARTBEAT_S,
                 **options: Unpack[StreamOptions]) -> None:
        if not 1 <= heartbeat_s <= 60:
            raise ValueError("Dahua heartbeat must be 1..60 s")
        super().__init__(endpoint, attach_path(heartbeat_s), **options)

    def run_once(self, sink: EventSink, problems: ProblemSink, stop: threading.Event) -> None:
        def on_part(part: Part | OversizedPart) -> None:
            self._on_part(part, sink, problems)

        self._stream.run(on_part, stop)

    def _on_part(self, part: Part | OversizedPart, sink: EventSink,
                 problems: ProblemSink) -> None:
        if isinstance(part, OversizedPart):
            self._problem(problems, ProblemCode.OVERSIZED,
                          f"{part.headers.get('content-type', '?')[:40]} part of {part.size} bytes")
            return
        if is_heartbeat(part.body):
            return  # liveness: it already reset the read timeout by arriving
        if part.content_type.startswith("image/"):
            return  # a snapshot some models interleave; the events carry no reference to it
        try:
            events = parse_part(part.body)
        except BadEventText as exc:
            # BAD_XML is the contract's code for "a message that does not parse".
            self._problem(problems, ProblemCode.BAD_XML, str(exc))
            return
        received_at = self._clock()
        for event in events:
            if event.index is not None and event.index != self._endpoint.channel - 1:
                continue  # an NVR reports every channel; this client is one camera's
            sink(self._camera_event(event, received_at))

    def _camera_event(self, event: DahuaEvent, received_at: datetime) -> CameraEvent:
        details = dict(event.details)
        if event.index is not None:
            details["channel"] = str(event.index + 1)
        return CameraEvent(
            camera_id=self._endpoint.camera_id,
            source=EventSource.DAHUA,
            type=event.kind,
            state=event.state,
            device_time=event.device_time,
            received_at=received_at,
            topic=event.code[:60],
            plate=event.plate,
            plate_colour=event.plate_colour,
            details=details,
        )

    def _problem(self, problems: ProblemSink, code: ProblemCode, detail: str) -> None:
        report_problem(problems, self._endpoint, self._stream.where, code, detail)
