"""Table of the cameras' playback sources (recorders holding their footage)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from commandroom.db.base import Base, UTCDateTime, utcnow


class PlaybackSourceRow(Base):
    """One camera's recorder; no row (or kind "none"): the camera has none."""

    __tablename__ = "camera_playback_source"

    camera_id: Mapped[int] = mapped_column(
        ForeignKey("camera.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="none")
    host: Mapped[str] = mapped_column(String(255), default="")
    rtsp_port: Mapped[int] = mapped_column(Integer, default=554)
    onvif_port: Mapped[int] = mapped_column(Integer, default=80)
    channel: Mapped[int] = mapped_column(Integer, default=1)
    # Secret store reference, as for cameras; "" = use the camera's own credentials.
    credential_ref: Mapped[str] = mapped_column(String(120), default="")
    utc_offset_min: Mapped[int] = mapped_column(Integer, default=0)
    clock_offset_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    hikvision_local_time: Mapped[bool] = mapped_column(Boolean, default=False)
    recording_token: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
