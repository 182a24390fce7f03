"""High-priority alerts (and every escalation) raise the banner on the wall."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.content import AlertContent
from commandroom.alerts.events import AlertCreated, AlertEscalated
from commandroom.alerts.models import AlertRow
from commandroom.events import EventBus
from commandroom.sightings.models import SightingRow
from commandroom.wall import WallAlert

log = logging.getLogger(__name__)


class WallAlertRelay:
    def __init__(self, sessions: sessionmaker[Session], bus: EventBus) -> None:
        self._sessions = sessions
        self._bus = bus
        self._unsubscribe: list[Callable[[], None]] = []

    def start(self) -> None:
        self._unsubscribe = [
            self._bus.subscribe(AlertCreated, self._created),
            self._bus.subscribe(AlertEscalated, lambda e: self._raise(e.alert_id)),
        ]

    def stop(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []

    def _created(self, event: AlertCreated) -> None:
        if event.priority == "high":
            self._raise(event.alert_id)

    def _raise(self, alert_id: int) -> None:
        with self._sessions() as session:
            alert = session.get(AlertRow, alert_id)
            if alert is None:
                return
            content = AlertContent.from_json_dict(json.loads(alert.content))
            sighting = session.get(SightingRow, alert.sighting_id)
            camera_id = sighting.camera_id if sighting is not None else None
        self._bus.publish(WallAlert(
            camera_id=camera_id, camera_name=content.camera, junction=content.junction,
            who=content.name, category=content.category, frame_time=content.frame_time,
            snapshot_path=content.snapshot_path or None, alert_id=alert_id,
            priority=alert.priority))
        log.info("wall banner raised for alert %s", alert_id)
