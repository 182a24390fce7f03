"""A stream handle as a ``VideoTile`` reads it, with no stream behind it.

The caller sets the newest ``frame`` and the ``state``; a status is a new object each
time it changes, as the readers make them (the tile tells changes by identity first).
Shared by the tile's tests and ``bench/bench_tile_paint.py``.
"""

from __future__ import annotations

from commandroom.video.frames import Frame
from commandroom.video.state import StreamState, StreamStatus


class StillFeed:
    def __init__(self, frame: Frame | None = None) -> None:
        self.frame = frame
        self.state = StreamStatus(StreamState.LIVE)
        self.slot = self  # the tile reads latest() and seq of its handle's slot

    def latest(self) -> Frame | None:
        return self.frame

    @property
    def seq(self) -> int:
        return self.frame.seq if self.frame is not None else 0

    def status(self) -> StreamStatus:
        return self.state

    def set_size(self, size: tuple[int, int]) -> None:
        pass  # the tile tells its readers its size: nothing reads it here
