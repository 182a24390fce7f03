"""The sighting table: an officer marked a person or vehicle on a camera frame."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from commandroom.db.base import Base, UTCDateTime, utcnow


class SightingRow(Base):
    __tablename__ = "sighting"
    __table_args__ = (
        CheckConstraint("clip_status IN ('pending', 'done', 'failed')", name="clip_status"),
        # Statistics count sightings per junction and day from the index alone.
        Index("ix_sighting_time_junction", "frame_time", "junction"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No ON DELETE: an entry with sightings must never disappear (archive it instead).
    watch_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("watch_entry.id"), nullable=True, index=True
    )
    # The camera may be removed from the registry later; its name and junction stay here.
    camera_id: Mapped[int | None] = mapped_column(
        ForeignKey("camera.id", ondelete="SET NULL"), nullable=True, index=True
    )
    camera_name: Mapped[str] = mapped_column(String(120), default="")
    junction: Mapped[str] = mapped_column(String(200), default="")
    frame_time: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    seq: Mapped[int] = mapped_column(Integer)
    operator: Mapped[str] = mapped_column(String(120))
    box_x: Mapped[int | None] = mapped_column(Integer, nullable=True)
    box_y: Mapped[int | None] = mapped_column(Integer, nullable=True)
    box_w: Mapped[int | None] = mapped_column(Integer, nullable=True)
    box_h: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot_path: Mapped[str] = mapped_column(Text)  # relative to the data dir
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    clip_path: Mapped[str] = mapped_column(Text, default="")
    clip_sha256: Mapped[str] = mapped_column(String(64), default="")
    clip_status: Mapped[str] = mapped_column(String(16), default="pending")
    clip_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
