"""Incidents follow the alerts' events, on the thread that publishes them.

An alert sent about a sighting of an open incident joins it and its teams are sent to;
a team that acknowledges an alert (the link in a WeCom, DingTalk or e-mail message, the
MQTT app, or the officer for a phone call) is acknowledged on every open incident the
alert belongs to, at the time it acknowledged. Nobody asks for this: ``IncidentService``
starts it and stops it with itself.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.events import AlertAcknowledged, AlertCreated
from commandroom.alerts.models import AlertRow
from commandroom.audit.api import AuditSink
from commandroom.auth.permissions import SYSTEM
from commandroom.events import EventBus
from commandroom.incidents import progress
from commandroom.incidents.events import IncidentChanged
from commandroom.incidents.records import LinkKind, State


class AlertFollowing:
    def __init__(self, sessions: sessionmaker[Session], audit: AuditSink,
                 events: EventBus) -> None:
        self._sessions = sessions
        self._audit = audit
        self._events = events
        self._unsubscribe: list[Callable[[], None]] = [
            events.subscribe(AlertCreated, self._alert_created),
            events.subscribe(AlertAcknowledged, self._alert_acknowledged),
        ]

    def close(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []

    def _alert_created(self, event: AlertCreated) -> None:
        """An alert about a sighting of open incidents joins them; its teams are sent to."""
        changed: list[tuple[int, str]] = []
        with self._sessions.begin() as session:
            alert = session.get(AlertRow, event.alert_id)
            if alert is None:
                return
            for incident in progress.incidents_linked(session, LinkKind.SIGHTING,
                                                      event.sighting_id):
                if incident.state == State.RESOLVED:
                    continue
                progress.take_alert(session, incident, alert, alert.created_by)
                progress.add_link(session, incident, LinkKind.ALERT, alert.id, "",
                                  alert.created_at, alert.created_by)
                changed.append((incident.id, incident.state))
        for incident_id, state in changed:
            self._events.publish(IncidentChanged(incident_id, state))

    def _alert_acknowledged(self, event: AlertAcknowledged) -> None:
        """A team acknowledged an alert (link, MQTT, or the officer for a phone call):
        that team of every incident the alert belongs to is acknowledged, at that time."""
        changed: list[tuple[int, str]] = []
        with self._sessions.begin() as session:
            for incident in progress.incidents_linked(session, LinkKind.ALERT, event.alert_id):
                if incident.state == State.RESOLVED:
                    continue
                progress.dispatch(session, incident, event.team_id, event.at,
                                  SYSTEM.username, alert_id=event.alert_id)
                if progress.acknowledge(session, incident, event.team_id, event.at,
                                        SYSTEM.username, how=event.how, who=event.by,
                                        alert_id=event.alert_id):
                    self._audit.append(session, SYSTEM, "incident.state",
                                       f"incident:{incident.id}",
                                       {"state": State.ACKNOWLEDGED.value, "how": event.how,
                                        "team_id": event.team_id, "who": event.by,
                                        "alert_id": event.alert_id})
                    changed.append((incident.id, incident.state))
        for incident_id, state in changed:
            self._events.publish(IncidentChanged(incident_id, state))
