"""Decoded frames handed to viewers, and the slot that always holds the newest one."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy
import numpy.typing as npt

from commandroom.video.colour import Colour, Planes, planes_to_bgra


@dataclass(frozen=True, slots=True)
class Frame:
    """One picture ready to paint.

    ``image`` is (height, width, 4) uint8 in BGRA byte order (= ``QImage.Format_RGB32`` on
    little-endian), already scaled to the viewer's tile size. It is never written to after
    publish, so the UI may wrap it without a copy: see ``paint_buffer``.

    A frame for the GPU path (``planes`` set) carries the 4:2:0 Y, U, V planes instead and
    ``colour`` says how they become RGB; ``image`` is then the Y plane (height, width), so
    its shape still gives the picture's size.
    """

    image: npt.NDArray[numpy.uint8]
    seq: int
    capture_time: float
    source_size: tuple[int, int]
    codec: str
    # The contiguous memory ``image`` views when its lines are padded (FFmpeg aligns each
    # line): a strided array cannot be handed to QImage, its underlying buffer can.
    buffer: npt.NDArray[numpy.uint8] | None = None
    planes: Planes | None = None
    colour: Colour | None = None

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the picture as published."""
        return self.image.shape[1], self.image.shape[0]

    def as_bgra(self, step: int = 1) -> Frame:
        """This frame in BGRA (converted when it carries planes): for a CPU painter that
        gets a GPU path's frame (a fallback's first frames, a miniature of a GL wall)."""
        if self.planes is None:
            return self
        image = planes_to_bgra(self.planes, self.colour or Colour(), step)
        return Frame(image, self.seq, self.capture_time, self.source_size, self.codec)

    def paint_buffer(self) -> tuple[npt.NDArray[numpy.uint8], int]:
        """A contiguous buffer starting at the first pixel, and its bytes per line."""
        if self.buffer is not None:
            return self.buffer, self.image.strides[0]
        return self.image, self.image.strides[0]


class FrameSlot:
    """Latest frame wins: a slow painter skips frames instead of queueing them (no latency).

    Thread-safe. A frame whose ``seq`` is not newer than the current one is ignored, so a
    reader that is being replaced can never move a viewer backwards.
    """

    __slots__ = ("_frame", "_lock", "_seq")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frame: Frame | None = None
        self._seq = 0

    def publish(self, frame: Frame) -> None:
        with self._lock:
            if frame.seq <= self._seq:
                return
            self._frame = frame
            self._seq = frame.seq

    def latest(self) -> Frame | None:
        # One attribute read is atomic under the GIL; the lock only orders writers.
        return self._frame

    @property
    def seq(self) -> int:
        """Seq of the latest frame (0 when none); cheap enough to poll at paint rate."""
        return self._seq

    def close(self) -> None:
        """The stream is gone (a shared-memory slot frees its memory here)."""
