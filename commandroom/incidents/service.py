"""``IncidentService``: incidents (线索/警情) made from a sighting, an alert or by hand,
what they gather, their steps and times, and the timeline of each.

Wiring (the composition root)::

    incidents = IncidentService(sessions, audit, events, lambda: alerts, clock, data_dir=...)
    number = incidents.create_from_sighting(actor, sighting_id).number
    incidents.record(actor, incident_id, State.ON_SCENE, How.RADIO)
    incidents.resolve(actor, incident_id, Outcome.CAUGHT)     # "caught in 47 min"
    incidents.timeline(actor, incident_id)                     # everything, in order
    incidents.close()                                          # stops following alerts

Acknowledgements arrive by themselves: the service follows the alerts' events
(``alert_following.py``), so a team that acknowledges an alert of an incident (the link
in a WeCom, DingTalk or e-mail message, the MQTT app, or a phone call the officer
records) moves that team's state, and an alert sent about a sighting of an incident
joins it. This module is what an officer does with incidents.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.alerts.acks import MemberChoice
from commandroom.alerts.escalation import stop_reminders
from commandroom.alerts.events import RemindersStopped
from commandroom.alerts.models import AlertRow
from commandroom.alerts.service import AlertService
from commandroom.audit.api import AuditSink
from commandroom.auth.guard import open_access, requires
from commandroom.auth.permissions import SYSTEM, Actor, Permission
from commandroom.db.base import utcnow
from commandroom.events import EventBus
from commandroom.incidents import officer_acks, progress
from commandroom.incidents.alert_following import AlertFollowing
from commandroom.incidents.events import IncidentChanged
from commandroom.incidents.models import IncidentEntryRow, IncidentNoteRow, IncidentRow
from commandroom.incidents.records import (
    How,
    IncidentError,
    IncidentFilter,
    IncidentView,
    LinkKind,
    Outcome,
    State,
    TimelineItem,
)
from commandroom.incidents.timeline import build_timeline
from commandroom.incidents.views import incident_view
from commandroom.sightings.models import SightingRow
from commandroom.watchlist.models import WatchEntryRow

log = logging.getLogger(__name__)

NUMBER_PREFIX = "JX"
# The station's calendar (numbers per year, statistics per day): Beijing time, which
# has no daylight saving.
STATION_TZ = timezone(timedelta(hours=8))


class IncidentService:
    def __init__(self, sessions: sessionmaker[Session], audit: AuditSink, events: EventBus,
                 alerts: Callable[[], AlertService] | None = None,
                 clock: Callable[[], datetime] = utcnow, *, data_dir: Path | None = None
                 ) -> None:
        self._sessions = sessions
        self._audit = audit
        self._events = events
        # Asked for only when an officer records an acknowledgement: a command that only
        # reads incidents (a report) does not build alerting and bind its ack port.
        self._alerts = alerts
        self._clock = clock
        self._data_dir = data_dir
        self._following = AlertFollowing(sessions, audit, events)

    @open_access("stops following the alerts' events; called by the composition root")
    def close(self) -> None:
        self._following.close()

    # -- creating ----------------------------------------------------------------------
    @requires(Permission.TAG_SIGHTING)
    def create(self, actor: Actor, title: str, *, category: str = "other",
               priority: str = "normal", entry_ids: Iterable[int] = (),
               junction: str = "") -> IncidentView:
        """An incident by hand (a call, a patrol's report)."""
        with self._sessions.begin() as session:
            incident = self._new(session, actor, title, category, priority, junction, None)
            for entry_id in entry_ids:
                self._add_entry(session, incident, entry_id)
            view = self._created(session, actor, incident, "hand")
        self._changed(view)
        return view

    @requires(Permission.TAG_SIGHTING)
    def create_from_sighting(self, actor: Actor, sighting_id: int, *, title: str = "",
                             priority: str = "normal") -> IncidentView:
        """An incident about a tagged sighting: its entry, camera and junction, and the
        alerts already sent about it that no incident has yet (tag, alert, then the
        incident is the console's order): their teams and acknowledgements come along."""
        with self._sessions.begin() as session:
            sighting = self._sighting(session, sighting_id)
            view = self._from_sighting(session, actor, sighting, title, priority, "sighting",
                                       take_alerts=True)
        self._changed(view)
        return view

    @requires(Permission.SEND_ALERT)
    def create_from_alert(self, actor: Actor, alert_id: int, *, title: str = "") -> IncidentView:
        """An incident about an alert already sent: its sighting, its teams (sent when the
        alert was) and the acknowledgements already in."""
        with self._sessions.begin() as session:
            alert = session.get(AlertRow, alert_id)
            if alert is None:
                raise IncidentError("no_alert", f"no alert {alert_id}")
            # One incident per alert: a second would split its acknowledgements and count
            # the same case twice in the statistics (``of_alert`` finds the one there is).
            if progress.incidents_linked(session, LinkKind.ALERT, alert_id):
                raise IncidentError("alert_has_incident",
                                    f"alert {alert_id} belongs to an incident already")
            sighting = self._sighting(session, alert.sighting_id)
            view = self._from_sighting(session, actor, sighting, title, alert.priority, "alert",
                                       category=alert.category)
            incident = session.get_one(IncidentRow, view.id)
            progress.take_alert(session, incident, alert, actor.username)
            view = incident_view(session, incident)
        self._changed(view)
        return view

    # -- gathering ---------------------------------------------------------------------
    @requires(Permission.TAG_SIGHTING)
    def link(self, actor: Actor, incident_id: int, kind: LinkKind, ref_id: int = 0,
             ref: str = "") -> bool:
        """Gather a sighting, an alert or an evidence package (``ref``: its file name).
        True when new; an alert linked brings its teams and acknowledgements."""
        kind = LinkKind(kind)
        with self._sessions.begin() as session:
            incident = self._incident(session, incident_id)
            if kind is LinkKind.SIGHTING:
                sighting = self._sighting(session, ref_id)
                if sighting.watch_entry_id is not None:
                    self._add_entry(session, incident, sighting.watch_entry_id)
            elif kind is LinkKind.ALERT:
                alert = session.get(AlertRow, ref_id)
                if alert is None:
                    raise IncidentError("no_alert", f"no alert {ref_id}")
                progress.take_alert(session, incident, alert, actor.username)
            elif not ref.strip():
                raise IncidentError("no_ref", "an evidence package is linked by its name")
            new = progress.add_link(session, incident, kind, ref_id, ref.strip(),
                                    self._clock(), actor.username)
            if new:
                self._audit.append(session, actor, "incident.link", f"incident:{incident.id}",
                                   {"kind": kind.value, "ref_id": ref_id, "ref": ref.strip()})
            state = incident.state
        self._events.publish(IncidentChanged(incident_id, state))
        return new

    @requires(Permission.TAG_SIGHTING)
    def add_note(self, actor: Actor, incident_id: int, text: str) -> None:
        text = text.strip()
        if not text:
            raise IncidentError("empty_note", "a note needs some text")
        with self._sessions.begin() as session:
            incident = self._incident(session, incident_id)
            session.add(IncidentNoteRow(incident_id=incident.id, at=self._clock(),
                                        by=actor.username, text=text[:4000]))
            self._audit.append(session, actor, "incident.note", f"incident:{incident.id}",
                               {"chars": len(text)})
            state = incident.state
        self._events.publish(IncidentChanged(incident_id, state))

    # -- steps -------------------------------------------------------------------------
    @requires(Permission.SEND_ALERT)
    def record(self, actor: Actor, incident_id: int, state: State, how: How = How.CONSOLE,
               team_id: int | None = None, who: str = "") -> IncidentView:
        """The officer records a step: a team sent to by radio or phone (DISPATCHED), a
        team's acknowledgement (ACKNOWLEDGED: a team reached by an alert is acknowledged on
        the alert, whose event moves the incident), or ON_SCENE. Resolve with ``resolve``."""
        state, how = State(state), How(how)
        alert_ack: tuple[int, int] | None = None
        channel_ack = ""
        with self._sessions.begin() as session:
            incident = self._incident(session, incident_id)
            progress.check_not_resolved(incident)
            now = self._clock()
            if state is State.DISPATCHED:
                progress.dispatch(session, incident, _team(team_id), now, actor.username,
                                  how=how)
            elif state is State.ACKNOWLEDGED:
                found = officer_acks.decide(session, incident, _team(team_id), now,
                                            actor.username, how, who,
                                            alerts_on=self._alerts is not None)
                alert_ack, channel_ack = found.through_alert, found.channel_ack
            elif state is State.ON_SCENE:
                progress.on_scene(session, incident, now, actor.username, how=how, who=who,
                                  team_id=team_id)
            else:
                raise IncidentError("not_recordable", f"{state} is not recorded this way")
            if channel_ack:  # the team's own acknowledgement, as the alerts' event does
                self._audit.append(session, SYSTEM, "incident.state", f"incident:{incident.id}",
                                   {"state": state.value, "how": channel_ack,
                                    "team_id": team_id})
            elif alert_ack is None:  # else the alert's acknowledgement is audited, then this
                self._audit.append(session, actor, "incident.state", f"incident:{incident.id}",
                                   {"state": state.value, "how": how.value,
                                    "team_id": team_id, "who": who})
        if channel_ack:
            self._published(incident_id)
            raise IncidentError("acked_already", f"team {team_id} acknowledged already "
                                                 f"({channel_ack})")
        if alert_ack is not None and self._alerts is not None:
            # Through the alert: its escalation stops, and its event moves the incident.
            self._alerts().ack_by_console(actor, alert_ack[0], alert_ack[1], who, how.value)
        return self._published(incident_id)

    @requires(Permission.SEND_ALERT)
    def resolve(self, actor: Actor, incident_id: int, outcome: Outcome,
                how: How = How.CONSOLE, who: str = "") -> IncidentView:
        outcome, how = Outcome(outcome), How(how)
        with self._sessions.begin() as session:
            incident = self._incident(session, incident_id)
            progress.check_not_resolved(incident)
            now = self._clock()
            progress.resolve(session, incident, outcome, now, actor.username,
                             how=how, who=who)
            alert_ids = progress.linked_ids(session, incident, LinkKind.ALERT)
            stopped = stop_reminders(session, alert_ids, now)
            self._audit.append(session, actor, "incident.resolve", f"incident:{incident.id}",
                               {"outcome": outcome.value, "how": how.value,
                                "seconds": incident.resolution_seconds,
                                "reminders_stopped": stopped})
        if stopped:
            self._events.publish(RemindersStopped(tuple(alert_ids)))  # the alert panel
        return self._published(incident_id)

    # -- reading -----------------------------------------------------------------------
    @requires(Permission.VIEW_VIDEO)
    def get(self, actor: Actor, incident_id: int) -> IncidentView:
        with self._sessions() as session:
            return incident_view(session, self._incident(session, incident_id))

    @requires(Permission.VIEW_VIDEO)
    def list(self, actor: Actor, where: IncidentFilter | None = None) -> list[IncidentView]:
        """Newest first."""
        where = where or IncidentFilter()
        query = select(IncidentRow).order_by(IncidentRow.created_at.desc(),
                                              IncidentRow.id.desc())
        if where.open_only:
            query = query.where(IncidentRow.state != State.RESOLVED)
        if where.states:
            query = query.where(IncidentRow.state.in_([s.value for s in where.states]))
        if where.since is not None:
            query = query.where(IncidentRow.created_at >= where.since)
        if where.until is not None:
            query = query.where(IncidentRow.created_at < where.until)
        if where.text.strip():
            pattern = f"%{where.text.strip()}%"
            query = query.where(or_(IncidentRow.number.ilike(pattern),
                                    IncidentRow.title.ilike(pattern)))
        with self._sessions() as session:
            rows = session.scalars(query.limit(max(1, where.limit))).all()
            return [incident_view(session, row) for row in rows]

    @requires(Permission.VIEW_VIDEO)
    def timeline(self, actor: Actor, incident_id: int) -> builtins.list[TimelineItem]:
        """Everything in order, with times from the incident's creation."""
        with self._sessions() as session:
            return build_timeline(session, self._incident(session, incident_id),
                                  self._data_dir)

    @requires(Permission.VIEW_VIDEO)
    def of_sighting(self, actor: Actor, sighting_id: int) -> builtins.list[IncidentView]:
        """The incidents a sighting belongs to."""
        with self._sessions() as session:
            return [incident_view(session, row) for row in
                    progress.incidents_linked(session, LinkKind.SIGHTING, sighting_id)]

    @requires(Permission.VIEW_VIDEO)
    def of_alert(self, actor: Actor, alert_id: int) -> builtins.list[IncidentView]:
        """The incidents an alert belongs to (made from it, or joined by it)."""
        with self._sessions() as session:
            return [incident_view(session, row) for row in
                    progress.incidents_linked(session, LinkKind.ALERT, alert_id)]

    @requires(Permission.SEND_ALERT)
    def team_members(self, actor: Actor, team_id: int) -> builtins.list[MemberChoice]:
        """Who of a team may be named as acknowledging (names only; none on file: the
        officer types who phoned)."""
        return self._alerts().members(actor, team_id) if self._alerts is not None else []

    # -- helpers -----------------------------------------------------------------------
    def _new(self, session: Session, actor: Actor, title: str, category: str, priority: str,
             junction: str, camera_id: int | None) -> IncidentRow:
        if priority not in ("high", "normal"):
            raise IncidentError("priority", f"priority must be high or normal, not {priority}")
        now = self._clock()
        local = now.astimezone(STATION_TZ)
        seq = (session.scalar(select(func.max(IncidentRow.seq))
                              .where(IncidentRow.year == local.year)) or 0) + 1
        incident = IncidentRow(
            number=f"{NUMBER_PREFIX}-{local.year}-{seq:04d}", year=local.year, seq=seq,
            title=title.strip()[:200], category=category or "other", priority=priority,
            state=State.OPEN, outcome="", camera_id=camera_id, junction=junction[:200],
            created_day=local.date(), created_at=now, created_by=actor.username)
        session.add(incident)
        session.flush()
        return incident

    def _from_sighting(self, session: Session, actor: Actor, sighting: SightingRow,
                       title: str, priority: str, source: str, category: str = "",
                       take_alerts: bool = False) -> IncidentView:
        entry = (session.get(WatchEntryRow, sighting.watch_entry_id)
                 if sighting.watch_entry_id is not None else None)
        place = sighting.junction or sighting.camera_name
        default_title = " · ".join(p for p in ((entry.name if entry else ""), place) if p)
        alerts = self._alerts_without_incident(session, sighting.id) if take_alerts else ()
        if any(alert.priority == "high" for alert in alerts):
            priority = "high"  # as an incident made from that alert would be
        incident = self._new(session, actor, title.strip() or default_title or f"#{sighting.id}",
                             category or (entry.category if entry else "other"), priority,
                             place, sighting.camera_id)
        if entry is not None:
            self._add_entry(session, incident, entry.id)
        progress.add_link(session, incident, LinkKind.SIGHTING, sighting.id, "",
                          incident.created_at, actor.username)
        for alert in alerts:
            progress.take_alert(session, incident, alert, actor.username)
        details: dict[str, object] = {"sighting_id": sighting.id}
        if alerts:
            details["alert_ids"] = [alert.id for alert in alerts]
        return self._created(session, actor, incident, source, **details)

    @staticmethod
    def _alerts_without_incident(session: Session, sighting_id: int
                                 ) -> tuple[AlertRow, ...]:
        """The alerts sent about the sighting that belong to no incident (one incident
        per alert: see create_from_alert)."""
        alerts = session.scalars(select(AlertRow).where(AlertRow.sighting_id == sighting_id)
                                 .order_by(AlertRow.id)).all()
        return tuple(alert for alert in alerts
                     if not progress.incidents_linked(session, LinkKind.ALERT, alert.id))

    def _created(self, session: Session, actor: Actor, incident: IncidentRow, source: str,
                 **details: object) -> IncidentView:
        self._audit.append(session, actor, "incident.create", f"incident:{incident.id}",
                           {"number": incident.number, "from": source,
                            "category": incident.category, **details})
        return incident_view(session, incident)

    def _add_entry(self, session: Session, incident: IncidentRow, entry_id: int) -> None:
        found = session.scalar(select(IncidentEntryRow.id).where(
            IncidentEntryRow.incident_id == incident.id,
            IncidentEntryRow.watch_entry_id == entry_id))
        if found is None:
            session.add(IncidentEntryRow(incident_id=incident.id, watch_entry_id=entry_id))

    def _incident(self, session: Session, incident_id: int) -> IncidentRow:
        incident = session.get(IncidentRow, incident_id)
        if incident is None:
            raise IncidentError("no_incident", f"no incident {incident_id}")
        return incident

    def _sighting(self, session: Session, sighting_id: int) -> SightingRow:
        sighting = session.get(SightingRow, sighting_id)
        if sighting is None:
            raise IncidentError("no_sighting", f"no sighting {sighting_id}")
        return sighting

    def _published(self, incident_id: int) -> IncidentView:
        with self._sessions() as session:
            view = incident_view(session, self._incident(session, incident_id))
        self._changed(view)
        return view

    def _changed(self, view: IncidentView) -> None:
        self._events.publish(IncidentChanged(view.id, view.state.value))


def _team(team_id: int | None) -> int:
    if team_id is None:
        raise IncidentError("team", "which team?")
    return team_id
