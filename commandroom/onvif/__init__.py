"""Headless ONVIF core: probe, profiles, stream URIs, PTZ and WS-Discovery (no Qt)."""

from commandroom.onvif.errors import (
    OnvifAuthError,
    OnvifError,
    OnvifFaultError,
    OnvifInputError,
    OnvifNotSupportedError,
    OnvifProtocolError,
    OnvifTimeoutError,
    OnvifUnreachableError,
)
from commandroom.onvif.models import (
    CameraEndpoint,
    Capabilities,
    DeviceInfo,
    DiscoveredDevice,
    MediaOverview,
    MediaProfile,
    ProbeResult,
    ProfileStreams,
    PtzPreset,
    PtzStatus,
    PtzSupport,
    StreamUri,
)
from commandroom.onvif.service import OnvifService

__all__ = [
    "CameraEndpoint", "Capabilities", "DeviceInfo", "DiscoveredDevice", "MediaOverview",
    "MediaProfile", "OnvifAuthError", "OnvifError", "OnvifFaultError", "OnvifInputError",
    "OnvifNotSupportedError", "OnvifProtocolError", "OnvifService", "OnvifTimeoutError",
    "OnvifUnreachableError", "ProbeResult", "ProfileStreams", "PtzPreset", "PtzStatus",
    "PtzSupport", "StreamUri",
]
