"""An alert's content from a saved sighting: who, where, when, the snapshot, the note;
and the draft the console previews before sending (content and the teams it routes to)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.content import AlertContent
from commandroom.alerts.teams import TeamInfo, TeamService, route
from commandroom.auth.guard import requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.sightings.records import SightingView
from commandroom.sightings.service import SightingService
from commandroom.watchlist.records import EntryView
from commandroom.watchlist.service import WatchlistService

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


@dataclass(frozen=True)
class AlertDraft:
    sighting_id: int
    content: AlertContent
    routed: dict[int, str]  # team id -> priority, as the routing rules choose; may be empty
    teams: list[TeamInfo]  # every team: the officer may add any of them by hand


class SightingAlerts:
    """Turns a saved sighting into an alert draft: reads the sighting as it stands now,
    its watch-list entry, its camera and the camera's group (the place teams know)."""

    def __init__(self, sessions: sessionmaker[Session], sightings: SightingService,
                 watchlist: WatchlistService, registry: CameraRegistry, teams: TeamService,
                 data_dir: Path) -> None:
        self._sessions = sessions
        self._sightings = sightings
        self._watchlist = watchlist
        self._registry = registry
        self._teams = teams
        self._data_dir = data_dir

    @requires(Permission.SEND_ALERT)
    def draft(self, actor: Actor, sighting_id: int) -> AlertDraft:
        """Raises PermissionDenied when the actor may not read the entry or camera, and
        LookupError for a sighting that does not exist."""
        view = self._sightings.get(actor, sighting_id)
        entry = (self._watchlist.get(actor, view.watch_entry_id)
                 if view.watch_entry_id is not None else None)
        camera = (self._registry.get(actor, view.camera_id)
                  if view.camera_id is not None else None)
        group = next((g.name for g in self._registry.groups(actor)
                      if camera is not None and g.id == camera.group_id), "")
        content = content_for_sighting(view, entry, camera, self._data_dir,
                                       camera_group=group)
        with self._sessions() as session:
            routed = route(session, content)
        return AlertDraft(view.id, content, routed, self._teams.list_teams())
