"""The emulator's answer to each SOAP operation (kept apart from the HTTP plumbing)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.support import onvif_emulator_bodies as bodies
from tests.support import onvif_emulator_recording as profile_g

if TYPE_CHECKING:
    from tests.support.onvif_emulator import OnvifEmulator


def _local(el: Any) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rpartition("}")[2].rpartition(":")[2]


def _child_text(el: Any, name: str) -> str | None:
    for c in el.iter():
        if _local(c) == name and c.text:
            return str(c.text).strip()
    return None


def _attr(el: Any, name: str, attr: str) -> float:
    for c in el.iter():
        if _local(c) == name and c.get(attr) is not None:
            return float(c.get(attr))
    return 0.0


def answer(emu: OnvifEmulator, path: str, op: str, req: Any) -> tuple[int, bytes]:
    s = emu.settings
    vendor = s.vendor_namespaces
    extra = bodies.undeclared_extra(vendor)

    def ok(body: str) -> tuple[int, bytes]:
        return 200, bodies.envelope(body, vendor)

    def fault(sub: str, reason: str, code: str = "Sender") -> tuple[int, bytes]:
        return 500, bodies.fault(code, sub, reason, vendor)

    if op in s.fault_ops:
        return fault("ActionFailed", f"{op} failed inside the device", "Receiver")
    service = path.rstrip("/").rsplit("/", 1)[-1]
    answered = profile_g.answer(emu, service, op, req) or emu.events.answer(service, op, req)
    if answered is not None:
        return answered
    xaddrs = emu.xaddrs()
    if service == "ptz_service" and (s.no_ptz or s.ptz_faults):
        return fault("ActionNotSupported", "Optional Action Not Implemented", "Receiver")
    if service == "media_service" and s.media2_only:
        return 404, b"Not Found"

    if op == "GetSystemDateAndTime":
        now = emu.camera_now()
        return ok(bodies.system_date_and_time(
            (now.year, now.month, now.day, now.hour, now.minute, now.second)))
    if op == "GetDeviceInformation":
        return ok(bodies.device_information(s.manufacturer, s.model, s.firmware, s.serial))
    if op == "GetCapabilities":
        return ok(bodies.capabilities(xaddrs))
    if op == "GetServices":
        return ok(bodies.services(xaddrs))

    media2 = service == "media2_service"
    profiles = [p for p in s.profiles if media2 or p["media1"]]
    if op == "GetProfiles":
        with_ptz = not s.no_ptz
        if media2:
            items = "".join(bodies.profile_media2(p, with_ptz) for p in profiles)
            return ok(f"<tr2:GetProfilesResponse>{items}{extra}</tr2:GetProfilesResponse>")
        items = "".join(bodies.profile_media1(p, with_ptz) for p in profiles)
        return ok(f"<trt:GetProfilesResponse>{items}{extra}</trt:GetProfilesResponse>")
    if op in ("GetStreamUri", "GetSnapshotUri"):
        token = _child_text(req, "ProfileToken")
        profile = next((p for p in profiles if p["token"] == token), None)
        if profile is None:
            return fault("NoProfile", "No such profile")
        if op == "GetSnapshotUri":
            uri = f"http://127.0.0.1:{emu.port}/snapshot.jpg?channel={token}"
            return ok(bodies.snapshot_uri(media2, uri))
        uri = emu.stream_uri_for(str(profile["path"]))
        make = bodies.stream_uri_media2 if media2 else bodies.stream_uri_media1
        return ok(make(uri, extra))

    if op == "ContinuousMove":
        emu.ptz.move((_attr(req, "PanTilt", "x"), _attr(req, "PanTilt", "y"),
                      _attr(req, "Zoom", "x")))
        return ok(bodies.empty(op, "tptz"))
    if op == "Stop":
        emu.ptz.stop()
        return ok(bodies.empty(op, "tptz"))
    if op == "GetStatus":
        pan, tilt, zoom, moving = emu.ptz.position()
        utc = emu.camera_now().strftime("%Y-%m-%dT%H:%M:%SZ")
        return ok(bodies.ptz_status(pan, tilt, zoom, moving, utc))
    if op == "GetPresets":
        return ok(bodies.presets(dict(emu.ptz.presets)))
    if op == "GotoPreset":
        preset = emu.ptz.presets.get(_child_text(req, "PresetToken") or "")
        if preset is None:
            return fault("NoToken", "No such preset")
        emu.ptz.goto(*preset[1:])
        return ok(bodies.empty(op, "tptz"))
    if op == "SetPreset":
        name = _child_text(req, "PresetName") or ""
        token = _child_text(req, "PresetToken")
        if token is not None and token not in emu.ptz.presets:
            return fault("NoToken", "No such preset")
        if token is None:
            token = str(max((int(t) for t in emu.ptz.presets if t.isdigit()), default=0) + 1)
        pan, tilt, zoom, _ = emu.ptz.position()
        emu.ptz.presets[token] = (name, pan, tilt, zoom)
        return ok(bodies.set_preset(token))
    return fault("ActionNotSupported", f"Action {op} Not Implemented", "Receiver")
