"""Tables of the alerting feature: teams, their channels and routing rules, and the
alert outbox (alert → one recipient row per team → one delivery row per channel →
one attempt row per try)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandroom.db.base import Base, UTCDateTime, utcnow


class TeamRow(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Short stable name used in MQTT topics and TOML files ("community", "case").
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[TeamMemberRow]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )
    channels: Mapped[list[TeamChannelRow]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class TeamMemberRow(Base):
    __tablename__ = "team_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(40), default="")
    radio: Mapped[str] = mapped_column(String(40), default="")

    team: Mapped[TeamRow] = relationship(back_populates="members")


class TeamChannelRow(Base):
    """One way to reach a team. ``config`` is JSON without secrets; those sit in the
    secret store under ``secret_ref`` (a JSON object there, too)."""

    __tablename__ = "team_channel"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # webhook | email | mqtt
    name: Mapped[str] = mapped_column(String(120))
    config: Mapped[str] = mapped_column(Text, default="{}")
    secret_ref: Mapped[str] = mapped_column(String(120), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)

    team: Mapped[TeamRow] = relationship(back_populates="channels")


class RoutingRuleRow(Base):
    __tablename__ = "routing_rule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    min_risk: Mapped[int] = mapped_column(Integer, default=0)
    camera_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("camera_group.id", ondelete="CASCADE"), nullable=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    priority: Mapped[str] = mapped_column(String(8), default="normal")  # high | normal


class AlertRow(Base):
    __tablename__ = "alert"
    # Statistics count the alerts of a month.
    __table_args__ = (Index("ix_alert_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # RESTRICT: a sighting that was alerted on is evidence and must not vanish under it.
    sighting_id: Mapped[int] = mapped_column(
        ForeignKey("sighting.id", ondelete="RESTRICT"), index=True
    )
    category: Mapped[str] = mapped_column(String(40))
    risk: Mapped[int] = mapped_column(Integer, default=0)
    priority: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    # The AlertContent as sent (JSON): re-sends and escalations render the same facts.
    content: Mapped[str] = mapped_column(Text)
    extra_line: Mapped[str] = mapped_column(Text, default="")
    frame_time: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))

    recipients: Mapped[list[AlertRecipientRow]] = relationship(
        back_populates="alert", cascade="all, delete-orphan"
    )


class AlertRecipientRow(Base):
    """One team's side of an alert: its state, acknowledgement and escalations."""

    __tablename__ = "alert_recipient"
    __table_args__ = (
        UniqueConstraint("alert_id", "team_id"),
        # The escalation monitor asks for open recipients on every dispatcher pass.
        Index("ix_alert_recipient_open", "acked_at", "escalations"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="RESTRICT"), index=True)
    priority: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    # Escalation deadlines count from here (creation, then each escalation).
    last_notified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acked_by: Mapped[str] = mapped_column(String(120), default="")
    ack_how: Mapped[str] = mapped_column(String(16), default="")  # mqtt|link|phone|radio|...
    ack_recorded_by: Mapped[str] = mapped_column(String(120), default="")
    # Set when the incident the alert belongs to is resolved: no more reminders about a
    # suspect already caught (commandroom.alerts.escalation.stop_reminders).
    reminders_stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    alert: Mapped[AlertRow] = relationship(back_populates="recipients")


class DeliveryRow(Base):
    """The outbox: one message to one channel of one team."""

    __tablename__ = "delivery"
    __table_args__ = (Index("ix_delivery_due", "status", "next_try"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("alert_recipient.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("team_channel.id", ondelete="RESTRICT"), index=True
    )
    # Round 0 is the first send, round n the n-th escalation.
    round: Mapped[int] = mapped_column(Integer, default=0)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # The last error (or warning) as a code and its parameters (JSON): the console
    # words it in the operator's language; last_error is the technical text for logs.
    error_code: Mapped[str] = mapped_column(String(40), default="")
    error_params: Mapped[str] = mapped_column(Text, default="{}")
    # Messages of this delivery the receiver has accepted (a robot gets the text, then
    # the picture): a retry never sends the text twice.
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class DeliveryAttemptRow(Base):
    __tablename__ = "delivery_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("delivery.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # ok | transient | permanent | deferred (the robot said "too fast": a wait, not a try)
    outcome: Mapped[str] = mapped_column(String(16))
    error: Mapped[str] = mapped_column(Text, default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
