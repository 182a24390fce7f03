"""Replay on the tiles: instant replay, the transport keys, synchronised playback.

Keys (console window; they act on the selected tile, and on every tile of its
synchronised group; none collides with another shortcut of the console):

=============  =====================================================================
R              instant replay: 30 s back; again: a further 30 s back
Space          pause / resume
Left / Right   skip 10 s back / forward (while the selected tile replays; on a live
               tile they still move the selection)
, / .          one frame back / forward (pauses)
[ / ]          slower / faster: 0.5×, 1×, 2×, 4×, 8×
Esc            back to LIVE (the whole group); on a live tile Esc does what it did
Ctrl+R         synchronised playback: the grid's tiles (2-9) on one clock
=============  =====================================================================

Synchronised playback takes the tiles of the console grid that show a camera (with more
than 9, the selected tile and the ones after it, up to 9; from the first tile when the
selected one is empty), at the moment the selected tile replays, or 30 s back when it is
live. Seek, pause, speed and frame steps on any of them act on all (one
``PlaybackClock``); Esc on one returns them all to live. *Show selected tile on wall* of a
replaying tile shows it replaying on the wall, on the same clock.

API for other parts of the UI (the timeline, the sightings list)::

    controller.open_at(camera_id, moment)  # that camera, at ``moment`` (wall clock, s),
                                           # on the tile showing it, else the selected
                                           # tile if empty, else the next free one, else
                                           # the selected one; returns the tile
    controller.seek_focused(moment)        # the selected tile (or its group) to
                                           # ``moment``; a live tile starts replaying
    controller.focused_position()          # recorded time of the selected tile's frame
    controller.back_to_live(tile)          # a tile (and its group) back to live
    controller.changed                     # signal: a replay started, moved or ended

Opening a replay goes to the UI's executor (``ui.bridge``); the transport controls only
move the handle's clock (a lock and a notify), so they run on the GUI thread.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from commandroom.auth.permissions import PermissionDenied
from commandroom.cameras.registry import Camera
from commandroom.lookback import LookBack
from commandroom.lookback.service import INSTANT_REPLAY_S, MAX_GROUP
from commandroom.video.replay_handle import PlaybackHandle
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.video.grid import VideoGrid
from ui.video.tile import VideoTile

log = logging.getLogger(__name__)

SKIP_S = 10.0
SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)
KEYS = {"replay": "R", "pause": "Space", "frame_back": ",", "frame_forward": ".",
        "slower": "[", "faster": "]", "sync": "Ctrl+R"}


class ReplayController(QObject):
    changed = Signal()

    def __init__(self, console: QMainWindow, grid: VideoGrid, lookback: LookBack,
                 actor: ActorSource, lookup: Callable[[int], Camera | None],
                 wall_grid: VideoGrid | None = None,
                 wall_tile_sent: SignalInstance | None = None) -> None:
        super().__init__(console)
        self._console = console
        self.grid = grid
        self.wall_grid = wall_grid
        self._lookback = lookback
        self._actor = actor
        self._lookup = lookup
        self._bridge = FutureBridge(self)
        self._tokens = itertools.count(1)
        self._opening: dict[VideoTile, int] = {}  # tile -> the open it waits for
        self.actions: dict[str, QAction] = {}
        self._build_actions()
        grid.transport_keys = self._transport_key
        for each in self._grids():
            each.selection_changed.connect(lambda _t: self._update_actions())
            each.replay_released.connect(lambda _t: self._replay_ended())
        if wall_tile_sent is not None:
            wall_tile_sent.connect(self.follow_on_wall)
        self._update_actions()

    # -- keys and menu ---------------------------------------------------------------------
    def _build_actions(self) -> None:
        menu = self._console.menuBar().addMenu(self.tr("&Replay"))
        entries: list[tuple[str, str, str, Callable[[], object]]] = [
            ("replay", self.tr("Instant replay: 30 s back (again: further back)"),
             KEYS["replay"], self.instant_replay),
            ("pause", self.tr("Pause / resume replay"), KEYS["pause"], self.toggle_pause),
            # Left/Right and Esc keep their console actions; the grid asks _transport_key.
            ("skip_back", self.tr("Skip 10 s back\t←"), "", lambda: self.skip(-SKIP_S)),
            ("skip_forward", self.tr("Skip 10 s forward\t→"), "",
             lambda: self.skip(SKIP_S)),
            ("frame_back", self.tr("One frame back"), KEYS["frame_back"],
             lambda: self.step(-1)),
            ("frame_forward", self.tr("One frame forward"), KEYS["frame_forward"],
             lambda: self.step(1)),
            ("slower", self.tr("Slower"), KEYS["slower"], lambda: self.change_speed(-1)),
            ("faster", self.tr("Faster"), KEYS["faster"], lambda: self.change_speed(1)),
            ("live", self.tr("Back to live\tEsc"), "", self.back_to_live_selected),
            ("sync", self.tr("Play the grid's tiles together (synchronised)"),
             KEYS["sync"], self.play_grid_together),
        ]
        for name, text, key, slot in entries:
            action = QAction(text, self._console)
            if key:
                action.setShortcut(QKeySequence(key))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _c=False, s=slot: s())
            menu.addAction(action)
            self._console.addAction(action)
            self.actions[name] = action
        self.menu = menu

    def _update_actions(self) -> None:
        """The transport keys exist only while the selected tile replays: Space, comma
        and the brackets keep their usual meaning everywhere else (buttons, lists)."""
        replaying = self.selected_replay() is not None
        for name in ("pause", "skip_back", "skip_forward", "frame_back", "frame_forward",
                     "slower", "faster", "live"):
            self.actions[name].setEnabled(replaying)

    def _transport_key(self, key: str) -> bool:
        if self.selected_replay() is None:
            return False
        if key == "escape":
            self.back_to_live_selected()
        elif key in ("left", "right"):
            self.skip(SKIP_S if key == "right" else -SKIP_S)
        else:
            return False
        return True

    # -- what is selected ------------------------------------------------------------------
    def _grids(self) -> list[VideoGrid]:
        return [self.grid] + ([self.wall_grid] if self.wall_grid is not None else [])

    def selected_replay(self) -> PlaybackHandle | None:
        tile = self.grid.selected
        return tile.replay if tile is not None else None

    def focused_position(self) -> float | None:
        handle = self.selected_replay()
        return handle.position() if handle is not None else None

    def group_of(self, tile: VideoTile) -> list[VideoTile]:
        """Every tile (console and wall) on the same clock as ``tile``."""
        if tile.replay is None:
            return []
        clock = tile.replay.clock
        return [t for grid in self._grids() for t in grid.tiles
                if t.replay is not None and t.replay.clock is clock]

    def _say(self, text: str) -> None:
        self._console.statusBar().showMessage(text, 8000)

    # -- opening replays (off the GUI thread) ----------------------------------------------
    def _open(self, tiles: Sequence[VideoTile],
              make: Callable[[], list[PlaybackHandle]]) -> None:
        token = next(self._tokens)
        cameras = [t.camera.id if t.camera is not None else None for t in tiles]
        for tile in tiles:
            self._opening[tile] = token

        def attach(handles: list[PlaybackHandle]) -> None:
            for tile, camera_id, handle in zip(tiles, cameras, handles, strict=True):
                current = tile.camera.id if tile.camera is not None else None
                if self._opening.get(tile) != token or current != camera_id \
                        or not any(tile in grid.tiles for grid in self._grids()):
                    handle.release()  # the tile moved on while the replay opened
                    continue
                del self._opening[tile]
                self._show(tile, handle)
            self._update_actions()
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            for tile in tiles:
                if self._opening.get(tile) == token:
                    del self._opening[tile]
            if isinstance(exc, PermissionDenied):
                self._say(self.tr("Your role may not replay video."))
            else:
                log.error("replay could not open: %s", exc)
                self._say(self.tr("Replay could not start (%1).")
                          .replace("%1", type(exc).__name__))

        self._bridge.run(make, on_ok=attach, on_error=failed)

    def _show(self, tile: VideoTile, handle: PlaybackHandle) -> None:
        previous, tile.replay = tile.replay, handle
        grid = tile.parentWidget()
        hidden = isinstance(grid, VideoGrid) and grid.paused  # as VideoGrid.assign does
        handle.set_size(tile.pixel_size())
        handle.set_paused(hidden)
        if previous is not None:
            previous.release()
        if tile.handle is not None:
            tile.handle.set_paused(True)  # kept open: Esc is back to live at once
        tile.painted_seq = -1
        tile.update()

    def _replay_at(self, tile: VideoTile, moment: float) -> None:
        camera = tile.camera
        if camera is None or camera.id is None or camera.id < 0:
            self._say(self.tr("Only a saved camera has recordings."))
            return
        actor, size, lookback = self._actor(), tile.pixel_size(), self._lookback
        self._open([tile], lambda: [lookback.open_at(actor, camera, moment, size)])

    def instant_replay(self) -> None:
        """R: 30 s back; on a replaying tile a further 30 s back (its whole group)."""
        tile = self.grid.selected
        if tile is None or tile.camera is None:
            self._say(self.tr("Select a tile with a camera to replay."))
            return
        if tile.replay is not None:
            position = tile.replay.position()
            base = position if position is not None else tile.replay.clock.now()
            tile.replay.seek(base - INSTANT_REPLAY_S)
            self.changed.emit()
            return
        self._replay_at(tile, time.time() - INSTANT_REPLAY_S)

    def play_grid_together(self) -> None:
        """Ctrl+R: the grid's tiles with a camera (2-9) at one moment on one clock."""
        tiles = [t for t in self.grid.tiles if t.camera is not None
                 and t.camera.id is not None and t.camera.id > 0]
        selected = self.grid.selected
        if len(tiles) > MAX_GROUP:  # the selected tile and the ones after it
            start = tiles.index(selected) if selected in tiles else 0
            tiles = (tiles[start:] + tiles[:start])[:MAX_GROUP]
        if not 2 <= len(tiles) <= MAX_GROUP:
            self._say(self.tr("Synchronised playback needs 2 to 9 tiles showing cameras."))
            return
        position = selected.replay.position() if selected is not None \
            and selected.replay is not None else None
        moment = position if position is not None else time.time() - INSTANT_REPLAY_S
        cameras = [t.camera for t in tiles if t.camera is not None]
        width = max(t.pixel_size()[0] for t in tiles)
        height = max(t.pixel_size()[1] for t in tiles)
        actor, lookback = self._actor(), self._lookback
        self._open(tiles, lambda: lookback.open_group(actor, cameras, moment, (width, height)))
        self._say(self.tr("%1 tiles play together from %2.").replace("%1", str(len(tiles)))
                  .replace("%2", time.strftime("%H:%M:%S", time.localtime(moment))))

    def follow_on_wall(self, console_tile: object, wall_tile: object) -> None:
        """A replaying console tile sent to the wall replays there, on the same clock."""
        if not isinstance(console_tile, VideoTile) or not isinstance(wall_tile, VideoTile):
            return
        source, camera = console_tile.replay, wall_tile.camera
        if source is None or camera is None or camera.id is None:
            return
        position = source.position()
        if position is not None:
            source.seek(position)  # the newcomer joins where the group is, not where it began
        actor, size, lookback, clock = self._actor(), wall_tile.pixel_size(), \
            self._lookback, source.clock
        self._open([wall_tile], lambda: [lookback.open_at(
            actor, camera, position or clock.now(), size, clock=clock)])

    # -- transport (the clock: every tile of a group) --------------------------------------
    def toggle_pause(self) -> None:
        handle = self.selected_replay()
        if handle is not None:
            handle.resume() if handle.clock.paused else handle.pause()
            self.changed.emit()

    def skip(self, seconds: float) -> None:
        handle = self.selected_replay()
        if handle is not None:
            handle.skip(seconds)
            self.changed.emit()

    def step(self, frames: int) -> None:
        handle = self.selected_replay()
        if handle is not None:
            handle.step(frames)
            self.changed.emit()

    def change_speed(self, direction: int) -> None:
        handle = self.selected_replay()
        if handle is None:
            return
        now = handle.clock.speed
        faster = [s for s in SPEEDS if s > now + 1e-9]
        slower = [s for s in SPEEDS if s < now - 1e-9]
        if direction > 0 and faster:
            handle.set_speed(faster[0])
        elif direction < 0 and slower:
            handle.set_speed(slower[-1])
        self.changed.emit()

    def back_to_live_selected(self) -> None:
        if self.grid.selected is not None:
            self.back_to_live(self.grid.selected)

    def back_to_live(self, tile: VideoTile) -> None:
        """``tile`` and every tile on its clock (console and wall) back to live."""
        for member in self.group_of(tile) or [tile]:
            self._opening.pop(member, None)
            handle, member.replay = member.replay, None
            if handle is not None:
                handle.release()
            grid = member.parentWidget()
            if member.handle is not None:
                member.handle.set_paused(isinstance(grid, VideoGrid) and grid.paused)
            member.painted_seq = -1
            member.update()
        self._update_actions()
        self.changed.emit()

    def _replay_ended(self) -> None:
        self._update_actions()
        self.changed.emit()

    # -- API for the timeline and the sightings list -----------------------------------------
    def open_at(self, camera_id: int, moment: float) -> VideoTile | None:
        """Show ``camera_id`` as it was at ``moment`` (see the module's docstring)."""
        if self._lookup(camera_id) is None or not self.grid.tiles:
            return None
        showing = self.grid.tiles_showing(camera_id)
        selected = self.grid.selected
        tile: VideoTile | None
        if selected is not None and selected in showing:
            tile = selected
        elif showing:
            tile = showing[0]
        else:
            self.grid.assign_to_next_free(camera_id)
            tile = self.grid.selected
        if tile is None:
            return None
        self.grid.select(tile)
        if tile.replay is not None and len(self.group_of(tile)) == 1:
            tile.replay.seek(moment)
            self.changed.emit()
        else:
            self._replay_at(tile, moment)
        return tile

    def seek_focused(self, moment: float) -> bool:
        """The selected tile (its group) to ``moment``; a live tile starts replaying there.
        False when no tile with a camera is selected."""
        tile = self.grid.selected
        if tile is None or tile.camera is None:
            return False
        if tile.replay is not None:
            tile.replay.seek(moment)
            self.changed.emit()
        else:
            self._replay_at(tile, moment)
        return True

    def shutdown(self) -> None:
        """Late answers are dropped (their handles are released by the grid or here)."""
        self._bridge.shut()
        self.grid.transport_keys = None
