"""ONVIF event replies → CameraEvent: recorded real-camera bodies, vendor quirks, bad input."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from lxml import etree

from commandroom.camera_events.model import EventSource, EventState, EventType
from commandroom.camera_events.onvif_notifications import (
    clean_topic,
    duration,
    event_topics,
    notification_event,
    parse_time,
    pull_batch,
    subscription_reply,
)
from commandroom.onvif.xmlparse import Element, response_payload

CORPUS = Path(__file__).parents[2] / "data" / "onvif_events"
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
NS = ('xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" '
      'xmlns:tt="http://www.onvif.org/ver10/schema" '
      'xmlns:tev="http://www.onvif.org/ver10/events/wsdl"')


def _recorded(name: str, expected: str, fill: bool = False) -> Element:
    data = (CORPUS / name).read_text(encoding="utf-8")
    if fill:  # the gSOAP mock-up's doT template: keep every block, fill every value
        data = re.sub(r"\{\{[?]?[^}]*\}\}", "", data)
    return response_payload(data.encode(), expected)


def _message(topic: str, body: str, attrs: str = 'UtcTime="2026-12-01T07:59:58Z"') -> Element:
    xml = (f"<wsnt:NotificationMessage {NS}><wsnt:Topic>{topic}</wsnt:Topic><wsnt:Message>"
           f"<tt:Message {attrs}>{body}</tt:Message></wsnt:Message></wsnt:NotificationMessage>")
    return etree.fromstring(xml.encode())


def _items(group: str, **values: str) -> str:
    items = "".join(f'<tt:SimpleItem Name="{k}" Value="{v}"/>' for k, v in values.items())
    return f"<tt:{group}>{items}</tt:{group}>"


def test_recorded_hikvision_pull_reads_every_initial_state() -> None:
    batch = pull_batch(_recorded("ex_onvif/pull_messages.xml", "PullMessagesResponse"), 7, NOW)
    assert batch.bad == ()
    assert batch.termination_time == dt.datetime(2025, 4, 18, 20, 44, 10, tzinfo=dt.UTC)
    by_topic = {e.topic: e for e in batch.events}
    assert len(batch.events) == 8
    expected = {
        "tns1:VideoSource/MotionAlarm": EventType.MOTION,
        "tns1:RuleEngine/CellMotionDetector/Motion": EventType.MOTION,
        "tns1:RuleEngine/TamperDetector/Tamper": EventType.TAMPER,
        "tns1:RuleEngine/FieldDetector/ObjectsInside": EventType.INTRUSION,
        "tns1:VideoSource/ImageTooDark/ImagingService": EventType.OTHER,
    }
    for topic, event_type in expected.items():
        event = by_topic[topic]
        assert (event.type, event.state) == (event_type, EventState.STOP), topic
        assert event.details["property_operation"] == "Initialized"
    field = by_topic["tns1:RuleEngine/FieldDetector/ObjectsInside"]
    assert field.details["Rule"] == "MyFieldDetector1" and field.details["ObjectId"] == "0"
    assert "IsInside" not in field.details  # the state is the event's state, not a detail
    assert field.device_time == dt.datetime(2025, 4, 18, 20, 34, 5, tzinfo=dt.UTC)
    assert field.received_at == NOW and field.camera_id == 7
    assert field.source == EventSource.ONVIF
    reboot = by_topic["tns1:Monitoring/OperatingTime/LastReboot"]
    assert (reboot.type, reboot.state) == (EventType.OTHER, EventState.PULSE)


def test_recorded_gsoap_pull_with_line_breaks_around_the_topic() -> None:
    batch = pull_batch(_recorded("agsh_onvif/PullMessages.xml", "PullMessagesResponse",
                                 fill=True), 1, NOW)
    assert [(e.topic, e.type, e.state) for e in batch.events] == [
        ("tns1:RuleEngine/CellMotionDetector/Motion", EventType.MOTION, EventState.START)] * 2
    assert batch.events[0].details == {"VideoSourceConfigurationToken": "000",
                                       "VideoAnalyticsConfigurationToken": "000", "Rule": "000"}


def test_recorded_event_properties_list_the_topics() -> None:
    hik = event_topics(_recorded("ex_onvif/get_event_properties.xml",
                                 "GetEventPropertiesResponse"))
    for topic in ("tns1:VideoSource/MotionAlarm", "tns1:RuleEngine/CellMotionDetector/Motion",
                  "tns1:RuleEngine/LineDetector/Crossed",
                  "tns1:RuleEngine/FieldDetector/ObjectsInside",
                  "tns1:Device/HardwareFailure/tnshik:HardDiskFull"):
        assert topic in hik
    assert "tns1:VideoSource" not in hik  # a branch, not a topic
    axis = event_topics(_recorded("agsh_onvif/GetEventProperties.xml",
                                  "GetEventPropertiesResponse"))
    assert axis == ("tns1:Device/Trigger/DigitalInput", "tns1:VideoSource/MotionAlarm",
                    "tns1:Device/tnsaxis:IO/Port",
                    "tns1:VideoAnalytics/tnsaxis:MotionDetection")


def test_recorded_subscription_replies() -> None:
    hik = subscription_reply(_recorded("ex_onvif/create_pull_point_subscription.xml",
                                       "CreatePullPointSubscriptionResponse"))
    assert hik.address == "http://192.168.8.120/onvif/Events/PullSubManager_20250415T164937Z_0"
    assert hik.term_s(fallback=5.0) == 60.0
    gsoap = subscription_reply(_recorded("agsh_onvif/events.CreatePullPointSubscription.xml",
                                         "CreatePullPointSubscriptionResponse", fill=True))
    assert gsoap.term_s(fallback=5.0) == 5.0  # times left out: what we asked for


@pytest.mark.parametrize(("raw", "clean"), [
    ("tns1:RuleEngine/CellMotionDetector/Motion//.", "tns1:RuleEngine/CellMotionDetector/Motion"),
    ("\n   tns1:VideoSource/MotionAlarm\n  ", "tns1:VideoSource/MotionAlarm"),
    ("tns1:VideoSource/MotionAlarm/", "tns1:VideoSource/MotionAlarm"),
])
def test_topic_endings_some_firmwares_add_are_dropped(raw: str, clean: str) -> None:
    assert clean_topic(raw) == clean


@pytest.mark.parametrize(("topic", "data", "kind", "state"), [
    ("tns1:VideoSource/MotionAlarm", {"State": "true"}, EventType.MOTION, EventState.START),
    ("tns1:RuleEngine/CellMotionDetector/Motion", {"IsMotion": "false"}, EventType.MOTION,
     EventState.STOP),
    ("tns1:RuleEngine/FieldDetector/ObjectsInside", {"IsInside": "true"}, EventType.INTRUSION,
     EventState.START),
    ("tns1:VideoSource/GlobalSceneChange/ImagingService", {"State": "true"}, EventType.TAMPER,
     EventState.START),
    # A crossing is an instant whatever it carries.
    ("tns1:RuleEngine/LineDetector/Crossed", {"ObjectId": "15"}, EventType.LINE_CROSSING,
     EventState.PULSE),
    ("tns1:VideoAnalytics/tnsaxis:MotionDetection", {"motion": "1"}, EventType.MOTION,
     EventState.START),
    ("tns1:Device/Trigger/DigitalInput", {"LogicalState": "false"}, EventType.OTHER,
     EventState.STOP),
    ("tnshik:VideoLoss", {"State": "true"}, EventType.VIDEO_LOSS, EventState.START),
])
def test_topics_map_to_type_and_state(topic: str, data: dict[str, str], kind: EventType,
                                      state: EventState) -> None:
    event = notification_event(_message(topic, _items("Data", **data)), 3, NOW)
    assert (event.type, event.state) == (kind, state)


@pytest.mark.parametrize("body", [
    _items("Data", PlateNumber="鄂G12345", PlateColor="blue"),
    _items("Key", LicensePlate="鄂G12345") + _items("Data", plate_colour="blue"),
    _items("Source", Rule="Lane1", Plate="鄂G12345") + _items("Data", PlateColor="blue"),
    ('<tt:Data><tt:ElementItem Name="PlateInfo"><hik:Vehicle xmlns:hik="urn:x">'
     '<hik:PlateNo>鄂G12345</hik:PlateNo><hik:PlateColor>blue</hik:PlateColor></hik:Vehicle>'
     "</tt:ElementItem></tt:Data>"),
    ('<tt:Data><tt:ElementItem Name="LicensePlateInfo"><Result licensePlate="鄂G12345" '
     'plateColor="blue"/></tt:ElementItem></tt:Data>'),
])
def test_plate_text_is_found_wherever_the_vendor_puts_it(body: str) -> None:
    event = notification_event(_message("tnsvendor:Traffic/Vehicle", body), 3, NOW)
    assert (event.type, event.state) == (EventType.PLATE, EventState.PULSE)
    assert (event.plate, event.plate_colour) == ("鄂G12345", "blue")


def test_a_vehicle_without_a_readable_plate_is_a_plate_event_without_text() -> None:
    event = notification_event(_message("tnshik:RuleEngine/VehicleDetector/LicensePlate",
                                        _items("Data", PlateNumber="无车牌")), 3, NOW)
    assert (event.type, event.plate) == (EventType.PLATE, "")


def test_unreadable_messages_are_reported_and_the_others_still_count() -> None:
    good = ('<wsnt:NotificationMessage><wsnt:Topic>tns1:VideoSource/MotionAlarm</wsnt:Topic>'
            '<wsnt:Message><tt:Message UtcTime="2026-12-01T07:59:58Z">'
            + _items("Data", State="true") + "</tt:Message></wsnt:Message>"
            "</wsnt:NotificationMessage>")
    reply = (f"<tev:PullMessagesResponse {NS}>"
             "<wsnt:NotificationMessage><wsnt:Message><tt:Message/></wsnt:Message>"
             "</wsnt:NotificationMessage>"
             f"{good}"
             "<wsnt:NotificationMessage><wsnt:Topic>tns1:VideoSource/MotionAlarm</wsnt:Topic>"
             "</wsnt:NotificationMessage>"
             "<wsnt:NotificationMessage><wsnt:Topic>tns1:VideoSource/MotionAlarm</wsnt:Topic>"
             '<wsnt:Message><tt:Message><tt:Data><tt:SimpleItem Value="true"/></tt:Data>'
             "</tt:Message></wsnt:Message></wsnt:NotificationMessage>"
             "</tev:PullMessagesResponse>")
    batch = pull_batch(etree.fromstring(reply.encode()), 3, NOW)
    assert [(e.type, e.state) for e in batch.events] == [(EventType.MOTION, EventState.START)]
    assert [b.reason for b in batch.bad] == [
        "notification without a topic",
        "notification on tns1:VideoSource/MotionAlarm without a tt:Message",
        "a Data SimpleItem without a Name"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-12-01T07:59:58Z", dt.datetime(2026, 12, 1, 7, 59, 58, tzinfo=dt.UTC)),
    ("2026-12-01T07:59:58.250Z", dt.datetime(2026, 12, 1, 7, 59, 58, 250000, tzinfo=dt.UTC)),
    ("2026-12-01T15:59:58+08:00", dt.datetime(2026, 12, 1, 7, 59, 58, tzinfo=dt.UTC)),
    ("2026-12-01T07:59:58", dt.datetime(2026, 12, 1, 7, 59, 58, tzinfo=dt.UTC)),  # no zone
    ("yesterday", None),
    ("", None),
])
def test_device_time_as_cameras_write_it(raw: str, expected: dt.datetime | None) -> None:
    assert parse_time(raw) == expected
    event = notification_event(_message("tns1:VideoSource/MotionAlarm",
                                        _items("Data", State="true"), f'UtcTime="{raw}"'), 3, NOW)
    assert event.device_time == expected and event.received_at == NOW


def test_durations_for_timeout_and_termination() -> None:
    assert (duration(5), duration(1.5), duration(60.0), duration(-1)) == (
        "PT5S", "PT1.5S", "PT60S", "PT0S")
