"""Tables of continuous recording: the segment index, gaps, evidence locks, per-camera modes.

Times are UTC on the station's clock; ``clock_offset_s`` is what the camera's own clock
read minus the station's, when known (ONVIF), so an export can state both.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from commandroom.db.base import Base, UTCDateTime, utcnow


class RecordingSegmentRow(Base):
    """One fragmented-MP4 file. ``status`` 'open' while written: ``path`` then names the
    final file and the bytes sit at ``path + '.part'`` (recovery knows both)."""

    __tablename__ = "recording_segment"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        Index("ix_recording_segment_camera_start", "camera_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The footage outlives a camera removed from the registry: name kept below.
    camera_id: Mapped[int | None] = mapped_column(
        ForeignKey("camera.id", ondelete="SET NULL"), nullable=True
    )
    camera_name: Mapped[str] = mapped_column(String(120), default="")
    path: Mapped[str] = mapped_column(Text, unique=True)  # relative to the recordings folder
    start_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)  # so far, while open
    status: Mapped[str] = mapped_column(String(8), default="open")
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    codec: Mapped[str] = mapped_column(String(16), default="")
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    clock_offset_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Why the file ended early or was repaired: '' (normal), 'recovered' (crash, cut to
    # its last whole fragment), 'write_failed', 'adopted' (found on disk, not indexed).
    note: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecordingGapRow(Base):
    """A stretch with no recording, and why; ``end_at`` NULL while it lasts."""

    __tablename__ = "recording_gap"
    __table_args__ = (Index("ix_recording_gap_camera_start", "camera_id", "start_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    camera_id: Mapped[int | None] = mapped_column(
        ForeignKey("camera.id", ondelete="SET NULL"), nullable=True
    )
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reason: Mapped[str] = mapped_column(String(32))  # a GapReason value
    detail: Mapped[str] = mapped_column(String(120), default="")  # a code, e.g. errno name


class EvidenceLockRow(Base):
    """Footage of a camera between two times that retention must keep (a sighting, an
    alert, an export or an officer's decision references it)."""

    __tablename__ = "evidence_lock"
    __table_args__ = (
        CheckConstraint("end_at >= start_at", name="range"),
        Index("ix_evidence_lock_camera_start", "camera_id", "start_at"),
        Index("ix_evidence_lock_kind_ref", "kind", "ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    camera_id: Mapped[int | None] = mapped_column(
        ForeignKey("camera.id", ondelete="SET NULL"), nullable=True
    )
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))  # a LockKind value
    ref: Mapped[str] = mapped_column(String(64), default="")  # e.g. the sighting's id
    created_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CameraRecordingRow(Base):
    """A camera's recording mode, stream and retention, when not the defaults."""

    __tablename__ = "camera_recording"
    __table_args__ = (
        CheckConstraint("mode IN ('off', 'continuous', 'while_shown')", name="mode"),
        CheckConstraint("record_stream IN ('main', 'sub')", name="record_stream"),
    )

    camera_id: Mapped[int] = mapped_column(
        ForeignKey("camera.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(String(16))
    keep_days: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: setting's
    # Which stream is recorded: 'main' (evidence quality) or 'sub' (see policy.py).
    record_stream: Mapped[str] = mapped_column(String(8), default="main",
                                               server_default="main")
    updated_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
