"""The live sightings list docked in the console: newest first, updated from events."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from commandroom.auth.permissions import Actor, Permission
from commandroom.sightings.events import SightingClipReady, SightingCreated
from commandroom.sightings.records import SightingView
from commandroom.sightings.service import SightingService
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.entry_labels import EntryLabels
from ui.common.sighting_events import SightingEventBridge
from ui.common.thumbnails import ThumbnailCache
from ui.sightings.table_model import SightingTableModel
from ui.sightings.table_view import SightingOpener, SightingTable

log = logging.getLogger(__name__)

LIVE_LIMIT = 200  # rows kept in the console; older ones are in the timelines


class LiveSightingsPanel(QWidget):
    def __init__(self, sightings: SightingService, actor: ActorSource, bridge: SightingEventBridge,
                 labels: EntryLabels, thumbnails: ThumbnailCache, opener: SightingOpener,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveSightings")
        self._sightings = sightings
        self._actor = actor
        self._labels = labels
        self._bridge = FutureBridge(self)
        self.model = SightingTableModel(labels, thumbnails, sightings.data_dir, QSize(64, 36),
                                        newest_first=True, parent=self)
        self.table = SightingTable(self.model, opener, self)
        # In the console the console's own Ctrl+Shift+N takes the row in focus (and else
        # the sighting just tagged): one key, never two shortcuts competing for it.
        self.table.removeAction(self.table.new_incident_action)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.notice)
        layout.addWidget(self.table)
        bridge.created.connect(self._on_created)
        bridge.clip_ready.connect(self._on_clip_ready)
        bridge.entries_changed.connect(self._on_entries_changed)
        self.reload()

    def reload(self) -> None:
        actor = self._actor()
        allowed = actor.can(Permission.VIEW_WATCHLIST)
        self.notice.setVisible(not allowed)
        self.notice.setText(self.tr("Your role cannot see sightings."))
        if not allowed:
            self.model.set_views([])
            return
        self._bridge.run(self._read_latest, actor, LIVE_LIMIT,
                         on_ok=self.model.set_views, on_error=self._failed)

    def _read_latest(self, actor: Actor, limit: int) -> list[SightingView]:
        """On the UI executor: the rows, and who each is of (the labels the rows show)."""
        views = self._sightings.latest(actor, limit)
        self._labels.warm(v.watch_entry_id for v in views)
        return views

    def _on_created(self, event: SightingCreated) -> None:
        actor = self._actor()
        if not actor.can(Permission.VIEW_WATCHLIST):
            return
        # The event carries no file paths: read the few newest rows (indexed, ~1 ms).
        self._bridge.run(self._read_latest, actor, 20,
                         on_ok=lambda views: self._add(views, event.sighting_id),
                         on_error=self._failed)

    def _add(self, views: list[SightingView], sighting_id: int) -> None:
        for view in views:
            if view.id == sighting_id or self.model.row_of(view.id) is None:
                self.model.add(view)
        self.model.trim(LIVE_LIMIT)

    def _failed(self, exc: BaseException) -> None:
        log.error("live sightings: reading failed: %s", type(exc).__name__)

    def _on_clip_ready(self, event: SightingClipReady) -> None:
        self.model.update_clip(event.sighting_id, event.status, event.clip_path, event.error)

    def _on_entries_changed(self, entry_ids: tuple[int, ...]) -> None:
        self._labels.forget(entry_ids)
        self.model.refresh_labels()
