"""Plain values the sighting service takes and returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from commandroom.files import FileCheck
from commandroom.sightings.models import SightingRow
from commandroom.watchlist.records import Kind


class ClipStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class CameraRef:
    """The camera as the officer saw it; name and junction are copied into the sighting."""

    camera_id: int | None
    name: str
    junction: str = ""


@dataclass(frozen=True)
class Box:
    """Where the person/vehicle is, in full-resolution pixels."""

    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class NewUnknown:
    """Open a new file for a person/vehicle not on the watch list yet."""

    kind: Kind = Kind.PERSON
    label: str = ""  # placeholder name; a default one is made when empty


@dataclass(frozen=True)
class SightingView:
    id: int
    watch_entry_id: int | None
    camera_id: int | None
    camera_name: str
    junction: str
    frame_time: datetime
    seq: int
    operator: str
    box: Box | None
    note: str
    snapshot_path: str
    snapshot_sha256: str
    clip_path: str
    clip_sha256: str
    clip_status: ClipStatus
    clip_error: str
    created_at: datetime
    camera_map_position: tuple[float, float] | None = None


@dataclass(frozen=True)
class VerifyResult:
    sighting_id: int
    snapshot: FileCheck
    clip: FileCheck

    @property
    def intact(self) -> bool:
        return self.snapshot == FileCheck.VERIFIED and self.clip in (
            FileCheck.VERIFIED, FileCheck.NONE
        )


def sighting_view(
    row: SightingRow, map_position: tuple[float, float] | None = None
) -> SightingView:
    box = None
    if row.box_x is not None and row.box_y is not None and row.box_w and row.box_h:
        box = Box(row.box_x, row.box_y, row.box_w, row.box_h)
    return SightingView(
        id=row.id, watch_entry_id=row.watch_entry_id, camera_id=row.camera_id,
        camera_name=row.camera_name, junction=row.junction, frame_time=row.frame_time,
        seq=row.seq, operator=row.operator, box=box, note=row.note,
        snapshot_path=row.snapshot_path, snapshot_sha256=row.snapshot_sha256,
        clip_path=row.clip_path, clip_sha256=row.clip_sha256,
        clip_status=ClipStatus(row.clip_status), clip_error=row.clip_error,
        created_at=row.created_at, camera_map_position=map_position,
    )
