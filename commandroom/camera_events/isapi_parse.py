"""Hikvision ISAPI ``EventNotificationAlert`` XML, as sent on ``alertStream``.

Elements are matched by local name: firmwares use ``http://www.hikvision.com/ver20/XMLSchema``
or ``http://www.isapi.org/ver20/XMLSchema`` (and older ones ver10), with or without a
prefix. The parser never resolves entities nor fetches anything, and does not ``recover``:
a part that is not well-formed is reported (BAD_XML) rather than half-read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree
from lxml.etree import _Element as Element

from commandroom.camera_events.model import EventState, EventType

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_comments=True)

# ISAPI eventType (lower-cased) -> our type. Line crossings and plate reads are instants.
_TYPES: dict[str, EventType] = {
    "vmd": EventType.MOTION,
    "motiondetection": EventType.MOTION,
    "linedetection": EventType.LINE_CROSSING,
    "fielddetection": EventType.INTRUSION,
    "regionentrance": EventType.INTRUSION,
    "tamperdetection": EventType.TAMPER,
    "shelteralarm": EventType.TAMPER,
    "anpr": EventType.PLATE,
    "videoloss": EventType.VIDEO_LOSS,
}
PULSE_TYPES = frozenset({EventType.LINE_CROSSING, EventType.PLATE})
# What checkpoint cameras write when they saw a vehicle but read no plate.
NO_PLATE = frozenset({"", "unknown", "无车牌", "车牌", "none"})


class BadEventXml(ValueError):
    """Not a readable EventNotificationAlert; the message says why (no payload text)."""


@dataclass(frozen=True)
class IsapiAlert:
    event_type: str  # as sent ("VMD", "linedetection", "ANPR"...)
    active: bool  # eventState active (inactive otherwise)
    device_time: datetime | None  # aware UTC; None when absent, unreadable or without zone
    channel: int | None
    plate: str = ""
    plate_colour: str = ""
    pictures_expected: int = 0  # pictures the alert announces (ANPR pictureInfoList)
    details: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> EventType:
        return _TYPES.get(self.event_type.lower(), EventType.OTHER)

    @property
    def state(self) -> EventState:
        if self.kind in PULSE_TYPES:
            return EventState.PULSE
        return EventState.START if self.active else EventState.STOP


def parse_alert(data: bytes) -> IsapiAlert:
    """One alertStream XML part; raises ``BadEventXml``."""
    try:
        root = etree.fromstring(data.strip(), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise BadEventXml(f"not well-formed XML: {exc.msg}") from None
    if _local(root) != "EventNotificationAlert":
        raise BadEventXml(f"root element is {_local(root)!r}, not EventNotificationAlert")
    event_type = _text(root, "eventType")
    if not event_type:
        raise BadEventXml("EventNotificationAlert without eventType")
    raw_time = _text(root, "dateTime")
    details = {"channel_name": _text(root, "channelName"),
               "description": _text(root, "eventDescription")}
    device_time = parse_device_time(raw_time)
    if raw_time and device_time is None:
        details["device_time_raw"] = raw_time[:40]  # kept for the log, not trusted
    region = _first(root, "regionID")
    if region is not None and (region.text or "").strip():
        details["region"] = (region.text or "").strip()
    plate = colour = ""
    pictures = 0
    anpr = _first(root, "ANPR")
    if anpr is not None:
        plate = _text(anpr, "licensePlate")
        if plate.lower() in NO_PLATE:
            plate = ""
        colour = _text(anpr, "plateColor")
        details["direction"] = _text(anpr, "direction")
        details["vehicle_type"] = _text(anpr, "vehicleType")
        pictures = len(_all(anpr, "pictureInfo"))
    channel_text = _text(root, "channelID") or _text(root, "dynChannelID")
    return IsapiAlert(
        event_type=event_type,
        active=_text(root, "eventState").lower() != "inactive",
        device_time=device_time,
        channel=int(channel_text) if channel_text.isdigit() else None,
        plate=plate,
        plate_colour=colour,
        pictures_expected=pictures,
        details={k: v[:120] for k, v in details.items() if v},
    )


def parse_device_time(text: str) -> datetime | None:
    """ISO 8601 with an offset (``2024-05-03T17:30:08+08:00``, ``...Z``) to aware UTC.
    A time without a zone says nothing certain (the camera's zone is not ours): None."""
    if not text:
        return None
    try:
        stated = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if stated.tzinfo is None:
        return None
    return stated.astimezone(UTC)


def _local(element: Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _all(parent: Element, name: str) -> list[Element]:
    return [e for e in parent.iter() if _local(e) == name]


def _first(parent: Element, name: str) -> Element | None:
    return next((e for e in parent.iter() if _local(e) == name), None)


def _text(parent: Element, name: str) -> str:
    """The first descendant's text (direct children first: the top-level ``dateTime``,
    not one nested in a block)."""
    for child in parent:
        if _local(child) == name:
            return (child.text or "").strip()
    element = _first(parent, name)
    return (element.text or "").strip() if element is not None else ""
