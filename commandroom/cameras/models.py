"""Tables of the camera registry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandroom.db.base import Base, UTCDateTime, utcnow


class CameraGroupRow(Base):
    __tablename__ = "camera_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    cameras: Mapped[list[CameraRow]] = relationship(back_populates="group")


class CameraRow(Base):
    __tablename__ = "camera"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    junction: Mapped[str] = mapped_column(String(200), default="")
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("camera_group.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # Stream URLs are stored without credentials; those live in the secret store
    # under credential_ref and are joined to the URL only for the open call.
    main_url: Mapped[str] = mapped_column(Text)
    sub_url: Mapped[str] = mapped_column(Text, default="")
    transport: Mapped[str] = mapped_column(String(8), default="tcp")
    credential_ref: Mapped[str] = mapped_column(String(120), default="")
    onvif_url: Mapped[str] = mapped_column(Text, default="")
    ptz_capable: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where the camera's events come from (camera_events.model.EventSource value, ""
    # none); event_url is scheme://host:port or the ONVIF device URL, "" to derive it
    # from onvif_url / main_url's host; event_channel the NVR channel (1-based).
    event_source: Mapped[str] = mapped_column(String(16), default="")
    event_url: Mapped[str] = mapped_column(Text, default="")
    event_channel: Mapped[int] = mapped_column(Integer, default=1)
    motion_detection: Mapped[bool] = mapped_column(Boolean, default=False)
    map_x: Mapped[float | None] = mapped_column(Float, nullable=True)
    map_y: Mapped[float | None] = mapped_column(Float, nullable=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    group: Mapped[CameraGroupRow | None] = relationship(back_populates="cameras")


class LayoutRow(Base):
    """A named grid layout; ``scope`` is 'console' or 'wall'; ``spec`` is JSON."""

    __tablename__ = "layout"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    scope: Mapped[str] = mapped_column(String(16), default="console")
    spec: Mapped[str] = mapped_column(Text)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
