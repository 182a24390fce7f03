"""The plate index kept in step with the watch list, for a stream of camera plate reads.

Built on first need (``warm`` or the first ``match``), not at construction: 100,000
plates take a second or two to index, which an app start that has no plate-reading
camera should not pay. It is built from the watch-list service's in-memory search index
(which the console loads anyway), and follows the list through the service's events
(``WatchEntryChanged``, ``WatchlistImported``), re-reading each changed entry from that
same in-memory index: no database read per change, none per plate read.

Thread-safe: reads come from event-intake threads, changes on whichever thread
published them. A change published while the index is being built is applied right
after, so none is lost.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from commandroom.auth.permissions import SYSTEM
from commandroom.events import EventBus
from commandroom.watchlist.events import WatchEntryChanged, WatchlistImported
from commandroom.watchlist.plate_index import PlateIndex
from commandroom.watchlist.plate_match import DEFAULT_THRESHOLD, PlateMatch
from commandroom.watchlist.records import Kind, SearchHit
from commandroom.watchlist.service import WatchlistService

log = logging.getLogger(__name__)


def _matchable(entry: SearchHit) -> bool:
    """An archived file is closed: a camera seeing its plate is no longer a suggestion."""
    return entry.kind == Kind.VEHICLE and bool(entry.plate) and not entry.archived


class PlateMatcher:
    def __init__(self, watchlist: WatchlistService, events: EventBus) -> None:
        self._watchlist = watchlist
        self._lock = threading.Lock()  # guards everything below
        self._build_lock = threading.Lock()  # one build at a time, outside ``_lock``
        self._index: PlateIndex | None = None
        self._building = False
        self._pending: set[int] = set()
        self._unsubscribe: list[Callable[[], None]] = [
            events.subscribe(WatchEntryChanged, lambda e: self._changed((e.entry_id,))),
            events.subscribe(WatchlistImported, lambda e: self._changed((*e.created,
                                                                         *e.updated))),
        ]

    @property
    def ready(self) -> bool:
        """The index is built: ``match`` reads memory only."""
        with self._lock:
            return self._index is not None

    def __len__(self) -> int:
        """How many plates are indexed (0 before the index is built)."""
        with self._lock:
            return len(self._index) if self._index is not None else 0

    def warm(self) -> None:
        """Build the index now (an event intake calls it on its own thread at start)."""
        with self._build_lock:
            with self._lock:
                if self._index is not None:
                    return
                self._building = True
                self._pending = set()
            try:
                index = PlateIndex()
                index.put_many(e for e in self._watchlist.indexed(SYSTEM) if _matchable(e))
            except BaseException:
                with self._lock:
                    self._building = False
                raise
            with self._lock:
                self._building = False
                self._index = index
                pending, self._pending = self._pending, set()
                self._apply(index, pending)
            log.info("plate matcher: %d plates indexed", len(index))

    def reload(self) -> None:
        """Rebuild (after ``WatchlistService.reload_index``, which publishes no event)."""
        with self._build_lock, self._lock:
            self._index = None
        self.warm()

    def match(
        self, read: str, *, threshold: float = DEFAULT_THRESHOLD, limit: int = 5
    ) -> list[PlateMatch]:
        """The watch-listed vehicles ``read`` may be, best first (see ``plate_match``)."""
        while True:  # no build lock per read: only while there is no index yet
            with self._lock:
                if self._index is not None:
                    return self._index.match(read, threshold=threshold, limit=limit)
            self.warm()

    def close(self) -> None:
        """Stop following the watch list (the index stays as it is)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []

    def _changed(self, entry_ids: Iterable[int]) -> None:
        with self._lock:
            if self._building:
                self._pending.update(entry_ids)
            elif self._index is not None:
                self._apply(self._index, entry_ids)
            # Not built yet: the build will read the entries as they are then.

    def _apply(self, index: PlateIndex, entry_ids: Iterable[int]) -> None:
        wanted = set(entry_ids)
        if not wanted:
            return
        current = {e.id: e for e in self._watchlist.indexed(SYSTEM, wanted)}
        for entry_id in wanted:
            entry = current.get(entry_id)
            if entry is not None and _matchable(entry):
                index.put(entry)
            else:
                index.remove(entry_id)  # deleted, archived, no longer a vehicle's plate
