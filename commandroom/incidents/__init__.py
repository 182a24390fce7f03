"""Incidents (线索/警情): a sighting, an alert or a call becomes an incident that gathers
sightings, alerts, notes and evidence packages, follows the teams' acknowledgements and
ends with an outcome; its timeline shows it all in order."""

from commandroom.incidents.records import (
    How,
    IncidentError,
    IncidentFilter,
    IncidentView,
    ItemKind,
    LinkKind,
    Outcome,
    State,
    TimelineItem,
)
from commandroom.incidents.service import IncidentService

__all__ = ["How", "IncidentError", "IncidentFilter", "IncidentService", "IncidentView",
           "ItemKind", "LinkKind", "Outcome", "State", "TimelineItem"]
