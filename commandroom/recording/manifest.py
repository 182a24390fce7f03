"""manifest.json of an export: what was asked, what was cut, and how to check it."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import av

from commandroom.auth.permissions import Actor
from commandroom.cameras.models import CameraRow
from commandroom.files import open_new_private_fd
from commandroom.recording.cutter import CameraCut
from commandroom.recording.timeline import station_time

FORMAT = "commandroom-export/1"


def _times(moment: datetime) -> dict[str, str]:
    return {"utc": moment.isoformat(timespec="milliseconds"),
            "station": station_time(moment).isoformat(timespec="milliseconds")}


def _camera_clock(moment: datetime, offset_s: float | None) -> str | None:
    """What the camera's own clock showed (its overlay), when its offset is known."""
    if offset_s is None:
        return None
    return station_time(moment + timedelta(seconds=offset_s)).isoformat(timespec="milliseconds")


def build_manifest(export_id: str, actor: Actor, note: str, tool_version: str,
                   made: datetime, start: datetime, end: datetime, cuts: list[CameraCut],
                   cameras: dict[int, CameraRow], without_footage: list[int]) -> dict[str, Any]:
    files = []
    for cut in cuts:
        camera = cameras[cut.camera_id]
        for index, f in enumerate(cut.files):
            early = cut.starts_before_requested_s if index == 0 else 0.0
            files.append({
                "file": f.name,
                "sha256": f.sha256,
                "bytes": f.bytes,
                "camera": {"id": cut.camera_id, "name": camera.name,
                           "location": camera.junction},
                "actual_start": _times(f.actual_start),
                "actual_end": _times(f.actual_end),
                # > 0: starts that much before the requested start, on the keyframe at or
                # before it (an MP4 cut without re-encoding must start on a keyframe).
                "starts_before_requested_s": round(early, 3),
                "start_note": ("keyframe_before_requested_start" if early > 0
                               else "recording_starts_after_requested_start" if early < 0
                               else "exact"),
                "clock_offset_s": f.clock_offset_s,
                "camera_clock_start": _camera_clock(f.actual_start, f.clock_offset_s),
                "segment_ids": list(f.segment_ids),
            })
        gaps = [{"start": _times(g.start_at),
                 "end": _times(g.end_at) if g.end_at else None,
                 "reason": g.reason.value, "detail": g.detail} for g in cut.gaps]
        if gaps:
            files[-1]["gaps_in_range"] = gaps
    return {
        "format": FORMAT,
        "export_id": export_id,
        "created": _times(made),
        "station_utc_offset": station_time(made).strftime("%z"),
        "exported_by": {"username": actor.username, "role": str(actor.role)},
        "note": note,
        "tool": {"name": "commandroom", "version": tool_version, "pyav": av.__version__,
                 "libavformat": ".".join(map(str, av.library_versions["libavformat"]))},
        "requested": {"start": _times(start), "end": _times(end),
                      "camera_ids": [c.camera_id for c in cuts] + without_footage},
        "cameras_without_footage": without_footage,
        "files": files,
        "times": "UTC on the station's clock; 'station' is the station's local time; "
                 "clock_offset_s is the camera's clock minus the station's, when known",
    }


def write_private_json(path: Path, data: dict[str, Any]) -> str:
    """Write ``data`` as UTF-8 JSON, 0600, synced; returns its SHA-256."""
    raw = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    with os.fdopen(open_new_private_fd(path), "wb") as handle:
        handle.write(raw)
        handle.flush()
        os.fsync(handle.fileno())
    return hashlib.sha256(raw).hexdigest()
