"""WS-Discovery by unicast to 127.0.0.1 finds the emulator (no multicast in tests)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from commandroom.onvif import OnvifInputError, OnvifService
from tests.support.onvif_emulator import EmulatorSettings, OnvifEmulator

pytestmark = pytest.mark.integration


@pytest.fixture
def onvif() -> Iterator[OnvifService]:
    with OnvifService(timeout_s=3.0) as service:
        yield service


def test_unicast_probe_finds_the_emulator_with_model_and_name(onvif: OnvifService) -> None:
    with OnvifEmulator(EmulatorSettings(model="DS-2CD2143G2-I", name="Market Square")) as emu:
        devices = onvif.discover("127.0.0.1", multicast=False, wait_s=1.0,
                                 port=emu.discovery_port).result(10)
    [device] = devices
    assert device.address == "127.0.0.1"
    assert device.xaddrs == (emu.device_url,)
    assert (device.model, device.name) == ("DS-2CD2143G2-I", "Market Square")
    assert device.endpoint_reference == emu.uuid


def test_an_nvr_answering_for_five_channels_from_one_address_gives_five_devices(
        onvif: OnvifService) -> None:
    """Each channel's ProbeMatches is its own datagram from the same IP, spread over time:
    a first answer from an address must not end the wait for that address."""
    settings = EmulatorSettings(model="DS-7608NI", name="NVR", discovery_channels=5,
                                probe_gap_s=0.1)
    with OnvifEmulator(settings) as emu:
        started = time.monotonic()
        devices = onvif.discover("127.0.0.1", multicast=False, wait_s=1.5,
                                 port=emu.discovery_port).result(10)
        elapsed = time.monotonic() - started
    assert [d.name for d in devices] == [f"NVR {n}" for n in range(1, 6)]
    assert {d.address for d in devices} == {"127.0.0.1"}
    assert len({d.endpoint_reference for d in devices}) == 5
    assert elapsed >= 1.5  # collected until the timeout, not until the first answer


def test_silent_target_gives_an_empty_list_after_the_wait(onvif: OnvifService) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as quiet:
        quiet.bind(("127.0.0.1", 0))  # receives the probe, never answers
        devices = onvif.discover("127.0.0.1", multicast=False, wait_s=0.3,
                                 port=quiet.getsockname()[1]).result(10)
    assert devices == []


def test_bad_range_is_reported_through_the_future(onvif: OnvifService) -> None:
    with pytest.raises(OnvifInputError, match="ends before it starts"):
        onvif.discover("127.0.0.9-3", multicast=False).result(10)
