"""PTZ commands for one camera (continuous move, stop, status, presets)."""

from __future__ import annotations

from commandroom.notices import define, notice
from commandroom.onvif import responses
from commandroom.onvif.camera import CameraClient
from commandroom.onvif.errors import (
    OnvifFaultError,
    OnvifInputError,
    OnvifNotSupportedError,
    OnvifProtocolError,
)
from commandroom.onvif.models import PtzPreset, PtzStatus, PtzSupport
from commandroom.onvif.soap import x

NO_PTZ_SERVICE = define("onvif.no_ptz_service", "The camera has no PTZ service.")
NO_PTZ_PROFILE = define("onvif.no_ptz_profile",
                        "None of the camera's video profiles has a PTZ configuration.")
PTZ_REFUSED = define("onvif.ptz_refused",
                     "The camera lists a PTZ service but refuses PTZ commands: {problem}")
PRESET_NAME_REQUIRED = define("onvif.preset_name_required", "A preset needs a name.")


def _clamp(value: float) -> float:
    return max(-1.0, min(1.0, float(value)))


async def resolve_profile(client: CameraClient, token: str | None) -> str:
    """The profile to steer: the one given, or the first with a PTZ configuration."""
    if not client.capabilities.has_ptz:
        raise OnvifNotSupportedError(NO_PTZ_SERVICE)
    if token:
        return token
    for profile in await client.profiles():
        if profile.ptz_configuration:
            return profile.token
    raise OnvifNotSupportedError(NO_PTZ_PROFILE)


def _tok(token: str) -> str:
    return f"<tptz:ProfileToken>{x(token)}</tptz:ProfileToken>"


async def support(client: CameraClient, token: str | None = None) -> PtzSupport:
    """Can this camera be steered? A PTZ service whose every call faults counts as no."""
    try:
        token = await resolve_profile(client, token)
        await client.request("ptz", "tptz", "GetStatus", _tok(token))
    except OnvifNotSupportedError as exc:
        return PtzSupport(False, exc.notice)
    except (OnvifFaultError, OnvifProtocolError) as exc:
        return PtzSupport(False, notice(PTZ_REFUSED, problem=exc.notice))
    return PtzSupport(True, None, token)


async def continuous_move(client: CameraClient, token: str | None, pan: float, tilt: float,
                          zoom: float) -> None:
    """Start moving at the given speeds (each in [-1, 1]) until ``stop``."""
    token = await resolve_profile(client, token)
    inner = (f"{_tok(token)}<tptz:Velocity>"
             f'<tt:PanTilt x="{_clamp(pan):g}" y="{_clamp(tilt):g}"/>'
             f'<tt:Zoom x="{_clamp(zoom):g}"/></tptz:Velocity>')
    await client.request("ptz", "tptz", "ContinuousMove", inner)


async def stop(client: CameraClient, token: str | None) -> None:
    token = await resolve_profile(client, token)
    inner = f"{_tok(token)}<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom>"
    await client.request("ptz", "tptz", "Stop", inner)


async def status(client: CameraClient, token: str | None) -> PtzStatus:
    token = await resolve_profile(client, token)
    return responses.ptz_status(await client.request("ptz", "tptz", "GetStatus", _tok(token)))


async def presets(client: CameraClient, token: str | None) -> list[PtzPreset]:
    token = await resolve_profile(client, token)
    return responses.presets(await client.request("ptz", "tptz", "GetPresets", _tok(token)))


async def goto_preset(client: CameraClient, token: str | None, preset_token: str) -> None:
    token = await resolve_profile(client, token)
    inner = f"{_tok(token)}<tptz:PresetToken>{x(preset_token)}</tptz:PresetToken>"
    await client.request("ptz", "tptz", "GotoPreset", inner)


async def set_preset(client: CameraClient, token: str | None, name: str,
                     preset_token: str | None = None) -> str:
    """Store the current position as preset ``name``; returns the preset's token.

    With ``preset_token`` the existing preset is overwritten: that is how ONVIF renames
    a preset (note: the camera also stores the *current* position under it).
    """
    if not name.strip():
        raise OnvifInputError(PRESET_NAME_REQUIRED)
    token = await resolve_profile(client, token)
    inner = f"{_tok(token)}<tptz:PresetName>{x(name.strip())}</tptz:PresetName>"
    if preset_token:
        inner += f"<tptz:PresetToken>{x(preset_token)}</tptz:PresetToken>"
    reply = await client.request("ptz", "tptz", "SetPreset", inner)
    return responses.preset_token(reply) or preset_token or ""
