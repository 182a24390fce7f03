"""CSV import and export of the camera registry.

Import keeps every good row and reports every bad one with its line number; the good
rows go in one transaction, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from commandroom.auth.permissions import Actor, Permission, require
from commandroom.cameras.registry import Camera, CameraError, CameraRegistry, validate_camera
from commandroom.redact import strip_credentials

COLUMNS = (
    "name", "junction", "group", "main_url", "sub_url", "transport",
    "onvif_url", "ptz", "map_x", "map_y", "enabled",
)
# Accepted on import only: credentials go to the secret store and are never exported.
CREDENTIAL_COLUMNS = ("user", "password")
_TRUE = {"1", "true", "yes", "y", "on", "是"}
_FALSE = {"0", "false", "no", "n", "off", "否", ""}


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (what Chinese Excel writes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _flag(value: str, default: bool, what: str) -> bool:
    v = value.strip().lower()
    if v == "":
        return default
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise CameraError(f"{what} must be yes or no, not {value!r}.")


def _coord(value: str, what: str) -> float | None:
    v = value.strip()
    if not v:
        return None
    try:
        return float(v)
    except ValueError:
        raise CameraError(f"{what} must be a number, not {value!r}.") from None


def import_cameras_csv(registry: CameraRegistry, actor: Actor, text: str) -> ImportReport:
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("name", "main_url") if c not in header]
    if missing:
        report.errors.append(RowError(1, f"missing column(s): {', '.join(missing)}"))
        return report
    reader.fieldnames = header
    parsed: list[tuple[int, Camera, str, str | None, str | None]] = []  # line, cam, group, creds
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        values = {k: (v or "") for k, v in row.items() if k is not None}
        if None in row:
            report.errors.append(RowError(line, "more fields than columns in the header"))
            continue
        try:
            main_url, url_user, url_password = strip_credentials(values.get("main_url", ""))
            camera = validate_camera(Camera(
                id=None,
                name=values.get("name", ""),
                main_url=main_url,
                junction=values.get("junction", ""),
                sub_url=values.get("sub_url", ""),
                transport=values.get("transport", "") or "tcp",
                onvif_url=values.get("onvif_url", ""),
                ptz_capable=_flag(values.get("ptz", ""), False, "ptz"),
                map_x=_coord(values.get("map_x", ""), "map_x"),
                map_y=_coord(values.get("map_y", ""), "map_y"),
                enabled=_flag(values.get("enabled", ""), True, "enabled"),
            ))
        except CameraError as exc:
            report.errors.append(RowError(line, str(exc)))
            continue
        if camera.name.casefold() in seen:
            reason = f"camera {camera.name!r} appears twice in the file"
            report.errors.append(RowError(line, reason))
            continue
        seen.add(camera.name.casefold())
        user = values.get("user", "").strip() or url_user
        password = values.get("password", "") or url_password
        parsed.append((line, camera, values.get("group", ""), user or None, password))

    imported, refused = registry.add_many(actor, parsed)
    report.imported.extend(imported)
    report.errors.extend(RowError(line, reason) for line, reason in refused)
    report.errors.sort(key=lambda e: e.line)
    return report


def export_cameras_csv(registry: CameraRegistry, actor: Actor) -> str:
    """Every camera, without credentials."""
    require(actor, Permission.EXPORT_DATA)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    groups = {g.id: g.name for g in registry.groups(actor)}
    for cam in registry.cameras(actor):
        writer.writerow([
            cam.name, cam.junction, groups.get(cam.group_id, "") if cam.group_id else "",
            cam.main_url, cam.sub_url, cam.transport, cam.onvif_url,
            "yes" if cam.ptz_capable else "no",
            "" if cam.map_x is None else cam.map_x, "" if cam.map_y is None else cam.map_y,
            "yes" if cam.enabled else "no",
        ])
    return out.getvalue()
