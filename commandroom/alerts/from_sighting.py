"""An alert's content from a saved sighting: who, where, when, the snapshot, the note."""

from __future__ import annotations

from pathlib import Path

from commandroom.alerts.content import AlertContent
from commandroom.cameras.registry import Camera
from commandroom.sightings.records import SightingView
from commandroom.watchlist.records import EntryView

# The watch list grades risk in words; routing rules compare numbers.
RISK_LEVEL = {"low": 1, "medium": 2, "high": 3}


def content_for_sighting(sighting: SightingView, entry: EntryView | None,
                         camera: Camera | None, data_dir: Path, note: str = "",
                         camera_group: str = "") -> AlertContent:
    """``camera_group``: the name of the camera's group, the place the teams know it by."""
    who = "unknown"
    category, risk, photo = "other", 0, ""
    if entry is not None:
        who = entry.name or entry.plate or f"file #{entry.id}"
        if entry.plate and entry.name and entry.plate not in entry.name:
            who = f"{entry.name} ({entry.plate})"
        category, risk = str(entry.category), RISK_LEVEL.get(str(entry.risk), 0)
        if entry.photos:
            photo = str(data_dir / entry.photos[0].path)
    clip = sighting.clip_path or "clip being cut"
    return AlertContent(
        name=who, category=category, risk=risk, photo_path=photo,
        camera=sighting.camera_name, junction=sighting.junction, camera_group=camera_group,
        map_x=camera.map_x if camera else None, map_y=camera.map_y if camera else None,
        camera_group_id=camera.group_id if camera else None,
        frame_time=sighting.frame_time,
        snapshot_path=str(data_dir / sighting.snapshot_path),
        snapshot_sha256=sighting.snapshot_sha256,
        note="; ".join(x for x in (sighting.note, note.strip()) if x),
        evidence_ref=f"sighting #{sighting.id}, snapshot sha256 {sighting.snapshot_sha256[:16]}…,"
                     f" {clip}",
    )
