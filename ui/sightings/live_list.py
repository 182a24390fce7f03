"""The live sightings list docked in the console: newest first, updated from events."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from commandroom.auth.permissions import Permission
from commandroom.sightings.events import SightingClipReady, SightingCreated
from commandroom.sightings.service import SightingService
from ui.common.actor import ActorSource
from ui.sightings.bridge import SightingEventBridge
from ui.sightings.labels import EntryLabels
from ui.sightings.table_model import SightingTableModel
from ui.sightings.table_view import SightingOpener, SightingTable
from ui.sightings.thumbnails import ThumbnailCache

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
        self.model = SightingTableModel(labels, thumbnails, sightings.data_dir, QSize(64, 36),
                                        newest_first=True, parent=self)
        self.table = SightingTable(self.model, opener, self)
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
        self.model.set_views(self._sightings.latest(actor, LIVE_LIMIT) if allowed else [])

    def _on_created(self, event: SightingCreated) -> None:
        if not self._actor().can(Permission.VIEW_WATCHLIST):
            return
        # The event carries no file paths: read the few newest rows (indexed, ~1 ms).
        for view in self._sightings.latest(self._actor(), 20):
            if view.id == event.sighting_id or self.model.row_of(view.id) is None:
                self.model.add(view)
        self.model.trim(LIVE_LIMIT)

    def _on_clip_ready(self, event: SightingClipReady) -> None:
        self.model.update_clip(event.sighting_id, event.status, event.clip_path, event.error)

    def _on_entries_changed(self, entry_ids: tuple[int, ...]) -> None:
        self._labels.forget(entry_ids)
        self.model.refresh_labels()
