"""Screens of tiles as the app builds them: ui.video.grid.VideoGrid in top-level windows,
all painted by ONE ui.video.pump.FramePump, fed by one StreamHub (the parts of
bench_wall.py's runs, wall_targets.py).

Unlike bench_ui.py's hand-made grid, this is the app's own grid and pump: the pump's
promote/sync_planes work, the GL surface per grid, the tiles' overlays. Only the
console's and wall's chrome (tree, footer, banner) is left out.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QVBoxLayout, QWidget

from commandroom.cameras.layouts import LayoutState
from commandroom.cameras.registry import Camera
from commandroom.config import VideoSettings
from commandroom.video.frames import Frame
from commandroom.video.hub import StreamHandle, StreamHub
from commandroom.video.stream_spec import StreamSpec
from tests.support.barcode import decode_ms
from ui.video.grid import VideoGrid
from ui.video.pump import FramePump
from ui.video.render_path import VideoPath
from ui.video.tile import VideoTile

SCREEN = (1920, 1080)


class CountingPump(FramePump):
    """The app's pump, noting before each tick which tiles painted a new frame since the
    last tick (a tile paints at most once per tick: every repaint comes from a tick)."""

    def __init__(self, hz: int) -> None:
        super().__init__(hz)
        self.tiles: list[VideoTile] = []
        self.painted: dict[VideoTile, int] = {}
        self._seen: dict[VideoTile, int] = {}

    def watch(self, grid: VideoGrid) -> None:
        self.add(grid)
        self.tiles += grid.tiles

    def note_painted(self) -> None:
        for tile in self.tiles:
            seq = tile.painted_seq
            if seq > 0 and seq != self._seen.get(tile):
                self._seen[tile] = seq
                self.painted[tile] = self.painted.get(tile, 0) + 1

    def tick(self) -> None:
        self.note_painted()
        super().tick()


@dataclass
class Screenful:
    window: QWidget
    grid: VideoGrid


@dataclass
class PaintedWall:
    """Windows of VideoGrids on one hub and one pump; camera i plays mount ``clip{i}``
    (or ``barcode``)."""

    app: Any
    hub: StreamHub
    settings: VideoSettings
    path: VideoPath
    urls: dict[int, str] = field(default_factory=dict)
    screens: list[Screenful] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pump = CountingPump(self.settings.paint_hz)

    def camera(self, camera_id: int) -> Camera | None:
        url = self.urls.get(camera_id)
        return None if url is None else Camera(id=camera_id, name=f"Bench {camera_id}",
                                               main_url=url, junction="bench")

    def open_stream(self, camera: Camera, size: tuple[int, int], main: bool) -> StreamHandle:
        return self.hub.subscribe(StreamSpec(camera.main_url), size)

    def add_screen(self, x: int, layout: str, size: tuple[int, int] = SCREEN) -> VideoGrid:
        """A top-level window at (x, 0) holding an empty grid of ``layout``."""
        window = QWidget()
        box = QVBoxLayout(window)
        box.setContentsMargins(0, 0, 0, 0)
        grid = VideoGrid(self.open_stream, self.camera, self.settings.main_stream_min_width,
                         window, video_path=self.path)
        box.addWidget(grid)
        grid.apply_state(LayoutState(grid=layout))
        window.setGeometry(x, 0, *size)
        window.show()
        self.app.processEvents()
        self.pump.watch(grid)
        self.screens.append(Screenful(window, grid))
        return grid

    def assign(self, grid: VideoGrid, urls: list[str], first_id: int) -> None:
        """Open ``urls`` in the grid's tiles in order (as a saved layout would)."""
        ids = list(range(first_id, first_id + len(urls)))
        self.urls.update(zip(ids, urls, strict=True))
        state = grid.state()
        state.cameras = ids + [None] * (len(grid.tiles) - len(ids))
        grid.apply_state(state)

    @property
    def tiles(self) -> list[VideoTile]:
        return [t for s in self.screens for t in s.grid.tiles if t.camera is not None]

    def gl_failure(self) -> str | None:
        if self.path is VideoPath.GL and any(s.grid.gl_surface is None for s in self.screens):
            return "a grid fell back to the CPU path: see the log"
        return None

    def close(self) -> None:
        self.pump.stop()
        for screen in self.screens:
            screen.grid.release_all()
            screen.window.close()
            screen.window.deleteLater()
        self.screens = []
        self.app.processEvents()


def tile_fps(wall: PaintedWall, elapsed: float, painted0: dict[VideoTile, int],
             seq0: dict[VideoTile, int]) -> tuple[list[float], list[float]]:
    """(painted fps, decoded fps) of every live tile over ``elapsed`` seconds."""
    painted, decoded = [], []
    for tile in wall.tiles:
        painted.append((wall.pump.painted.get(tile, 0) - painted0.get(tile, 0)) / elapsed)
        seq = tile.handle.slot.seq if tile.handle else 0
        decoded.append((seq - seq0.get(tile, 0)) / elapsed)
    return painted, decoded


class PaintedLatency(QObject):
    """Glass-to-glass of one tile on the /barcode mount, read from the frame it painted.

    CPU path: an event filter runs the tile's own paintEvent and then reads the barcode
    from the frame it blitted (the flush follows in the same pass). GL path: when the
    grid's surface has swapped a frame (QOpenGLWidget.frameSwapped, after Qt composed the
    window), from the frame the surface drew for the tile. Both painters take the frame
    from ``tile.current_frame()``: a wrapper on this one tile reads the barcode of each
    frame it hands out and remembers the last few, so the time read is the painted
    frame's (``painted_seq``), not a newer one's that reached the slot since. It keeps
    the times, not the frames: a frame from a reader worker pins its shared buffer, and
    holding eight would leave the worker no buffer to write (the tile froze at seq 8).
    """

    def __init__(self, tile: VideoTile, grid: VideoGrid) -> None:
        super().__init__()
        self.tile = tile
        self.samples: list[float] = []
        self.missed = 0  # a painted frame not handed out by current_frame (none expected)
        self.recording = False
        self._last = -1
        self._handed: dict[int, int] = {}  # seq -> its barcode (ms), the last few handed out
        current_frame = tile.current_frame

        def remembered() -> Frame | None:
            frame = current_frame()
            if frame is not None and frame.seq not in self._handed:
                image = frame.image if frame.image.ndim == 3 else frame.image[..., None]  # Y
                self._handed[frame.seq] = decode_ms(image)
                for old in sorted(self._handed)[:-8]:
                    del self._handed[old]
            return frame

        tile.current_frame = remembered  # type: ignore[method-assign]
        if grid.gl_surface is not None:
            grid.gl_surface.frameSwapped.connect(self._swapped)
        else:
            tile.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tile and event.type() == QEvent.Type.Paint:
            self.tile.paintEvent(event)  # type: ignore[arg-type]
            self._measure()
            return True  # painted already
        return False

    def _swapped(self) -> None:
        self._measure()

    def _measure(self) -> None:
        seq = self.tile.painted_seq
        if not self.recording or seq <= 0 or seq == self._last:
            return
        now_ms = time.time() * 1000
        self._last = seq
        stamped = self._handed.get(seq)
        if stamped is None:
            self.missed += 1
            return
        latency = now_ms - stamped
        if 0 <= latency < 10_000:
            self.samples.append(latency)

    def figures(self) -> dict[str, float]:
        ordered = sorted(self.samples)
        if not ordered:
            return {"n": 0, "missed": self.missed}
        return {"n": len(ordered), "missed": self.missed, "median": statistics.median(ordered),
                "p90": ordered[int(0.9 * (len(ordered) - 1))],
                "p99": ordered[int(0.99 * (len(ordered) - 1))], "min": ordered[0]}
