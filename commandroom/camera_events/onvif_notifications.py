"""ONVIF event replies → ``CameraEvent`` values (pure: no network, no clock of its own).

Read by local name like every ONVIF reply here (see ``commandroom.onvif.xmlparse``):
vendors bind the topic and schema namespaces to any prefix, or none. One message that
cannot be read becomes a ``BadMessage`` and the others in the same reply still count.

Topics are matched on their words, not their exact spelling: cameras send the standard
``tns1:`` topics with odd endings (Hikvision appends ``//.``), with line breaks around
them, or under vendor prefixes (``tnshik:``, ``tnsaxis:``), and plate reads only ever on
vendor topics, with the plate in a Data, Key or Source item or inside an ElementItem.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass

from lxml import etree

from commandroom.camera_events.model import (
    CameraEvent,
    EventSource,
    EventState,
    EventType,
)
from commandroom.onvif.xmlparse import Element, kid, kids, local, text

WSA = "http://www.w3.org/2005/08/addressing"
# Item names a plate or its colour goes by (compared lower case, without _ - or spaces).
PLATE_NAMES = frozenset({"platenumber", "licenseplate", "licenceplate", "plate", "plateno",
                         "platetext", "licenseplatenumber", "platestring", "vehicleplate",
                         "plateresult"})
COLOUR_NAMES = frozenset({"platecolor", "platecolour", "licenseplatecolor",
                          "licenseplatecolour", "platebackgroundcolor"})
# What a camera writes when it saw a vehicle but read no plate.
NO_PLATE = frozenset({"", "unknown", "none", "null", "-", "无车牌", "无牌", "未识别", "车牌"})
# The data item that carries a property's state, in the order they are looked for.
STATE_NAMES = ("ismotion", "state", "isinside", "istamper", "logicalstate", "isactive",
               "active", "alarm", "value")
_TRUE = frozenset({"true", "1", "active", "on", "yes"})
_FALSE = frozenset({"false", "0", "inactive", "off", "no"})
# Topic words → event type, first match wins: a plate read may sit under a "motion"
# or "vehicle" branch, a crossing under "RuleEngine/...Motion...", so the rarer go first.
_TOPIC_WORDS: tuple[tuple[EventType, tuple[str, ...]], ...] = (
    (EventType.PLATE, ("plate", "anpr", "lpr", "trafficjunction")),
    (EventType.LINE_CROSSING, ("linedetector", "linecrossing", "crossed", "tripwire",
                               "linedetection")),
    (EventType.INTRUSION, ("fielddetector", "objectsinside", "intrusion", "fielddetection",
                           "regionentrance")),
    (EventType.TAMPER, ("globalscenechange", "tamper", "scenechange", "videoblind")),
    (EventType.VIDEO_LOSS, ("videoloss", "signalloss")),
    (EventType.MOTION, ("motion",)),
)
MAX_DETAIL = 120  # characters of one detail value kept
MAX_DETAILS = 16


class NotificationError(ValueError):
    """One message that cannot be read (the reply's other messages still count)."""


@dataclass(frozen=True)
class BadMessage:
    reason: str  # technical, for the log: never camera credentials (none are in events)


@dataclass(frozen=True)
class PullBatch:
    """A PullMessagesResponse: the events read, the messages that could not be read."""

    events: tuple[CameraEvent, ...]
    bad: tuple[BadMessage, ...]
    current_time: dt.datetime | None
    termination_time: dt.datetime | None


@dataclass(frozen=True)
class SubscriptionReply:
    """A CreatePullPointSubscriptionResponse or RenewResponse (times in the camera's clock)."""

    address: str  # "" when the camera gave none (then pull at the events XAddr)
    current_time: dt.datetime | None
    termination_time: dt.datetime | None
    # The SubscriptionReference's ReferenceParameters, each serialised as a SOAP header
    # (marked wsa:IsReferenceParameter) to send back with every request on it.
    reference_parameters: tuple[str, ...] = ()

    def term_s(self, fallback: float) -> float:
        """How long the camera granted, by its own clock; ``fallback`` when it did not say."""
        if self.current_time is None or self.termination_time is None:
            return fallback
        granted = (self.termination_time - self.current_time).total_seconds()
        return granted if granted > 0 else fallback


def parse_time(value: str | None) -> dt.datetime | None:
    """An xs:dateTime as cameras write it (``Z``, offsets, fractions, or no zone = UTC)."""
    if not value or not value.strip():
        return None
    raw = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def duration(seconds: float) -> str:
    """An xs:duration for a Timeout or a termination time (``PT5S``, ``PT1.5S``)."""
    return f"PT{max(seconds, 0.0):.1f}S".replace(".0S", "S")


def subscription_reply(payload: Element) -> SubscriptionReply:
    return SubscriptionReply(
        address=text(payload, "SubscriptionReference", "Address") or "",
        current_time=parse_time(text(payload, "CurrentTime")),
        termination_time=parse_time(text(payload, "TerminationTime")),
        reference_parameters=_reference_parameters(
            kid(payload, "SubscriptionReference", "ReferenceParameters")))


def _reference_parameters(parameters: Element | None) -> tuple[str, ...]:
    if parameters is None:
        return ()
    found = []
    for child in parameters:
        if not isinstance(child.tag, str):
            continue
        header = copy.deepcopy(child)
        header.set(f"{{{WSA}}}IsReferenceParameter", "true")
        found.append(etree.tostring(header, encoding="unicode", with_tail=False))
    return tuple(found)


def event_topics(payload: Element) -> tuple[str, ...]:
    """GetEventPropertiesResponse → every topic the device offers (``tns1:A/B/C``).

    A topic is a leaf of the TopicSet tree or a node marked ``wstop:topic="true"``; each
    level keeps the prefix the device wrote (``tns1:``, ``tnshik:``), as its messages do."""
    topic_set = kid(payload, "TopicSet")
    found: list[str] = []
    if topic_set is None:
        return ()

    def walk(node: Element, path: list[str]) -> None:
        names = [c for c in node if isinstance(c.tag, str) and local(c) != "MessageDescription"]
        marked = any(str(k).rpartition("}")[2] == "topic" and v == "true"
                     for k, v in node.attrib.items())
        if path and (marked or not names):
            found.append("/".join(path))
        for child in names:
            walk(child, [*path, _written_name(child)])

    walk(topic_set, [])
    return tuple(dict.fromkeys(found))


def _written_name(el: Element) -> str:
    """``tns1:VideoSource`` as the device wrote it (lxml resolves the prefix away)."""
    if el.prefix:
        return f"{el.prefix}:{local(el)}"
    return local(el)


def pull_batch(payload: Element, camera_id: int, received_at: dt.datetime) -> PullBatch:
    events: list[CameraEvent] = []
    bad: list[BadMessage] = []
    for message in kids(payload, "NotificationMessage"):
        try:
            events.append(notification_event(message, camera_id, received_at))
        except NotificationError as exc:
            bad.append(BadMessage(str(exc)))
    return PullBatch(tuple(events), tuple(bad),
                     parse_time(text(payload, "CurrentTime")),
                     parse_time(text(payload, "TerminationTime")))


def clean_topic(raw: str) -> str:
    """The topic as sent, without the whitespace and the ``/.`` endings some firmwares add."""
    return "".join(raw.split()).rstrip("/.")


def notification_event(message: Element, camera_id: int,
                       received_at: dt.datetime) -> CameraEvent:
    """One wsnt:NotificationMessage → a CameraEvent; NotificationError when unreadable."""
    topic_el = kid(message, "Topic")
    topic = clean_topic("".join(topic_el.itertext())) if topic_el is not None else ""
    if not topic:
        raise NotificationError("notification without a topic")
    body = kid(message, "Message", "Message")
    if body is None:
        raise NotificationError(f"notification on {topic[:80]} without a tt:Message")
    groups = {name: _simple_items(kid(body, name), name) for name in ("Source", "Key", "Data")}
    plate, colour = _plate(body)
    event_type = _type_for(topic, has_plate=bool(plate))
    state, state_item = _state(event_type, groups["Data"])
    details: dict[str, str] = {}
    operation = _attribute(body, "PropertyOperation")
    if operation:
        # Initialized is the state at subscription time, not a change: the intake decides.
        details["property_operation"] = operation
    for items in (groups["Source"], groups["Key"], groups["Data"]):
        for name, value in items:
            folded = _fold(name)
            if name == state_item or folded in PLATE_NAMES or folded in COLOUR_NAMES:
                continue
            if len(details) < MAX_DETAILS:
                details.setdefault(name, value[:MAX_DETAIL])
    return CameraEvent(
        camera_id=camera_id, source=EventSource.ONVIF, type=event_type, state=state,
        device_time=parse_time(_attribute(body, "UtcTime")), received_at=received_at,
        topic=topic, plate=plate, plate_colour=colour, details=details)


def _attribute(el: Element, name: str) -> str | None:
    for key, value in el.attrib.items():
        if str(key).rpartition("}")[2] == name:
            return str(value)
    return None


def _simple_items(group: Element | None, where: str) -> list[tuple[str, str]]:
    if group is None:
        return []
    found = []
    for item in kids(group, "SimpleItem"):
        name = _attribute(item, "Name")
        if not name:
            raise NotificationError(f"a {where} SimpleItem without a Name")
        found.append((name, (_attribute(item, "Value") or "").strip()))
    return found


def _fold(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).lower()


def _named_values(body: Element) -> list[tuple[str, str]]:
    """Every (name, value) in the message: SimpleItems (Data, Key, then Source), and
    inside ElementItems each element's text and attributes by their own names."""
    found: list[tuple[str, str]] = []
    for group_name in ("Data", "Key", "Source"):
        group = kid(body, group_name)
        if group is None:
            continue
        for item in group:
            if not isinstance(item.tag, str):
                continue
            if local(item) == "SimpleItem":
                found.append((_attribute(item, "Name") or "", _attribute(item, "Value") or ""))
            elif local(item) == "ElementItem":
                outer = _attribute(item, "Name") or ""
                for el in item.iter():
                    if not isinstance(el.tag, str) or el is item:
                        continue
                    own = (el.text or "").strip()
                    if own:
                        found.append((local(el), own))
                    found.extend((str(k).rpartition("}")[2], str(v))
                                 for k, v in el.attrib.items())
                if (item.text or "").strip():
                    found.append((outer, (item.text or "").strip()))
    return found


def _plate(body: Element) -> tuple[str, str]:
    plate = colour = ""
    for name, value in _named_values(body):
        folded, value = _fold(name), value.strip()
        if not plate and folded in PLATE_NAMES and value.lower() not in NO_PLATE:
            plate = value[:32]
        elif not colour and folded in COLOUR_NAMES and value:
            colour = value[:32]
    return plate, colour


def _type_for(topic: str, *, has_plate: bool) -> EventType:
    if has_plate:
        return EventType.PLATE
    words = [segment.rpartition(":")[2].lower() for segment in topic.split("/")]
    for event_type, keys in _TOPIC_WORDS:
        if any(key in word for word in words for key in keys):
            return event_type
    return EventType.OTHER


def _state(event_type: EventType,
           data: list[tuple[str, str]]) -> tuple[EventState, str | None]:
    """START/STOP from the property's boolean; a crossing or a plate read is an instant."""
    if event_type in (EventType.LINE_CROSSING, EventType.PLATE):
        return EventState.PULSE, None
    by_name = {_fold(name): (name, value.lower()) for name, value in data}
    candidates = [by_name[n] for n in STATE_NAMES if n in by_name]
    candidates += [(name, value.lower()) for name, value in data]
    for name, value in candidates:
        if value in _TRUE:
            return EventState.START, name
        if value in _FALSE:
            return EventState.STOP, name
    return EventState.PULSE, None
