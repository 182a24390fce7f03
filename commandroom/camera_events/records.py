"""Tables of the camera events: every event stored, and the suggested sightings.

A stored event copies the camera's name and junction (like a sighting does): the camera
may be renamed or deleted later, the event stays as it was read. Times are UTC.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from commandroom.db.base import Base, UTCDateTime

PLATE_LIMIT = 32  # a plate read longer than this is cut (a reader's garbage, not a plate)
TOPIC_LIMIT = 200


class CameraEventRow(Base):
    __tablename__ = "camera_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    camera_id: Mapped[int | None] = mapped_column(
        ForeignKey("camera.id", ondelete="SET NULL"), nullable=True, index=True)
    camera_name: Mapped[str] = mapped_column(String(120), default="")
    junction: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(8))
    device_time: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    topic: Mapped[str] = mapped_column(String(TOPIC_LIMIT), default="")
    plate: Mapped[str] = mapped_column(String(PLATE_LIMIT), default="")
    plate_normalised: Mapped[str] = mapped_column(String(PLATE_LIMIT), default="", index=True)
    plate_colour: Mapped[str] = mapped_column(String(16), default="")
    picture_path: Mapped[str] = mapped_column(Text, default="")  # relative to the data dir
    picture_sha256: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON object of short strings


class PlateSuggestionRow(Base):
    """A plate read that matched a watch-listed vehicle, waiting for the officer."""

    __tablename__ = "plate_suggestions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("camera_events.id", ondelete="CASCADE"), index=True)
    camera_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    watch_entry_id: Mapped[int] = mapped_column(
        ForeignKey("watch_entry.id", ondelete="CASCADE"), index=True)
    plate_read: Mapped[str] = mapped_column(String(PLATE_LIMIT), default="")
    plate_normalised: Mapped[str] = mapped_column(String(PLATE_LIMIT), default="")
    score: Mapped[float] = mapped_column(Float)
    rules: Mapped[str] = mapped_column(String(200), default="")  # MatchRule values, comma-joined
    # The match's edits as JSON (suggestion_views.py); NULL on cards raised before 0012.
    edits: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    repeats: Mapped[int] = mapped_column(Integer, default=0)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reason: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    sighting_id: Mapped[int | None] = mapped_column(
        ForeignKey("sighting.id", ondelete="SET NULL"), nullable=True)
