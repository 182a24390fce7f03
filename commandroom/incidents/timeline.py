"""The incident's timeline: its steps, the sightings (with their snapshots), alerts,
notes and evidence packages it gathers, in order, timed from its creation."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandroom.alerts.models import AlertRow, TeamRow
from commandroom.incidents.models import (
    IncidentLinkRow,
    IncidentNoteRow,
    IncidentRow,
    IncidentStateChangeRow,
    IncidentTeamRow,
)
from commandroom.incidents.records import ItemKind, LinkKind, State, TimelineItem
from commandroom.sightings.models import SightingRow

# Of two things at the same moment, the cause comes first (a sighting before the alert
# about it, the alert before the team it reached).
_RANK = {ItemKind.SIGHTING: 0, ItemKind.CREATED: 1, ItemKind.ALERT: 2, ItemKind.DISPATCHED: 3,
         ItemKind.ACK: 4, ItemKind.STATE: 5, ItemKind.NOTE: 6, ItemKind.EXPORT: 7}


def build_timeline(session: Session, incident: IncidentRow,
                   data_dir: Path | None) -> list[TimelineItem]:
    start = incident.created_at
    items: list[TimelineItem] = []

    def add(kind: ItemKind, at: datetime, facts: dict[str, str],
            thumbnail: Path | None = None) -> None:
        items.append(TimelineItem(kind, at, round((at - start).total_seconds()), facts,
                                  thumbnail))

    add(ItemKind.CREATED, start, {"number": incident.number, "by": incident.created_by,
                                  "title": incident.title})
    teams: dict[int, tuple[str, str]] = {row.id: (row.key, row.name) for row in
                                         session.execute(select(TeamRow.id, TeamRow.key,
                                                                TeamRow.name))}
    # A team's time to acknowledge, from its dispatch (one acknowledgement per team).
    took = {team_id: seconds for team_id, seconds in session.execute(
        select(IncidentTeamRow.team_id, IncidentTeamRow.ack_seconds).where(
            IncidentTeamRow.incident_id == incident.id))}
    changes = session.scalars(select(IncidentStateChangeRow).where(
        IncidentStateChangeRow.incident_id == incident.id)
        .order_by(IncidentStateChangeRow.at, IncidentStateChangeRow.id)).all()
    for change in changes:
        facts = {"state": change.state, "how": change.how, "who": change.who, "by": change.by,
                 "outcome": change.outcome}
        if change.team_id is not None:
            facts["team_key"], facts["team"] = teams.get(change.team_id,
                                                         ("", str(change.team_id)))
        kind = {State.DISPATCHED.value: ItemKind.DISPATCHED,
                State.ACKNOWLEDGED.value: ItemKind.ACK}.get(change.state, ItemKind.STATE)
        seconds = took.get(change.team_id) if change.team_id is not None else None
        if kind is ItemKind.ACK and seconds is not None:
            facts["ack_seconds"] = str(seconds)
        if kind is ItemKind.STATE and change.state == State.RESOLVED:
            facts["seconds"] = str(incident.resolution_seconds or 0)
        add(kind, change.at, facts)
    links = session.scalars(select(IncidentLinkRow).where(
        IncidentLinkRow.incident_id == incident.id).order_by(IncidentLinkRow.id)).all()
    for link in links:
        if link.kind == LinkKind.SIGHTING:
            sighting = session.get(SightingRow, link.ref_id)
            if sighting is not None:
                add(ItemKind.SIGHTING, sighting.frame_time,
                    {"camera": sighting.camera_name, "junction": sighting.junction,
                     "operator": sighting.operator, "note": sighting.note,
                     "sighting_id": str(sighting.id)},
                    data_dir / sighting.snapshot_path if data_dir is not None else None)
        elif link.kind == LinkKind.ALERT:
            alert = session.get(AlertRow, link.ref_id)
            if alert is not None:
                add(ItemKind.ALERT, alert.created_at,
                    {"alert_id": str(alert.id), "priority": alert.priority,
                     "category": alert.category, "by": alert.created_by})
        else:
            add(ItemKind.EXPORT, link.linked_at, {"ref": link.ref, "by": link.linked_by})
    notes = session.scalars(select(IncidentNoteRow).where(
        IncidentNoteRow.incident_id == incident.id).order_by(IncidentNoteRow.id)).all()
    for note in notes:
        add(ItemKind.NOTE, note.at, {"text": note.text, "by": note.by})
    # The resolution closes the incident: last of anything at its moment.
    items.sort(key=lambda item: (item.at, item.facts.get("state") == State.RESOLVED,
                                 _RANK[item.kind]))
    return items
