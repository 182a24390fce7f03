"""Unreachable or malformed addresses from cameras are fixed, and the fix is said."""

from __future__ import annotations

import pytest

from commandroom.onvif.uri_repair import repair_uri


@pytest.mark.parametrize(("reported", "officer", "expected"), [
    ("rtsp://127.0.0.1:554/Streaming/101", "192.168.1.10", "rtsp://192.168.1.10:554/Streaming/101"),
    ("rtsp://0.0.0.0/h264", "192.168.1.10", "rtsp://192.168.1.10/h264"),
    ("rtsp://192.168.1.64:554/live", "203.0.113.7", "rtsp://203.0.113.7:554/live"),
    ("rtsp://192.168.1.64:554/live", "cam7.example.org", "rtsp://cam7.example.org:554/live"),
    ("rtsp://10.0.0.9/live", "192.168.5.2", "rtsp://192.168.5.2/live"),
    ("rtsp://[::1]:554/a", "192.168.1.10", "rtsp://192.168.1.10:554/a"),
])
def test_unreachable_host_is_replaced_by_the_officers_host(reported: str, officer: str,
                                                           expected: str) -> None:
    fixed = repair_uri(reported, officer)
    assert fixed.uri == expected
    assert fixed.reported == reported
    assert len(fixed.warnings) == 1 and officer in fixed.warnings[0]


@pytest.mark.parametrize(("reported", "officer"), [
    ("rtsp://192.168.1.64:554/live", "192.168.1.10"),  # same private network: reachable
    ("rtsp://203.0.113.9/live", "192.168.1.10"),  # public address
    ("rtsp://nvr.local/live", "192.168.1.10"),  # a name: the camera's DNS view wins
    ("rtsp://192.168.1.10/live", "192.168.1.10"),
])
def test_reachable_host_is_left_alone(reported: str, officer: str) -> None:
    fixed = repair_uri(reported, officer)
    assert fixed.uri == reported and fixed.warnings == ()


def test_doubled_port_is_removed() -> None:
    fixed = repair_uri("rtsp://192.168.1.10:8106:8106/ch1", "192.168.1.10")
    assert fixed.uri == "rtsp://192.168.1.10:8106/ch1"
    assert "repeated its port" in fixed.warnings[0]


def test_line_breaks_inside_are_removed() -> None:
    fixed = repair_uri("rtsp://192.168.1.10:554/Stre\r\naming/101\r\n", "192.168.1.10")
    assert fixed.uri == "rtsp://192.168.1.10:554/Streaming/101"
    assert "line breaks" in fixed.warnings[0]


def test_two_addresses_prefer_the_one_the_officer_used() -> None:
    fixed = repair_uri("rtsp://192.168.1.64/a rtsp://203.0.113.7/a", "203.0.113.7")
    assert fixed.uri == "rtsp://203.0.113.7/a"
    assert "2 stream addresses" in fixed.warnings[0]


def test_credentials_in_reported_uri_survive_but_never_reach_the_warning() -> None:
    fixed = repair_uri("rtsp://admin:hunter2@127.0.0.1/a b", "192.168.1.10")
    assert fixed.uri.startswith("rtsp://admin:hunter2@")  # not ours to drop
    assert not any("hunter2" in w for w in fixed.warnings)


def test_service_xaddr_behind_nat_takes_the_officers_port_too() -> None:
    fixed = repair_uri("http://192.168.1.64:80/onvif/ptz", "203.0.113.7", what="service",
                       officer_port=8080)
    assert fixed.uri == "http://203.0.113.7:8080/onvif/ptz"
