"""Tables of the watch list: one row per person or vehicle ("one person, one file")."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandroom.db.base import Base, UTCDateTime, utcnow


class WatchEntryRow(Base):
    __tablename__ = "watch_entry"
    __table_args__ = (
        CheckConstraint("kind IN ('person', 'vehicle')", name="kind"),
        CheckConstraint(
            "category IN ('wanted', 'suspect', 'missing_person', 'fraud_risk', 'other')",
            name="category",
        ),
        CheckConstraint("risk IN ('low', 'medium', 'high')", name="risk"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32), default="other")
    risk: Mapped[str] = mapped_column(String(16), default="medium")
    reason: Mapped[str] = mapped_column(Text, default="")
    case_reference: Mapped[str] = mapped_column(String(120), default="")
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Person; for a vehicle ``name`` may describe it ("white van, plate not read").
    name: Mapped[str] = mapped_column(String(200), default="")
    # NULL rather than "" when absent, so the unique constraints allow many blanks.
    id_number: Mapped[str | None] = mapped_column(String(18), nullable=True, unique=True)
    sex: Mapped[str] = mapped_column(String(16), default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date, nullable=True)

    # Vehicle
    plate: Mapped[str] = mapped_column(String(40), default="")
    plate_normalised: Mapped[str | None] = mapped_column(String(40), nullable=True, unique=True)
    colour: Mapped[str] = mapped_column(String(60), default="")
    make_model: Mapped[str] = mapped_column(String(120), default="")

    aliases: Mapped[list[WatchAliasRow]] = relationship(
        back_populates="entry",
        cascade="all, delete-orphan",
        order_by="WatchAliasRow.position",
    )
    photos: Mapped[list[WatchPhotoRow]] = relationship(
        back_populates="entry",
        cascade="all, delete-orphan",
        order_by="WatchPhotoRow.position",
    )


class WatchAliasRow(Base):
    __tablename__ = "watch_alias"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("watch_entry.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    entry: Mapped[WatchEntryRow] = relationship(back_populates="aliases")


class WatchPhotoRow(Base):
    __tablename__ = "watch_photo"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("watch_entry.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(Text)  # relative to the data dir, "/" separated
    sha256: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)

    entry: Mapped[WatchEntryRow] = relationship(back_populates="photos")
