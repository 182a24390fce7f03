"""A team's acknowledgement the officer records (the team phoned, radioed or came in):
once per team. A team reached by an alert is acknowledged on the alert (its escalation
stops, its event moves the incident); a team that acknowledged through its channel
already (the link, the MQTT app) is not acknowledged a second time by the officer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandroom.alerts.acks import CONSOLE_HOW
from commandroom.alerts.models import AlertRecipientRow
from commandroom.auth.permissions import SYSTEM
from commandroom.incidents import progress
from commandroom.incidents.models import IncidentRow, IncidentTeamRow
from commandroom.incidents.records import How, IncidentError


@dataclass(frozen=True)
class OfficerAck:
    """What ``decide`` found: ``through_alert`` (alert id, team id) for the caller to
    acknowledge on the alert after the commit; ``channel_ack`` a channel's acknowledgement
    the incident had missed and took now (the officer's is refused after the commit)."""

    through_alert: tuple[int, int] | None = None
    channel_ack: str = ""  # how the team acknowledged on its channel


def decide(session: Session, incident: IncidentRow, team_id: int, now: datetime, by: str,
           how: How, who: str, *, alerts_on: bool) -> OfficerAck:
    if how.value not in CONSOLE_HOW:
        raise IncidentError("how", f"the officer records phone, radio or in person, "
                                   f"not {how}")
    team = session.scalar(select(IncidentTeamRow).where(
        IncidentTeamRow.incident_id == incident.id, IncidentTeamRow.team_id == team_id))
    if team is not None and team.acked_at is None and team.alert_id is not None:
        recipient = session.scalar(select(AlertRecipientRow).where(
            AlertRecipientRow.alert_id == team.alert_id,
            AlertRecipientRow.team_id == team_id))
        if recipient is not None and recipient.acked_at is not None:
            # The team acknowledged on its channel but the incident did not hear of it
            # (the ack came to another process, or the incident's listener failed): the
            # incident takes that acknowledgement, with its time, and not the officer's.
            progress.acknowledge(session, incident, team_id, recipient.acked_at,
                                 SYSTEM.username, how=recipient.ack_how,
                                 who=recipient.acked_by, alert_id=team.alert_id)
            return OfficerAck(channel_ack=recipient.ack_how)
        if recipient is not None and alerts_on:
            return OfficerAck(through_alert=(team.alert_id, team_id))
    if not progress.acknowledge(session, incident, team_id, now, by, how=how, who=who):
        raise IncidentError("acked_already", f"team {team_id} acknowledged already")
    return OfficerAck()
