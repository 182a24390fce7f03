"""The watch-list feature in the console: the one watch-list window (Ctrl+F)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from commandroom.sightings.service import SightingService
from commandroom.watchlist.service import WatchlistService
from ui.common.actor import ActorSource
from ui.common.sighting_events import SightingEventBridge
from ui.common.thumbnails import ThumbnailCache
from ui.common.windows import ToolWindows
from ui.watchlist.window import WatchlistWindow

KEY = ("watchlist", None)


class WatchlistUi(QObject):
    def __init__(self, windows: ToolWindows, watchlist: WatchlistService,
                 sightings: SightingService, events: SightingEventBridge,
                 thumbnails: ThumbnailCache, actor: ActorSource,
                 open_timeline: Callable[[int], object],
                 open_trajectory: Callable[[int], object],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._windows = windows
        self._watchlist = watchlist
        self._sightings = sightings
        self._events = events
        self._thumbnails = thumbnails
        self._actor = actor
        self._open_timeline = open_timeline
        self._open_trajectory = open_trajectory

    def open_watchlist(self) -> WatchlistWindow:
        window = self._windows.existing(KEY)
        if isinstance(window, WatchlistWindow):
            window.search.setFocus()
            window.search.selectAll()
            return window
        created = WatchlistWindow(
            self._watchlist, self._actor, self._thumbnails,
            sighting_count=self._sighting_count,
            open_timeline=self._open_timeline, open_trajectory=self._open_trajectory)
        self._events.entries_changed.connect(created.entries_changed)
        self._windows.show(KEY, created)
        created.search.setFocus()
        return created

    def _sighting_count(self, entry_id: int) -> int:
        return len(self._sightings.timeline(self._actor(), entry_id))
