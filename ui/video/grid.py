"""A grid of video tiles: layouts, maximise, swap, and which stream each tile plays."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QWidget

from commandroom.cameras.layouts import GridSpec, LayoutState, merge_cell
from commandroom.cameras.registry import Camera
from commandroom.video.hub import StreamHandle
from ui.video.gl_surface import GlVideoSurface
from ui.video.render_path import VideoPath, chosen_path, path_text
from ui.video.tile import VideoTile

log = logging.getLogger(__name__)

# open_stream(camera, (w, h) device pixels, main_stream) -> handle
StreamOpener = Callable[[Camera, tuple[int, int], bool], StreamHandle]
# A key for the selected tile when it replays ("left", "right", "escape"): True when the
# replay controller acted on it (the grid's own meaning of the key is then skipped).
TransportKeys = Callable[[str], bool]


class VideoGrid(QWidget):
    selection_changed = Signal(object)  # VideoTile | None
    layout_changed = Signal()
    show_on_wall = Signal(int)  # camera id
    tag_requested = Signal(object)  # VideoTile
    replay_released = Signal(object)  # VideoTile whose replay the grid let go

    def __init__(
        self,
        open_stream: StreamOpener,
        camera_lookup: Callable[[int], Camera | None],
        main_stream_min_width: int,
        parent: QWidget | None = None,
        overlay_scale: float = 1.0,
        video_path: VideoPath | None = None,
    ) -> None:
        super().__init__(parent)
        self._overlay_scale = overlay_scale
        self._open_stream = open_stream
        self._lookup = camera_lookup
        self._main_min_width = main_stream_min_width
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(2)
        self._state = LayoutState()
        self._spec: GridSpec | None = None
        self.tiles: list[VideoTile] = []
        self.selected: VideoTile | None = None
        self.maximised: VideoTile | None = None
        self.paused = False
        self.frozen = False
        self._choice_pending = False
        self.show_stats = False
        self.transport_keys: TransportKeys | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # The GPU path: one surface under every tile (ui/video/gl_surface.py).
        self.video_path = chosen_path() if video_path is None else video_path
        self.gl_surface: GlVideoSurface | None = None
        if self.video_path is VideoPath.GL:
            self.gl_surface = GlVideoSurface(self, self.tiles)
            self.gl_surface.failed.connect(self._fall_back_to_cpu)
            self.gl_surface.setGeometry(self.rect())
            self.gl_surface.lower()

    # -- video path ------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.gl_surface is not None:
            self.gl_surface.setGeometry(self.rect())

    def repaint_video(self) -> None:
        """The GL surface draws again (a tile moved, froze, changed feed)."""
        if self.gl_surface is not None:
            self.gl_surface.update()

    def sync_planes(self, tile: VideoTile) -> None:
        """Each of the tile's handles asks for what this grid paints (planes on GL)."""
        want = self.gl_surface is not None
        for handle in (tile.handle, tile.pending, tile.replay):  # every tick: no list
            if handle is not None and handle.planes != want:
                handle.set_planes(want)

    def _fall_back_to_cpu(self, why: str) -> None:
        """Never a black grid: the tiles paint on the CPU from their next frame."""
        log.warning("video: grid falls back to the CPU path (%s)", why)
        surface, self.gl_surface = self.gl_surface, None
        self.video_path = VideoPath.CPU
        if surface is not None:
            surface.hide()
            surface.deleteLater()
        for tile in self.tiles:
            tile.set_gl_video(False, path_text(VideoPath.CPU))
            self.sync_planes(tile)

    # -- layout ----------------------------------------------------------------------
    def state(self) -> LayoutState:
        cameras = [t.camera.id if t.camera else None for t in self.tiles]
        return LayoutState(grid=self._state.grid, cameras=cameras,
                           custom_cells=self._state.custom_cells)

    def apply_state(self, state: LayoutState) -> None:
        """Show ``state``; cameras keep their tiles where the new grid has room."""
        spec = state.grid_spec()
        self._restore_maximised()
        while len(self.tiles) > spec.size:
            tile = self.tiles.pop()
            self._release(tile)
            self._grid.removeWidget(tile)
            tile.hide()  # gone from the screen now, not when the event loop gets to it
            tile.setParent(None)
            tile.deleteLater()
        while len(self.tiles) < spec.size:
            tile = VideoTile(len(self.tiles), self, self._overlay_scale)
            tile.show_stats = self.show_stats
            tile.set_gl_video(self.gl_surface is not None, path_text(self.video_path))
            tile.resized.connect(self.repaint_video)
            tile.selected.connect(self.select)
            tile.maximise_toggled.connect(self.toggle_maximise)
            tile.camera_dropped.connect(lambda t, cid: self.assign(t.index, cid))
            tile.swap_requested.connect(self.swap)
            tile.close_requested.connect(lambda t: self.clear(t.index))
            tile.tag_requested.connect(self.tag_requested.emit)
            tile.resized.connect(self._schedule_stream_choice)
            tile.show_on_wall_requested.connect(
                lambda t: self.show_on_wall.emit(t.camera.id) if t.camera else None)
            self.tiles.append(tile)
        for r in range(max(self._grid.rowCount(), spec.rows)):
            self._grid.setRowStretch(r, 1 if r < spec.rows else 0)
        for c in range(max(self._grid.columnCount(), spec.cols)):
            self._grid.setColumnStretch(c, 1 if c < spec.cols else 0)
        for tile, cell in zip(self.tiles, spec.cells, strict=True):
            self._grid.removeWidget(tile)
            self._grid.addWidget(tile, cell.row, cell.col, cell.row_span, cell.col_span)
            tile.show()
        self._spec = spec
        self._state = LayoutState(grid=state.grid, custom_cells=state.custom_cells)
        for index, camera_id in enumerate(state.cameras[: len(self.tiles)]):
            current = self.tiles[index].camera
            if camera_id is None:
                self.clear(index, notify=False)
            elif current is None or current.id != camera_id:
                self.assign(index, camera_id, notify=False)
        if self.selected not in self.tiles:
            self.select(self.tiles[0] if self.tiles else None)
        self.repaint_video()
        self.layout_changed.emit()

    def set_grid(self, name: str) -> None:
        state = self.state()
        state.grid, state.custom_cells = name, None
        self.apply_state(state)

    def merge_selected(self, direction: str) -> None:
        """Grow the selected tile right or down over its neighbours (a custom grid)."""
        if self.selected is None or self._spec is None:
            return
        cells, origin = merge_cell(self._spec, self.selected.index, direction)
        old = self.state().cameras
        cameras = [old[i] if i < len(old) else None for i in origin]
        keep = self.selected.index
        self.apply_state(LayoutState(grid="custom", cameras=cameras, custom_cells=list(cells)))
        self.select(self.tiles[origin.index(keep)])

    # -- tiles -----------------------------------------------------------------------
    def select(self, tile: VideoTile | None) -> None:
        if self.selected is tile:
            return
        if self.selected is not None:
            self.selected.set_selected(False)
        self.selected = tile
        if tile is not None:
            tile.set_selected(True)
        self.selection_changed.emit(tile)

    def assign(self, index: int, camera_id: int, notify: bool = True) -> None:
        camera = self._lookup(camera_id)
        if camera is None or not (0 <= index < len(self.tiles)):
            return
        tile = self.tiles[index]
        self._release(tile)
        tile.camera = camera
        tile.handle = self._open_stream(camera, tile.pixel_size(), self._wants_main(tile))
        tile.handle.set_paused(self.paused)
        tile.update()
        if notify:
            self.layout_changed.emit()

    def assign_to_selected_or_free(self, camera_id: int) -> None:
        target = self.selected
        if target is None or target.camera is not None:
            free = next((t for t in self.tiles if t.camera is None), None)
            target = free or target
        if target is not None:
            self.assign(target.index, camera_id)
            self.select(target)

    def assign_to_next_free(self, camera_id: int) -> None:
        """A camera activated in the tree: into the selected tile if it is empty, else into
        the next empty tile after it (tile order, wrapping round); with no empty tile, into
        the selected one. The target becomes selected, so activations in a row fill the
        grid in order whatever the timing of the clicks."""
        if not self.tiles:
            return
        start = self.selected.index if self.selected is not None else 0
        count = len(self.tiles)
        ring = [self.tiles[(start + step) % count] for step in range(count)]
        target = next((t for t in ring if t.camera is None), ring[0])
        self.assign(target.index, camera_id)
        self.select(target)

    def clear(self, index: int, notify: bool = True) -> None:
        if 0 <= index < len(self.tiles):
            tile = self.tiles[index]
            self._release(tile)
            tile.camera = None
            tile.update()
            if notify:
                self.layout_changed.emit()

    def swap(self, a: int, b: int) -> None:
        ta, tb = self.tiles[a], self.tiles[b]
        ta.camera, tb.camera = tb.camera, ta.camera
        ta.handle, tb.handle = tb.handle, ta.handle
        ta.pending, tb.pending = tb.pending, ta.pending
        ta.replay, tb.replay = tb.replay, ta.replay
        ta.recording_note, tb.recording_note = tb.recording_note, ta.recording_note
        for tile in (ta, tb):
            for handle in tile.handles():
                handle.set_size(tile.pixel_size())
            tile.painted_seq = -1
            tile.update()
        self.select(tb)
        self.refresh_stream_choice()
        self.layout_changed.emit()

    def toggle_maximise(self, tile: VideoTile | None = None) -> None:
        tile = tile or self.selected
        if tile is None:
            return
        if self.maximised is not None:
            self._restore_maximised()
        else:
            self.maximised = tile
            for other in self.tiles:
                if other is not tile:
                    other.hide()
                    for handle in other.handles():
                        handle.set_paused(True)
            self._grid.removeWidget(tile)
            assert self._spec is not None
            self._grid.addWidget(tile, 0, 0, self._spec.rows, self._spec.cols)
        self.select(tile)
        self.refresh_stream_choice()
        self.repaint_video()

    def _restore_maximised(self) -> None:
        if self.maximised is None or self._spec is None:
            self.maximised = None
            return
        tile = self.maximised
        self.maximised = None
        cell = self._spec.cells[tile.index]
        self._grid.removeWidget(tile)
        self._grid.addWidget(tile, cell.row, cell.col, cell.row_span, cell.col_span)
        for other in self.tiles:
            other.show()
            for handle in other.handles():
                handle.set_paused(self.paused or (handle is other.handle
                                                  and other.replay is not None))

    def transport_key(self, key: str) -> bool:
        """Give ``key`` to the replay controller first; True when it took it."""
        return self.transport_keys is not None and self.transport_keys(key)

    def move_selection(self, d_row: int, d_col: int) -> None:
        # Left/Right on a replaying tile skip 10 s instead (ui/replay/controller.py).
        if d_row == 0 and d_col and self.transport_key("right" if d_col > 0 else "left"):
            return
        if self._spec is None or not self.tiles:
            return
        current = self.selected or self.tiles[0]
        cell = self._spec.cells[current.index]
        # Step off the tile's far edge: one cell on from a 2x2 tile is still the tile.
        row = cell.row + (cell.row_span if d_row > 0 else d_row)
        col = cell.col + (cell.col_span if d_col > 0 else d_col)
        for tile, c in zip(self.tiles, self._spec.cells, strict=True):
            if c.row <= row < c.row + c.row_span and c.col <= col < c.col + c.col_span:
                self.select(tile)
                return

    # -- streams ---------------------------------------------------------------------
    def _schedule_stream_choice(self) -> None:
        # Tiles get their new size after the layout runs (maximise, window resize);
        # one decision per burst of resizes.
        if not self._choice_pending:
            self._choice_pending = True
            QTimer.singleShot(0, self, self._run_stream_choice)

    def _run_stream_choice(self) -> None:
        self._choice_pending = False
        self.refresh_stream_choice()

    def _wants_main(self, tile: VideoTile) -> bool:
        """Main stream for a maximised tile and any tile wide enough to show its detail."""
        return tile is self.maximised or tile.pixel_size()[0] >= self._main_min_width

    def refresh_stream_choice(self) -> None:
        """Large tiles play the main stream, small ones the sub stream. The old stream
        keeps painting until the new one has its first frame (no black flash)."""
        for tile in self.tiles:
            if tile.camera is None or tile.handle is None or not tile.camera.sub_url:
                continue
            want_main = self._wants_main(tile)
            want_url = tile.camera.main_url if want_main else tile.camera.sub_url
            current = tile.pending or tile.handle
            if current.spec.url == want_url:
                continue
            if tile.pending is not None:
                tile.pending.release()
            tile.pending = self._open_stream(tile.camera, tile.pixel_size(), want_main)

    def promote_pending(self, tile: VideoTile) -> None:
        if tile.pending is not None and tile.pending.slot.seq > 0:
            if tile.handle is not None:
                tile.handle.release()
            tile.handle, tile.pending = tile.pending, None
            tile.handle.set_paused(self.paused or tile.replay is not None)
            tile.painted_seq = -1

    def set_paused(self, paused: bool) -> None:
        """Hidden or minimised: no painting and no decoding for this grid."""
        if paused == self.paused:
            return
        self.paused = paused
        for tile in self.tiles:
            visible = tile.isVisibleTo(self)
            for handle in tile.handles():
                # The live stream behind a replay keeps its reader, not its scaling.
                behind = handle is tile.handle and tile.replay is not None
                handle.set_paused(paused or not visible or behind)

    def set_frozen(self, frozen: bool) -> None:
        """Hold every tile on the picture it shows now (streams keep running)."""
        self.frozen = frozen
        for tile in self.tiles:
            tile.frozen_frame = tile.current_frame() if frozen else None
            tile.update()
        self.repaint_video()

    def tiles_showing(self, camera_id: int) -> list[VideoTile]:
        return [t for t in self.tiles if t.camera is not None and t.camera.id == camera_id]

    def set_show_stats(self, on: bool) -> None:
        self.show_stats = on
        for tile in self.tiles:
            tile.show_stats = on
            tile.update()

    def _release(self, tile: VideoTile) -> None:
        replaying = tile.replay is not None
        for handle in tile.handles():
            handle.release()
        tile.handle = tile.pending = tile.replay = None
        tile.recording_note = ""
        tile.painted_seq = -1
        if replaying:
            self.replay_released.emit(tile)

    def release_all(self) -> None:
        for tile in self.tiles:
            self._release(tile)
