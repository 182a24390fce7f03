"""Every failure reaches the caller as an OnvifError with one clear sentence, quickly."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator

import pytest

from commandroom.onvif import (
    CameraEndpoint,
    OnvifAuthError,
    OnvifFaultError,
    OnvifNotSupportedError,
    OnvifService,
    OnvifTimeoutError,
    OnvifUnreachableError,
)
from commandroom.onvif.soap import call, new_session
from tests.support.onvif_emulator import EmulatorSettings, OnvifEmulator, endpoint_for

pytestmark = pytest.mark.integration
T = 15.0
AUTH = "The camera rejected the user name or password."


@pytest.fixture
def onvif() -> Iterator[OnvifService]:
    with OnvifService(timeout_s=3.0) as service:
        yield service


@pytest.mark.parametrize("auth", ["wsse", "digest"])
def test_wrong_password(onvif: OnvifService, auth: str) -> None:
    with OnvifEmulator(EmulatorSettings(auth=auth)) as emu:
        with pytest.raises(OnvifAuthError) as info:
            onvif.probe(endpoint_for(emu, password="Wrong-Pass-77")).result(T)
        assert str(info.value) == AUTH
        assert info.value.__traceback__ is not None and "Wrong-Pass-77" not in str(info.value)


def test_unadjusted_created_is_rejected_by_a_skewed_camera() -> None:
    """Proves the emulator's 5 s window is real: without the clock offset, auth fails."""

    async def unadjusted(port: int) -> None:
        session = new_session("admin", "Secret-123", 3.0)
        try:
            await call(session, f"http://127.0.0.1:{port}/onvif/device_service", "tds",
                       "GetDeviceInformation", "", user="admin", password="Secret-123",
                       clock_offset=None)
        finally:
            await session.close()

    with OnvifEmulator(EmulatorSettings(clock_skew_s=7200)) as emu:
        with pytest.raises(OnvifAuthError, match=AUTH):
            asyncio.run(unadjusted(emu.port))
        assert emu.calls == [("GetDeviceInformation", False)]


def test_soap_fault_gives_the_cameras_reason(onvif: OnvifService) -> None:
    with OnvifEmulator(EmulatorSettings(fault_ops={"GetProfiles"})) as emu:
        with pytest.raises(OnvifFaultError) as info:
            onvif.profiles(endpoint_for(emu)).result(T)
        assert str(info.value) == ("The camera refused the request: "
                                   "GetProfiles failed inside the device.")


def test_response_that_never_comes_times_out_quickly() -> None:
    settings = EmulatorSettings(delay_s=60.0, delay_ops={"GetDeviceInformation"})
    with OnvifEmulator(settings) as emu, OnvifService(timeout_s=1.5) as onvif:
        started = time.monotonic()
        with pytest.raises(OnvifTimeoutError) as info:
            onvif.probe(endpoint_for(emu)).result(T)
        elapsed = time.monotonic() - started
        assert str(info.value) == "The camera did not answer within 1.5 s."
        assert 1.4 < elapsed < 5.0


def test_nothing_listening(onvif: OnvifService) -> None:
    with socket.socket() as s:  # a port surely closed: bound, never listened on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        with pytest.raises(OnvifUnreachableError) as info:
            onvif.probe(CameraEndpoint("127.0.0.1", port, "admin", "x")).result(T)
    assert str(info.value) == (f"The camera at 127.0.0.1:{port} could not be reached "
                               "(connection refused or no route).")


def test_no_ptz_service(onvif: OnvifService) -> None:
    with OnvifEmulator(EmulatorSettings(no_ptz=True)) as emu:
        support = onvif.ptz_support(endpoint_for(emu)).result(T)
        assert (support.available, str(support.reason)) == (
            False, "The camera has no PTZ service.")
        with pytest.raises(OnvifNotSupportedError, match=r"^The camera has no PTZ service\.$"):
            onvif.ptz_move(endpoint_for(emu), 0.5, 0.0).result(T)


def test_ptz_service_listed_but_every_call_faults(onvif: OnvifService) -> None:
    with OnvifEmulator(EmulatorSettings(ptz_faults=True)) as emu:
        support = onvif.ptz_support(endpoint_for(emu)).result(T)
        assert not support.available
        assert str(support.reason).startswith("The camera lists a PTZ service but refuses PTZ")
        with pytest.raises(OnvifFaultError, match="does not implement"):
            onvif.ptz_status(endpoint_for(emu)).result(T)


def test_calls_after_close_fail_cleanly() -> None:
    service = OnvifService(timeout_s=1.0)
    service.close()
    service.close()  # idempotent
    with pytest.raises(Exception, match="shut down") as info:
        service.probe(CameraEndpoint("127.0.0.1", 1)).result(1)
    assert type(info.value).__name__ == "OnvifError"
