"""T on a live or replaying tile → the tag dialog → the sighting saved in the background."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from commandroom.auth.permissions import Permission, PermissionDenied
from commandroom.config import EvidenceSettings
from commandroom.sightings.frozen import FrozenEvidence, clear_staging
from commandroom.sightings.records import Box, CameraRef, NewUnknown, SightingView
from commandroom.sightings.service import FrameGone, SightingService
from commandroom.watchlist.records import SearchHit
from commandroom.watchlist.service import WatchlistService
from ui.bridge import FutureBridge, Lane
from ui.common.actor import ActorSource
from ui.tagging.tag_dialog import TagDialog
from ui.video.grid import VideoGrid
from ui.video.tile import VideoTile

log = logging.getLogger(__name__)


class TaggingController(QObject):
    saved = Signal(object)  # SightingView
    alert_requested = Signal(object)  # SightingView: the officer wants the teams told

    def __init__(
        self,
        console: QMainWindow,
        grid: VideoGrid,
        sightings: SightingService,
        watchlist: WatchlistService,
        actor: ActorSource,
        evidence: EvidenceSettings,
        staging_dir: Path,
    ) -> None:
        super().__init__(console)
        self._console = console
        self._grid = grid
        self._sightings = sightings
        self._watchlist = watchlist
        self._actor = actor
        self._evidence = evidence
        self._staging = staging_dir
        clear_staging(staging_dir)
        # One lane: tags are written in the order they were made, off the GUI thread.
        self._worker = Lane("tagging")
        self._bridge = FutureBridge(self)
        # Build the watch-list search index now, so the first keystroke after T is instant.
        self._worker.submit(watchlist.warm_index)
        self.dialog: TagDialog | None = None
        action = QAction(self.tr("Tag sighting"), console)
        action.setShortcut(QKeySequence("T"))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _c=False: self.start_tag())
        console.addAction(action)
        self.action = action
        grid.tag_requested.connect(self._tag_tile)

    def _tag_tile(self, tile: object) -> None:
        if isinstance(tile, VideoTile):
            self._grid.select(tile)
            self.start_tag()

    def _say(self, text: str) -> None:
        self._console.statusBar().showMessage(text, 10_000)

    def start_tag(self) -> TagDialog | None:
        """Freeze exactly the frame the selected tile shows and open the tag dialog."""
        actor = self._actor()
        if not actor.can(Permission.TAG_SIGHTING):
            self._say(self.tr("Your role may not tag sightings."))
            return None
        tile = self._grid.selected
        # A replaying tile is tagged on its replay: the frame's recorded time, and the
        # clip cut from the recording around it (PlaybackHandle.clip), never "now".
        feed = tile.feed() if tile is not None else None
        if tile is None or feed is None or tile.camera is None:
            self._say(self.tr("Select a live tile to tag."))
            return None
        seq = tile.painted_seq if tile.painted_seq > 0 else None
        try:
            frozen = FrozenEvidence(feed, seq, self._evidence.pre_seconds,
                                    self._evidence.post_seconds, self._staging)
        except LookupError:
            self._say(self.tr("No picture on this tile yet."))
            return None
        camera = CameraRef(tile.camera.id, tile.camera.name, tile.camera.junction)
        when = datetime.fromtimestamp(frozen.frame.capture_time, UTC)
        dialog = TagDialog(frozen.image, camera.name, camera.junction, when,
                           lambda text: self._search(text), self._console)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.save_requested.connect(
            lambda entry, box, note: self._save(dialog, frozen, camera, entry, box, note))
        dialog.cancelled.connect(frozen.cancel)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.dialog = dialog
        return dialog

    def _search(self, text: str) -> list[SearchHit]:
        try:
            return self._watchlist.search(self._actor(), text, limit=20)
        except PermissionDenied:
            return []

    def _save(self, dialog: TagDialog, frozen: FrozenEvidence, camera: CameraRef,
              entry: int | NewUnknown, box: Box | None, note: str) -> None:
        actor = self._actor()
        future = self._worker.submit(self._sightings.tag, actor, frozen, None, camera, entry,
                                     box, note)

        def ok(view: SightingView) -> None:
            dialog.saved()
            self._say(self.tr("Sighting saved at %1; the evidence clip follows.")
                      .replace("%1", view.camera_name))
            self.saved.emit(view)
            if dialog.alert_after.isChecked():
                self.alert_requested.emit(view)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, FrameGone | PermissionDenied | ValueError | LookupError):
                dialog.failed(str(exc))
            else:
                log.error("tag failed: %s", exc)
                dialog.failed(self.tr("The sighting could not be saved (%1).")
                              .replace("%1", type(exc).__name__))

        self._bridge.call(future, ok, failed)

    def shutdown(self) -> None:
        """Late answers are dropped; tags still being saved finish (shutdown_background)."""
        self._bridge.shut()
