"""An incident row (with its teams and entries) as the value the service returns."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandroom.alerts.models import TeamRow
from commandroom.incidents.models import IncidentEntryRow, IncidentRow, IncidentTeamRow
from commandroom.incidents.records import IncidentView, Outcome, State, TeamProgress


def team_progress(session: Session, incident_id: int) -> tuple[TeamProgress, ...]:
    rows = session.execute(
        select(IncidentTeamRow, TeamRow.key, TeamRow.name)
        .join(TeamRow, TeamRow.id == IncidentTeamRow.team_id)
        .where(IncidentTeamRow.incident_id == incident_id)
        .order_by(IncidentTeamRow.dispatched_at, IncidentTeamRow.team_id)).all()
    return tuple(
        TeamProgress(team_id=row.team_id, team_key=key, team_name=name, alert_id=row.alert_id,
                     dispatched_at=row.dispatched_at, acked_at=row.acked_at,
                     ack_how=row.ack_how, acked_by=row.acked_by, ack_seconds=row.ack_seconds)
        for row, key, name in rows)


def incident_view(session: Session, row: IncidentRow) -> IncidentView:
    entries = session.scalars(select(IncidentEntryRow.watch_entry_id).where(
        IncidentEntryRow.incident_id == row.id).order_by(IncidentEntryRow.id)).all()
    return IncidentView(
        id=row.id, number=row.number, title=row.title, category=row.category,
        priority=row.priority, state=State(row.state),
        outcome=Outcome(row.outcome) if row.outcome else None, junction=row.junction,
        created_at=row.created_at, created_by=row.created_by, created_day=row.created_day,
        dispatched_at=row.dispatched_at, acknowledged_at=row.acknowledged_at,
        on_scene_at=row.on_scene_at, resolved_at=row.resolved_at, resolved_by=row.resolved_by,
        scene_seconds=row.scene_seconds, resolution_seconds=row.resolution_seconds,
        teams=team_progress(session, row.id), entry_ids=tuple(entries))
