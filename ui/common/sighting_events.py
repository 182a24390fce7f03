"""Sighting and watch-list events as Qt signals on the GUI thread, for the several
windows that follow them (the live list, timelines, the watch list)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from commandroom.events import EventBus
from commandroom.sightings.events import SightingClipReady, SightingCreated
from commandroom.watchlist.events import WatchEntryChanged, WatchlistImported
from ui.bridge import GuiEvents


class SightingEventBridge(QObject):
    created = Signal(object)  # SightingCreated
    clip_ready = Signal(object)  # SightingClipReady
    entries_changed = Signal(object)  # tuple of watch-entry ids

    def __init__(self, events: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gui = GuiEvents(events)
        self._unsubscribe: list[Callable[[], None]] = [
            gui.subscribe(SightingCreated, self.created.emit, self),
            gui.subscribe(SightingClipReady, self.clip_ready.emit, self),
            gui.subscribe(WatchEntryChanged,
                          lambda e: self.entries_changed.emit((e.entry_id,)), self),
            gui.subscribe(WatchlistImported,
                          lambda e: self.entries_changed.emit(e.created + e.updated), self),
        ]

    def close(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
