"""Row-level helpers shared by the service and the CSV importer."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from commandroom.watchlist.models import WatchAliasRow, WatchEntryRow, WatchPhotoRow
from commandroom.watchlist.validation import ValidEntry

# The columns an audit "before/after" shows, in form order.
AUDITED_FIELDS = (
    "kind", "name", "aliases", "id_number", "sex", "date_of_birth", "plate", "colour",
    "make_model", "category", "risk", "reason", "case_reference", "valid_from",
    "valid_until", "notes", "archived",
)


class EntryNotFound(LookupError):
    def __init__(self, entry_id: int) -> None:
        super().__init__(f"watch-list entry #{entry_id} does not exist")
        self.entry_id = entry_id


class DuplicateEntry(ValueError):
    """Another entry already has this ID number or plate ("one person, one file")."""

    def __init__(self, existing_id: int, what: str, archived: bool) -> None:
        state = " (archived: restore it instead)" if archived else ""
        super().__init__(f"{what} is already on file as entry #{existing_id}{state}")
        self.existing_id = existing_id


def load_entry(session: Session, entry_id: int) -> WatchEntryRow:
    row = session.get(WatchEntryRow, entry_id)
    if row is None:
        raise EntryNotFound(entry_id)
    return row


def apply_entry(row: WatchEntryRow, valid: ValidEntry) -> None:
    data = valid.data
    row.kind = data.kind
    row.category = data.category
    row.risk = data.risk
    row.reason = data.reason
    row.case_reference = data.case_reference
    row.valid_from = data.valid_from
    row.valid_until = data.valid_until
    row.notes = data.notes
    row.name = data.name
    row.id_number = valid.id_number
    row.sex = data.sex
    row.date_of_birth = data.date_of_birth
    row.plate = data.plate
    row.plate_normalised = valid.plate_normalised
    row.colour = data.colour
    row.make_model = data.make_model
    if [a.alias for a in row.aliases] != list(data.aliases):
        row.aliases = [WatchAliasRow(alias=a, position=i) for i, a in enumerate(data.aliases)]


def add_photo(row: WatchEntryRow, path: str, sha256: str) -> bool:
    """Attach a stored photo unless the same picture is already on the entry."""
    if any(p.sha256 == sha256 for p in row.photos):
        return False
    position = max((p.position for p in row.photos), default=-1) + 1
    row.photos.append(WatchPhotoRow(path=path, sha256=sha256, position=position))
    return True


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def snapshot(row: WatchEntryRow) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in AUDITED_FIELDS:
        if name == "aliases":
            values[name] = [a.alias for a in row.aliases]
        else:
            values[name] = _jsonable(getattr(row, name))
    values["photos"] = [p.sha256 for p in row.photos]
    return values


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only the fields that changed, as ``{"before": {...}, "after": {...}}``."""
    changed = [k for k in after if before.get(k) != after[k]]
    return {
        "before": {k: before.get(k) for k in changed},
        "after": {k: after[k] for k in changed},
    }


def find_duplicate(
    session: Session, id_number: str | None, plate_normalised: str | None, exclude: int | None
) -> DuplicateEntry | None:
    conditions = []
    if id_number:
        conditions.append(WatchEntryRow.id_number == id_number)
    if plate_normalised:
        conditions.append(WatchEntryRow.plate_normalised == plate_normalised)
    if not conditions:
        return None
    query = select(WatchEntryRow.id, WatchEntryRow.id_number, WatchEntryRow.archived).where(
        or_(*conditions)
    )
    if exclude is not None:
        query = query.where(WatchEntryRow.id != exclude)
    found = session.execute(query.limit(1)).first()
    if found is None:
        return None
    what = f"ID number {id_number}" if id_number and found[1] == id_number else (
        f"plate {plate_normalised}"
    )
    return DuplicateEntry(found[0], what, bool(found[2]))
