"""Unreachable or malformed addresses from cameras are fixed, and the fix is said."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from commandroom.notices import describe
from commandroom.onvif.uri_repair import OTHER_HOST, other_host_warning, point_at_host, repair_uri


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
    assert len(fixed.warnings) == 1 and officer in describe(fixed.warnings[0])
    assert fixed.on_device_host == ""  # already on the device's host


@pytest.mark.parametrize(("reported", "officer", "on_device"), [
    # same private network: reachable, but not the device that answered
    ("rtsp://192.168.1.64:554/live", "192.168.1.10", "rtsp://192.168.1.10:554/live"),
    ("rtsp://192.0.2.10/live", "10.1.2.3", "rtsp://10.1.2.3/live"),  # a public address
    ("rtsp://nvr.local/live", "192.168.1.10", "rtsp://192.168.1.10/live"),  # a name
    ("rtsp://u:p@192.0.2.10:8554/a?x=1", "10.1.2.3", "rtsp://u:p@10.1.2.3:8554/a?x=1"),
])
def test_a_reachable_host_other_than_the_device_is_kept_with_a_warning(
        reported: str, officer: str, on_device: str) -> None:
    fixed = repair_uri(reported, officer)
    assert fixed.uri == reported  # kept: it may be right (a recorder, a forward)
    [warning] = fixed.warnings
    assert warning.code == OTHER_HOST
    assert (warning.get("host"), warning.get("device_host")) == (
        urlsplit(reported).hostname, officer)
    assert describe(warning).startswith("The camera's stream address points at ")
    assert fixed.on_device_host == on_device


def test_the_devices_own_host_gives_no_warning() -> None:
    fixed = repair_uri("rtsp://192.168.1.10/live", "192.168.1.10")
    assert (fixed.uri, fixed.warnings, fixed.on_device_host) == (
        "rtsp://192.168.1.10/live", (), "")
    assert other_host_warning("rtsp://[::1]:554/a", "::1") is None


def test_a_typed_uri_is_checked_and_rewritten_the_same_way() -> None:
    warning = other_host_warning("rtsp://192.0.2.10:554/main", "10.1.2.3", what="stream")
    assert warning is not None and warning.get("host") == "192.0.2.10"
    assert point_at_host("rtsp://192.0.2.10:554/main", "10.1.2.3") == "rtsp://10.1.2.3:554/main"
    assert point_at_host("rtsp://192.0.2.10/main", "fe80::1") == "rtsp://[fe80::1]/main"


def test_doubled_port_is_removed() -> None:
    fixed = repair_uri("rtsp://192.168.1.10:8106:8106/ch1", "192.168.1.10")
    assert fixed.uri == "rtsp://192.168.1.10:8106/ch1"
    assert "repeated its port" in describe(fixed.warnings[0])


def test_line_breaks_inside_are_removed() -> None:
    fixed = repair_uri("rtsp://192.168.1.10:554/Stre\r\naming/101\r\n", "192.168.1.10")
    assert fixed.uri == "rtsp://192.168.1.10:554/Streaming/101"
    assert "line breaks" in describe(fixed.warnings[0])


def test_two_addresses_prefer_the_one_the_officer_used() -> None:
    fixed = repair_uri("rtsp://192.168.1.64/a rtsp://203.0.113.7/a", "203.0.113.7")
    assert fixed.uri == "rtsp://203.0.113.7/a"
    assert "2 stream addresses" in describe(fixed.warnings[0])


def test_credentials_in_reported_uri_survive_but_never_reach_the_warning() -> None:
    fixed = repair_uri("rtsp://admin:hunter2@127.0.0.1/a b", "192.168.1.10")
    assert fixed.uri.startswith("rtsp://admin:hunter2@")  # not ours to drop
    assert not any("hunter2" in describe(w) for w in fixed.warnings)


def test_service_xaddr_behind_nat_takes_the_officers_port_too() -> None:
    fixed = repair_uri("http://192.168.1.64:80/onvif/ptz", "203.0.113.7", what="service",
                       officer_port=8080)
    assert fixed.uri == "http://203.0.113.7:8080/onvif/ptz"
