"""Operation replies → our dataclasses (local-name matching; see xmlparse for why)."""

from __future__ import annotations

import datetime as dt

from commandroom.onvif.models import (
    SERVICE_NAMESPACES,
    DeviceInfo,
    MediaProfile,
    PtzPreset,
    PtzStatus,
)
from commandroom.onvif.xmlparse import Element, attr_number, kid, kids, local, number, text

# GetCapabilities category element → our short service name.
_CAPABILITY_NAMES = {"Device": "device", "Media": "media", "PTZ": "ptz", "Imaging": "imaging",
                     "Events": "events"}


def system_time_utc(payload: Element) -> dt.datetime | None:
    """UTC clock of the camera from GetSystemDateAndTimeResponse (None if not given)."""
    utc = kid(payload, "SystemDateAndTime", "UTCDateTime")
    if utc is None:
        return None
    try:
        y, mo, d = (int(number(utc, "Date", k) or 0) for k in ("Year", "Month", "Day"))
        h, mi, s = (int(number(utc, "Time", k) or 0) for k in ("Hour", "Minute", "Second"))
        return dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.UTC)
    except ValueError:
        return None


def device_information(payload: Element) -> DeviceInfo:
    return DeviceInfo(
        manufacturer=text(payload, "Manufacturer") or "",
        model=text(payload, "Model") or "",
        firmware=text(payload, "FirmwareVersion") or "",
        serial=text(payload, "SerialNumber") or "",
        hardware_id=text(payload, "HardwareId") or "",
    )


def capabilities(payload: Element) -> dict[str, str]:
    """GetCapabilitiesResponse → {short name: XAddr}, incl. Extension entries (DeviceIO…)."""
    caps = kid(payload, "Capabilities")
    found: dict[str, str] = {}
    if caps is None:
        return found
    entries = list(caps) + [c for ext in kids(caps, "Extension") for c in ext]
    for entry in entries:
        name = local(entry)
        xaddr = text(entry, "XAddr")
        if xaddr and name != "Extension":
            found.setdefault(_CAPABILITY_NAMES.get(name, name.lower()), xaddr)
    return found


def services(payload: Element) -> dict[str, str]:
    """GetServicesResponse → {short name (or namespace): XAddr}."""
    found: dict[str, str] = {}
    for service in kids(payload, "Service"):
        namespace, xaddr = text(service, "Namespace"), text(service, "XAddr")
        if namespace and xaddr:
            found.setdefault(SERVICE_NAMESPACES.get(namespace, namespace), xaddr)
    return found


def _fps(rate: Element | None) -> float | None:
    if rate is None:
        return None
    value = number(rate, "FrameRateLimit")
    return value if value and value > 0 else None


def profiles_media1(payload: Element) -> list[MediaProfile]:
    found = []
    for p in kids(payload, "Profiles"):
        enc = kid(p, "VideoEncoderConfiguration")
        width, height = number(enc, "Resolution", "Width"), number(enc, "Resolution", "Height")
        ptz = kid(p, "PTZConfiguration")
        found.append(MediaProfile(
            token=p.get("token", ""),
            name=text(p, "Name") or p.get("token", ""),
            media_version=1,
            encoding=_codec(text(enc, "Encoding")),
            width=int(width) if width else None,
            height=int(height) if height else None,
            fps=_fps(kid(enc, "RateControl")),
            ptz_configuration=ptz.get("token") if ptz is not None else None,
        ))
    return found


def profiles_media2(payload: Element) -> list[MediaProfile]:
    found = []
    for p in kids(payload, "Profiles"):
        conf = kid(p, "Configurations")
        enc = kid(conf, "VideoEncoder")
        width, height = number(enc, "Resolution", "Width"), number(enc, "Resolution", "Height")
        ptz = kid(conf, "PTZ")
        rate = kid(enc, "RateControl")
        found.append(MediaProfile(
            token=p.get("token", ""),
            name=text(p, "Name") or p.get("token", ""),
            media_version=2,
            encoding=_codec(enc.get("Encoding") if enc is not None else None)
            or _codec(text(enc, "Encoding")),
            width=int(width) if width else None,
            height=int(height) if height else None,
            fps=_fps(rate) or attr_number(rate, "FrameRateLimit"),
            ptz_configuration=ptz.get("token") if ptz is not None else None,
        ))
    return found


def _codec(value: str | None) -> str | None:
    """Media1 says H264, Media2 says H264/H265 or MIME names (video/H265): unify."""
    if not value:
        return None
    v = value.strip().upper().removeprefix("VIDEO/").replace(".", "")
    return {"HEVC": "H265", "AVC": "H264", "JPEG": "JPEG", "MJPEG": "JPEG"}.get(v, v)


def media_uri(payload: Element) -> str | None:
    """GetStreamUri/GetSnapshotUri reply (Media1: MediaUri/Uri, Media2: Uri); None if absent."""
    return text(payload, "MediaUri", "Uri") or text(payload, "Uri")


def presets(payload: Element) -> list[PtzPreset]:
    found = []
    for p in kids(payload, "Preset"):
        pos = kid(p, "PTZPosition")
        pan_tilt, zoom = kid(pos, "PanTilt"), kid(pos, "Zoom")
        token = p.get("token", "")
        found.append(PtzPreset(token=token, name=text(p, "Name") or token,
                               pan=attr_number(pan_tilt, "x"), tilt=attr_number(pan_tilt, "y"),
                               zoom=attr_number(zoom, "x")))
    return found


def ptz_status(payload: Element) -> PtzStatus:
    status = kid(payload, "PTZStatus")
    pan_tilt, zoom = kid(status, "Position", "PanTilt"), kid(status, "Position", "Zoom")
    move = kid(status, "MoveStatus")
    states: list[str] = [(c.text or "").strip().upper() for c in move] if move is not None else []
    if move is not None and move.text and move.text.strip():
        states.append(move.text.strip().upper())  # some firmwares put the state right here
    when = text(status, "UtcTime")
    utc: dt.datetime | None = None
    if when:
        try:
            utc = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
        except ValueError:
            utc = None
    return PtzStatus(pan=attr_number(pan_tilt, "x"), tilt=attr_number(pan_tilt, "y"),
                     zoom=attr_number(zoom, "x"), moving="MOVING" in states, utc_time=utc)


def preset_token(payload: Element) -> str | None:
    return text(payload, "PresetToken")
