"""The map feature in the console: the map editor (camera positions) and an entry's
trajectory over the station's map image."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject

from commandroom.auth.permissions import Actor, Permission
from commandroom.cameras.registry import CameraRegistry
from commandroom.sightings.records import SightingView
from commandroom.sightings.service import SightingService
from commandroom.sightings.trajectory import stops, trajectory
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.entry_labels import EntryLabels
from ui.common.windows import ToolWindows
from ui.map.editor import move_with
from ui.map.map_store import MapImageStore
from ui.map.windows import MapEditorWindow, MapWindow, TrajectoryWindow

log = logging.getLogger(__name__)


class MapUi(QObject):
    def __init__(self, windows: ToolWindows, registry: CameraRegistry,
                 sightings: SightingService, labels: EntryLabels, actor: ActorSource,
                 data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._windows = windows
        self._registry = registry
        self._sightings = sightings
        self._labels = labels
        self._actor = actor
        self._bridge = FutureBridge(self)
        self.map_store = MapImageStore(data_dir)

    def open_trajectory(self, entry_id: int) -> TrajectoryWindow:
        key = ("trajectory", entry_id)
        window = self._windows.existing(key)
        if not isinstance(window, TrajectoryWindow):
            title = self.tr("Trajectory — %1").replace("%1", self._labels.label(entry_id))
            window = TrajectoryWindow(title, self.map_store)
            window.map_changed.connect(self._map_changed)
            self._windows.show(key, window)
        self.fill_trajectory(entry_id)
        return window

    def fill_trajectory(self, entry_id: int) -> None:
        """Read the entry's sightings off the GUI thread, then draw them (if still open)."""
        actor = self._actor()
        self._bridge.run(self._sightings.timeline, actor, entry_id,
                         on_ok=lambda views: self._draw(entry_id, actor, views),
                         on_error=lambda exc: log.error("trajectory: reading failed: %s",
                                                        type(exc).__name__))

    def _draw(self, entry_id: int, actor: Actor, views: list[SightingView]) -> None:
        window = self._windows.windows.get(("trajectory", entry_id))
        if isinstance(window, TrajectoryWindow):
            cameras = self._registry.cameras(actor) if actor.can(Permission.VIEW_VIDEO) else []
            window.set_trajectory(stops(views), trajectory(views), cameras)

    def open_map_editor(self) -> MapEditorWindow:
        window = self._windows.existing(("map-editor", None))
        if isinstance(window, MapEditorWindow):
            window.reload()
            return window
        created = MapEditorWindow(
            self.map_store, lambda: self._registry.cameras(self._actor()),
            # Called off the GUI thread by the canvas (the marker shows at once).
            move_with(lambda camera: self._registry.update(self._actor(), camera)),
            editable=self._actor().can(Permission.MANAGE_CAMERAS))
        created.map_changed.connect(self._map_changed)
        self._windows.show(("map-editor", None), created)
        return created

    def _map_changed(self, path: Path) -> None:
        for _key, window in self._windows.items():
            if isinstance(window, MapWindow):
                window.show_map(path)

    def follow(self, watch_entry_id: int | None) -> None:
        """A new sighting: an open trajectory of its entry draws it."""
        if watch_entry_id is not None and ("trajectory", watch_entry_id) in \
                self._windows.windows:
            self.fill_trajectory(watch_entry_id)

