"""CSV import and export of the camera registry.

Import keeps every good row and reports every bad one with its line number and a
``Notice`` (the UI translates it); the good rows go in one transaction, so a failure
leaves nothing half-written. Bytes are decoded by ``commandroom.csvfiles``: UTF-8,
UTF-16 with a byte-order mark, or GB18030; a line in none of them costs that row only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from commandroom.auth.permissions import Actor, Permission, require
from commandroom.cameras.registry import (
    JUNCTION_LIMIT,
    NAME_LIMIT,
    Camera,
    CameraError,
    CameraRegistry,
    validate_camera,
)
from commandroom.csvfiles import ACCEPTED_ENCODINGS as ACCEPTED_ENCODINGS
from commandroom.csvfiles import (
    EMPTY_FILE,
    HEADER_NOT_TEXT,
    TOO_MANY_FIELDS,
    DecodedCsv,
    decode_csv,
    records,
    too_long,
    unescape_cell,
    write_rows,
)
from commandroom.notices import Notice, define, describe, notice
from commandroom.redact import strip_credentials

COLUMNS = (
    "name", "junction", "group", "main_url", "sub_url", "transport",
    "onvif_url", "ptz", "map_x", "map_y", "enabled",
    "event_source", "event_url", "event_channel", "motion_detection",
)
# Accepted on import only: credentials go to the secret store and are never exported.
CREDENTIAL_COLUMNS = ("user", "password")
_TRUE = {"1", "true", "yes", "y", "on", "是"}
_FALSE = {"0", "false", "no", "n", "off", "否", ""}
# Longest cell per column; anything else (URLs, credentials) up to _URL_LIMIT.
_LIMITS = {"name": NAME_LIMIT, "junction": JUNCTION_LIMIT, "group": NAME_LIMIT,
           "transport": 40, "ptz": 40, "enabled": 40, "map_x": 40, "map_y": 40,
           "event_source": 40, "event_channel": 40, "motion_detection": 40}
_URL_LIMIT = 2048

MISSING_COLUMNS = define("camera_csv.missing_columns", "missing column(s): {columns}")
FLAG_INVALID = define("camera_csv.flag_invalid", "{column} must be yes or no, not '{value}'.")
NOT_A_NUMBER = define("camera_csv.not_a_number", "{column} must be a number, not '{value}'.")
TWICE_IN_FILE = define("camera_csv.twice_in_file", "camera '{name}' appears twice in the file")


@dataclass(frozen=True)
class RowError:
    line: int
    notice: Notice

    @property
    def reason(self) -> str:
        """The English sentence (CLI, logs); the UI translates ``notice`` instead."""
        return describe(self.notice)


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    encoding: str = "utf-8-sig"

    @property
    def ok(self) -> bool:
        return not self.errors


def _flag(value: str, default: bool, what: str) -> bool:
    v = value.strip().lower()
    if v == "":
        return default
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise CameraError(FLAG_INVALID, column=what, value=value)


def _coord(value: str, what: str) -> float | None:
    v = value.strip()
    if not v:
        return None
    try:
        return float(v)
    except ValueError:
        raise CameraError(NOT_A_NUMBER, column=what, value=value) from None


def _channel(value: str) -> int:
    v = value.strip()
    if not v:
        return 1
    try:
        return int(v)
    except ValueError:
        raise CameraError(NOT_A_NUMBER, column="event_channel", value=value) from None


def _oversized(values: dict[str, str]) -> Notice | None:
    for column, value in values.items():
        problem = too_long(column, value, _LIMITS.get(column, _URL_LIMIT))
        if problem is not None:
            return problem
    return None


def import_cameras_csv(registry: CameraRegistry, actor: Actor,
                       data: bytes | str) -> ImportReport:
    """Import the CSV ``data`` (the file's bytes, or text already decoded)."""
    decoded = decode_csv(data) if isinstance(data, bytes) else DecodedCsv(data, "utf-8-sig")
    report = ImportReport(encoding=decoded.encoding)
    rows = records(decoded)
    first = next(rows, None)
    if first is None:
        report.errors.append(RowError(1, notice(EMPTY_FILE)))
        return report
    if first.problem is not None:
        problem = notice(HEADER_NOT_TEXT, accepted=ACCEPTED_ENCODINGS) \
            if decoded.bad_lines else first.problem
        report.errors.append(RowError(first.line, problem))
        return report
    header = [unescape_cell(h).lstrip("\ufeff").strip().lower() for h in first.cells]
    missing = [c for c in ("name", "main_url") if c not in header]
    if missing:
        report.errors.append(RowError(1, notice(MISSING_COLUMNS, columns=", ".join(missing))))
        return report
    parsed: list[tuple[int, Camera, str, str | None, str | None]] = []  # line, cam, group, creds
    seen: set[str] = set()
    for record in rows:
        line, cells = record.line, record.cells
        if record.problem is not None:
            report.errors.append(RowError(line, record.problem))
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            report.errors.append(RowError(line, notice(TOO_MANY_FIELDS, cells=len(cells),
                                                       columns=len(header))))
            continue
        values = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)}
        values = {k: (v if k == "password" else unescape_cell(v)) for k, v in values.items()}
        oversized = _oversized(values)
        if oversized is not None:
            report.errors.append(RowError(line, oversized))
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
                event_source=values.get("event_source", ""),
                event_url=values.get("event_url", ""),
                event_channel=_channel(values.get("event_channel", "")),
                motion_detection=_flag(values.get("motion_detection", ""), False,
                                       "motion_detection"),
            ))
        except CameraError as exc:
            report.errors.append(RowError(line, exc.notice))
            continue
        if camera.name.casefold() in seen:
            report.errors.append(RowError(line, notice(TWICE_IN_FILE, name=camera.name)))
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
    """Every camera, without credentials; cells escaped so none runs as a formula."""
    require(actor, Permission.EXPORT_DATA)
    groups = {g.id: g.name for g in registry.groups(actor)}
    rows: list[list[object]] = [list(COLUMNS)]
    for cam in registry.cameras(actor):
        rows.append([
            cam.name, cam.junction, groups.get(cam.group_id, "") if cam.group_id else "",
            cam.main_url, cam.sub_url, cam.transport, cam.onvif_url,
            "yes" if cam.ptz_capable else "no",
            "" if cam.map_x is None else cam.map_x, "" if cam.map_y is None else cam.map_y,
            "yes" if cam.enabled else "no",
            cam.event_source, cam.event_url, cam.event_channel,
            "yes" if cam.motion_detection else "no",
        ])
    return write_rows(rows)
