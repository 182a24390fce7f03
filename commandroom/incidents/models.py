"""Tables of incidents (线索/警情): the incident, the teams it was sent to, what it gathers,
its notes and every change of state.

Statistics and reports read these tables with plain SQL, so the figures they need are
stored, not derived with date arithmetic that differs between SQLite and PostgreSQL:
each duration is an integer number of seconds written when the moment happens, and the
day and junction an incident belongs to are columns of their own. For example::

    -- time to acknowledge per team
    SELECT team_id, AVG(ack_seconds), COUNT(*) FROM incident_team
     WHERE ack_seconds IS NOT NULL GROUP BY team_id;
    -- incidents by outcome, per junction and day
    SELECT junction, created_day, outcome, COUNT(*) FROM incident
     GROUP BY junction, created_day, outcome;
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from commandroom.db.base import Base, UTCDateTime

STATES = ("open", "dispatched", "acknowledged", "on_scene", "resolved")
OUTCOMES = ("caught", "cleared", "false_alarm", "handed_over")


def _in(column: str, values: tuple[str, ...], *, blank: bool = False) -> str:
    allowed = ", ".join(f"'{v}'" for v in (("",) if blank else ()) + values)
    return f"{column} IN ({allowed})"


class IncidentRow(Base):
    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("year", "seq"),
        CheckConstraint(_in("state", STATES), name="state"),
        CheckConstraint(_in("outcome", OUTCOMES, blank=True), name="outcome"),
        CheckConstraint(_in("priority", ("high", "normal")), name="priority"),
        Index("ix_incident_day_junction", "created_day", "junction"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "JX-2026-0001": numbered per year (year, seq), the number a case file cites.
    number: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32), default="other")
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    outcome: Mapped[str] = mapped_column(String(16), default="")
    # Where it happened (the first sighting's camera) and the station's day (UTC date of
    # creation): what "per junction and day" groups by.
    camera_id: Mapped[int | None] = mapped_column(
        ForeignKey("camera.id", ondelete="SET NULL"), nullable=True)
    junction: Mapped[str] = mapped_column(String(200), default="")
    created_day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_by: Mapped[str] = mapped_column(String(120))
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    on_scene_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_by: Mapped[str] = mapped_column(String(120), default="")
    # Seconds from creation, stored when the moment happens (see the module's doc).
    scene_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    resolution_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)


class IncidentTeamRow(Base):
    """A team the incident was sent to: when, and when (and how) it acknowledged."""

    __tablename__ = "incident_team"
    __table_args__ = (
        UniqueConstraint("incident_id", "team_id"),
        # Statistics read each team's acknowledgement times from the index alone.
        Index("ix_incident_team_ack", "incident_id", "team_id", "ack_seconds"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    # The alert that reached the team; NULL when the officer sent it by radio or phone.
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert.id", ondelete="SET NULL"), nullable=True)
    dispatched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ack_how: Mapped[str] = mapped_column(String(16), default="")
    acked_by: Mapped[str] = mapped_column(String(120), default="")
    ack_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)  # from dispatch


class IncidentEntryRow(Base):
    """A watch-list entry the incident is about."""

    __tablename__ = "incident_entry"
    __table_args__ = (UniqueConstraint("incident_id", "watch_entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    watch_entry_id: Mapped[int] = mapped_column(
        ForeignKey("watch_entry.id", ondelete="CASCADE"), index=True)


class IncidentLinkRow(Base):
    """Something the incident gathers: a sighting, an alert (by id) or an evidence package
    (by its reference: the package's file name)."""

    __tablename__ = "incident_link"
    __table_args__ = (
        UniqueConstraint("incident_id", "kind", "ref_id", "ref"),
        CheckConstraint(_in("kind", ("sighting", "alert", "evidence_package")), name="kind"),
        Index("ix_incident_link_kind_ref", "kind", "ref_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    ref_id: Mapped[int] = mapped_column(Integer, default=0)
    ref: Mapped[str] = mapped_column(String(200), default="")
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    linked_by: Mapped[str] = mapped_column(String(120))


class IncidentNoteRow(Base):
    __tablename__ = "incident_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)


class IncidentStateChangeRow(Base):
    """One step of the incident: its state, when, which operator recorded it (``by``),
    who said so (``who``: a team member, or empty) and how (a channel's reply, phone,
    radio, in person, the console); ``team_id`` for a team's dispatch or acknowledgement."""

    __tablename__ = "incident_state_change"
    __table_args__ = (Index("ix_incident_state_change_incident_at", "incident_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(120))
    who: Mapped[str] = mapped_column(String(120), default="")
    how: Mapped[str] = mapped_column(String(16), default="console")
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"), nullable=True)
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert.id", ondelete="SET NULL"), nullable=True)
    outcome: Mapped[str] = mapped_column(String(16), default="")
