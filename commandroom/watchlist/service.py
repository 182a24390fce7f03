"""The watch-list use cases: every method checks the actor, audits what it changes in the
same transaction, and keeps the in-memory search index in step after the commit."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.permissions import Actor, Permission, require
from commandroom.config import Paths
from commandroom.db.base import utcnow
from commandroom.events import EventBus
from commandroom.files import copy_private, relative_to, remove_quietly
from commandroom.watchlist import csv_export, csv_import
from commandroom.watchlist.events import WatchEntryChanged, WatchlistImported
from commandroom.watchlist.models import WatchAliasRow, WatchEntryRow
from commandroom.watchlist.records import (
    Category,
    EntryInput,
    EntryView,
    Kind,
    Risk,
    SearchHit,
    entry_view,
    search_hit,
)
from commandroom.watchlist.search_index import SearchIndex
from commandroom.watchlist.store import (
    DuplicateEntry,
    add_photo,
    apply_entry,
    changes,
    find_duplicate,
    load_entry,
    snapshot,
)
from commandroom.watchlist.validation import validate_entry

log = logging.getLogger(__name__)

PHOTO_DIR = "watchlist/photos"


class EntryHasSightings(RuntimeError):
    def __init__(self, entry_id: int, count: int) -> None:
        super().__init__(
            f"entry #{entry_id} has {count} sighting(s) and cannot be deleted; archive it instead"
        )
        self.entry_id = entry_id
        self.count = count


ReferenceCount = Callable[[Session, int], int]


class WatchlistService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        audit: AuditSink,
        events: EventBus,
        *,
        references: ReferenceCount,
        data_dir: Path | None = None,
    ) -> None:
        """``references(session, entry_id)``: how many records (sightings) name an entry;
        one that has any is evidence and is never deleted."""
        self._sessions = sessions
        self._references = references
        self._audit = audit
        self._events = events
        self.data_dir = data_dir if data_dir is not None else Paths.resolve().data_dir
        self._index = SearchIndex()
        self._index_ready = False
        self._index_lock = threading.Lock()

    # ---- reading -------------------------------------------------------------------------

    def get(self, actor: Actor, entry_id: int) -> EntryView:
        require(actor, Permission.VIEW_WATCHLIST)
        with self._sessions() as session:
            return entry_view(load_entry(session, entry_id))

    def search(
        self,
        actor: Actor,
        text: str,
        *,
        kind: Kind | None = None,
        include_archived: bool = False,
        limit: int = 50,
    ) -> list[SearchHit]:
        """Partial match anywhere in name, alias, ID number or plate; instant (in memory)."""
        require(actor, Permission.VIEW_WATCHLIST)
        self.warm_index()
        return self._index.search(text, kind=kind, include_archived=include_archived, limit=limit)

    def indexed(self, actor: Actor, entry_ids: Iterable[int] | None = None) -> list[SearchHit]:
        """What the in-memory index holds: every entry, archived too, or those of
        ``entry_ids`` that exist. For readers that follow the list through its events and
        must not read the database on every one (the plate matcher)."""
        require(actor, Permission.VIEW_WATCHLIST)
        self.warm_index()
        return self._index.hits(entry_ids)

    def warm_index(self) -> None:
        """Load the search index (at start-up, so the first keystroke is instant too)."""
        with self._index_lock:
            if self._index_ready:
                return
            self._index.clear()
            with self._sessions() as session:
                aliases: dict[int, list[str]] = {}
                for entry_id, alias in session.execute(
                    select(WatchAliasRow.entry_id, WatchAliasRow.alias).order_by(
                        WatchAliasRow.entry_id, WatchAliasRow.position
                    )
                ):
                    aliases.setdefault(entry_id, []).append(alias)
                columns = select(
                    WatchEntryRow.id, WatchEntryRow.kind, WatchEntryRow.name,
                    WatchEntryRow.id_number, WatchEntryRow.plate,
                    WatchEntryRow.plate_normalised, WatchEntryRow.category,
                    WatchEntryRow.risk, WatchEntryRow.archived,
                )
                kinds = {k.value: k for k in Kind}
                categories = {c.value: c for c in Category}
                risks = {r.value: r for r in Risk}
                self._index.put_many(
                    (
                        SearchHit(entry_id, kinds[kind], name or plate, number or "", plate,
                                  categories[category], risks[risk], archived),
                        aliases.get(entry_id, ()),
                        plate_normalised or "",
                    )
                    for entry_id, kind, name, number, plate, plate_normalised, category, risk,
                    archived in session.execute(columns)
                )
            self._index.compact()
            self._index_ready = True
            log.info("watchlist: search index holds %d entries", len(self._index))

    @property
    def index_ready(self) -> bool:
        """The search index is loaded: ``search`` then reads memory only (the console asks
        it on every keystroke, on its GUI thread; until then it warms it elsewhere)."""
        return self._index_ready

    def reload_index(self) -> None:
        """Rebuild from the table (e.g. another workstation changed the shared database)."""
        with self._index_lock:
            self._index_ready = False
        self.warm_index()

    def refresh_index(self, entry_ids: Iterable[int]) -> None:
        """Re-read these entries into the index (after another service changed them)."""
        # Under the index lock: a load running now finishes first, then this edit lands.
        with self._index_lock:
            if not self._index_ready:
                return  # built from the table on first search anyway
            with self._sessions() as session:
                for entry_id in entry_ids:
                    row = session.get(WatchEntryRow, entry_id)
                    if row is None:
                        self._index.remove(entry_id)
                    else:
                        self._index.put(search_hit(row), [a.alias for a in row.aliases],
                                        row.plate_normalised or "")

    # ---- changing ------------------------------------------------------------------------

    def create(self, actor: Actor, data: EntryInput) -> EntryView:
        require(actor, Permission.EDIT_WATCHLIST)
        valid = validate_entry(data)
        with self._sessions.begin() as session:
            duplicate = find_duplicate(session, valid.id_number, valid.plate_normalised, None)
            if duplicate is not None:
                raise duplicate
            row = WatchEntryRow()
            apply_entry(row, valid)
            session.add(row)
            session.flush()
            self._audit.append(session, actor, "watchlist.create", _subject(row), snapshot(row))
            view = entry_view(row)
        self._changed(view.id, "create")
        return view

    def create_unknown_in(
        self, session: Session, actor: Actor, kind: Kind, label: str
    ) -> WatchEntryRow:
        """A new file for an unknown person/vehicle, inside the caller's transaction.

        The caller (the sighting service) checked its own permission and commits; it then
        calls ``refresh_index`` with the new id.
        """
        row = WatchEntryRow()
        apply_entry(row, validate_entry(EntryInput(kind=kind, name=label, category="other")))
        session.add(row)
        session.flush()
        self._audit.append(session, actor, "watchlist.create", _subject(row), snapshot(row))
        return row

    def edit(self, actor: Actor, entry_id: int, data: EntryInput) -> EntryView:
        require(actor, Permission.EDIT_WATCHLIST)
        valid = validate_entry(data)
        with self._sessions.begin() as session:
            row = load_entry(session, entry_id)
            duplicate = find_duplicate(session, valid.id_number, valid.plate_normalised, row.id)
            if duplicate is not None:
                raise duplicate
            before = snapshot(row)
            apply_entry(row, valid)
            diff = changes(before, snapshot(row))
            if diff["after"]:
                row.updated_at = utcnow()
                session.flush()
                self._audit.append(session, actor, "watchlist.edit", _subject(row), diff)
            view = entry_view(row)
        self._changed(view.id, "edit")
        return view

    def archive(self, actor: Actor, entry_id: int, reason: str = "") -> EntryView:
        return self._set_archived(actor, entry_id, True, reason)

    def restore(self, actor: Actor, entry_id: int, reason: str = "") -> EntryView:
        return self._set_archived(actor, entry_id, False, reason)

    def _set_archived(self, actor: Actor, entry_id: int, archived: bool, reason: str) -> EntryView:
        require(actor, Permission.EDIT_WATCHLIST)
        action = "archive" if archived else "restore"
        with self._sessions.begin() as session:
            row = load_entry(session, entry_id)
            if row.archived != archived:
                row.archived = archived
                row.archived_at = utcnow() if archived else None
                row.updated_at = utcnow()
                session.flush()
                self._audit.append(
                    session, actor, f"watchlist.{action}", _subject(row), {"reason": reason}
                )
            view = entry_view(row)
        self._changed(view.id, action)
        return view

    def delete(self, actor: Actor, entry_id: int) -> None:
        """Only for an entry entered by mistake: one with sightings is evidence, never gone."""
        require(actor, Permission.EDIT_WATCHLIST)
        with self._sessions.begin() as session:
            row = load_entry(session, entry_id)
            count = self._references(session, entry_id)
            if count:
                raise EntryHasSightings(entry_id, count)
            photos = [self.data_dir / p.path for p in row.photos]
            self._audit.append(session, actor, "watchlist.delete", _subject(row), snapshot(row))
            session.delete(row)
        for photo in photos:
            remove_quietly(photo)
        self._index.remove(entry_id)
        self._events.publish(WatchEntryChanged(entry_id, "delete"))

    def add_photo(self, actor: Actor, entry_id: int, source: Path) -> EntryView:
        require(actor, Permission.EDIT_WATCHLIST)
        stored = self.store_photo(source)
        try:
            with self._sessions.begin() as session:
                row = load_entry(session, entry_id)
                added = add_photo(row, *stored)
                if added:
                    session.flush()
                    self._audit.append(session, actor, "watchlist.photo", _subject(row),
                                       {"path": stored[0], "sha256": stored[1]})
                view = entry_view(row)
        except BaseException:
            remove_quietly(self.data_dir / stored[0])
            raise
        if not added:
            remove_quietly(self.data_dir / stored[0])
        self._changed(view.id, "photo")
        return view

    def store_photo(self, source: Path) -> tuple[str, str]:
        """Copy a picture into the data dir; returns (relative path, sha256)."""
        suffix = source.suffix.lower() if len(source.suffix) <= 6 else ""
        dest = self.data_dir / PHOTO_DIR / f"{uuid.uuid4().hex}{suffix}"
        sha = copy_private(source, dest)
        return relative_to(self.data_dir, dest), sha

    # ---- CSV -----------------------------------------------------------------------------

    def preview_import(
        self, actor: Actor, csv_path: Path, photos_dir: Path | None = None
    ) -> csv_import.ImportReport:
        """What an import would do (errors, duplicates to decide on), writing nothing."""
        require(actor, Permission.EDIT_WATCHLIST)
        with self._sessions() as session:
            plan = csv_import.plan_import(session, csv_path, photos_dir)
        return plan.report(csv_import.SKIP, applied=False)

    def import_csv(
        self,
        actor: Actor,
        csv_path: Path,
        photos_dir: Path | None = None,
        policy: str | Mapping[int, str] = csv_import.SKIP,
    ) -> csv_import.ImportReport:
        """Import good rows in ONE transaction; ``policy`` says "skip" or "update" for all
        duplicates, or per duplicate as {line number: "skip" | "update"} (default skip)."""
        require(actor, Permission.EDIT_WATCHLIST)
        report = csv_import.run_import(
            self._sessions, self._audit, actor, csv_path, photos_dir, policy, self.store_photo,
            self.data_dir,
        )
        if report.created or report.updated:
            self.refresh_index([*report.created_ids, *report.updated_ids])
            self._events.publish(
                WatchlistImported(tuple(report.created_ids), tuple(report.updated_ids))
            )
        return report

    def export_csv(
        self,
        actor: Actor,
        dest: Path,
        photos_dir: Path | None = None,
        *,
        include_archived: bool = False,
    ) -> int:
        """Write every entry to ``dest`` (same columns as the import); returns the count."""
        require(actor, Permission.EXPORT_DATA)
        with self._sessions.begin() as session:
            count = csv_export.export_entries(
                session, dest, self.data_dir, photos_dir, include_archived=include_archived
            )
            self._audit.append(
                session, actor, "watchlist.export", dest.name,
                {"entries": count, "path": str(dest), "include_archived": include_archived,
                 "photos": photos_dir is not None},
            )
        return count

    # ---- internals -----------------------------------------------------------------------

    def _changed(self, entry_id: int, action: str) -> None:
        self.refresh_index([entry_id])
        self._events.publish(WatchEntryChanged(entry_id, action))


def _subject(row: WatchEntryRow) -> str:
    return f"watch_entry:{row.id}"


__all__ = ["DuplicateEntry", "EntryHasSightings", "WatchlistService"]
