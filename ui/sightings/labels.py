"""Who a sighting is of: the entry's label, read once and cached until the entry changes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from commandroom.auth.permissions import PermissionDenied
from commandroom.watchlist.service import WatchlistService
from commandroom.watchlist.store import EntryNotFound
from ui.common.actor import ActorSource


class EntryLabels:
    def __init__(self, watchlist: WatchlistService, actor: ActorSource) -> None:
        self._watchlist = watchlist
        self._actor = actor
        self._labels: dict[int, str] = {}

    def label(self, entry_id: int | None) -> str:
        if entry_id is None:
            return QCoreApplication.translate("EntryLabels", "(no entry)")
        cached = self._labels.get(entry_id)
        if cached is None:
            try:
                cached = self._watchlist.get(self._actor(), entry_id).label
            except EntryNotFound:
                cached = QCoreApplication.translate("EntryLabels", "entry #%1 (deleted)").replace(
                    "%1", str(entry_id))
            except PermissionDenied:
                return QCoreApplication.translate("EntryLabels", "entry #%1").replace(
                    "%1", str(entry_id))
            self._labels[entry_id] = cached
        return cached

    def forget(self, entry_ids: tuple[int, ...]) -> None:
        for entry_id in entry_ids:
            self._labels.pop(entry_id, None)
