"""Domain events of the alerting feature (published on commandroom.events.EventBus)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AlertCreated:
    alert_id: int
    sighting_id: int
    priority: str  # "high": the wall shows a banner
    category: str
    headline: str
    team_ids: tuple[int, ...]


@dataclass(frozen=True)
class DeliveryChanged:
    delivery_id: int
    alert_id: int
    team_id: int
    channel_id: int
    status: str  # queued | retrying | delivered | failed
    error: str = ""


@dataclass(frozen=True)
class AlertAcknowledged:
    alert_id: int
    team_id: int
    by: str
    how: str
    at: datetime
    seconds_from_sighting: float


@dataclass(frozen=True)
class AlertEscalated:
    alert_id: int
    team_id: int
    escalation: int
    priority: str


@dataclass(frozen=True)
class RemindersStopped:
    """The alerts' incident was resolved: their teams get no more reminders."""

    alert_ids: tuple[int, ...]


@dataclass(frozen=True)
class TeamChannelsChanged:
    """A team's delivery channels were added or changed (the MQTT ack listeners follow)."""

    team_id: int


@dataclass(frozen=True)
class TeamsChanged:
    """A team was created or renamed, or its members changed (team lists follow)."""

    team_id: int
