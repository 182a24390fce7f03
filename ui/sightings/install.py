"""Adds the watch list, the sightings views and the map to the console (one call from
the composition root), and opens every window they lead to."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDockWidget, QInputDialog, QMainWindow, QWidget

from commandroom.auth.permissions import Permission
from commandroom.cameras.registry import CameraRegistry
from commandroom.config import Paths
from commandroom.events import EventBus
from commandroom.sightings.events import SightingClipReady, SightingCreated
from commandroom.sightings.records import SightingView
from commandroom.sightings.service import SightingService
from commandroom.sightings.trajectory import stops, trajectory
from commandroom.watchlist.service import WatchlistService
from ui.bridge import background
from ui.common.actor import ActorSource
from ui.map.editor import move_with
from ui.map.map_store import MapImageStore
from ui.map.windows import MapEditorWindow, TrajectoryWindow, _MapWindow
from ui.sightings.bridge import SightingEventBridge
from ui.sightings.detail import SightingDetailDialog
from ui.sightings.labels import EntryLabels
from ui.sightings.list_window import SightingListWindow
from ui.sightings.live_list import LiveSightingsPanel
from ui.sightings.thumbnails import ThumbnailCache
from ui.watchlist.window import WatchlistWindow

log = logging.getLogger(__name__)

TIMELINE_THUMB = QSize(160, 90)
CAMERA_THUMB = QSize(96, 54)


class SightingsUi(QObject):
    """Owns the shared parts (event bridge, thumbnail worker, label cache) and the windows;
    ``shutdown()`` stops the worker and closes them."""

    def __init__(self, console: QMainWindow, watchlist: WatchlistService,
                 sightings: SightingService, registry: CameraRegistry, events: EventBus,
                 actor: ActorSource, data_dir: Path) -> None:
        super().__init__(console)
        self._console = console
        self._watchlist = watchlist
        self._sightings = sightings
        self._registry = registry
        self._actor = actor
        self.thumbnails = ThumbnailCache(self)
        self.bridge = SightingEventBridge(events, self)
        self.labels = EntryLabels(watchlist, actor, self)
        self.map_store = MapImageStore(data_dir)
        self.windows: dict[tuple[str, object], QWidget] = {}
        self.watchlist_window: WatchlistWindow | None = None

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
        menu = self._console.menuBar().addMenu(self.tr("&Watch list"))

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

    # -- windows ---------------------------------------------------------------------
    def _show(self, key: tuple[str, object], window: QWidget) -> QWidget:
        window.setParent(self._console, Qt.WindowType.Window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if not isinstance(window, QDialog):  # a dialog closes on Escape by itself
            escape = QAction(window)
            escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
            escape.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            escape.triggered.connect(lambda _c=False, w=window: self._escape(w))
            window.addAction(escape)
        window.destroyed.connect(lambda _o=None, k=key: self.windows.pop(k, None))
        self.windows[key] = window
        window.show()
        return window

    @staticmethod
    def _escape(window: QWidget) -> None:
        if isinstance(window, WatchlistWindow):
            window.close_unless_unsaved()
        else:
            window.close()

    def _existing(self, key: tuple[str, object]) -> QWidget | None:
        window = self.windows.get(key)
        if window is not None:
            window.show()
            window.raise_()
            window.activateWindow()
        return window

    def open_watchlist(self) -> WatchlistWindow:
        window = self._existing(("watchlist", None))
        if isinstance(window, WatchlistWindow):
            window.search.setFocus()
            window.search.selectAll()
            return window
        created = WatchlistWindow(
            self._watchlist, self._actor, self.thumbnails,
            sighting_count=lambda entry_id: len(self._sightings.timeline(self._actor(), entry_id)),
            open_timeline=self.open_timeline, open_trajectory=self.open_trajectory)
        self.bridge.entries_changed.connect(created.entries_changed)
        self._show(("watchlist", None), created)
        created.search.setFocus()
        return created

    def open_sighting(self, view: SightingView) -> SightingDetailDialog:
        dialog = SightingDetailDialog(view, self._sightings, self._actor, self.labels,
                                      self.thumbnails)
        self._show(("sighting", view.id), dialog)
        return dialog

    def open_timeline(self, entry_id: int) -> SightingListWindow:
        window = self._existing(("timeline", entry_id))
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
        self._show(("timeline", entry_id), created)
        return created

    def open_camera(self, camera_id: int | None, camera_name: str) -> SightingListWindow | None:
        if camera_id is None:
            return None
        window = self._existing(("camera", camera_id))
        if isinstance(window, SightingListWindow):
            window.reload()
            return window
        title = self.tr("Sightings at %1").replace("%1", camera_name)
        created = SightingListWindow(
            title, lambda: self._sightings.for_camera(self._actor(), camera_id), self.labels,
            self.thumbnails, self._sightings.data_dir, self, newest_first=True,
            thumb_size=CAMERA_THUMB)
        self._show(("camera", camera_id), created)
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

    def open_trajectory(self, entry_id: int) -> TrajectoryWindow:
        window = self._existing(("trajectory", entry_id))
        if not isinstance(window, TrajectoryWindow):
            title = self.tr("Trajectory — %1").replace("%1", self.labels.label(entry_id))
            window = TrajectoryWindow(title, self.map_store)
            window.map_changed.connect(self._map_changed)
            self._show(("trajectory", entry_id), window)
        self._fill_trajectory(window, entry_id)
        return window

    def _fill_trajectory(self, window: TrajectoryWindow, entry_id: int) -> None:
        actor = self._actor()
        views = self._sightings.timeline(actor, entry_id)
        cameras = self._registry.cameras(actor) if actor.can(Permission.VIEW_VIDEO) else []
        window.set_trajectory(stops(views), trajectory(views), cameras)

    def open_map_editor(self) -> MapEditorWindow:
        window = self._existing(("map-editor", None))
        if isinstance(window, MapEditorWindow):
            window.reload()
            return window
        created = MapEditorWindow(
            self.map_store, lambda: self._registry.cameras(self._actor()),
            move_with(lambda camera: self._registry.update(self._actor(), camera)),
            editable=self._actor().can(Permission.MANAGE_CAMERAS))
        created.map_changed.connect(self._map_changed)
        self._show(("map-editor", None), created)
        return created

    def _map_changed(self, path: Path) -> None:
        for window in self.windows.values():
            if isinstance(window, _MapWindow):
                window.show_map(path)

    def _sighting_created(self, event: SightingCreated) -> None:
        """Open timelines, camera lists and trajectories follow new sightings."""
        for (kind, key), window in list(self.windows.items()):
            if isinstance(window, SightingListWindow) and (
                    (kind == "timeline" and key == event.watch_entry_id)
                    or (kind == "camera" and key == event.camera_id)):
                window.reload()
            elif isinstance(window, TrajectoryWindow) and isinstance(key, int) \
                    and key == event.watch_entry_id:
                self._fill_trajectory(window, key)

    def _clip_ready(self, event: SightingClipReady) -> None:
        for window in self.windows.values():
            if isinstance(window, SightingListWindow):
                window.model.update_clip(event.sighting_id, event.status, event.clip_path,
                                         event.error)

    def shutdown(self) -> None:
        for window in list(self.windows.values()):
            window.close()
        self.windows.clear()
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
