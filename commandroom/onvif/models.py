"""Plain dataclasses the ONVIF façade hands to the rest of the application."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from commandroom.notices import Notice


@dataclass(frozen=True)
class CameraEndpoint:
    """Where and how to reach a camera's ONVIF device service (what the officer typed)."""

    host: str
    port: int = 80
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class DeviceInfo:
    manufacturer: str = ""
    model: str = ""
    firmware: str = ""
    serial: str = ""
    hardware_id: str = ""


# Short names for the service namespaces we care about.
SERVICE_NAMESPACES: dict[str, str] = {
    "http://www.onvif.org/ver10/device/wsdl": "device",
    "http://www.onvif.org/ver10/media/wsdl": "media",
    "http://www.onvif.org/ver20/media/wsdl": "media2",
    "http://www.onvif.org/ver20/ptz/wsdl": "ptz",
    "http://www.onvif.org/ver20/imaging/wsdl": "imaging",
    "http://www.onvif.org/ver10/events/wsdl": "events",
    "http://www.onvif.org/ver10/search/wsdl": "search",
    "http://www.onvif.org/ver10/replay/wsdl": "replay",
    "http://www.onvif.org/ver10/recording/wsdl": "recording",
}


@dataclass(frozen=True)
class Capabilities:
    """Service addresses (XAddrs) by short name: device, media, media2, ptz, imaging, events."""

    xaddrs: dict[str, str] = field(default_factory=dict)

    @property
    def has_media1(self) -> bool:
        return "media" in self.xaddrs

    @property
    def has_media2(self) -> bool:
        return "media2" in self.xaddrs

    @property
    def has_ptz(self) -> bool:
        return "ptz" in self.xaddrs

    @property
    def has_events(self) -> bool:
        """The device advertises an events service (PullPoint subscriptions)."""
        return "events" in self.xaddrs


@dataclass(frozen=True)
class ProbeResult:
    endpoint: CameraEndpoint
    device: DeviceInfo
    capabilities: Capabilities
    # Camera clock minus our clock, in seconds (None: the camera did not tell its time).
    clock_drift_s: float | None
    warnings: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class MediaProfile:
    token: str
    name: str
    media_version: int  # 1 = Media (ver10), 2 = Media2 (ver20)
    encoding: str | None = None  # "H264", "H265", "JPEG", ...
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    ptz_configuration: str | None = None  # token; None: this profile cannot steer PTZ

    @property
    def pixels(self) -> int:
        return (self.width or 0) * (self.height or 0)


@dataclass(frozen=True)
class StreamUri:
    """A URI as we will use it; ``warnings`` says what we changed and why."""

    uri: str
    reported: str  # exactly what the camera said (after XML decoding)
    warnings: tuple[Notice, ...] = ()
    # When the URI names a host other than the device that answered: the same URI on the
    # device's host, for the officer to choose instead ("" otherwise).
    on_device_host: str = ""


@dataclass(frozen=True)
class ReplayTarget:
    """Where a recording replays (Profile G) and the device's clock minus ours (s)."""

    uri: StreamUri
    clock_drift_s: float | None


@dataclass(frozen=True)
class ProfileStreams:
    profile: MediaProfile
    stream: StreamUri | None
    snapshot: StreamUri | None
    problem: Notice | None = None  # why ``stream`` is None


@dataclass(frozen=True)
class MediaOverview:
    profiles: tuple[ProfileStreams, ...]
    main: ProfileStreams | None
    sub: ProfileStreams | None

    @property
    def warnings(self) -> tuple[Notice, ...]:
        seen: dict[Notice, None] = {}
        for p in self.profiles:
            for uri in (p.stream, p.snapshot):
                for w in uri.warnings if uri else ():
                    seen.setdefault(w)
        return tuple(seen)


@dataclass(frozen=True)
class PtzStatus:
    pan: float | None
    tilt: float | None
    zoom: float | None
    moving: bool
    utc_time: dt.datetime | None = None


@dataclass(frozen=True)
class PtzPreset:
    token: str
    name: str
    pan: float | None = None
    tilt: float | None = None
    zoom: float | None = None


@dataclass(frozen=True)
class PtzSupport:
    available: bool
    reason: Notice | None  # why not, or None when available
    profile_token: str | None = None


@dataclass(frozen=True)
class DiscoveredDevice:
    address: str  # the IP the answer came from
    xaddrs: tuple[str, ...]
    scopes: tuple[str, ...]
    endpoint_reference: str = ""
    name: str = ""
    hardware: str = ""
    location: str = ""

    @property
    def model(self) -> str:
        # ONVIF puts the model in the "hardware" scope.
        return self.hardware
