"""ISAPI EventNotificationAlert and Dahua eventManager texts, in the layouts the vendors
document and devices send, to what the console stores."""

from __future__ import annotations

import datetime as dt

import pytest

from commandroom.camera_events.dahua_parse import BadEventText, is_heartbeat, parse_part
from commandroom.camera_events.isapi_parse import BadEventXml, parse_alert, parse_device_time
from commandroom.camera_events.model import EventState, EventType

# A Hikvision IPC's motion alert (ver20 hikvision namespace, pretty-printed, CRLF).
HIK_VMD = b"""<?xml version="1.0" encoding="UTF-8"?>\r
<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">\r
<ipAddress>192.168.1.64</ipAddress>\r
<portNo>80</portNo>\r
<protocol>HTTP</protocol>\r
<macAddress>44:19:b6:6d:24:85</macAddress>\r
<channelID>1</channelID>\r
<dateTime>2024-05-03T17:30:08+08:00</dateTime>\r
<activePostCount>1</activePostCount>\r
<eventType>VMD</eventType>\r
<eventState>active</eventState>\r
<eventDescription>Motion alarm</eventDescription>\r
</EventNotificationAlert>\r
"""

# A checkpoint camera's ANPR alert (isapi.org namespace, as in the Traffic SDK guide).
ANPR = """<EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">
<ipAddress>10.1.2.3</ipAddress><channelID>1</channelID>
<dateTime>2024-05-03T09:15:00Z</dateTime><activePostCount>1</activePostCount>
<eventType>ANPR</eventType><eventState>active</eventState>
<eventDescription>ANPR</eventDescription><channelName>G316 junction</channelName>
<ANPR><country>CN</country><licensePlate>鄂G12345</licensePlate><line>2</line>
<direction>reverse</direction><confidenceLevel>97</confidenceLevel>
<plateColor>yellow</plateColor><vehicleType>truck</vehicleType>
<pictureInfoList>
<pictureInfo><fileName>licensePlatePicture.jpg</fileName><type>licensePlatePicture</type></pictureInfo>
<pictureInfo><fileName>detectionPicture.jpg</fileName><type>detectionPicture</type></pictureInfo>
</pictureInfoList></ANPR>
</EventNotificationAlert>""".encode()


def test_hikvision_motion_alert() -> None:
    alert = parse_alert(HIK_VMD)
    assert (alert.kind, alert.state, alert.channel) == (EventType.MOTION, EventState.START, 1)
    assert alert.device_time == dt.datetime(2024, 5, 3, 9, 30, 8, tzinfo=dt.UTC)
    assert alert.details["description"] == "Motion alarm"


def test_isapi_anpr_alert_with_plate_colour_and_pictures_announced() -> None:
    alert = parse_alert(ANPR)
    assert (alert.kind, alert.state) == (EventType.PLATE, EventState.PULSE)
    assert (alert.plate, alert.plate_colour, alert.pictures_expected) == ("鄂G12345", "yellow", 2)
    assert alert.device_time == dt.datetime(2024, 5, 3, 9, 15, tzinfo=dt.UTC)
    assert alert.details["direction"] == "reverse"


@pytest.mark.parametrize(("event_type", "state", "kind", "expected_state"), [
    ("linedetection", "active", EventType.LINE_CROSSING, EventState.PULSE),
    ("fielddetection", "active", EventType.INTRUSION, EventState.START),
    ("tamperdetection", "inactive", EventType.TAMPER, EventState.STOP),
    ("shelteralarm", "active", EventType.TAMPER, EventState.START),
    ("videoloss", "inactive", EventType.VIDEO_LOSS, EventState.STOP),
    ("IO", "active", EventType.OTHER, EventState.START),
])
def test_isapi_event_types(event_type: str, state: str, kind: EventType,
                           expected_state: EventState) -> None:
    xml = HIK_VMD.replace(b">VMD<", f">{event_type}<".encode()).replace(
        b">active<", f">{state}<".encode())
    alert = parse_alert(xml)
    assert (alert.kind, alert.state) == (kind, expected_state)


def test_unreadable_plate_is_no_plate() -> None:
    assert parse_alert(ANPR.replace("鄂G12345".encode(), "无车牌".encode())).plate == ""


@pytest.mark.parametrize("bad", [
    b"<EventNotificationAlert><eventType>VMD</eventTy",
    b"<ResponseStatus><statusCode>4</statusCode></ResponseStatus>",
    b"<EventNotificationAlert><eventState>active</eventState></EventNotificationAlert>",
    b"",
])
def test_bad_alerts_are_refused_with_a_reason(bad: bytes) -> None:
    with pytest.raises(BadEventXml):
        parse_alert(bad)


def test_no_entity_is_resolved_from_a_camera() -> None:
    xxe = (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
           b"<EventNotificationAlert><eventType>VMD</eventType>"
           b"<eventDescription>&x;</eventDescription></EventNotificationAlert>")
    alert = parse_alert(xxe)
    assert "description" not in alert.details  # the entity stayed unexpanded


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-05-03T17:30:08+08:00", dt.datetime(2024, 5, 3, 9, 30, 8, tzinfo=dt.UTC)),
    ("2024-05-03T17:30:08.250-05:00", dt.datetime(2024, 5, 3, 22, 30, 8, 250000, tzinfo=dt.UTC)),
    ("2024-05-03T17:30:08", None),  # no zone: the camera's zone is unknown
    ("yesterday", None),
    ("", None),
])
def test_device_time(text: str, expected: dt.datetime | None) -> None:
    assert parse_device_time(text) == expected


def test_dahua_documented_events_and_heartbeat() -> None:
    (motion,) = parse_part(b"Code=VideoMotion;action=Start;index=0\r\n")
    assert (motion.kind, motion.state, motion.index) == (EventType.MOTION, EventState.START, 0)
    (blind,) = parse_part(b"Code=VideoBlind;action=Stop;index=3")
    assert (blind.kind, blind.state, blind.index) == (EventType.TAMPER, EventState.STOP, 3)
    assert is_heartbeat(b"Heartbeat\r\n") and not is_heartbeat(b"Code=VideoLoss")


def test_dahua_traffic_junction_with_multiline_data() -> None:
    body = """Code=TrafficJunction;action=Pulse;index=0;data={
   "Name" : "TrafficJunction1;lane A",
   "UTC" : 1714727700,
   "Object" : { "ObjectType" : "Plate", "Text" : "鄂G1Z345" },
   "TrafficCar" : { "PlateNumber" : "鄂G1Z345", "PlateColor" : "Blue" }
}
""".encode()
    (read,) = parse_part(body)
    assert (read.kind, read.state) == (EventType.PLATE, EventState.PULSE)
    assert (read.plate, read.plate_colour) == ("鄂G1Z345", "Blue")
    assert read.device_time == dt.datetime.fromtimestamp(1714727700, dt.UTC)
    assert read.details["name"] == "TrafficJunction1;lane A"


def test_dahua_plate_from_object_text_only_and_gbk_body() -> None:
    body = 'Code=ANPR;action=Pulse;index=1;data={"Object": {"Text": "鄂A8B123"}}'
    (read,) = parse_part(body.encode("gbk"))
    assert (read.plate, read.index) == ("鄂A8B123", 1)


def test_dahua_several_events_in_one_part() -> None:
    events = parse_part(b"Code=VideoMotion;action=Start;index=0\r\n"
                        b"Code=CrossLineDetection;action=Start;index=0;"
                        b'data={"Direction": "LeftToRight"}\r\n')
    assert [e.kind for e in events] == [EventType.MOTION, EventType.LINE_CROSSING]
    assert events[1].details["direction"] == "LeftToRight"


@pytest.mark.parametrize("bad", [
    b"Hello",
    b"Code=VideoMotion;index=0",
    b'Code=TrafficJunction;action=Pulse;index=0;data={"UTC": 17',
])
def test_dahua_bad_text(bad: bytes) -> None:
    with pytest.raises(BadEventText):
        parse_part(bad)
