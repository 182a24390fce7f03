"""The duty officer's console: camera tree, live grid, status bar."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import cv2
from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from commandroom.cameras.layouts import BIG_WALL, LayoutState, LayoutStore
from commandroom.cameras.registry import Camera, CameraRegistry, CamerasChanged
from commandroom.events import EventBus
from commandroom.files import write_private
from commandroom.video.hub import StreamHub
from commandroom.video.state import StreamState, StreamStatus
from commandroom.video.stream_spec import StreamSpec
from ui.bridge import GuiEvents, background
from ui.common.actor import ActorSource
from ui.console.camera_actions import CameraActions
from ui.models.camera_tree import CameraTreeModel
from ui.video.grid import StreamOpener, VideoGrid
from ui.video.layout_labels import layout_label
from ui.video.pump import FramePump
from ui.video.status_bridge import StatusBridge
from ui.video.tile import VideoTile

log = logging.getLogger(__name__)

# Ctrl+2 for the big wall's 24 tiles ("4+20").
LAYOUT_SHORTCUTS = {"1": "Ctrl+1", "4": "Ctrl+4", "6": "Ctrl+6", "8": "Ctrl+8",
                    "9": "Ctrl+9", "16": "Ctrl+0", "25": "Ctrl+5", BIG_WALL: "Ctrl+2"}


class ConsoleWindow(QMainWindow):
    # Ctrl+Q or the window's close button: the composition root decides (pending alerts,
    # logout) and calls close_for_quit().
    quit_requested = Signal()

    def __init__(
        self,
        registry: CameraRegistry,
        actor: ActorSource,
        layouts: LayoutStore | None,
        hub: StreamHub,
        events: EventBus,
        status_bridge: StatusBridge,
        open_stream: StreamOpener,
        camera_lookup: Callable[[int], Camera | None],
        snapshots_dir: Path,
        main_stream_min_width: int,
        paint_hz: int,
    ) -> None:
        super().__init__()
        self.setObjectName("console")
        self._registry = registry
        self._actor = actor
        self._layouts = layouts  # None in `commandroom view`: nothing is saved
        self._hub = hub
        self._snapshots_dir = snapshots_dir
        self._lookup = camera_lookup
        self._statuses: dict[StreamSpec, StreamStatus] = {}
        self._started = False  # a console that never showed has no layout worth saving
        self._quitting = False
        # The window system adds " — Command room" (the application display name).
        self.setWindowTitle(self.tr("Console"))
        self.resize(1600, 900)

        self.grid = VideoGrid(open_stream, camera_lookup, main_stream_min_width, self)
        self.setCentralWidget(self.grid)
        self.pump = FramePump(paint_hz, self)
        self.pump.add(self.grid)

        self.tree_model = CameraTreeModel(registry, actor)
        self.actions_ = CameraActions(registry, actor, self)
        self._build_tree_dock()
        self._build_actions()
        self._build_status_bar()

        status_bridge.status_changed.connect(self._on_status)
        # Registry events come from the thread that wrote; GuiEvents hops to this one.
        self._unsubscribe = GuiEvents(events).subscribe(
            CamerasChanged, lambda _e: self._reload_cameras(), self)
        self.grid.layout_changed.connect(self._save_layout)

    # -- construction ----------------------------------------------------------------
    def _build_tree_dock(self) -> None:
        dock = QDockWidget(self.tr("Cameras"), self)
        dock.setObjectName("cameraDock")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter cameras…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        # activated alone: a double-click emits doubleClicked AND activated, and taking
        # both put every camera in two tiles (the second one over the next camera's).
        self.tree.activated.connect(self._tree_activated)
        self.tree.installEventFilter(self)  # Return in the tree activates, not maximises
        self.tree.expandAll()
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree)
        dock.setWidget(box)
        dock.setMinimumWidth(240)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)

    def _grid_setter(self, name: str) -> Callable[[], None]:
        def slot() -> None:
            self.grid.set_grid(name)

        return slot

    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey | None,
                slot: Callable[[], object], menu: QMenu) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        cameras = self.menuBar().addMenu(self.tr("&Cameras"))
        self._action(self.tr("Add camera…"), "Ctrl+N", self.actions_.add_camera, cameras)
        self._action(self.tr("Add group…"), None, self.actions_.add_group, cameras)
        cameras.addSeparator()
        self._action(self.tr("Import CSV…"), "Ctrl+Shift+I", self.actions_.import_csv, cameras)
        self._action(self.tr("Export CSV…"), "Ctrl+Shift+E", self.actions_.export_csv, cameras)
        cameras.addSeparator()
        self.quit_action = self._action(self.tr("Quit"), "Ctrl+Q", self.quit_requested.emit,
                                        cameras)

        view = self.menuBar().addMenu(self.tr("&View"))
        self.view_menu = view  # features add their own entries (the timeline)
        toolbar = self.addToolBar(self.tr("Layouts"))
        toolbar.setObjectName("layoutToolbar")
        group = QActionGroup(self)
        self.layout_actions: dict[str, QAction] = {}
        for name, key in LAYOUT_SHORTCUTS.items():
            act = self._action(layout_label(name), key, self._grid_setter(name), view)
            act.setCheckable(True)
            group.addAction(act)
            toolbar.addAction(act)
            self.layout_actions[name] = act
        self._action(self.tr("Custom grid…"), "Ctrl+G", self._custom_grid, view)
        self._action(self.tr("Merge tile with the one to the right"), "Ctrl+Alt+Right",
                     lambda: self._merge("right"), view)
        self._action(self.tr("Merge tile with the one below"), "Ctrl+Alt+Down",
                     lambda: self._merge("down"), view)
        view.addSeparator()
        toolbar.addSeparator()
        self._action(self.tr("Maximise / restore tile"), "Return",
                     lambda: self.grid.toggle_maximise(), view)
        self._action(self.tr("Restore grid"), "Escape", self._restore, view)
        self._action(self.tr("Close tile"), "Delete", self._close_selected, view)
        self._action(self.tr("Snapshot of tile"), "Ctrl+S", self.snapshot_selected, view)
        for key, (dr, dc) in {"Left": (0, -1), "Right": (0, 1),
                              "Up": (-1, 0), "Down": (1, 0)}.items():
            act = QAction(self)
            act.setShortcut(QKeySequence(key))
            act.triggered.connect(lambda _c=False, r=dr, c=dc: self.grid.move_selection(r, c))
            self.addAction(act)
        stats = self._action(self.tr("Show stream statistics"), "Ctrl+I",
                             lambda: self.grid.set_show_stats(not self.grid.show_stats), view)
        stats.setCheckable(True)
        toolbar.addAction(stats)
        self._action(self.tr("Full screen"), "F11", self._toggle_fullscreen, view)

    def _build_status_bar(self) -> None:
        self.live_label = QLabel()
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clockLabel")
        self.statusBar().addPermanentWidget(self.live_label)
        self.statusBar().addPermanentWidget(self.clock_label)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick_status)
        self._clock.start(1000)
        self._tick_status()

    # -- behaviour -------------------------------------------------------------------
    def start(self, state: LayoutState | None) -> None:
        self._started = True
        self.grid.apply_state(state or LayoutState(grid="4"))
        self._check_layout_action()
        self.grid.layout_changed.connect(self._check_layout_action)
        self.pump.start()
        QTimer.singleShot(1500, self, self._tick_status)

    def _check_layout_action(self) -> None:
        act = self.layout_actions.get(self.grid.state().grid)
        if act is not None:
            act.setChecked(True)

    def _tick_status(self) -> None:
        self.clock_label.setText(datetime.now().strftime("%Y-%m-%d  %H:%M:%S"))
        shown = [t for t in self.grid.tiles if t.handle is not None]
        live = sum(1 for t in shown if t.handle and t.handle.status().state is StreamState.LIVE)
        self.live_label.setText(
            self.tr("Live %1/%2 · streams %3").replace("%1", str(live))
            .replace("%2", str(len(shown))).replace("%3", str(self._hub.reader_count())))

    def _on_status(self, spec: StreamSpec, status: StreamStatus) -> None:
        self._statuses[spec] = status
        self._paint_tree_states()

    def _paint_tree_states(self) -> None:
        """Each camera's dot shows the state of the stream of it that plays (if any)."""
        by_url = {spec.url: status.state for spec, status in self._statuses.items()
                  if status.state is not StreamState.STOPPED}
        for camera in self._registry.cameras(self._actor()):
            if camera.id is not None:
                state = by_url.get(camera.sub_url) or by_url.get(camera.main_url)
                self.tree_model.set_camera_state(camera.id, state)

    def _reload_cameras(self) -> None:
        self.tree_model.reload()
        self._paint_tree_states()
        self.tree.expandAll()
        self._apply_filter(self.filter_edit.text())
        for tile in self.grid.tiles:  # a deleted or edited camera changes its tiles
            if tile.camera is not None and tile.camera.id is not None:
                fresh = self._lookup(tile.camera.id)
                if fresh is None or not fresh.enabled:
                    self.grid.clear(tile.index)
                elif _stream_fields(fresh) != _stream_fields(tile.camera):
                    self.grid.assign(tile.index, tile.camera.id)
                else:  # name, junction or map position: no need to reopen the stream
                    tile.camera = fresh
                    tile.update()

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        root = self.tree_model.invisibleRootItem()
        for g in range(root.rowCount()):
            group = root.child(g)
            any_shown = False
            for c in range(group.rowCount()):
                item = group.child(c)
                show = not needle or needle in item.text().casefold() \
                    or needle in (item.toolTip() or "").casefold()
                self.tree.setRowHidden(c, group.index(), not show)
                any_shown |= show
            self.tree.setRowHidden(g, QModelIndex(), not any_shown and bool(needle))

    def _tree_activated(self, index: QModelIndex) -> None:
        camera_id = self.tree_model.camera_id(index)
        if camera_id is not None:
            self.grid.assign_to_next_free(camera_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Return/Enter on a camera in the tree puts it in the grid; without this the
        # window's Return shortcut (maximise the selected tile) takes the key first.
        if watched is self.tree and event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                    and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                event.accept()
                return True
        return super().eventFilter(watched, event)

    def _tree_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        camera_id = self.tree_model.camera_id(index) if index.isValid() else None
        group_id = self.tree_model.group_id(index) if index.isValid() else None
        menu = QMenu(self)
        if camera_id is not None:
            camera = self._registry.get(self._actor(), camera_id)
            menu.addAction(self.tr("Show in selected tile"),
                           lambda: self.grid.assign_to_selected_or_free(camera_id))
            menu.addAction(self.tr("Edit camera…"), lambda: self.actions_.edit_camera(camera_id))
            menu.addAction(self.tr("Disable") if camera and camera.enabled else self.tr("Enable"),
                           lambda: self.actions_.toggle_enabled(camera_id))
            menu.addAction(self.tr("Delete camera"),
                           lambda: self.actions_.delete_camera(camera_id))
        elif group_id is not None:
            name = str(index.data())
            menu.addAction(self.tr("Rename group…"),
                           lambda: self.actions_.rename_group(group_id, name))
            menu.addAction(self.tr("Delete group"),
                           lambda: self.actions_.delete_group(group_id, name))
        menu.addSeparator()
        menu.addAction(self.tr("Add camera…"), self.actions_.add_camera)
        menu.addAction(self.tr("Add group…"), self.actions_.add_group)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _custom_grid(self) -> None:
        text, ok = QInputDialog.getText(self, self.tr("Custom grid"),
                                        self.tr("Rows × columns (e.g. 8x8):"), text="6x6")
        if not ok:
            return
        rows, _, cols = text.lower().replace("×", "x").partition("x")
        try:
            self.grid.set_grid(f"custom:{int(rows)}x{int(cols)}")
        except ValueError:
            self.statusBar().showMessage(self.tr("A custom grid has 1 to 12 rows and columns."),
                                         8000)

    def _merge(self, direction: str) -> None:
        try:
            self.grid.merge_selected(direction)
        except ValueError:
            self.statusBar().showMessage(
                self.tr("That tile cannot grow that way (grid edge, or it would cut another "
                        "tile in two)."), 8000)

    def _restore(self) -> None:
        if self.grid.transport_key("escape"):  # a replaying tile goes back to live first
            return
        if self.grid.maximised is not None:
            self.grid.toggle_maximise()
        elif self.isFullScreen():
            self.showNormal()

    def _close_selected(self) -> None:
        if self.grid.selected is not None:
            self.grid.clear(self.grid.selected.index)

    def _toggle_fullscreen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def snapshot_selected(self) -> Path | None:
        """Full-resolution PNG of the frame the selected tile shows (no dialog: hot path)."""
        tile: VideoTile | None = self.grid.selected
        feed = tile.feed() if tile is not None else None  # a replaying tile: its replay
        if tile is None or feed is None or tile.camera is None:
            return None
        got = feed.full_resolution(tile.painted_seq if tile.painted_seq > 0 else None)
        if got is None:
            self.statusBar().showMessage(self.tr("No picture to save yet."), 5000)
            return None
        image, frame = got
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(frame.capture_time))
        safe = "".join(ch if ch.isalnum() else "_" for ch in tile.camera.name)
        path = self._snapshots_dir / f"{safe}-{stamp}-{frame.seq}.png"
        ok, data = cv2.imencode(".png", image)
        if ok:
            write_private(path, data.tobytes())
            self.statusBar().showMessage(self.tr("Snapshot saved: %1").replace("%1", str(path)),
                                         8000)
            return path
        return None

    def _save_layout(self) -> None:
        # Not before start(): a start cancelled at the log-in would save an empty grid,
        # and the next start (demo cameras and all) would show nothing.
        if self._layouts is not None and self._started:
            # Off the GUI thread, in order; of a burst of changes only the last is written.
            store, actor, state = self._layouts, self._actor(), self.grid.state()
            background().latest(("layout", "console"),
                                lambda: store.save_current(actor, "console", state))

    def close_for_quit(self) -> None:
        """Close for good (the application is quitting); closeEvent no longer asks."""
        self._quitting = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._quitting:
            # The close button means quit, and quitting decides about pending alerts and
            # the wall; closing just this window used to leave the process running.
            event.ignore()
            # Next turn: quitting closes this window, which cannot happen inside its
            # own close event.
            QTimer.singleShot(0, self, self.quit_requested.emit)
            return
        self._save_layout()
        self.pump.stop()
        self._clock.stop()
        self._unsubscribe()
        self.grid.release_all()
        super().closeEvent(event)


def _stream_fields(camera: Camera) -> tuple[object, ...]:
    """What decides which stream a tile plays; other edits keep the stream running."""
    return (camera.main_url, camera.sub_url, camera.transport, camera.credential_ref,
            camera.enabled)
