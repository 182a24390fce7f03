"""Adds the watch list, the sightings views and the map to the console (one call from
the composition root): the "Watch list" menu over the three features' install modules
(ui/watchlist/install.py, ui/map/install.py and the sightings part here).

It sits above the three features, beside ``ui.app``, not inside one of them: they open
each other's windows through it, and a feature package never imports another one
(import-linter's UI layers contract)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMainWindow

from commandroom.cameras.registry import CameraRegistry
from commandroom.config import Paths
from commandroom.events import EventBus
from commandroom.sightings.events import SightingClipReady, SightingCreated
from commandroom.sightings.records import SightingView
from commandroom.sightings.service import SightingService
from commandroom.watchlist.service import WatchlistService
from ui.bridge import background
from ui.common.actor import ActorSource
from ui.common.entry_labels import EntryLabels
from ui.common.sighting_events import SightingEventBridge
from ui.common.thumbnails import ThumbnailCache
from ui.common.windows import ToolWindows
from ui.map.install import MapUi
from ui.map.windows import MapEditorWindow, TrajectoryWindow
from ui.replay.play_target import PlayTarget
from ui.sightings.detail import SightingDetailDialog
from ui.sightings.list_window import SightingListWindow
from ui.sightings.live_list import LiveSightingsPanel
from ui.watchlist.install import WatchlistUi
from ui.watchlist.window import WatchlistWindow

log = logging.getLogger(__name__)

TIMELINE_THUMB = QSize(160, 90)
CAMERA_THUMB = QSize(96, 54)
PLAY_PRE_ROLL_S = 5.0  # "play at this moment" starts a little before the tagged frame


class SightingsUi(QObject):
    """Owns the shared parts (event bridge, thumbnail worker, label cache, tool windows),
    the sightings windows, and the watch-list and map features; ``shutdown()`` stops the
    worker and closes every window."""

    # "New incident from this sighting" in any sightings list: the composition root
    # hands it to the incidents feature.
    incident_requested = Signal(object)  # SightingView

    def __init__(self, console: QMainWindow, watchlist: WatchlistService,
                 sightings: SightingService, registry: CameraRegistry, events: EventBus,
                 actor: ActorSource, data_dir: Path) -> None:
        super().__init__(console)
        self._console = console
        self._sightings = sightings
        self._registry = registry
        self._actor = actor
        self.thumbnails = ThumbnailCache(self)
        self.bridge = SightingEventBridge(events, self)
        self.labels = EntryLabels(watchlist, actor, self)
        # "Play at this moment" (Ctrl+P in every sightings list): the composition root
        # connects it to the replay on the tiles.
        self.play_target = PlayTarget()
        self.tool_windows = ToolWindows(console)
        self.windows = self.tool_windows.windows
        self.map = MapUi(self.tool_windows, registry, sightings, self.labels, actor,
                         data_dir, self)
        self.map_store = self.map.map_store
        self.watchlist = WatchlistUi(self.tool_windows, watchlist, sightings, self.bridge,
                                     self.thumbnails, actor, self.open_timeline,
                                     self.map.open_trajectory, self)

        self.live = LiveSightingsPanel(sightings, actor, self.bridge, self.labels,
                                       self.thumbnails, self)
        self.dock = QDockWidget(self.tr("Sightings"), console)
        self.dock.setObjectName("sightingsDock")
        self.dock.setWidget(self.live)
        self.dock.setMinimumWidth(380)
        console.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.bridge.created.connect(self._sighting_created)
        self.bridge.clip_ready.connect(self._clip_ready)
        self._build_menu()

    def _build_menu(self) -> None:
        menu = self._console.menuBar().addMenu(self.tr("Watch l&ist"))

        def add(text: str, slot: object, shortcut: str | None = None) -> QAction:
            action = QAction(text, self._console)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
            menu.addAction(action)
            self._console.addAction(action)
            return action

        add(self.tr("Search watch list…"), self.open_watchlist, "Ctrl+F")
        sightings = self.dock.toggleViewAction()
        sightings.setText(self.tr("Show sightings list"))
        menu.addAction(sightings)
        add(self.tr("Sightings at a camera…"), self.choose_camera)
        menu.addSeparator()
        add(self.tr("Map editor (camera positions)…"), self.open_map_editor)
        self.menu = menu

    # -- the other features' windows, opened from here and from the menu ---------------
    def open_watchlist(self) -> WatchlistWindow:
        return self.watchlist.open_watchlist()

    def open_trajectory(self, entry_id: int) -> TrajectoryWindow:
        return self.map.open_trajectory(entry_id)

    def open_map_editor(self) -> MapEditorWindow:
        return self.map.open_map_editor()

    # -- sightings windows -------------------------------------------------------------
    def open_sighting(self, view: SightingView) -> SightingDetailDialog:
        dialog = SightingDetailDialog(view, self._sightings, self._actor, self.labels,
                                      self.thumbnails)
        self.tool_windows.show(("sighting", view.id), dialog)
        return dialog

    def new_incident(self, view: SightingView) -> None:
        self.incident_requested.emit(view)

    def focused_sighting(self) -> SightingView | None:
        """The live list's current row while that list has the keyboard focus."""
        table = self.live.table
        return table.current_view() if table.hasFocus() else None

    def play_at(self, view: SightingView) -> bool:
        """Replay the sighting's camera from a few seconds before its frame."""
        bar = self._console.statusBar()
        if view.camera_id is None:
            bar.showMessage(self.tr("The camera of this sighting no longer exists."), 6000)
            return False
        moment = view.frame_time.timestamp() - PLAY_PRE_ROLL_S
        if not self.play_target(view.camera_id, moment):
            bar.showMessage(self.tr("Replay is not available in this console."), 6000)
            return False
        return True

    def open_timeline(self, entry_id: int) -> SightingListWindow:
        window = self.tool_windows.existing(("timeline", entry_id))
        if isinstance(window, SightingListWindow):
            window.reload()
            return window
        title = self.tr("Timeline — %1").replace("%1", self.labels.label(entry_id))
        created = SightingListWindow(
            title, lambda: self._sightings.timeline(self._actor(), entry_id), self.labels,
            self.thumbnails, self._sightings.data_dir, self, newest_first=False,
            thumb_size=TIMELINE_THUMB)
        created.table.hide_who()
        created.add_button(self.tr("Trajectory on the map…"),
                           lambda: self.open_trajectory(entry_id))
        self.tool_windows.show(("timeline", entry_id), created)
        return created

    def open_camera(self, camera_id: int | None, camera_name: str) -> SightingListWindow | None:
        if camera_id is None:
            return None
        window = self.tool_windows.existing(("camera", camera_id))
        if isinstance(window, SightingListWindow):
            window.reload()
            return window
        title = self.tr("Sightings at %1").replace("%1", camera_name)
        created = SightingListWindow(
            title, lambda: self._sightings.for_camera(self._actor(), camera_id), self.labels,
            self.thumbnails, self._sightings.data_dir, self, newest_first=True,
            thumb_size=CAMERA_THUMB)
        self.tool_windows.show(("camera", camera_id), created)
        return created

    def choose_camera(self) -> None:
        cameras = [c for c in self._registry.cameras(self._actor()) if c.id is not None]
        if not cameras:
            return
        names = [c.name for c in cameras]
        name, ok = QInputDialog.getItem(self._console, self.tr("Sightings at a camera"),
                                        self.tr("Camera:"), names, 0, False)
        if ok and name in names:
            camera = cameras[names.index(name)]
            self.open_camera(camera.id, camera.name)

    def _sighting_created(self, event: SightingCreated) -> None:
        """Open timelines, camera lists and trajectories follow new sightings."""
        for (kind, key), window in self.tool_windows.items():
            if isinstance(window, SightingListWindow) and (
                    (kind == "timeline" and key == event.watch_entry_id)
                    or (kind == "camera" and key == event.camera_id)):
                window.reload()
        self.map.follow(event.watch_entry_id)

    def _clip_ready(self, event: SightingClipReady) -> None:
        for _key, window in self.tool_windows.items():
            if isinstance(window, SightingListWindow):
                window.model.update_clip(event.sighting_id, event.status, event.clip_path,
                                         event.error)

    def shutdown(self) -> None:
        self.tool_windows.close_all()
        self.bridge.close()
        self.thumbnails.shutdown()


def install_watch_and_sightings(console: QMainWindow, watchlist: WatchlistService,
                                sightings: SightingService, registry: CameraRegistry,
                                events: EventBus, actor: ActorSource,
                                paths: Paths) -> SightingsUi:
    """Adds the "Watch list" menu and docks the live sightings list; call ``shutdown()``
    on the result before the console closes."""
    # The first keystroke in the search box is instant too; built off the GUI thread.
    background().submit(watchlist.warm_index)
    return SightingsUi(console, watchlist, sightings, registry, events, actor, paths.data_dir)

