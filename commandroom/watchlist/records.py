"""Plain values the watch-list service takes and returns (no ORM objects leak out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from commandroom.watchlist.models import WatchEntryRow
from commandroom.watchlist.plates import NOT_MAINLAND_NOTE, check_plate


class Kind(StrEnum):
    PERSON = "person"
    VEHICLE = "vehicle"


class Category(StrEnum):
    WANTED = "wanted"
    SUSPECT = "suspect"
    MISSING_PERSON = "missing_person"
    FRAUD_RISK = "fraud_risk"
    OTHER = "other"


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Sex(StrEnum):
    UNKNOWN = ""
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class EntryInput:
    """What a form or a CSV row says about an entry; validated by ``validate_entry``."""

    kind: str = Kind.PERSON
    name: str = ""
    aliases: tuple[str, ...] = ()
    id_number: str = ""
    sex: str = ""
    date_of_birth: date | None = None
    plate: str = ""
    colour: str = ""
    make_model: str = ""
    category: str = Category.OTHER
    risk: str = Risk.MEDIUM
    reason: str = ""
    case_reference: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class PhotoView:
    id: int
    path: str  # relative to the data dir
    sha256: str
    position: int


@dataclass(frozen=True)
class EntryView:
    id: int
    kind: Kind
    category: Category
    risk: Risk
    name: str
    aliases: tuple[str, ...]
    id_number: str
    sex: str
    date_of_birth: date | None
    plate: str
    plate_normalised: str
    plate_note: str
    colour: str
    make_model: str
    reason: str
    case_reference: str
    valid_from: date | None
    valid_until: date | None
    notes: str
    archived: bool
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime
    photos: tuple[PhotoView, ...] = field(default=())

    @property
    def label(self) -> str:
        """What a list shows first: the name, else the plate."""
        return self.name or self.plate

    def is_active(self, today: date) -> bool:
        if self.archived:
            return False
        if self.valid_from is not None and today < self.valid_from:
            return False
        return self.valid_until is None or today <= self.valid_until

    def as_input(self) -> EntryInput:
        """The editable fields, e.g. ``dataclasses.replace(view.as_input(), risk="high")``."""
        return EntryInput(
            kind=self.kind, name=self.name, aliases=self.aliases, id_number=self.id_number,
            sex=self.sex, date_of_birth=self.date_of_birth, plate=self.plate,
            colour=self.colour, make_model=self.make_model, category=self.category,
            risk=self.risk, reason=self.reason, case_reference=self.case_reference,
            valid_from=self.valid_from, valid_until=self.valid_until, notes=self.notes,
        )


@dataclass(frozen=True)
class SearchHit:
    """One line of the search-as-you-type list; kept in memory by the search index."""

    id: int
    kind: Kind
    label: str
    id_number: str
    plate: str
    category: Category
    risk: Risk
    archived: bool


def entry_view(row: WatchEntryRow) -> EntryView:
    plate_note = ""
    if row.plate:
        plate_note = NOT_MAINLAND_NOTE if not check_plate(row.plate).mainland else ""
    return EntryView(
        id=row.id, kind=Kind(row.kind), category=Category(row.category), risk=Risk(row.risk),
        name=row.name, aliases=tuple(a.alias for a in row.aliases),
        id_number=row.id_number or "", sex=row.sex, date_of_birth=row.date_of_birth,
        plate=row.plate, plate_normalised=row.plate_normalised or "", plate_note=plate_note,
        colour=row.colour, make_model=row.make_model, reason=row.reason,
        case_reference=row.case_reference, valid_from=row.valid_from,
        valid_until=row.valid_until, notes=row.notes, archived=row.archived,
        archived_at=row.archived_at, created_at=row.created_at, updated_at=row.updated_at,
        photos=tuple(PhotoView(p.id, p.path, p.sha256, p.position) for p in row.photos),
    )


def search_hit(row: WatchEntryRow) -> SearchHit:
    return SearchHit(
        id=row.id, kind=Kind(row.kind), label=row.name or row.plate,
        id_number=row.id_number or "", plate=row.plate, category=Category(row.category),
        risk=Risk(row.risk), archived=row.archived,
    )
