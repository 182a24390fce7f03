"""The console's wall controls: the live miniature, buttons and the Wall menu."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandroom.cameras.layouts import BIG_WALL, PRESETS, LayoutState
from commandroom.events import EventBus
from commandroom.wall import WallAlert, WallAlertCleared
from ui.video.grid import VideoGrid
from ui.video.layout_labels import layout_label
from ui.wall.controller import WallController
from ui.wall.miniature import WallMiniature

# install_wall is a function, not a QObject: an explicit context lupdate and Qt agree on.
_tr = QCoreApplication.translate

# Ctrl+Alt+2 for the big wall's 24 tiles ("4+20"), as Ctrl+2 on the console.
WALL_LAYOUT_KEYS = {"1": "Ctrl+Alt+1", "4": "Ctrl+Alt+4", "6": "Ctrl+Alt+6", "8": "Ctrl+Alt+8",
                    "9": "Ctrl+Alt+9", "16": "Ctrl+Alt+0", "25": "Ctrl+Alt+5",
                    BIG_WALL: "Ctrl+Alt+2"}


class WallPanel(QWidget):
    def __init__(self, wall: WallController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.wall = wall
        self.miniature = WallMiniature(wall, self)
        self.layout_box = QComboBox()
        for name in PRESETS:
            self.layout_box.addItem(layout_label(name), name)
        self.layout_box.activated.connect(
            lambda i: wall.set_grid(str(self.layout_box.itemData(i))))
        self.freeze_button = QPushButton(self.tr("Freeze"))
        self.freeze_button.setCheckable(True)
        self.freeze_button.toggled.connect(wall.set_frozen)
        self.tour_button = QPushButton(self.tr("Tour"))
        self.tour_button.setCheckable(True)
        self.clear_alert_button = QPushButton(self.tr("Clear alert"))
        self.clear_alert_button.clicked.connect(wall.clear_alert)
        buttons = QHBoxLayout()
        buttons.addWidget(self.layout_box)
        buttons.addWidget(self.freeze_button)
        buttons.addWidget(self.tour_button)
        buttons.addWidget(self.clear_alert_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.miniature, 1)
        layout.addLayout(buttons)
        wall.changed.connect(self.sync)
        self.sync()

    def sync(self) -> None:
        state = self.wall.grid.state()
        index = self.layout_box.findData(state.grid)
        if index >= 0:
            self.layout_box.setCurrentIndex(index)
        self.freeze_button.blockSignals(True)
        self.freeze_button.setChecked(self.wall.grid.frozen)
        self.freeze_button.blockSignals(False)
        self.tour_button.blockSignals(True)
        self.tour_button.setChecked(self.wall.tour.running)
        self.tour_button.blockSignals(False)
        self.clear_alert_button.setEnabled(self.wall.window.banner.alert is not None)


def install_wall(
    console: QMainWindow,
    console_grid: VideoGrid,
    wall: WallController,
    events: EventBus,
    enabled_camera_ids: Callable[[], list[int]],
    named_layouts: Callable[[], dict[str, LayoutState]] = dict,
) -> WallPanel:
    """Dock the wall panel into the console and add the Wall menu with its shortcuts."""
    panel = WallPanel(wall)
    dock = QDockWidget(_tr("WallPanel", "Wall"), console)
    dock.setObjectName("wallDock")
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
    dock.setWidget(panel)
    console.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)

    def toggle_tour() -> None:
        if wall.tour.running:
            wall.stop_tour()
        else:
            wall.start_tour(enabled_camera_ids())

    panel.tour_button.clicked.connect(lambda _c=False: toggle_tour())

    def send_selected() -> None:
        tile = console_grid.selected
        if tile is not None and tile.camera is not None and tile.camera.id is not None:
            wall.show_camera(tile.camera.id)
            # A replaying console tile replays on the wall too (ui/replay/controller.py).
            wall.tile_sent.emit(tile, wall.grid.selected)

    def raise_banner() -> None:
        """Raise the banner by hand for the selected tile (the alerts service raises it for
        every high-priority alert)."""
        tile = console_grid.selected
        if tile is None or tile.camera is None:
            return
        frame = tile.current_frame()
        when = datetime.fromtimestamp(frame.capture_time, UTC) if frame else datetime.now(UTC)
        events.publish(WallAlert(
            camera_id=tile.camera.id, camera_name=tile.camera.name,
            junction=tile.camera.junction, who=_tr("WallPanel", "person of interest"),
            category=_tr("WallPanel", "manual alert"), frame_time=when,
            snapshot_path=None, priority="high"))

    menu = console.menuBar().addMenu(_tr("WallPanel", "&Wall"))
    entries: list[tuple[str, str | None, Callable[[], object]]] = [
        (_tr("WallPanel", "Show selected tile on wall"), "Ctrl+Shift+W", send_selected),
        (_tr("WallPanel", "Send console layout to wall"), "Ctrl+Shift+L",
         lambda: wall.send_layout(console_grid.state())),
        (_tr("WallPanel", "Clear selected wall tile"), "Ctrl+Shift+Delete",
         lambda: wall.clear_tile(wall.grid.selected.index) if wall.grid.selected else None),
        (_tr("WallPanel", "Freeze / unfreeze wall"), "Ctrl+Shift+F",
         lambda: wall.set_frozen(not wall.grid.frozen)),
        (_tr("WallPanel", "Start / stop wall tour"), "Ctrl+Shift+T", toggle_tour),
        (_tr("WallPanel", "Raise alert banner for selected tile"), "Ctrl+Shift+A", raise_banner),
        (_tr("WallPanel", "Clear alert banner"), "Ctrl+Shift+B", lambda: events.publish(
            WallAlertCleared())),
        (_tr("WallPanel", "Show / hide wall window"), "Ctrl+Alt+W", wall.toggle_window),
    ]
    for text, key, slot in entries:
        action = QAction(text, console)
        if key:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _c=False, s=slot: s())
        menu.addAction(action)
        console.addAction(action)
    layouts = menu.addMenu(_tr("WallPanel", "Wall layout"))
    for name, key in WALL_LAYOUT_KEYS.items():
        action = QAction(layout_label(name), console)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _c=False, n=name: wall.set_grid(n))
        layouts.addAction(action)
        console.addAction(action)
    named: QMenu = menu.addMenu(_tr("WallPanel", "Show named layout on wall"))

    def fill_named() -> None:
        named.clear()
        for name, state in named_layouts().items():
            action = named.addAction(name)
            action.triggered.connect(lambda _c=False, s=state: wall.send_layout(s))
        if named.isEmpty():
            named.addAction(_tr("WallPanel", "(no saved layouts)")).setEnabled(False)

    named.aboutToShow.connect(fill_named)
    screens: QMenu = menu.addMenu(_tr("WallPanel", "Wall screen"))

    def fill_screens() -> None:
        screens.clear()
        for screen in QGuiApplication.screens():
            action = screens.addAction(screen.name())
            action.setCheckable(True)
            action.setChecked(wall.window.screen() is screen and not wall.single_screen)
            name = screen.name()
            action.triggered.connect(lambda _c=False, n=name: wall.choose_screen(n))

    screens.aboutToShow.connect(fill_screens)
    wall.message.connect(lambda text: console.statusBar().showMessage(text, 15000))
    # The tile's menu selects the tile first: the same as the shortcut.
    console_grid.show_on_wall.connect(lambda _camera_id: send_selected())
    return panel
