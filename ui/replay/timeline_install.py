"""The timeline in the console: a dock under the grid, its menu entries, its data.

Which cameras: the focused tile's (the grid's ``selection_changed`` / ``layout_changed``),
or a synchronised group's when ``set_group_source`` gives one. What: read on the UI
executor (``load_snapshot``) when the window moves past what was read, when recordings,
sightings, alerts or camera events change (EventBus via ``GuiEvents``, coalesced), and
every few seconds while the window follows live. Seeks go to a ``PlayTarget`` (the replay
controller).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

from commandroom.alerts.events import AlertCreated
from commandroom.camera_events.views import CameraEventStored
from commandroom.cameras.registry import Camera, CamerasChanged
from commandroom.config import ConsoleSettings
from commandroom.events import EventBus
from commandroom.lookback import LookBack
from commandroom.lookback.marks import TimelineMarks
from commandroom.recording.status import RecorderStatusChanged, SegmentClosed
from commandroom.sightings.events import SightingCreated
from ui.bridge import FutureBridge, GuiEvents
from ui.common.actor import ActorSource
from ui.replay.goto_time import GoToTimeBox
from ui.replay.play_target import PlayTarget
from ui.replay.timeline_data import EntryLabeller, TimelineSnapshot, load_snapshot
from ui.replay.timeline_widget import TimelineWidget
from ui.video.grid import VideoGrid

log = logging.getLogger(__name__)

PLAYHEAD_MS = 200  # the cursor follows the selected tile's replay (5 moves a second)
LIVE_REFRESH_MS = 3000  # while following live: the open range grows, new marks appear
COARSE = 4.0  # a snapshot this many windows wide is read again for the window
EVENT_DELAY_MS = 400  # a burst of events (segments of several cameras) is one read
TOGGLE_KEY = "Ctrl+B"
GO_TO_KEY = "Ctrl+J"  # Ctrl+G is the console's custom grid
FOCUS_KEY = "F6"  # the usual "next pane" key; Ctrl+Shift+B is the wall's banner

CameraSource = Callable[[], list[Camera]]


class TimelineUi(QObject):
    data_ready = Signal(object)  # TimelineSnapshot, after it is shown (tests, the bench)

    def __init__(self, console: QMainWindow, grid: VideoGrid, lookback: LookBack,
                 marks: TimelineMarks | None, labels: EntryLabeller | None, events: EventBus,
                 actor: ActorSource, settings: ConsoleSettings, save_settings: Callable[[], None],
                 seek: PlayTarget) -> None:
        super().__init__(console)
        self._console = console
        self._grid = grid
        self._lookback = lookback
        self._marks = marks
        self._labels = labels
        self._actor = actor
        self._settings = settings
        self._save_settings = save_settings
        self.seek_target = seek
        self._group_source: CameraSource | None = None
        self._replay_position: Callable[[], float | None] | None = None
        self._bridge = FutureBridge(self)
        self._loading = False
        self._again = False
        self.reads = 0

        self.widget = TimelineWidget()
        self.goto = GoToTimeBox()
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.goto)
        layout.addWidget(self.widget)
        self.dock = QDockWidget(self.tr("Timeline"), console)
        self.dock.setObjectName("timelineDock")
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                              | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.dock.setWidget(box)
        # The bottom area keeps the full width (no corners given to the side docks): squeezed
        # between them, the alert panel below made the console too wide for half a screen.
        console.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        for other in console.findChildren(QDockWidget):
            # Docked at the bottom before us (the alert panel): below the timeline, so the
            # timeline spans the grid's width right under it.
            if other is not self.dock and not other.isFloating() and \
                    console.dockWidgetArea(other) == Qt.DockWidgetArea.BottomDockWidgetArea:
                console.splitDockWidget(self.dock, other, Qt.Orientation.Vertical)
        self.dock.setVisible(settings.show_timeline)
        self._build_actions()

        self.widget.seek_requested.connect(self._seek)
        self.widget.window_changed.connect(self._window_changed)
        self.goto.chosen.connect(self._go_to)
        self.goto.closed.connect(lambda: self.widget.setFocus(Qt.FocusReason.OtherFocusReason))
        grid.selection_changed.connect(lambda _tile: self.refresh_cameras())
        grid.layout_changed.connect(self.refresh_cameras)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(EVENT_DELAY_MS)
        self._soon.timeout.connect(self.reload)
        self._live = QTimer(self)
        self._live.setInterval(LIVE_REFRESH_MS)
        self._live.timeout.connect(self._live_tick)
        self._live.start()
        self._playhead = QTimer(self)
        self._playhead.setInterval(PLAYHEAD_MS)
        self._playhead.timeout.connect(self.follow_replay)
        gui = GuiEvents(events)
        gui.subscribe(SegmentClosed, self._changed, self)
        gui.subscribe(RecorderStatusChanged, self._changed, self)
        gui.subscribe(SightingCreated, self._changed, self)
        gui.subscribe(AlertCreated, lambda _e: self._soon.start(), self)
        gui.subscribe(CameraEventStored, self._camera_event, self)
        gui.subscribe(CamerasChanged, lambda _e: self.refresh_cameras(), self)
        self.refresh_cameras()

    def _build_actions(self) -> None:
        self.toggle_action = self.dock.toggleViewAction()
        self.toggle_action.setText(self.tr("Show timeline"))
        self.toggle_action.setShortcut(QKeySequence(TOGGLE_KEY))
        self.toggle_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        # Not the action's "toggled": it also fires when the console closes (its docks
        # hide with it), and quitting then saved the timeline as hidden.
        self.dock.visibilityChanged.connect(
            lambda _visible: self._remember_shown(not self.dock.isHidden()))
        self.go_to_action = QAction(self.tr("Go to time…"), self._console)
        self.go_to_action.setShortcut(QKeySequence(GO_TO_KEY))
        self.go_to_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.go_to_action.triggered.connect(lambda _checked=False: self.open_go_to())
        self.focus_action = QAction(self.tr("Focus the timeline"), self._console)
        self.focus_action.setShortcut(QKeySequence(FOCUS_KEY))
        self.focus_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.focus_action.triggered.connect(lambda _checked=False: self.focus_timeline())
        menu = getattr(self._console, "view_menu", None)
        for action in (self.toggle_action, self.go_to_action, self.focus_action):
            self._console.addAction(action)
            if menu is not None:
                menu.addAction(action)

    # -- cameras -----------------------------------------------------------------------
    def set_group_source(self, source: CameraSource | None) -> None:
        """A synchronised group's cameras (one row each); None: the focused tile's."""
        self._group_source = source
        self.refresh_cameras()

    def set_replay_position(self, source: Callable[[], float | None] | None) -> None:
        """Where the selected tile replays (None: live): the cursor follows it. Without
        it the cursor stayed where the last seek on the timeline put it, while R, Ctrl+P
        or Esc moved the tile elsewhere."""
        self._replay_position = source
        if source is None:
            self._playhead.stop()
        else:
            self._playhead.start()
        self.follow_replay()

    def follow_replay(self) -> None:
        if self._replay_position is not None and self.dock.isVisible():
            self.widget.show_replay_at(self._replay_position())

    def cameras(self) -> list[Camera]:
        if self._group_source is not None:
            group = [c for c in self._group_source() if c.id is not None]
            if group:
                return group
        tile = self._grid.selected
        camera = tile.camera if tile is not None else None
        return [camera] if camera is not None and camera.id is not None \
            and camera.id > 0 else []

    def refresh_cameras(self) -> None:
        self.widget.set_cameras([(c.id, c.name) for c in self.cameras() if c.id is not None])

    # -- reading -----------------------------------------------------------------------
    def reload(self) -> None:
        """Read the window's data on the UI executor (one read at a time; a request while
        one runs reads again when it ends, with the window as it is then)."""
        if self._loading:
            self._again = True
            return
        cameras = self.cameras()
        if not cameras or not self.dock.isVisible():
            return
        window = self.widget.time_window
        self._loading = True
        self._bridge.run(load_snapshot, self._lookback, self._marks, self._labels,
                         self._actor(), cameras, window.start, window.end,
                         on_ok=self._loaded, on_error=self._failed)

    def _loaded(self, snapshot: TimelineSnapshot) -> None:
        self._loading = False
        self.reads += 1
        self.widget.set_snapshot(snapshot)
        self.data_ready.emit(snapshot)
        if self._again:
            self._again = False
            self.reload()

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        log.warning("timeline could not be read: %s", exc)
        self._console.statusBar().showMessage(
            self.tr("The timeline could not be read: %1").replace("%1", type(exc).__name__),
            8000)
        if self._again:
            self._again = False
            self.reload()

    def _window_changed(self) -> None:
        snapshot = self.widget.snapshot
        shown = {cid for cid, _ in self.widget.cameras}
        window = self.widget.time_window
        # Zoomed far in, a week's snapshot is too coarse (its marks are capped): read again.
        if snapshot is None or not snapshot.covers(window.start, window.end) \
                or snapshot.end - snapshot.start > COARSE * window.span \
                or {r.camera_id for r in snapshot.rows} != shown:
            self.reload()

    def _changed(self, event: SegmentClosed | RecorderStatusChanged | SightingCreated) -> None:
        if event.camera_id in {cid for cid, _ in self.widget.cameras}:
            self._soon.start()

    def _camera_event(self, stored: CameraEventStored) -> None:
        # Not restarted while pending: a checkpoint camera's steady stream of plate reads
        # would otherwise put the read off for as long as it lasts.
        if stored.event.camera_id in {cid for cid, _ in self.widget.cameras} and \
                not self._soon.isActive():
            self._soon.start()

    def _live_tick(self) -> None:
        if self.widget.following and self.dock.isVisible():
            self.widget.tick_live()
            self.reload()

    # -- actions -----------------------------------------------------------------------
    def _seek(self, camera_id: int, moment: float) -> None:
        if not self.seek_target(camera_id, moment):
            self._console.statusBar().showMessage(
                self.tr("Replay is not available: the moment is marked on the timeline "
                        "only."), 5000)

    def _go_to(self, moment: float) -> None:
        self.widget.go_to(moment)
        self.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_go_to(self) -> None:
        if not self.dock.isVisible():
            self.dock.show()
        self.goto.open()

    def focus_timeline(self) -> None:
        if not self.dock.isVisible():
            self.dock.show()
        self.widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _remember_shown(self, shown: bool) -> None:
        """``shown``: not hidden by the officer (a dock hidden with its window is not)."""
        if shown != self._settings.show_timeline:
            self._settings.show_timeline = shown
            self._save_settings()
        if shown:
            self.reload()

    def shutdown(self) -> None:
        self._live.stop()
        self._soon.stop()
        self._playhead.stop()
        self._bridge.shut()
