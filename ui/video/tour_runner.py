"""Drives a Tour on a grid with a QTimer (one step per dwell time)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from commandroom.cameras.tours import Tour
from ui.video.grid import VideoGrid


class TourRunner(QObject):
    stepped = Signal(int)

    def __init__(self, grid: VideoGrid, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._grid = grid
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.advance)
        self.tour: Tour | None = None
        self.step = 0

    @property
    def running(self) -> bool:
        return self.tour is not None

    def start(self, tour: Tour) -> None:
        self.tour = tour
        self.step = -1
        self._timer.start(int(tour.dwell_s * 1000))
        self.advance()

    def stop(self) -> None:
        self._timer.stop()
        self.tour = None

    def advance(self) -> None:
        if self.tour is None:
            return
        self.step += 1
        for index, camera_id in self.tour.assignment(self.step, len(self._grid.tiles)).items():
            if camera_id is None:
                self._grid.clear(index, notify=False)
            else:
                self._grid.assign(index, camera_id, notify=False)
        self.stepped.emit(self.step)
