"""Sighting and watch-list events, re-posted to the GUI thread as Qt signals.

The EventBus calls subscribers on the publishing thread (the tagging call, or the video
engine's thread when a clip is done). The bridge emits a private signal there; it is
connected *queued* to a slot of this GUI-thread object, which re-emits the public signal,
so every receiver runs on the GUI thread whatever kind of callable it is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from commandroom.events import EventBus
from commandroom.sightings.events import SightingClipReady, SightingCreated
from commandroom.watchlist.events import WatchEntryChanged, WatchlistImported


class SightingEventBridge(QObject):
    created = Signal(object)  # SightingCreated
    clip_ready = Signal(object)  # SightingClipReady
    entries_changed = Signal(object)  # tuple of watch-entry ids

    _posted = Signal(object)

    def __init__(self, events: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: list[Callable[[], None]] = [
            events.subscribe(event_type, self._post)
            for event_type in (SightingCreated, SightingClipReady, WatchEntryChanged,
                               WatchlistImported)
        ]

    def _post(self, event: object) -> None:
        # RuntimeError: the bridge is being destroyed, nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self._posted.emit(event)

    def _deliver(self, event: object) -> None:
        if isinstance(event, SightingCreated):
            self.created.emit(event)
        elif isinstance(event, SightingClipReady):
            self.clip_ready.emit(event)
        elif isinstance(event, WatchEntryChanged):
            self.entries_changed.emit((event.entry_id,))
        elif isinstance(event, WatchlistImported):
            self.entries_changed.emit(event.created + event.updated)

    def close(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
