"""One GUI timer for all video: repaints only tiles that have a new frame or state."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from ui.video.grid import VideoGrid


class FramePump(QObject):
    def __init__(self, hz: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._grids: list[VideoGrid] = []
        self._timer = QTimer(self)
        self._timer.setInterval(max(5, int(1000 / max(1, hz))))
        self._timer.timeout.connect(self.tick)
        self.repaints: dict[VideoGrid, int] = {}  # per grid, for tests and diagnostics

    def add(self, grid: VideoGrid) -> None:
        self._grids.append(grid)
        self.repaints[grid] = 0
        grid.destroyed.connect(lambda *_: self._grids.remove(grid) if grid in self._grids
                               else None)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def tick(self) -> None:
        for grid in self._grids:
            window = grid.window()
            hidden = not grid.isVisible() or window.isMinimized()
            grid.set_paused(hidden)
            if hidden or grid.frozen:
                continue
            video = False
            for tile in grid.tiles:
                grid.promote_pending(tile)
                grid.sync_planes(tile)
                if tile.isVisible() and tile.needs_repaint():
                    tile.update()  # its overlay; on the GL path the surface draws video
                    video = True
                    self.repaints[grid] += 1
            if video:
                grid.repaint_video()
