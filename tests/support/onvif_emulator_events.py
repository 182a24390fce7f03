"""The ONVIF emulator's events service: GetEventProperties and PullPoint subscriptions.

Shaped after the recorded Hikvision replies in tests/data/onvif/ex_onvif
(get_event_properties.xml, create_pull_point_subscription.xml, pull_messages.xml):
subscription managers at ``/onvif/Events/PullSubManager_<time>_<n>``, whole-second UTC
times, ``PropertyOperation`` on every message, and on a new subscription an
``Initialized`` message for each property's current state before any change.

Behaviour a client must cope with, as on real cameras:
- PullMessages is a long poll: held until a message is queued or its Timeout elapses;
- a subscription ends at its termination time unless renewed; pulling does not extend
  it (many firmwares do not), so a client that never renews loses it;
- a request on a subscription that ended gets a SOAP fault (ResourceUnknown);
- ``EventsSettings.granted_term_s`` imposes the device's own term whatever is asked.

Tests drive it with ``push_event`` (queued to every live subscription), ``push_raw`` (a
NotificationMessage as written, broken on purpose), ``force_expire`` and read ``log``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    from tests.support.onvif_emulator import OnvifEmulator

EVENTS_NS = "http://www.onvif.org/ver10/events/wsdl"
_DECLS = ('xmlns:tev="http://www.onvif.org/ver10/events/wsdl" '
          'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" '
          'xmlns:wstop="http://docs.oasis-open.org/wsn/t-1" '
          'xmlns:wsa="http://www.w3.org/2005/08/addressing" '
          'xmlns:tt="http://www.onvif.org/ver10/schema" '
          'xmlns:tns1="http://www.onvif.org/ver10/topics" '
          'xmlns:tnshik="http://www.hikvision.com/2011/event/topics"')
_DIALECT = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"

MOTION_ALARM = "tns1:VideoSource/MotionAlarm"
CELL_MOTION = "tns1:RuleEngine/CellMotionDetector/Motion"
LINE_CROSSED = "tns1:RuleEngine/LineDetector/Crossed"
FIELD_INSIDE = "tns1:RuleEngine/FieldDetector/ObjectsInside"
SCENE_CHANGE = "tns1:VideoSource/GlobalSceneChange/ImagingService"
# Not recorded: checkpoint cameras send plate reads on vendor topics; this one is made up
# in the Hikvision topic namespace, with the item names such cameras use.
PLATE_TOPIC = "tnshik:VehicleDetector/LicensePlate"

# Property topics (IsProperty="true"): their state, source and first data item, as a
# camera starts with them; a new subscription first gets each current state "Initialized".
_VSC = {"VideoSourceConfigurationToken": "VideoSourceToken",
        "VideoAnalyticsConfigurationToken": "VideoAnalyticsToken"}
_INITIAL_STATES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    MOTION_ALARM: ({"Source": "VideoSource_1"}, {"State": "false"}),
    CELL_MOTION: ({**_VSC, "Rule": "MyMotionDetectorRule"}, {"IsMotion": "false"}),
    FIELD_INSIDE: ({**_VSC, "Rule": "MyFieldDetector1"}, {"IsInside": "false"}),
    SCENE_CHANGE: ({"Source": "VideoSource_1"}, {"State": "false"}),
}


def _description(source: list[str], data: list[tuple[str, str]], prop: bool,
                 key: list[str] | None = None) -> str:
    def items(names: list[tuple[str, str]]) -> str:
        return "".join(f'<tt:SimpleItemDescription Name="{n}" Type="{t}"/>' for n, t in names)

    src = items([(n, "xs:string" if n == "Rule" else "tt:ReferenceToken") for n in source])
    keys = f"<tt:Key>{items([(n, 'xs:integer') for n in key])}</tt:Key>" if key else ""
    return (f'<tt:MessageDescription IsProperty="{str(prop).lower()}"><tt:Source>{src}'
            f"</tt:Source>{keys}<tt:Data>{items(data)}</tt:Data></tt:MessageDescription>")


_RULE = ["VideoSourceConfigurationToken", "VideoAnalyticsConfigurationToken", "Rule"]
TOPIC_SET = (
    '<wstop:TopicSet><tns1:VideoSource wstop:topic="false">'
    f'<MotionAlarm wstop:topic="true">{_description(["Source"], [("State", "xs:boolean")], True)}'
    '</MotionAlarm><GlobalSceneChange wstop:topic="false"><ImagingService wstop:topic="true">'
    f'{_description(["Source"], [("State", "xs:boolean")], True)}</ImagingService>'
    '</GlobalSceneChange></tns1:VideoSource><tns1:RuleEngine wstop:topic="false">'
    '<CellMotionDetector wstop:topic="false"><Motion wstop:topic="true">'
    f'{_description(_RULE, [("IsMotion", "xs:boolean")], True)}</Motion></CellMotionDetector>'
    '<LineDetector wstop:topic="false"><Crossed wstop:topic="true">'
    f'{_description(_RULE, [("ObjectId", "xs:integer")], False)}</Crossed></LineDetector>'
    '<FieldDetector wstop:topic="false"><ObjectsInside wstop:topic="true">'
    f'{_description(_RULE, [("IsInside", "xs:boolean")], True, ["ObjectId"])}</ObjectsInside>'
    '</FieldDetector></tns1:RuleEngine><tnshik:VehicleDetector wstop:topic="false">'
    '<LicensePlate wstop:topic="true">'
    f'{_description(_RULE, [("PlateNumber", "xs:string"), ("PlateColor", "xs:string")], False)}'
    "</LicensePlate></tnshik:VehicleDetector></wstop:TopicSet>")

_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


@dataclass
class EventsSettings:
    enabled: bool = True  # False: no events XAddr is advertised and no events ops answered
    granted_term_s: float | None = None  # the device's own term; None: what is asked
    max_term_s: float = 600.0
    pullpoint: bool = True  # False: "PullPoint claimed but Action Not Implemented"
    # Operations on the events service held unanswered until the emulator stops (a
    # camera that hangs); logged on arrival.
    hold_ops: set[str] = field(default_factory=set)
    renew_absolute_only: bool = False  # Renew faults on a duration (some firmwares)
    # Axis style: every subscription at /onvif/services, told apart by a SubscriptionId
    # reference parameter the client must send back as a SOAP header.
    reference_parameters: bool = False
    # Bodies sent (HTTP 200) instead of the next PullMessages replies, one each: what a
    # firmware under load sends (a truncated or non-XML body, an HTML error page).
    broken_pulls: list[bytes] = field(default_factory=list)


@dataclass
class Subscription:
    id: str
    path: str
    expires_at: float  # monotonic
    queue: deque[str] = field(default_factory=deque)


@dataclass(frozen=True)
class Logged:
    op: str
    subscription: str  # "" for operations on the events service itself
    at: float  # monotonic


def parse_duration(value: str | None) -> float | None:
    """``PT60S``, ``PT1M30S``, ``PT1.5S``; None when absent or not a duration."""
    match = _DURATION.match((value or "").strip())
    if not match or not any(match.groups()):
        return None
    d, h, m, s = match.groups()
    return int(d or 0) * 86400 + int(h or 0) * 3600 + int(m or 0) * 60 + float(s or 0)


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _items(values: Mapping[str, str]) -> str:
    return "".join(f"<tt:SimpleItem Name={quoteattr(k)} Value={quoteattr(v)}/>"
                   for k, v in values.items())


def notification(topic: str, source: Mapping[str, str], data: Mapping[str, str],
                 utc_time: dt.datetime, operation: str | None,
                 key: Mapping[str, str] | None = None) -> str:
    """One wsnt:NotificationMessage, as in the recorded Hikvision pull_messages.xml."""
    op = f" PropertyOperation={quoteattr(operation)}" if operation else ""
    keys = f"<tt:Key>{_items(key)}</tt:Key>" if key else ""
    return (f'<wsnt:NotificationMessage><wsnt:Topic Dialect="{_DIALECT}">{escape(topic)}'
            f'</wsnt:Topic><wsnt:Message><tt:Message UtcTime="{_iso(utc_time)}"{op}>'
            f"<tt:Source>{_items(source)}</tt:Source>{keys}<tt:Data>{_items(data)}</tt:Data>"
            "</tt:Message></wsnt:Message></wsnt:NotificationMessage>")


class EventsService:
    def __init__(self, emu: OnvifEmulator) -> None:
        self._emu = emu
        self._cond = threading.Condition()
        self._subs: dict[str, Subscription] = {}
        self._ids = itertools.count()
        self._closed = False
        # Current state of each property, by (topic, source items): replayed as Initialized.
        self._states: dict[tuple[str, tuple[tuple[str, str], ...]],
                           tuple[dict[str, str], dict[str, str], dict[str, str] | None]] = {
            (t, tuple(src.items())): (src, data, None)
            for t, (src, data) in _INITIAL_STATES.items()}
        self.log: list[Logged] = []

    @property
    def settings(self) -> EventsSettings:
        settings: EventsSettings = self._emu.settings.events
        return settings

    # -- what tests call -----------------------------------------------------------------
    def push_event(self, topic: str, source: Mapping[str, str], data: Mapping[str, str],
                   *, utc_time: dt.datetime | None = None, key: Mapping[str, str] | None = None,
                   is_property: bool | None = None) -> None:
        """Queue a message to every live subscription. A property (the standard state
        topics unless ``is_property`` says otherwise) goes out as "Changed" and its state
        is remembered for later subscriptions even when none is live, as a camera's is;
        other events (a crossing, a plate read) carry no PropertyOperation."""
        when = utc_time or self._emu.camera_now()
        prop = topic in _INITIAL_STATES if is_property is None else is_property
        with self._cond:
            if prop:
                self._states[(topic, tuple(source.items()))] = (dict(source), dict(data),
                                                                  dict(key) if key else None)
            self._queue(notification(topic, source, data, when, "Changed" if prop else None,
                                     key))

    def push_raw(self, message_xml: str) -> None:
        with self._cond:
            self._queue(message_xml)

    def force_expire(self, subscription_id: str | None = None) -> None:
        """End one subscription (default: every live one) now, as a device reboot would."""
        with self._cond:
            for sub in self._subs.values():
                if subscription_id in (None, sub.id):
                    sub.expires_at = 0.0
            self._cond.notify_all()

    def live(self) -> list[str]:
        now = time.monotonic()
        with self._cond:
            return [s.id for s in self._subs.values() if s.expires_at > now]

    def ops(self, name: str) -> list[Logged]:
        with self._cond:
            return [entry for entry in self.log if entry.op == name]

    def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``predicate`` holds (checked after every request and push)."""
        with self._cond:
            return self._cond.wait_for(predicate, timeout)

    def close(self) -> None:
        """Release every held PullMessages (the emulator is stopping)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    # -- SOAP ----------------------------------------------------------------------------
    def xaddrs(self, base: str) -> dict[str, str]:
        return {"events": f"{base}/event_service"} if self.settings.enabled else {}

    def answer(self, service: str, op: str, req: Any) -> tuple[int, bytes] | None:
        """The reply to an events operation, or None when ``service`` is not ours."""
        if not self.settings.enabled:
            return None
        if service == "event_service":
            with self._cond:
                self._record(op, "")
                if op in self.settings.hold_ops:
                    self._cond.wait_for(lambda: self._closed)
                    return self._fault("Receiver", "ter:Action", "Shutting down")
            if op == "GetEventProperties":
                return self._ok(
                    f"<tev:GetEventPropertiesResponse><tev:TopicNamespaceLocation>"
                    "http://www.onvif.org/onvif/ver10/topics/topicns.xml"
                    "</tev:TopicNamespaceLocation><wsnt:FixedTopicSet>true</wsnt:FixedTopicSet>"
                    f"{TOPIC_SET}<wsnt:TopicExpressionDialect>{_DIALECT}"
                    "</wsnt:TopicExpressionDialect></tev:GetEventPropertiesResponse>")
            if op == "CreatePullPointSubscription":
                if not self.settings.pullpoint:
                    return self._fault("Receiver", "ter:ActionNotSupported",
                                       "Optional Action Not Implemented")
                return self._create(req)
            return None
        if service == "services" and self.settings.reference_parameters:
            service = _child_text(req.getroottree().getroot(), "SubscriptionId") or "?"
        elif not service.startswith("PullSubManager_"):
            return None
        with self._cond:
            self._record(op, service)
            sub = self._subs.get(service)
            if sub is None or sub.expires_at <= time.monotonic():
                return self._gone()
            if op == "Renew":
                asked = _child_text(req, "TerminationTime") or ""
                if self.settings.renew_absolute_only and asked.startswith("P"):
                    return self._fault("Sender", "ter:InvalidArgVal",
                                       "TerminationTime must be a dateTime")
                sub.expires_at = time.monotonic() + self._term(req, "TerminationTime")
                now = self._emu.camera_now()
                return self._ok(
                    f"<wsnt:RenewResponse><wsnt:TerminationTime>{_iso(self._ends(sub))}"
                    f"</wsnt:TerminationTime><wsnt:CurrentTime>{_iso(now)}</wsnt:CurrentTime>"
                    "</wsnt:RenewResponse>")
            if op == "Unsubscribe":
                del self._subs[service]
                self._cond.notify_all()
                return self._ok("<wsnt:UnsubscribeResponse/>")
        if op == "PullMessages":
            return self._pull(service, req)
        return None

    # -- internals -----------------------------------------------------------------------
    def _record(self, op: str, subscription: str) -> None:
        self.log.append(Logged(op, subscription, time.monotonic()))
        self._cond.notify_all()

    def _queue(self, message: str) -> None:
        now = time.monotonic()
        for sub in self._subs.values():
            if sub.expires_at > now:
                sub.queue.append(message)
        self._cond.notify_all()

    def _term(self, req: Any, name: str) -> float:
        asked = _child_text(req, name)
        seconds = parse_duration(asked)
        if seconds is None and asked:  # an absolute time, in the camera's clock
            try:
                until = dt.datetime.fromisoformat(asked.replace("Z", "+00:00"))
                seconds = (until - self._emu.camera_now()).total_seconds()
            except ValueError:
                seconds = None
        granted = self.settings.granted_term_s
        if granted is not None:
            return granted
        return min(max(seconds if seconds is not None else 60.0, 1.0), self.settings.max_term_s)

    def _ends(self, sub: Subscription) -> dt.datetime:
        return self._emu.camera_now() + dt.timedelta(seconds=sub.expires_at - time.monotonic())

    def _create(self, req: Any) -> tuple[int, bytes]:
        now = self._emu.camera_now()
        with self._cond:
            path = f"PullSubManager_{now.strftime('%Y%m%dT%H%M%SZ')}_{next(self._ids)}"
            sub = Subscription(path, path, time.monotonic()
                               + self._term(req, "InitialTerminationTime"))
            for (topic, _), (source, data, key) in self._states.items():
                sub.queue.append(notification(topic, source, data, now, "Initialized", key))
            self._subs[path] = sub
            self._cond.notify_all()
        host = self._emu.settings.xaddr_host or f"127.0.0.1:{self._emu.port}"
        reference = (f"<wsa:Address>http://{host}/onvif/Events/{path}</wsa:Address>")
        if self.settings.reference_parameters:
            reference = (f"<wsa:Address>http://{host}/onvif/services</wsa:Address>"
                         "<wsa:ReferenceParameters><dom0:SubscriptionId "
                         f'xmlns:dom0="http://www.axis.com/2009/event">{path}'
                         "</dom0:SubscriptionId></wsa:ReferenceParameters>")
        return self._ok(
            f"<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference>{reference}"
            f"</tev:SubscriptionReference><wsnt:CurrentTime>{_iso(now)}</wsnt:CurrentTime>"
            f"<wsnt:TerminationTime>{_iso(self._ends(sub))}</wsnt:TerminationTime>"
            "</tev:CreatePullPointSubscriptionResponse>")

    def _pull(self, sub_id: str, req: Any) -> tuple[int, bytes]:
        timeout = min(parse_duration(_child_text(req, "Timeout")) or 10.0, 120.0)
        limit = max(int(_child_text(req, "MessageLimit") or 100), 1)
        deadline = time.monotonic() + timeout
        with self._cond:
            if self.settings.broken_pulls:
                return 200, self.settings.broken_pulls.pop(0)
            while True:
                sub = self._subs.get(sub_id)
                now = time.monotonic()
                if sub is None or sub.expires_at <= now:
                    return self._gone()
                if sub.queue or self._closed or now >= deadline:
                    break
                self._cond.wait(min(deadline, sub.expires_at) - now)
            messages = [sub.queue.popleft() for _ in range(min(limit, len(sub.queue)))]
            ends = self._ends(sub)
        return self._ok(
            f"<tev:PullMessagesResponse><tev:CurrentTime>{_iso(self._emu.camera_now())}"
            f"</tev:CurrentTime><tev:TerminationTime>{_iso(ends)}</tev:TerminationTime>"
            f"{''.join(messages)}</tev:PullMessagesResponse>")

    def _ok(self, body: str) -> tuple[int, bytes]:
        from tests.support import onvif_emulator_bodies as bodies

        # Declare the event prefixes on the response element (the envelope lacks them).
        first_close = body.index(">")
        if body[first_close - 1] == "/":
            first_close -= 1
        return 200, bodies.envelope(f"{body[:first_close]} {_DECLS}{body[first_close:]}",
                                    self._emu.settings.vendor_namespaces)

    def _fault(self, code: str, subcode: str, reason: str) -> tuple[int, bytes]:
        from tests.support import onvif_emulator_bodies as bodies

        vendor = self._emu.settings.vendor_namespaces
        pfx = "SOAP-ENV" if vendor else "s"
        body = (f"<{pfx}:Fault><{pfx}:Code><{pfx}:Value>{pfx}:{code}</{pfx}:Value>"
                f"<{pfx}:Subcode><{pfx}:Value>{subcode}</{pfx}:Value></{pfx}:Subcode>"
                f"</{pfx}:Code><{pfx}:Reason><{pfx}:Text xml:lang=\"en\">{escape(reason)}"
                f"</{pfx}:Text></{pfx}:Reason></{pfx}:Fault>")
        return 500, bodies.envelope(body, vendor)

    def _gone(self) -> tuple[int, bytes]:
        # WS-BaseNotification's fault for a subscription that no longer exists; the
        # wsrf-rw prefix stays undeclared, as on the firmwares the README lists.
        return self._fault("Receiver", "wsrf-rw:ResourceUnknownFault",
                           "The subscription has expired or does not exist")


def _child_text(el: Any, name: str) -> str | None:
    for c in el.iter():
        tag = c.tag if isinstance(c.tag, str) else ""
        if tag.rpartition("}")[2].rpartition(":")[2] == name and c.text:
            return str(c.text).strip()
    return None
