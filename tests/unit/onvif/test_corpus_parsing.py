"""Every recorded real-camera reply we copied is read into our dataclasses (or refused clearly).

The corpus (tests/data/onvif, copied from public projects with their licences) spans
D-Link, Hikvision-style, XiongMai, Axis, Milesight and gSOAP firmwares with their
prefixes, vendor namespaces and mistakes; the parser matches local names so all of them
must read. Files are dispatched on what their Body really holds, not on their name.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from commandroom.onvif import recording_models, responses
from commandroom.onvif.discovery import parse_probe_matches
from commandroom.onvif.errors import OnvifAuthError, OnvifFaultError, OnvifProtocolError
from commandroom.onvif.uri_repair import repair_uri
from commandroom.onvif.xmlparse import find_body, local, parse_document, response_payload

CORPUS = Path(__file__).parents[2] / "data" / "onvif"
FILES = sorted(CORPUS.rglob("*.xml"))
# Recorded under one name, holding another reply (a real capture mistake upstream).
MISLABELLED = {
    "easy_onvif/SUNBA.405/media1/GetProfilesResponse.xml": "GetServicesResponse",
    "easy_onvif/SUNBA.405/media2/GetProfilesResponse.xml": "GetServicesResponse",
}
# SUNBA.405/ptz/GetPresetsResponse.xml has a mismatched tag in its Header: the Body is
# still found (see find_body) and read.
# A capture whose namespace declarations were broken across lines ("htt\np://", "x mlns").
MANGLED = {"easy_onvif/unknown/device_management/GetCapabilitiesResponse.xml"}


def _rel(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def _body_kind(data: bytes) -> str | None:
    body = find_body(parse_document(data))
    payload = next((c for c in body if isinstance(c.tag, str)), None) if body is not None else None
    return local(payload) if payload is not None else None


def test_corpus_is_present_with_licences() -> None:
    for folder in ("easy_onvif", "ex_onvif", "agsh_onvif"):
        assert any((CORPUS / folder).glob("LICENSE*")), folder
        assert (CORPUS / folder / "SOURCE_COMMIT").read_text().strip()
    kinds = Counter(f.name for f in FILES)
    assert kinds["GetProfilesResponse.xml"] >= 14
    assert kinds["GetStreamUriResponse.xml"] >= 9
    assert kinds["GetCapabilitiesResponse.xml"] >= 9


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_recorded_reply_parses(path: Path) -> None:
    data = path.read_bytes()
    rel = _rel(path)
    if rel in MANGLED:
        with pytest.raises(OnvifProtocolError) as info:
            response_payload(data, "GetCapabilitiesResponse")
        assert str(info.value).endswith(".")
        return
    kind = _body_kind(data)
    assert kind is not None, rel
    if rel in MISLABELLED:
        assert kind == MISLABELLED[rel]
        with pytest.raises(OnvifProtocolError, match="GetServicesResponse where "
                                                     "GetProfilesResponse was expected"):
            response_payload(data, "GetProfilesResponse")
    if kind == "Fault":
        with pytest.raises((OnvifFaultError, OnvifAuthError)) as info:
            response_payload(data, "AnythingResponse")
        message = str(info.value)
        assert message.endswith(".") and "\n" not in message and "<" not in message
        return
    if kind == "ProbeMatches":
        devices = parse_probe_matches(data, "192.0.2.1")
        assert devices and devices[0].name == "PREDATOR" and devices[0].model == "HD_PREDATOR"
        return
    if not kind.endswith("Response"):
        assert rel.endswith(("GetStreamUri.xml",)), f"unexpected request body in {rel}"
        return
    payload = response_payload(data, kind)
    if kind == "GetProfilesResponse":
        media2 = "ver20/media" in (payload.tag or "") or "/media2/" in rel
        profiles = (responses.profiles_media2 if media2 else responses.profiles_media1)(payload)
        assert profiles, rel
        for p in profiles:
            assert p.token and p.name
            if p.encoding:  # a profile without a video encoder (Hikvision's H.265 one) is legal
                assert p.encoding in ("H264", "H265", "JPEG", "MPEG4"), (rel, p)
                assert p.width and p.height and p.pixels > 0, (rel, p)
        if not media2:
            assert any(p.pixels > 0 for p in profiles), rel
    elif kind in ("GetStreamUriResponse", "GetSnapshotUriResponse"):
        uri = responses.media_uri(payload)
        assert uri and "://" in uri, rel
        if kind == "GetStreamUriResponse":
            assert uri.startswith("rtsp://")
            fixed = repair_uri(uri, "203.0.113.7")  # officer outside the camera's LAN
            assert "\n" not in fixed.uri and " " not in fixed.uri
            if fixed.uri != uri:
                assert fixed.warnings and "203.0.113.7" in fixed.uri
    elif kind == "GetCapabilitiesResponse":
        caps = responses.capabilities(payload)
        assert caps["device"].startswith("http"), rel
        assert "media" in caps, rel
        assert all(u.startswith("http") for u in caps.values())
    elif kind == "GetServicesResponse":
        services = responses.services(payload)
        assert services["device"].startswith("http"), rel
        assert "media" in services or "media2" in services, rel
    elif kind == "GetSystemDateAndTimeResponse":
        when = responses.system_time_utc(payload)
        assert when is not None and 2000 < when.year < 2100, rel
    elif kind == "GetDeviceInformationResponse":
        info = responses.device_information(payload)
        assert info.manufacturer or info.model, rel
    elif kind == "GetPresetsResponse":
        presets = responses.presets(payload)  # may be empty (happytimesoft has none)
        assert all(p.token and p.name for p in presets), rel
    elif kind == "GetStatusResponse":
        status = responses.ptz_status(payload)
        assert (status.pan is not None and -1.0 <= status.pan <= 1.0) or status.zoom is not None
    elif kind == "SetPresetResponse":
        assert responses.preset_token(payload), rel
    elif kind in ("FindRecordingsResponse", "FindEventsResponse"):
        assert recording_models.search_token(payload), rel
    elif kind == "GetRecordingSearchResultsResponse":
        found = recording_models.recording_results(payload)
        assert found and all(r.token and r.tracks for r in found), rel
        assert recording_models.search_state(payload) == "Completed"
    elif kind == "GetRecordingSummaryResponse":
        assert recording_models.recording_summary(payload).count > 0, rel
    elif kind == "GetReplayUriResponse":
        assert (recording_models.replay_uri(payload) or "").startswith("rtsp://"), rel
    else:
        pytest.fail(f"{rel}: no parser for {kind}")


def test_media1_profile_details_from_a_hikvision_style_camera() -> None:
    data = (CORPUS / "easy_onvif/IPG-8150PSS/media1/GetProfilesResponse.xml").read_bytes()
    profiles = responses.profiles_media1(response_payload(data, "GetProfilesResponse"))
    first = profiles[0]
    assert (first.token, first.encoding, first.width, first.height, first.fps) == (
        "PROFILE_000", "H264", 2560, 1920, 20.0)


def test_media2_stream_uri_with_vendor_prefix_trt2() -> None:
    data = (CORPUS / "easy_onvif/SUNBA.405/media2/GetStreamUriResponse.xml").read_bytes()
    uri = responses.media_uri(response_payload(data, "GetStreamUriResponse"))
    assert uri is not None and uri.startswith("rtsp://192.168.15.40:554/")
