"""The shapes shared by the event clients, the intake, the suggestions and the UI.

A protocol client turns what a camera sends into ``CameraEvent`` values and hands them to
an ``EventSink``; what it cannot read it reports to a ``ProblemSink`` with a code (the UI
words it) and goes on. The intake (one thread per camera) runs a client's ``run_once``
again after a failure, with backoff, so a client only knows how to connect and read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class EventSource(StrEnum):
    """Where a camera's events come from (the camera's ``event_source`` setting)."""

    NONE = ""
    ONVIF = "onvif"  # PullPoint subscription on the camera's ONVIF events service
    ISAPI = "isapi"  # Hikvision /ISAPI/Event/notification/alertStream
    DAHUA = "dahua"  # Dahua /cgi-bin/eventManager.cgi?action=attach
    LOCAL_MOTION = "local_motion"  # our own detection on the sub stream


class EventType(StrEnum):
    MOTION = "motion"
    LINE_CROSSING = "line_crossing"
    INTRUSION = "intrusion"  # a field/region entered, objects inside
    TAMPER = "tamper"  # scene change, covered or moved lens
    PLATE = "plate"  # a plate read (ANPR, checkpoint camera)
    VIDEO_LOSS = "video_loss"
    OTHER = "other"


class EventState(StrEnum):
    START = "start"  # became active
    STOP = "stop"  # became inactive
    PULSE = "pulse"  # an instant (a plate read, a crossing)


@dataclass(frozen=True)
class EventPicture:
    """A picture the camera sent with the event (plate close-up or scene), as sent."""

    data: bytes
    content_type: str = "image/jpeg"


@dataclass(frozen=True)
class CameraEvent:
    """One event as a client read it, before it is stored."""

    camera_id: int
    source: EventSource
    type: EventType
    state: EventState
    # The time the camera stated (aware, UTC), None when it stated none or an unreadable one.
    device_time: datetime | None
    received_at: datetime  # our clock (aware, UTC) when the event was read
    topic: str  # the vendor's own name: ONVIF topic, ISAPI eventType, Dahua code
    plate: str = ""  # the plate as read, not normalised; "" when none
    plate_colour: str = ""  # as the camera names it (blue, yellow, green...)
    picture: EventPicture | None = None
    # Vendor details worth keeping (rule or region name, channel, direction), short strings.
    details: Mapping[str, str] = field(default_factory=dict)


class ProblemCode(StrEnum):
    """What went wrong while reading a camera's events; the UI words each one."""

    UNREACHABLE = "unreachable"  # connection refused, timed out, DNS
    AUTH_FAILED = "auth_failed"  # 401 after digest, a SOAP NotAuthorized
    BAD_RESPONSE = "bad_response"  # an HTTP status or SOAP fault that is not an answer
    BAD_XML = "bad_xml"  # a message that does not parse (skipped, the stream goes on)
    OVERSIZED = "oversized"  # a part larger than the limit (skipped)
    UNSUPPORTED = "unsupported"  # the device has no events service of that kind
    DISCONNECTED = "disconnected"  # the stream or subscription ended; reconnecting
    EXPIRED = "expired"  # the subscription expired on the device; subscribing again


@dataclass(frozen=True)
class EventProblem:
    camera_id: int
    code: ProblemCode
    detail: str = ""  # technical detail for the log, never a password or a full URL


EventSink = Callable[[CameraEvent], None]
ProblemSink = Callable[[EventProblem], None]


@dataclass(frozen=True)
class EventEndpoint:
    """How to reach one camera's events. ``base_url`` is scheme://host[:port] (for ONVIF
    the device service URL); credentials come from the secret store, never logged."""

    camera_id: int
    source: EventSource
    base_url: str
    username: str = ""
    password: str = field(default="", repr=False)
    channel: int = 1  # NVR/encoder channel the camera is on (ISAPI, Dahua), 1-based


class EventClient(Protocol):
    """One camera's event connection, run by the intake on that camera's own thread."""

    def run_once(self, sink: EventSink, problems: ProblemSink, stop: threading.Event) -> None:
        """Connect, subscribe and hand over events until ``stop`` is set (then unsubscribe
        where the protocol has it, and return) or the connection fails (then raise
        ``EventClientError``; the intake reconnects with backoff). A message that cannot be
        read is reported to ``problems`` and skipped: it never ends the connection."""
        ...

    def abort(self) -> None:
        """Unblock a ``run_once`` waiting on the network (called from another thread on
        stop); ``run_once`` then returns or raises promptly."""
        ...


class EventClientError(Exception):
    """The connection failed; ``code`` says how (the intake reports it and reconnects)."""

    def __init__(self, code: ProblemCode, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else str(code))
        self.code = code
        self.detail = detail
