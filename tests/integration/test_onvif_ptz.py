"""PTZ through the emulator: the position really moves, stops, and presets work."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from commandroom.onvif import OnvifService, PtzStatus
from tests.support.onvif_emulator import EmulatorSettings, OnvifEmulator, endpoint_for

pytestmark = pytest.mark.integration
T = 15.0


@pytest.fixture
def emu() -> Iterator[OnvifEmulator]:
    with OnvifEmulator(EmulatorSettings(clock_skew_s=-3600)) as emulator:
        yield emulator


@pytest.fixture
def onvif() -> Iterator[OnvifService]:
    with OnvifService(timeout_s=3.0) as service:
        yield service


def _status_until(onvif: OnvifService, emu: OnvifEmulator, done: object,
                  limit_s: float = 5.0) -> PtzStatus:
    # Polling a condition with a deadline: the camera offers nothing to wait on.
    deadline = time.monotonic() + limit_s
    while True:
        status = onvif.ptz_status(endpoint_for(emu)).result(T)
        if done(status) or time.monotonic() > deadline:  # type: ignore[operator]
            return status


def test_continuous_move_then_stop(onvif: OnvifService, emu: OnvifEmulator) -> None:
    support = onvif.ptz_support(endpoint_for(emu)).result(T)
    assert support.available and support.profile_token == "Profile_1"
    start = onvif.ptz_status(endpoint_for(emu)).result(T)
    assert (start.pan, start.tilt, start.zoom, start.moving) == (0.0, 0.0, 0.0, False)

    onvif.ptz_move(endpoint_for(emu), pan=1.0, tilt=-0.5, zoom=0.0).result(T)
    moving = _status_until(onvif, emu, lambda s: s.pan is not None and s.pan > 0.2)
    assert moving.moving and moving.pan is not None and moving.tilt is not None
    assert moving.pan > 0.2 and moving.tilt < 0.0

    onvif.ptz_stop(endpoint_for(emu)).result(T)
    stopped = onvif.ptz_status(endpoint_for(emu)).result(T)
    again = onvif.ptz_status(endpoint_for(emu)).result(T)
    assert not stopped.moving
    assert stopped.pan == again.pan and stopped.tilt == again.tilt  # it stays put
    assert stopped.pan is not None and moving.pan <= stopped.pan <= 1.0

    # Speeds beyond ±1 are clamped, and the position never leaves [-1, 1].
    onvif.ptz_move(endpoint_for(emu), pan=5.0, tilt=0.0).result(T)
    edge = _status_until(onvif, emu, lambda s: s.pan == 1.0)
    onvif.ptz_stop(endpoint_for(emu)).result(T)
    assert edge.pan == 1.0


def test_presets_set_goto_rename(onvif: OnvifService, emu: OnvifEmulator) -> None:
    ep = endpoint_for(emu)
    presets = onvif.ptz_presets(ep).result(T)
    assert [(p.token, p.name) for p in presets] == [("1", "Gate")]

    onvif.ptz_goto_preset(ep, "1").result(T)
    at_gate = onvif.ptz_status(ep).result(T)
    assert (at_gate.pan, at_gate.tilt) == (0.25, -0.1)

    token = onvif.ptz_set_preset(ep, "North road & bridge").result(T)
    assert token == "2"
    renamed = onvif.ptz_set_preset(ep, "North road <bridge>", preset_token=token).result(T)
    assert renamed == token
    after = {p.token: p for p in onvif.ptz_presets(ep).result(T)}
    assert set(after) == {"1", "2"}
    assert after["2"].name == "North road <bridge>"
    assert (after["2"].pan, after["2"].tilt) == (0.25, -0.1)
