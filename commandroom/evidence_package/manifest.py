"""manifest.json of an evidence package: canonical JSON, times in UTC and Beijing time.

The rules for electronic evidence (《关于办理刑事案件收集提取和审查判断电子数据若干问题的规定》
Art. 13-15, 2016; 《公安机关办理刑事案件电子数据取证规则》, 2019) ask for the case, the
source device and its location, the time, the tool and the hash of every file. Times are
given in UTC (the station's clock), Beijing time (Asia/Shanghai: what the case file uses)
and the camera's own clock (its overlay), which differs by the measured offset.

The manifest is signed as bytes, so those bytes must be one fixed form: keys sorted, no
spaces, UTF-8 (``canonical_json``); the verifier checks the bytes it finds, never a
re-serialisation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

FORMAT = "commandroom-evidence-package/1"
TOOL_NAME = "commandroom"
BEIJING = ZoneInfo("Asia/Shanghai")
UNKNOWN = "unknown"

MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.json.sig"
PUBLIC_KEY_NAME = "station-signing-key.pub.pem"
RECORD_NAME = "extraction-record.pdf"
EVIDENCE_FOLDER = "evidence/"

LEGAL_BASIS = (
    "《关于办理刑事案件收集提取和审查判断电子数据若干问题的规定》(2016) 第十三条至第十五条",
    "《公安机关办理刑事案件电子数据取证规则》(2019)",
)


class ItemKind:
    SNAPSHOT = "snapshot"  # a sighting's full-resolution frame (PNG)
    SIGHTING_CLIP = "sighting_clip"  # the evidence clip cut around a sighting (MP4)
    FOOTAGE = "footage"  # recorded footage cut by the exporter (MP4)
    EXPORT_MANIFEST = "export_manifest"  # the exporter's own manifest of that footage
    EXTRACTION_RECORD = "extraction_record"  # the PDF in this package


@dataclass(frozen=True)
class CameraInfo:
    id: int | None
    name: str
    junction: str
    map_position: tuple[float, float] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "junction": self.junction,
                "location": {"junction": self.junction,
                             "map": list(self.map_position) if self.map_position else None}}


@dataclass(frozen=True)
class ItemInfo:
    """One file of the package as the manifest and the extraction record list it."""

    file: str  # its name inside the ZIP
    kind: str
    bytes: int
    sha256: str
    camera: CameraInfo | None = None
    start: datetime | None = None  # UTC on the station's clock
    end: datetime | None = None
    clock_offset_s: float | None = None  # camera clock minus station clock, when measured
    source: str = ""  # e.g. "sighting 12", "export 1a2b3c4d"

    @property
    def offset_text(self) -> str:
        return UNKNOWN if self.clock_offset_s is None else f"{self.clock_offset_s:+.3f} s"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "kind": self.kind, "bytes": self.bytes, "sha256": self.sha256,
            "camera": self.camera.as_dict() if self.camera else None,
            "start": moment(self.start, self.clock_offset_s),
            "end": moment(self.end, self.clock_offset_s),
            # A number of seconds, or "unknown": never a guessed 0.
            "clock_offset_s": UNKNOWN if self.clock_offset_s is None else self.clock_offset_s,
            "source": self.source,
        }


def beijing(when: datetime) -> str:
    return when.astimezone(BEIJING).isoformat(timespec="milliseconds")


def moment(when: datetime | None, offset_s: float | None) -> dict[str, str] | None:
    """A time as the station's clock (UTC), Beijing time, and the camera's clock showed it."""
    if when is None:
        return None
    device = (UNKNOWN if offset_s is None
              else beijing(when + timedelta(seconds=offset_s)))
    return {"utc": when.isoformat(timespec="milliseconds"), "beijing": beijing(when),
            "device": device}


@dataclass(frozen=True)
class PackageHeader:
    case_number: str
    package_id: str
    created: datetime
    operator: str
    operator_role: str
    tool_version: str
    place: str
    key_fingerprint: str


def build_manifest(header: PackageHeader, items: list[ItemInfo]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "case_number": header.case_number,
        "package_id": header.package_id,
        "created": {"utc": header.created.isoformat(timespec="milliseconds"),
                    "beijing": beijing(header.created)},
        "operator": {"username": header.operator, "role": header.operator_role},
        "place": header.place,
        "tool": {"name": TOOL_NAME, "version": header.tool_version},
        "signing_key": {"algorithm": "Ed25519", "fingerprint": header.key_fingerprint,
                        "public_key_file": PUBLIC_KEY_NAME, "signature_file": SIGNATURE_NAME},
        "legal_basis": list(LEGAL_BASIS),
        "items": [item.as_dict() for item in sorted(items, key=lambda i: i.file)],
        "times": "utc: the station's clock; beijing: the same instant in Asia/Shanghai; "
                 "device: what the camera's own clock showed (utc + clock_offset_s), "
                 "'unknown' when its offset was never measured",
    }


def canonical_json(data: dict[str, Any]) -> bytes:
    """The one byte form that is signed: sorted keys, no spaces, UTF-8, a final newline."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8") + b"\n"
