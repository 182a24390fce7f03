"""CSV import: every row checked first, then all good rows written in ONE transaction.

Duplicates ("one person, one file": same ID number or same normalised plate, within the
file or against the table) are not errors: they are listed, and the caller decides per
duplicate or for all whether the row updates the existing file or is skipped.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.permissions import Actor
from commandroom.csvfiles import (
    ACCEPTED_ENCODINGS,
    EMPTY_FILE,
    HEADER_NOT_TEXT,
    TOO_MANY_FIELDS,
    decode_csv,
    records,
)
from commandroom.files import remove_quietly
from commandroom.notices import Notice, NoticeError, define, describe, notice
from commandroom.watchlist.csv_format import (
    COLUMNS,
    RowInvalid,
    canonical_header,
    entry_from_cells,
)
from commandroom.watchlist.models import WatchEntryRow
from commandroom.watchlist.records import EntryInput, entry_view
from commandroom.watchlist.store import add_photo, apply_entry, changes, snapshot
from commandroom.watchlist.validation import EntryInvalid, ValidEntry, validate_entry

SKIP = "skip"
UPDATE = "update"
_IDENTITY_COLUMNS = {"name", "id_number", "plate"}
_IN_CHUNK = 500  # bound parameters per IN (...) query

StorePhoto = Callable[[Path], tuple[str, str]]


COLUMN_TWICE = define("watchlist_csv.column_twice", "a column appears twice in the header")
NO_IDENTITY = define("watchlist_csv.no_identity",
                     "no name, id_number or plate column in the header")
FILE_PROBLEM = define("watchlist_csv.file_problem", "{file}: {problem}")
PHOTO_NO_FOLDER = define("watchlist_csv.photo_no_folder",
                         "photo: a photo is named but no photo folder was chosen")
PHOTO_NOT_PLAIN = define("watchlist_csv.photo_not_plain",
                         "photo: '{name}' must be a plain file name in the photo folder")
PHOTO_MISSING = define("watchlist_csv.photo_missing", "photo: file '{name}' is not in {folder}")
UPDATE_REFUSED = define("watchlist_csv.update_refused", "update refused: {problem}")


class ImportFileError(NoticeError, ValueError):
    """The file as a whole cannot be imported (empty, no usable header)."""


@dataclass(frozen=True)
class RowError:
    line: int
    problems: tuple[Notice, ...]

    @property
    def reason(self) -> str:
        """The English sentence (CLI, logs); the UI translates ``problems`` instead."""
        return "; ".join(describe(problem) for problem in self.problems)


def _row_error(line: int, exc: RowInvalid | EntryInvalid | Notice) -> RowError:
    if isinstance(exc, Notice):
        return RowError(line, (exc,))
    if isinstance(exc, EntryInvalid):
        return RowError(line, tuple(exc.notices()))
    return RowError(line, (exc.notice,))


def _file_error(csv_path: Path, problem: str, **params: str | Notice) -> ImportFileError:
    return ImportFileError(notice(FILE_PROBLEM, file=csv_path.name,
                                  problem=notice(problem, **params)))


@dataclass(frozen=True)
class Duplicate:
    line: int
    key: str  # e.g. "ID number 11010519491231002X" or "plate 鄂G12345"
    existing_entry_id: int | None  # already on file
    first_line: int | None  # or an earlier row of the same file
    decision: str = SKIP


@dataclass
class ImportReport:
    encoding: str
    rows: int
    applied: bool
    new_lines: list[int] = field(default_factory=list)  # good rows that are not duplicates
    created: list[tuple[int, int]] = field(default_factory=list)  # (line, entry id)
    updated: list[tuple[int, int]] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    skipped: list[Duplicate] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def created_ids(self) -> list[int]:
        return [entry_id for _, entry_id in self.created]

    @property
    def updated_ids(self) -> list[int]:
        return list(dict.fromkeys(entry_id for _, entry_id in self.updated))


@dataclass
class _GoodRow:
    line: int
    valid: ValidEntry
    photos: list[Path]
    key: str | None
    duplicate: Duplicate | None = None


@dataclass
class ImportPlan:
    encoding: str
    rows: int
    good: list[_GoodRow]
    errors: list[RowError]
    ignored_columns: list[str]
    file_sha256: str

    def report(self, policy: str | Mapping[int, str], *, applied: bool) -> ImportReport:
        report = ImportReport(self.encoding, self.rows, applied,
                              errors=list(self.errors), ignored_columns=self.ignored_columns)
        for row in self.good:
            if row.duplicate is None:
                report.new_lines.append(row.line)
            else:
                dup = dataclasses.replace(row.duplicate, decision=decide(policy, row.line))
                report.duplicates.append(dup)
        return report


def decide(policy: str | Mapping[int, str], line: int) -> str:
    choice = policy if isinstance(policy, str) else policy.get(line, SKIP)
    if choice not in (SKIP, UPDATE):
        raise ValueError(f"duplicate policy must be 'skip' or 'update', not {choice!r}")
    return choice


def _key(valid: ValidEntry) -> str | None:
    if valid.id_number:
        return f"ID number {valid.id_number}"
    if valid.plate_normalised:
        return f"plate {valid.plate_normalised}"
    return None


def _photo_paths(names: tuple[str, ...], photos_dir: Path | None) -> list[Path]:
    if names and photos_dir is None:
        raise RowInvalid(notice(PHOTO_NO_FOLDER))
    paths = []
    for name in names:
        # Only plain file names: a CSV must not make us read files outside the folder.
        if Path(name).name != name or name in (".", ".."):
            raise RowInvalid(notice(PHOTO_NOT_PLAIN, name=name))
        assert photos_dir is not None
        path = photos_dir / name
        if not path.is_file():
            raise RowInvalid(notice(PHOTO_MISSING, name=name, folder=str(photos_dir)))
        paths.append(path)
    return paths


def _existing_keys(session: Session, good: list[_GoodRow]) -> dict[str, int]:
    ids = sorted({r.valid.id_number for r in good if r.valid.id_number})
    plates = sorted({r.valid.plate_normalised for r in good if r.valid.plate_normalised})
    found: dict[str, int] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        query = select(WatchEntryRow.id, WatchEntryRow.id_number).where(
            WatchEntryRow.id_number.in_(ids[start : start + _IN_CHUNK])
        )
        found.update({f"ID number {num}": entry_id for entry_id, num in session.execute(query)})
    for start in range(0, len(plates), _IN_CHUNK):
        query = select(WatchEntryRow.id, WatchEntryRow.plate_normalised).where(
            WatchEntryRow.plate_normalised.in_(plates[start : start + _IN_CHUNK])
        )
        found.update({f"plate {plate}": entry_id for entry_id, plate in session.execute(query)})
    return found


def plan_import(session: Session, csv_path: Path, photos_dir: Path | None) -> ImportPlan:
    raw = csv_path.read_bytes()
    decoded = decode_csv(raw)
    rows_in = records(decoded)
    first = next(rows_in, None)
    if first is None:
        raise _file_error(csv_path, EMPTY_FILE)
    if first.problem is not None:
        raise _file_error(csv_path, HEADER_NOT_TEXT, accepted=ACCEPTED_ENCODINGS)
    header = first.cells
    columns = [canonical_header(cell) for cell in header]
    ignored = [h for h, c in zip(header, columns, strict=True) if c not in COLUMNS and h.strip()]
    known = [c for c in columns if c in COLUMNS]
    if len(set(known)) != len(known):
        raise _file_error(csv_path, COLUMN_TWICE)
    if not _IDENTITY_COLUMNS & set(known):
        raise _file_error(csv_path, NO_IDENTITY)

    good: list[_GoodRow] = []
    errors: list[RowError] = []
    rows = 0
    for record in rows_in:
        line, cells = record.line, record.cells
        rows += 1
        if record.problem is not None:
            errors.append(_row_error(line, record.problem))
            continue
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
            errors.append(_row_error(line, notice(TOO_MANY_FIELDS, cells=len(cells),
                                                  columns=len(columns))))
            continue
        by_column = {c: v for c, v in zip(columns, cells, strict=False) if c in COLUMNS}
        try:
            data, photo_names = entry_from_cells(by_column)
            valid = validate_entry(data)
            photos = _photo_paths(photo_names, photos_dir)
        except (RowInvalid, EntryInvalid) as exc:
            errors.append(_row_error(line, exc))
            continue
        good.append(_GoodRow(line, valid, photos, _key(valid)))

    existing = _existing_keys(session, good)
    first_seen: dict[str, int] = {}
    for row in good:
        if row.key is None:
            continue
        if row.key in existing:
            row.duplicate = Duplicate(row.line, row.key, existing[row.key], None)
        elif row.key in first_seen:
            row.duplicate = Duplicate(row.line, row.key, None, first_seen[row.key])
        else:
            first_seen[row.key] = row.line
    return ImportPlan(decoded.encoding, rows, good, errors, ignored,
                      hashlib.sha256(raw).hexdigest())


def merge(old: EntryInput, new: EntryInput) -> EntryInput:
    """An update fills in what the row says; empty cells keep what the file had."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(EntryInput):
        before, after = getattr(old, f.name), getattr(new, f.name)
        if f.name == "aliases":
            values[f.name] = tuple(dict.fromkeys((*before, *after)))
        elif f.name == "kind" or after in ("", None):
            values[f.name] = before
        else:
            values[f.name] = after
    return EntryInput(**values)


def run_import(
    sessions: sessionmaker[Session],
    audit: AuditSink,
    actor: Actor,
    csv_path: Path,
    photos_dir: Path | None,
    policy: str | Mapping[int, str],
    store_photo: StorePhoto,
    data_dir: Path,
) -> ImportReport:
    copied: list[Path] = []

    def attach(entry: WatchEntryRow, photos: list[Path]) -> None:
        for source in photos:
            rel, sha = store_photo(source)
            copied.append(data_dir / rel)
            if not add_photo(entry, rel, sha):
                remove_quietly(copied.pop())

    try:
        with sessions.begin() as session:
            plan = plan_import(session, csv_path, photos_dir)
            report = plan.report(policy, applied=True)
            decisions = {d.line: d.decision for d in report.duplicates}
            new_by_key: dict[str, WatchEntryRow] = {}
            created: list[tuple[int, WatchEntryRow]] = []
            for row in plan.good:
                if row.duplicate is None:
                    entry = WatchEntryRow()
                    apply_entry(entry, row.valid)
                    session.add(entry)
                    attach(entry, row.photos)
                    created.append((row.line, entry))
                    if row.key:
                        new_by_key[row.key] = entry
                    continue
                if decisions[row.line] == SKIP:
                    report.skipped.append(dataclasses.replace(row.duplicate, decision=SKIP))
                    continue
                target = (
                    session.get_one(WatchEntryRow, row.duplicate.existing_entry_id)
                    if row.duplicate.existing_entry_id is not None
                    else new_by_key[row.key or ""]
                )
                before = snapshot(target)
                try:
                    merged = validate_entry(merge(entry_view(target).as_input(), row.valid.data))
                except EntryInvalid as exc:
                    report.errors.append(RowError(row.line, tuple(
                        notice(UPDATE_REFUSED, problem=problem) for problem in exc.notices())))
                    continue
                apply_entry(target, merged)
                attach(target, row.photos)
                session.flush()
                if row.duplicate.existing_entry_id is not None:
                    details = {**changes(before, snapshot(target)), "source": csv_path.name,
                               "line": row.line}
                    audit.append(session, actor, "watchlist.edit",
                                 f"watch_entry:{target.id}", details)
                report.updated.append((row.line, target.id))
            session.flush()
            report.created = [(line, entry.id) for line, entry in created]
            report.errors.sort(key=lambda e: e.line)
            audit.append(session, actor, "watchlist.import", csv_path.name, {
                "file_sha256": plan.file_sha256, "encoding": plan.encoding,
                "rows": plan.rows, "created": report.created_ids,
                "updated": report.updated_ids, "skipped_lines": [d.line for d in report.skipped],
                "error_lines": [e.line for e in report.errors],
            })
    except BaseException:
        for path in copied:  # nothing half-written: the photos go with the rows
            remove_quietly(path)
        raise
    return report
