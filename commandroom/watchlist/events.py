"""Domain events of the watch list (published on the EventBus after each commit)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WatchEntryChanged:
    entry_id: int
    action: str  # "create" | "edit" | "archive" | "restore" | "delete" | "photo" | "import"


@dataclass(frozen=True)
class WatchlistImported:
    created: tuple[int, ...]
    updated: tuple[int, ...]
