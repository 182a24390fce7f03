"""WS-Discovery without the network: typed ranges, the Probe message, ProbeMatches."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from commandroom.onvif.discovery import MAX_TARGETS, build_probe, parse_probe_matches, parse_targets
from commandroom.onvif.errors import OnvifInputError

PROBE_MATCHES = Path(__file__).parents[2] / "data" / "onvif" / "agsh_onvif" / "Probe.xml"


def test_short_range_cidr_list_and_duplicates() -> None:
    assert parse_targets("192.168.1.10-12") == ["192.168.1.10", "192.168.1.11", "192.168.1.12"]
    assert parse_targets("10.0.0.254-10.0.1.1") == ["10.0.0.254", "10.0.0.255", "10.0.1.0",
                                                     "10.0.1.1"]
    assert parse_targets("192.168.7.0/30") == ["192.168.7.1", "192.168.7.2"]
    assert parse_targets("127.0.0.1, 127.0.0.1 127.0.0.2") == ["127.0.0.1", "127.0.0.2"]
    assert parse_targets("") == []


@pytest.mark.parametrize(("typed", "words"), [
    ("192.168.1.300", "is not an address"),
    ("cam7", "is not an address"),
    ("192.168.1.20-10", "ends before it starts"),
    ("10.0.0.0/8", "too large"),
])
def test_bad_input_gets_one_clear_sentence(typed: str, words: str) -> None:
    with pytest.raises(OnvifInputError) as info:
        parse_targets(typed)
    assert words in str(info.value) and str(info.value).endswith(".")
    assert MAX_TARGETS == 1024


def test_probe_is_the_standard_ws_discovery_message() -> None:
    root = etree.fromstring(build_probe("urn:uuid:1234"))
    ns = {"s": "http://www.w3.org/2003/05/soap-envelope",
          "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
          "d": "http://schemas.xmlsoap.org/ws/2005/04/discovery"}
    assert root.findtext("s:Header/a:MessageID", namespaces=ns) == "urn:uuid:1234"
    assert root.findtext("s:Header/a:Action", namespaces=ns).endswith("/discovery/Probe")
    assert root.findtext("s:Header/a:To", namespaces=ns) == (
        "urn:schemas-xmlsoap-org:ws:2005:04:discovery")
    assert root.findtext("s:Body/d:Probe/d:Types", namespaces=ns) == "dn:NetworkVideoTransmitter"


def test_recorded_probe_matches_give_name_model_and_scopes() -> None:
    data = PROBE_MATCHES.read_bytes()
    [device] = parse_probe_matches(data, "192.0.2.5")
    assert device.address == "192.0.2.5"
    assert (device.name, device.model, device.location) == ("PREDATOR", "HD_PREDATOR", "")
    assert device.endpoint_reference == "uuid:c9790c3a-701b-464d-a189-0060351c8ada"
    assert "onvif://www.onvif.org/type/ptz" in device.scopes
    # An answer to somebody else's Probe is ignored.
    assert parse_probe_matches(data, "192.0.2.5", message_id="urn:uuid:other") == []
    assert parse_probe_matches(b"not xml at all", "192.0.2.5") == []
