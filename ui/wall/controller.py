"""Drives the wall from the console: its own layout, screens, freeze, tours, banner."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from commandroom.auth.permissions import Permission
from commandroom.cameras.layouts import LayoutState, LayoutStore
from commandroom.cameras.registry import Camera
from commandroom.cameras.tours import Tour
from commandroom.config import WallSettings
from commandroom.events import EventBus
from commandroom.wall import WallAlert, WallAlertCleared
from ui.bridge import GuiEvents, background
from ui.common.actor import ActorSource
from ui.video.grid import StreamOpener, VideoGrid
from ui.video.pump import FramePump
from ui.video.tour_runner import TourRunner
from ui.wall.window import WallWindow

log = logging.getLogger(__name__)
SCOPE = "wall"
_FRAMELESS = Qt.WindowType.FramelessWindowHint
# With one screen the wall window takes this share of the screen's width, beside the console.
_BESIDE_SHARE = 0.38
_BESIDE_MIN_WIDTH = 480
# A window's frame (borders) before the window manager has drawn one: at most this wide.
_UNFRAMED_ALLOWANCE = 8


class WallController(QObject):
    message = Signal(str)  # a sentence for the console's status bar
    changed = Signal()  # layout, tiles, freeze, tour or banner changed
    tile_sent = Signal(object, object)  # console tile, wall tile: "show selected on wall"

    def __init__(
        self,
        open_stream: StreamOpener,
        camera_lookup: Callable[[int], Camera | None],
        layouts: LayoutStore | None,
        actor: ActorSource,
        settings: WallSettings,
        main_stream_min_width: int,
        save_settings: Callable[[], None],
        console: QWidget,
        pump: FramePump,
        events: EventBus,
    ) -> None:
        super().__init__(console)
        self._layouts = layouts
        self._actor = actor
        self._settings = settings
        self._save_settings = save_settings
        self._started = False  # a wall that never showed has no state worth saving
        self._console = console
        self.grid = VideoGrid(open_stream, camera_lookup, main_stream_min_width,
                              overlay_scale=settings.font_scale)
        self.window = WallWindow(self.grid, settings.font_scale, settings.show_clock)
        self.window.closed_by_user.connect(self._closed_by_user)
        pump.add(self.grid)
        self.tour = TourRunner(self.grid, self)
        self.tour.stepped.connect(lambda _s: self.changed.emit())
        self.detached = False  # the wall's screen went away; waiting for it to return
        self.single_screen = False
        self.grid.layout_changed.connect(self._save)
        gui = GuiEvents(events)
        self._unsubscribe = [
            gui.subscribe(WallAlert, self.raise_alert, self),
            gui.subscribe(WallAlertCleared, lambda _e: self.clear_alert(), self),
        ]
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self.on_screen_added)
        app.screenRemoved.connect(self.on_screen_removed)

    # -- life cycle ------------------------------------------------------------------
    def start(self, first_run: LayoutState | None = None, fill_empty: bool = False) -> None:
        """Restore the saved wall; on the very first run show ``first_run``, and also
        when ``fill_empty`` (cameras were just added) and the saved wall shows none."""
        self._started = True
        saved = self._layouts.load_current(self._actor(), SCOPE) if self._layouts else None
        if saved is not None and fill_empty and not any(saved.cameras):
            saved = None
        state = saved or first_run or LayoutState(grid="4")
        self.grid.apply_state(state)
        if state.tour is not None:
            self.tour.start(state.tour)
        self.place()

    def shutdown(self) -> None:
        self._save()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.disconnect(self.on_screen_added)
            app.screenRemoved.disconnect(self.on_screen_removed)
        self.tour.stop()
        self.window.shutting_down = True
        self.window.close()
        self.grid.release_all()

    def state(self) -> LayoutState:
        state = self.grid.state()
        state.tour = self.tour.tour
        return state

    def _save(self) -> None:
        # Only those who may steer the wall store its state (the core checks it too);
        # not before start(): a start cancelled at the log-in would store an empty wall.
        if self._layouts is not None and self._started \
                and self._actor().can(Permission.CONTROL_WALL):
            # Off the GUI thread, in order; of a burst of changes only the last is written.
            store, actor, state = self._layouts, self._actor(), self.state()
            background().latest(("layout", SCOPE),
                                lambda: store.save_current(actor, SCOPE, state))
        self.changed.emit()

    # -- screens ---------------------------------------------------------------------
    def _candidates(self, excluding: QScreen | None = None) -> list[QScreen]:
        console_screen = self._console.screen()
        return [s for s in QGuiApplication.screens()
                if s is not excluding and s is not console_screen]

    def target_screen(self, excluding: QScreen | None = None) -> QScreen | None:
        candidates = self._candidates(excluding)
        wanted = self._settings.screen_name
        for screen in candidates:
            if screen.name() == wanted:
                return screen
        return candidates[0] if candidates else None

    def place(self, excluding: QScreen | None = None) -> None:
        """Fullscreen on the wall screen. With one screen the console comes first: the
        wall is a window beside it only if the officer asked for it (``show_window``, which
        is remembered), never over the console's alert panel."""
        screen = self.target_screen(excluding)
        self.detached = False
        if screen is not None:
            self.single_screen = False
            self.window.note.setText("")
            self.window.setWindowFlag(_FRAMELESS, True)
            self.window.setScreen(screen)
            self.window.setGeometry(screen.geometry())
            self.window.showFullScreen()
            log.info("wall: fullscreen on screen %s", screen.name())
        else:
            self.single_screen = True
            self.window.setWindowFlag(_FRAMELESS, False)
            self.window.note.setText(self.tr("Only one screen: the wall is shown as a window."))
            if self._settings.window_on_one_screen:
                self._show_beside_console()
            else:
                self.window.hide()
                # Short enough for the status bar beside its clock, link warning and
                # operator on a 1600 px screen (a status bar message cannot wrap); the
                # shortcut is also in the Wall menu.
                self.message.emit(self.tr(
                    "Only one screen: Ctrl+Alt+W opens the wall beside the console."))
        self.changed.emit()

    def show_window(self) -> None:
        """On request: the wall on its screen, or with one screen a window beside the
        console (remembered for the next start)."""
        if self.target_screen() is None and not self._settings.window_on_one_screen:
            self._settings.window_on_one_screen = True
            self._save_settings()
        self.place()

    def toggle_window(self) -> None:
        """Wall → Show / hide wall window (Ctrl+Alt+W)."""
        if self.window.isVisible():
            self.window.close()  # as if closed by hand: remembered with one screen
        else:
            self.show_window()

    def _closed_by_user(self) -> None:
        if self.single_screen and self._settings.window_on_one_screen:
            self._settings.window_on_one_screen = False
            self._save_settings()
        self.message.emit(self.tr("The wall window was closed; Wall → Show / hide wall "
                                  "window (Ctrl+Alt+W) brings it back."))
        self.changed.emit()

    def _show_beside_console(self) -> None:
        """Console and wall side by side on the one screen; the console keeps the keys."""
        console = self._console
        screen = console.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        width = max(_BESIDE_MIN_WIDTH, round(area.width() * _BESIDE_SHARE))
        # Sizes below are of frames (what the officer sees); resize() takes the inside.
        frame, margin = self._console_frame()
        if area.right() - frame.right() < width and frame.left() - area.left() < width:
            # No room on either side: the console gives up the right part of the screen.
            if console.isVisible() and (console.isMaximized() or console.isFullScreen()):
                console.showNormal()
            console.move(area.left(), area.top())
            console.resize(max(console.minimumSizeHint().width(),
                               area.width() - width - margin), console.height())
            frame, margin = self._console_frame()
        elif not console.isVisible():
            # At a start (the wall is placed before the console is shown): pinned where the
            # wall's place is worked out from, else the window manager places the console
            # by its own rule (seen: openbox centred it, under the wall).
            console.move(frame.topLeft())
        left = frame.right() + 1 if area.right() - frame.right() >= width \
            else frame.left() - width if frame.left() - area.left() >= width \
            else area.right() + 1 - width
        height = min(area.height(), round(width * 9 / 16) + 120)  # 16:9 tiles + header
        self.window.move(QPoint(left, area.top()))
        self.window.resize(width - margin, height - margin)
        self.window.showNormal()
        if console.isVisible():
            console.activateWindow()
        log.info("wall: window beside the console at %d,%d", left, area.top())

    def _console_frame(self) -> tuple[QRect, int]:
        """The console's frame and how much wider it is than the inside. Before its first
        show it has no frame yet: the window manager's borders are counted as the most
        we allow for (openbox adds 2 px, the offscreen platform 4)."""
        console = self._console
        frame = console.frameGeometry()
        if console.isVisible():
            return frame, max(0, frame.width() - console.width())
        frame.setWidth(console.width() + _UNFRAMED_ALLOWANCE)
        return frame, _UNFRAMED_ALLOWANCE

    def choose_screen(self, name: str) -> None:
        self._settings.screen_name = name
        self._save_settings()
        self.place()

    def on_screen_removed(self, screen: QScreen) -> None:
        if self.single_screen or self.detached:
            return
        if screen is not self.window.screen() and screen.name() != self._settings.screen_name:
            return
        if self.target_screen(excluding=screen) is not None:
            self.place(excluding=screen)
            self.message.emit(self.tr("The wall screen was disconnected; "
                                      "the wall moved to another screen."))
        else:
            self.window.hide()
            self.detached = True
            self.message.emit(self.tr("The wall screen was disconnected; the wall comes back "
                                      "when it is plugged in again."))
        self.changed.emit()

    def on_screen_added(self, screen: QScreen) -> None:
        if self.detached or screen.name() == self._settings.screen_name or self.single_screen:
            # QScreen geometry settles after the signal; place on the next turn.
            QTimer.singleShot(0, self, self._screen_back)

    def _screen_back(self) -> None:
        was_detached = self.detached
        self.place()
        if was_detached and not self.single_screen:
            self.message.emit(self.tr("The wall screen is back."))

    # -- what the wall shows ---------------------------------------------------------
    def show_camera(self, camera_id: int, index: int | None = None) -> None:
        if index is None:
            self.grid.assign_to_selected_or_free(camera_id)
        else:
            self.grid.assign(index, camera_id)

    def send_layout(self, state: LayoutState) -> None:
        self.tour.stop()
        self.grid.apply_state(LayoutState(grid=state.grid, cameras=list(state.cameras),
                                          custom_cells=state.custom_cells))

    def set_grid(self, name: str) -> None:
        self.grid.set_grid(name)

    def clear_tile(self, index: int) -> None:
        self.grid.clear(index)

    def set_frozen(self, frozen: bool) -> None:
        self.grid.set_frozen(frozen)
        self.changed.emit()

    def start_tour(self, camera_ids: list[int]) -> None:
        if camera_ids:
            self.tour.start(Tour(tuple(camera_ids), self._settings.tour_dwell_s))
            self._save()

    def stop_tour(self) -> None:
        self.tour.stop()
        self._save()

    def raise_alert(self, alert: WallAlert) -> None:
        self.window.banner.show_alert(alert)
        for tile in self.grid.tiles:
            tile.alert_highlight = (alert.camera_id is not None and tile.camera is not None
                                    and tile.camera.id == alert.camera_id)
            tile.update()
        self.changed.emit()

    def clear_suggestion(self, suggestion_id: int) -> None:
        """A suggested sighting was answered: its banner goes (an alert's stays)."""
        shown = self.window.banner.alert
        if shown is not None and shown.suggestion_id == suggestion_id:
            self.clear_alert()

    def clear_alert(self) -> None:
        self.window.banner.clear()
        for tile in self.grid.tiles:
            tile.alert_highlight = False
            tile.update()
        self.changed.emit()

