"""The steps of an incident inside one transaction: a team sent to, a team's
acknowledgement, on scene, resolved. Times are the caller's clock; each step writes a
state-change row and the durations statistics read (see models)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandroom.alerts.models import AlertRecipientRow, AlertRow
from commandroom.auth.permissions import SYSTEM
from commandroom.incidents.models import (
    IncidentLinkRow,
    IncidentRow,
    IncidentStateChangeRow,
    IncidentTeamRow,
)
from commandroom.incidents.records import STATE_ORDER, How, IncidentError, LinkKind, State


def seconds_between(start: datetime, end: datetime) -> int:
    return max(0, round((end - start).total_seconds()))


def check_not_resolved(incident: IncidentRow) -> None:
    if incident.state == State.RESOLVED:
        raise IncidentError("resolved", f"incident {incident.number} is resolved already")


def _advance(incident: IncidentRow, state: State) -> None:
    """Move forward only: a late acknowledgement does not take an incident off scene."""
    if STATE_ORDER.index(State(incident.state)) < STATE_ORDER.index(state):
        incident.state = state


def _step(session: Session, incident: IncidentRow, state: State, at: datetime, by: str, *,
          how: str = How.CONSOLE, who: str = "", team_id: int | None = None,
          alert_id: int | None = None, outcome: str = "") -> None:
    session.add(IncidentStateChangeRow(
        incident_id=incident.id, state=state, at=at, by=by, who=who[:120], how=how,
        team_id=team_id, alert_id=alert_id, outcome=outcome))


def dispatch(session: Session, incident: IncidentRow, team_id: int, at: datetime, by: str, *,
             alert_id: int | None = None, how: str = How.CONSOLE) -> bool:
    """The incident went to ``team_id`` (by an alert, or the officer's radio call). A team
    sent to twice keeps its first dispatch. True when this was new."""
    existing = session.scalar(select(IncidentTeamRow).where(
        IncidentTeamRow.incident_id == incident.id, IncidentTeamRow.team_id == team_id))
    if existing is not None:
        if existing.alert_id is None and alert_id is not None:
            existing.alert_id = alert_id
        return False
    session.add(IncidentTeamRow(incident_id=incident.id, team_id=team_id, alert_id=alert_id,
                                dispatched_at=at))
    _step(session, incident, State.DISPATCHED, at, by, how=how, team_id=team_id,
          alert_id=alert_id)
    if incident.dispatched_at is None:
        incident.dispatched_at = at
    if incident.state == State.ACKNOWLEDGED:
        # A new team has not acknowledged: the incident is waiting for it again.
        incident.state = State.DISPATCHED
        incident.acknowledged_at = None
    _advance(incident, State.DISPATCHED)
    session.flush()
    return True


def acknowledge(session: Session, incident: IncidentRow, team_id: int, at: datetime, by: str,
                *, how: str, who: str = "", alert_id: int | None = None) -> bool:
    """``team_id`` acknowledged; when every team sent to has, the incident is acknowledged.
    A second acknowledgement of a team changes nothing (False)."""
    team = session.scalar(select(IncidentTeamRow).where(
        IncidentTeamRow.incident_id == incident.id, IncidentTeamRow.team_id == team_id))
    if team is None:
        raise IncidentError("not_dispatched",
                            f"incident {incident.number} was not sent to team {team_id}")
    if team.acked_at is not None:
        return False
    team.acked_at = at
    team.ack_how = how
    team.acked_by = who[:120]
    team.ack_seconds = seconds_between(team.dispatched_at, at)
    _step(session, incident, State.ACKNOWLEDGED, at, by, how=how, who=who, team_id=team_id,
          alert_id=alert_id)
    session.flush()
    waiting = session.scalar(select(IncidentTeamRow.id).where(
        IncidentTeamRow.incident_id == incident.id, IncidentTeamRow.acked_at.is_(None)))
    if waiting is None and incident.acknowledged_at is None:
        incident.acknowledged_at = at
        _advance(incident, State.ACKNOWLEDGED)
    return True


def on_scene(session: Session, incident: IncidentRow, at: datetime, by: str, *, how: str,
             who: str = "", team_id: int | None = None) -> None:
    if incident.on_scene_at is not None:
        raise IncidentError("on_scene_already", f"incident {incident.number} is on scene")
    incident.on_scene_at = at
    incident.scene_seconds = seconds_between(incident.created_at, at)
    _advance(incident, State.ON_SCENE)
    _step(session, incident, State.ON_SCENE, at, by, how=how, who=who, team_id=team_id)


def resolve(session: Session, incident: IncidentRow, outcome: str, at: datetime, by: str, *,
            how: str, who: str = "") -> None:
    incident.state = State.RESOLVED
    incident.outcome = outcome
    incident.resolved_at = at
    incident.resolved_by = by
    incident.resolution_seconds = seconds_between(incident.created_at, at)
    _step(session, incident, State.RESOLVED, at, by, how=how, who=who, outcome=outcome)


def add_link(session: Session, incident: IncidentRow, kind: LinkKind, ref_id: int, ref: str,
             at: datetime, by: str) -> bool:
    """Link once; True when new."""
    found = session.scalar(select(IncidentLinkRow.id).where(
        IncidentLinkRow.incident_id == incident.id, IncidentLinkRow.kind == kind,
        IncidentLinkRow.ref_id == ref_id, IncidentLinkRow.ref == ref))
    if found is not None:
        return False
    session.add(IncidentLinkRow(incident_id=incident.id, kind=kind, ref_id=ref_id, ref=ref,
                                linked_at=at, linked_by=by))
    session.flush()
    return True


def linked_ids(session: Session, incident: IncidentRow, kind: LinkKind) -> list[int]:
    """The ids of what ``incident`` gathers of ``kind`` (its alerts, its sightings)."""
    return list(session.scalars(
        select(IncidentLinkRow.ref_id).where(IncidentLinkRow.incident_id == incident.id,
                                             IncidentLinkRow.kind == kind)
        .order_by(IncidentLinkRow.ref_id)))


def incidents_linked(session: Session, kind: LinkKind, ref_id: int) -> list[IncidentRow]:
    """The incidents (open or not) that gather ``kind`` ``ref_id``."""
    return list(session.scalars(
        select(IncidentRow).join(IncidentLinkRow, IncidentLinkRow.incident_id == IncidentRow.id)
        .where(IncidentLinkRow.kind == kind, IncidentLinkRow.ref_id == ref_id)
        .order_by(IncidentRow.id)))


def take_alert(session: Session, incident: IncidentRow, alert: AlertRow, by: str) -> None:
    """The alert joins the incident: its teams are sent to (when the alert was) and the
    acknowledgements already in come along."""
    check_not_resolved(incident)
    add_link(session, incident, LinkKind.ALERT, alert.id, "", alert.created_at, by)
    recipients = session.scalars(select(AlertRecipientRow).where(
        AlertRecipientRow.alert_id == alert.id).order_by(AlertRecipientRow.team_id)).all()
    for recipient in recipients:
        dispatch(session, incident, recipient.team_id, alert.created_at, by,
                 alert_id=alert.id, how=How.CONSOLE)
        if recipient.acked_at is not None:
            acknowledge(session, incident, recipient.team_id, recipient.acked_at,
                        SYSTEM.username, how=recipient.ack_how, who=recipient.acked_by,
                        alert_id=alert.id)
