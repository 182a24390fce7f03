"""A watch-list save as one call for the UI's background executor: the entry, then the
photos waiting in the form (file copies and database writes: never on the GUI thread)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from commandroom.auth.permissions import Actor
from commandroom.watchlist.records import EntryInput, EntryView
from commandroom.watchlist.service import WatchlistService


@dataclass(frozen=True)
class SavedEntry:
    """A save's answer: the entry, and the first photo the core refused (if any)."""

    entry: EntryView
    photo_error: BaseException | None


def store_entry(watchlist: WatchlistService, actor: Actor, entry_id: int | None,
                data: EntryInput, photos: list[Path]) -> SavedEntry:
    """Create (``entry_id`` None) or edit the entry, then add ``photos`` one by one; a
    refused photo stops there, the entry stays saved. Core refusals of the entry raise."""
    if entry_id is None:
        entry = watchlist.create(actor, data)
    else:
        entry = watchlist.edit(actor, entry_id, data)
    for photo in photos:
        try:
            entry = watchlist.add_photo(actor, entry.id, photo)
        except Exception as exc:
            return SavedEntry(entry, exc)
    return SavedEntry(entry, None)
