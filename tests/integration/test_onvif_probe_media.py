"""Add a camera by ONVIF against our emulator: probe, profiles, URIs, every URI quirk."""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
import pytest

from commandroom.onvif import OnvifProtocolError, OnvifService, uri_repair
from tests.support.onvif_emulator import (
    OTHER_HOST,
    STREAM_QUIRKS,
    EmulatorSettings,
    OnvifEmulator,
    endpoint_for,
)

pytestmark = pytest.mark.integration
T = 15.0  # Future.result() guard; real timeouts are the service's own (3 s)


@pytest.fixture
def onvif() -> Iterator[OnvifService]:
    with OnvifService(timeout_s=3.0) as service:
        yield service


def test_two_hour_skew_and_http_digest_only(onvif: OnvifService) -> None:
    settings = EmulatorSettings(clock_skew_s=2 * 3600, auth="digest")
    with OnvifEmulator(settings) as emu:
        ep = endpoint_for(emu)
        probe = onvif.probe(ep).result(T)
        assert probe.device.model == "DS-2DE4A425IW-DE"
        assert probe.device.manufacturer == "HIKVISION"
        assert probe.clock_drift_s is not None and abs(probe.clock_drift_s - 7200) < 2
        assert probe.capabilities.has_media1 and probe.capabilities.has_media2
        assert probe.capabilities.has_ptz
        media = onvif.media(ep).result(T)
        # H.265 2560x1440 exists only through Media2 and is the largest: main.
        assert media.main is not None and media.sub is not None
        assert (media.main.profile.token, media.main.profile.encoding) == ("Profile_3", "H265")
        assert media.main.stream is not None
        assert media.main.stream.uri == "rtsp://127.0.0.1:8554/h265"
        assert media.sub.profile.token == "Profile_2" and media.sub.profile.width == 640
        assert media.warnings == ()
        # Digest really was demanded: the first call met a 401 challenge, all then passed
        # (aiohttp answers later requests pre-emptively).
        ops = {op for op, _ in emu.calls}
        assert {"GetDeviceInformation", "GetProfiles", "GetStreamUri"} <= ops
        assert all((op, True) in emu.calls for op in ops)
        assert emu.calls.count(("GetCapabilities", False)) == 1
        jpeg = onvif.snapshot(ep, media.sub.profile).result(T)
        image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
        assert image is not None and image.shape == (180, 320, 3)


@pytest.mark.parametrize("skew_s", [-2 * 3600, 2 * 3600])
def test_ws_username_token_with_clock_hours_off(onvif: OnvifService, skew_s: float) -> None:
    with OnvifEmulator(EmulatorSettings(clock_skew_s=skew_s, auth="wsse")) as emu:
        probe = onvif.probe(endpoint_for(emu)).result(T)
        assert probe.clock_drift_s is not None and abs(probe.clock_drift_s - skew_s) < 2
        profiles = onvif.profiles(endpoint_for(emu)).result(T)
        assert {p.token for p in profiles} == {"Profile_1", "Profile_2", "Profile_3"}
        assert all(ok for op, ok in emu.calls)  # the digest passed the emulator's 5 s window


@pytest.mark.parametrize("quirk", [q for q in STREAM_QUIRKS if q not in ("no_uri", "other_host")])
def test_unreachable_or_malformed_stream_uri_is_rewritten_and_said(onvif: OnvifService,
                                                                   quirk: str) -> None:
    with OnvifEmulator(EmulatorSettings(stream_quirk=quirk)) as emu:
        ep = endpoint_for(emu)
        [main] = [p for p in onvif.profiles(ep).result(T) if p.token == "Profile_1"]
        uri = onvif.stream_uri(ep, main).result(T)
        assert uri.uri == "rtsp://127.0.0.1:8554/live1"
        assert uri.reported != uri.uri
        assert len(uri.warnings) >= 1
        assert all(str(w).endswith(".") for w in uri.warnings)


def test_stream_uri_on_another_host_is_kept_with_a_warning_and_an_offer(
        onvif: OnvifService) -> None:
    with OnvifEmulator(EmulatorSettings(stream_quirk="other_host")) as emu:
        ep = endpoint_for(emu)
        [main] = [p for p in onvif.profiles(ep).result(T) if p.token == "Profile_1"]
        uri = onvif.stream_uri(ep, main).result(T)
        media = onvif.media(ep).result(T)
    assert uri.uri == f"rtsp://{OTHER_HOST}:8554/live1"  # kept: it may be right
    [warning] = uri.warnings
    assert (warning.code, warning.get("host"), warning.get("device_host")) == (
        uri_repair.OTHER_HOST, OTHER_HOST, "127.0.0.1")
    assert uri.on_device_host == "rtsp://127.0.0.1:8554/live1"
    assert warning in media.warnings


def test_stream_uri_reply_without_uri(onvif: OnvifService) -> None:
    with OnvifEmulator(EmulatorSettings(stream_quirk="no_uri")) as emu:
        ep = endpoint_for(emu)
        profile = onvif.profiles(ep).result(T)[0]
        with pytest.raises(OnvifProtocolError,
                           match=r"^The camera gave no stream address for profile '\w+'\.$"):
            onvif.stream_uri(ep, profile).result(T)
        media = onvif.media(ep).result(T)
        assert media.main is None and media.sub is None
        assert all(p.problem and "no stream address" in str(p.problem) for p in media.profiles)


def test_media2_only_device(onvif: OnvifService) -> None:
    with OnvifEmulator(EmulatorSettings(media2_only=True)) as emu:
        probe = onvif.probe(endpoint_for(emu)).result(T)
        assert not probe.capabilities.has_media1 and probe.capabilities.has_media2
        media = onvif.media(endpoint_for(emu)).result(T)
        assert {p.profile.media_version for p in media.profiles} == {2}
        assert "H265" in {p.profile.encoding for p in media.profiles}
        assert media.main is not None and media.main.stream is not None
        assert media.main.stream.uri.endswith("/h265")


def test_vendor_and_undeclared_namespace_prefixes(onvif: OnvifService) -> None:
    with OnvifEmulator(EmulatorSettings(vendor_namespaces=True)) as emu:
        probe = onvif.probe(endpoint_for(emu)).result(T)
        assert probe.device.model == "DS-2DE4A425IW-DE"
        media = onvif.media(endpoint_for(emu)).result(T)
        assert len(media.profiles) == 3 and media.sub is not None
        assert media.sub.stream is not None
        assert media.sub.stream.uri == "rtsp://127.0.0.1:8554/live1"


def test_service_addresses_behind_nat_are_rewritten(onvif: OnvifService) -> None:
    with OnvifEmulator(EmulatorSettings(xaddr_host="192.168.1.64:80")) as emu:
        probe = onvif.probe(endpoint_for(emu)).result(T)
        assert probe.capabilities.xaddrs["ptz"] == f"http://127.0.0.1:{emu.port}/onvif/ptz_service"
        assert any("192.168.1.64" in str(w) and "127.0.0.1" in str(w) for w in probe.warnings)
        assert len(onvif.profiles(endpoint_for(emu)).result(T)) == 3


def test_added_by_onvif_the_stream_uri_plays(onvif: OnvifService, rtsp_server: object,
                                             hub: object, status_log: object) -> None:
    """End to end: the (NAT-rewritten) sub-stream URI from ONVIF plays through StreamHub."""
    from commandroom.video.state import StreamState
    from commandroom.video.stream_spec import StreamSpec
    from tests.support.rtsp import wait_for_seq

    base = rtsp_server.url("live1").rsplit("/", 1)[0]  # type: ignore[attr-defined]
    settings = EmulatorSettings(rtsp_base=base, stream_quirk="nat")
    with OnvifEmulator(settings) as emu:
        media = onvif.media(endpoint_for(emu)).result(T)
    assert media.sub is not None and media.sub.stream is not None
    assert media.sub.stream.uri == f"{base}/live1" and media.sub.stream.warnings
    spec = StreamSpec(media.sub.stream.uri)
    handle = hub.subscribe(spec, (320, 180))  # type: ignore[attr-defined]
    try:
        status_log.wait_state(spec, StreamState.LIVE, 15.0)  # type: ignore[attr-defined]
        frame = wait_for_seq(handle, 1, 15.0)
        assert frame.source_size == (640, 360)
    finally:
        handle.release()


def test_requests_arriving_together_share_one_client(onvif: OnvifService) -> None:
    """Two calls for the same camera at once (the PTZ pad's poll and the properties
    dialog) connect once: one probe, not one per call."""
    with OnvifEmulator(EmulatorSettings(auth="wsse")) as emu:
        ep = endpoint_for(emu)
        first, second = onvif.profiles(ep), onvif.profiles(ep)
        assert first.result(T) == second.result(T)
        probes = [op for op, _ in emu.calls if op == "GetDeviceInformation"]
        assert len(probes) == 1
