"""Named layouts (saved in the database) and tours on the console grid.

The menus fill from a copy of the named layouts kept here: read once off the GUI thread,
changed at once by Save as / Delete, which write in the background (one lane, in order).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMenu

from commandroom.auth.permissions import PermissionDenied
from commandroom.cameras.layouts import LayoutState, LayoutStore
from commandroom.cameras.tours import Tour
from ui.bridge import FutureBridge, Lane
from ui.common import notices
from ui.common.actor import ActorSource
from ui.video.grid import VideoGrid
from ui.video.tour_runner import TourRunner

SCOPE = "console"


class LayoutActions(QObject):
    def __init__(self, console: QMainWindow, grid: VideoGrid, layouts: LayoutStore,
                 actor: ActorSource, camera_ids: Callable[[], list[int]],
                 dwell_s: float) -> None:
        super().__init__(console)
        self._console = console
        self._grid = grid
        self._layouts = layouts
        self._actor = actor
        self._camera_ids = camera_ids
        self._dwell_s = dwell_s
        self.tour = TourRunner(grid, self)
        self._bridge = FutureBridge(self)
        self._lane = Lane("named-layouts")
        self._named: dict[str, LayoutState] = {}
        self._edits = 0  # local changes; a read overtaken by one is read again
        self._read_named()
        menu = console.menuBar().addMenu(self.tr("&Layouts"))
        self._add(menu, self.tr("Save layout as…"), "Ctrl+Shift+S", self.save_as)
        self.open_menu = menu.addMenu(self.tr("Open layout"))
        self.open_menu.aboutToShow.connect(self._fill_open)
        self.delete_menu = menu.addMenu(self.tr("Delete layout"))
        self.delete_menu.aboutToShow.connect(self._fill_delete)
        menu.addSeparator()
        self._add(menu, self.tr("Tour all cameras in the selected tile"), "Ctrl+T",
                  self.start_tile_tour)
        self._add(menu, self.tr("Tour all cameras page by page"), "Ctrl+Shift+P",
                  self.start_layout_tour)
        self._add(menu, self.tr("Stop tour"), None, self.stop_tour)

    def _add(self, menu: QMenu, text: str, key: str | None, slot: Callable[[], object]) -> None:
        action = QAction(text, self._console)
        if key:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _c=False: slot())
        menu.addAction(action)
        self._console.addAction(action)

    def _say(self, text: str) -> None:
        self._console.statusBar().showMessage(text, 8000)

    def _read_named(self) -> None:
        asked = self._edits
        self._bridge.call(self._lane.submit(self._layouts.named, self._actor(), SCOPE),
                          lambda named: self._named_read(named, asked),
                          lambda exc: self._say(notices.error_text(exc)))

    def named(self) -> dict[str, LayoutState]:
        """The named layouts as this copy knows them (no database: the wall's menu too)."""
        return dict(self._named)

    def _named_read(self, named: dict[str, LayoutState], asked: int) -> None:
        if asked != self._edits:  # saved or deleted meanwhile: that write is queued before
            self._read_named()
            return
        self._named = named

    def save_as(self, name: str | None = None) -> None:
        if name is None:
            name, ok = QInputDialog.getText(self._console, self.tr("Save layout"),
                                            self.tr("Name of this layout:"))
            if not ok:
                return
        actor, state, shown = self._actor(), self._grid.state(), name.strip()

        def saved(_none: None) -> None:
            self._say(self.tr("Layout “%1” saved.").replace("%1", shown))

        def refused(exc: BaseException) -> None:
            self._say(str(exc) if isinstance(exc, ValueError | PermissionDenied)
                      else notices.error_text(exc))
            self._edits += 1
            self._read_named()  # the copy here showed it: read what is really saved

        if shown:
            self._named[shown] = state
            self._named = dict(sorted(self._named.items()))
        self._edits += 1
        self._bridge.call(self._lane.submit(self._layouts.save_named, actor, SCOPE, name,
                                            state), saved, refused)

    def open(self, name: str) -> None:
        state = self._named.get(name)
        if state is not None:
            self.tour.stop()
            self._grid.apply_state(state)

    def delete(self, name: str) -> None:
        self._named.pop(name, None)
        self._edits += 1
        self._bridge.call(self._lane.submit(self._layouts.delete_named, self._actor(), SCOPE,
                                            name), None,
                          lambda exc: self._say(notices.error_text(exc)))

    @staticmethod
    def _bound(method: Callable[[str], object], name: str) -> Callable[[], None]:
        """A menu slot for one layout name (a loop's lambda would see the last name)."""
        def slot() -> None:
            method(name)

        return slot

    def _fill_open(self) -> None:
        self.open_menu.clear()
        for name in self._named:
            self.open_menu.addAction(name, self._bound(self.open, name))
        if self.open_menu.isEmpty():
            self.open_menu.addAction(self.tr("(no saved layouts)")).setEnabled(False)

    def _fill_delete(self) -> None:
        self.delete_menu.clear()
        for name in self._named:
            self.delete_menu.addAction(name, self._bound(self.delete, name))

    def start_tile_tour(self) -> None:
        tile = self._grid.selected
        ids = self._camera_ids()
        if tile is None or not ids:
            return
        self.tour.start(Tour(tuple(ids), self._dwell_s, tile.index))
        self._say(self.tr("Tour started in tile %1.").replace("%1", str(tile.index + 1)))

    def start_layout_tour(self) -> None:
        ids = self._camera_ids()
        if ids:
            self.tour.start(Tour(tuple(ids), self._dwell_s))

    def stop_tour(self) -> None:
        self.tour.stop()
