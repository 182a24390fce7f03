"""Who a sighting is of: the entry's label, read once and cached until the entry changes.

Whoever loads sightings off the GUI thread calls ``warm`` there with their entry ids, so
the rows (painted on the GUI thread) find every label in the cache. A label still not
there is read on the UI executor; the row shows "entry #N" until ``changed`` fires.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from commandroom.auth.permissions import PermissionDenied
from commandroom.watchlist.service import WatchlistService
from commandroom.watchlist.store import EntryNotFound
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource


def _numbered(entry_id: int) -> str:
    return QCoreApplication.translate("EntryLabels", "entry #%1").replace("%1", str(entry_id))


class EntryLabels(QObject):
    changed = Signal()  # labels read in the background arrived: repaint the rows

    def __init__(self, watchlist: WatchlistService, actor: ActorSource,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watchlist = watchlist
        self._actor = actor
        self._labels: dict[int, str] = {}  # written on the executor, read here: whole values
        self._asked: set[int] = set()
        self._bridge = FutureBridge(self)

    def label(self, entry_id: int | None) -> str:
        if entry_id is None:
            return QCoreApplication.translate("EntryLabels", "(no entry)")
        cached = self._labels.get(entry_id)
        if cached is not None:
            return cached
        if entry_id not in self._asked:
            self._asked.add(entry_id)
            self._bridge.run(self.warm, (entry_id,), on_ok=lambda _n: self._arrived(entry_id))
        return _numbered(entry_id)

    def _arrived(self, entry_id: int) -> None:
        self._asked.discard(entry_id)
        self.changed.emit()

    def warm(self, entry_ids: Iterable[int | None]) -> int:
        """Read the labels not cached yet: on the UI executor, never the GUI thread."""
        read = 0
        for entry_id in {e for e in entry_ids if e is not None} - self._labels.keys():
            try:
                self._labels[entry_id] = self._watchlist.get(self._actor(), entry_id).label
            except EntryNotFound:
                self._labels[entry_id] = QCoreApplication.translate(
                    "EntryLabels", "entry #%1 (deleted)").replace("%1", str(entry_id))
            except PermissionDenied:  # this role may not see who it is
                self._labels[entry_id] = _numbered(entry_id)
            read += 1
        return read

    def forget(self, entry_ids: tuple[int, ...]) -> None:
        for entry_id in entry_ids:
            self._labels.pop(entry_id, None)
