"""Decoded picture → the viewers' slot: the one rendering path of live view and replay.

The live reader (``reader.StreamReader``) and the replay reader (``replay_reader``) both
hand their decoded frames to a ``FramePublisher``: it converts and scales each frame to
the tile's size in one swscale call, publishes it to the ``FrameSlot`` the tiles paint,
and keeps the last few decoded frames for full-resolution snapshots and tagging. A
frame's ``capture_time`` is what the caller says: arrival time for live video, the
footage's own wall-clock time for recorded video (so a sighting tagged on a replaying
tile records when it happened, not when it was watched).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

import av
import numpy
import numpy.typing as npt
from av.video.reformatter import VideoReformatter

from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.stats import StatsMeter

FRAME_RING_SIZE = 8

TargetSize = Callable[[], "tuple[int, int] | None"]


def fit_size(source: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """Largest even size inside ``box`` with the source's aspect ratio."""
    sw, sh = source
    bw, bh = max(2, box[0]), max(2, box[1])
    scale = min(bw / sw, bh / sh)
    return max(2, int(sw * scale) // 2 * 2), max(2, int(sh * scale) // 2 * 2)


class FramePublisher:
    """Used by one reader thread (``publish``); ``full_resolution`` from any thread."""

    def __init__(self, slot: FrameSlot, stats: StatsMeter, target_size: TargetSize) -> None:
        self.slot = slot
        self._stats = stats
        self._target_size = target_size
        self._scaler = VideoReformatter()
        self._frames_lock = threading.Lock()
        self._frames: deque[tuple[Frame, av.VideoFrame]] = deque(maxlen=FRAME_RING_SIZE)

    def publish(self, decoded: av.VideoFrame, capture_time: float, codec: str,
                latency_from: float | None = None) -> Frame | None:
        """Scale ``decoded`` to the tile and publish it; None when every viewer is paused
        (decoded only, to keep the decoder's state warm). ``latency_from``: the wall time
        the frame's data arrived (default ``capture_time``), for the decode figure."""
        source_size = (decoded.width, decoded.height)
        self._stats.width, self._stats.height = source_size
        target = self._target_size()
        if target is None:
            self._stats.frame(None)
            return None
        width, height = fit_size(source_size, target)
        # Convert and scale in one swscale call, straight to the tile's size and to the
        # paint device's format (BGRA = QImage.Format_RGB32): the GUI only blits.
        scaled = self._scaler.reformat(
            decoded, width=width, height=height, format="bgra",
            interpolation="AREA", threads=1,
        )
        # A view, not a copy: FFmpeg pads each line, so the view is strided and the
        # plane's own buffer goes along for QImage (Frame.paint_buffer).
        plane = scaled.planes[0]
        stride = plane.line_size
        buffer = numpy.frombuffer(memoryview(plane), dtype=numpy.uint8)[: stride * height]
        image: npt.NDArray[numpy.uint8] = buffer.reshape(height, stride)[
            :, : width * 4
        ].reshape(height, width, 4)
        buffer.flags.writeable = image.flags.writeable = False  # shared with painters
        frame = Frame(image, self.slot.seq + 1, capture_time, source_size, codec, buffer)
        with self._frames_lock:
            self._frames.append((frame, decoded))
        self.slot.publish(frame)
        # From the frame's arrival (or the demo's render time) to publish: this computer's
        # share. The network's is measured from the sender's clock (health).
        start = capture_time if latency_from is None else latency_from
        self._stats.frame((time.time() - start) * 1000.0)
        return frame

    def full_resolution(
        self, seq: int | None
    ) -> tuple[npt.NDArray[numpy.uint8], Frame] | None:
        with self._frames_lock:
            found = None
            for frame, decoded in reversed(self._frames):
                if seq is None or frame.seq == seq:
                    found = frame, decoded
                    break
            if found is None and seq is not None and self._frames and \
                    seq < self._frames[0][0].seq:
                # The frame shown has already left the ring (the GUI was busy while the
                # stream went on): the nearest one kept, a few frames later. The tag
                # dialog shows exactly the picture it saves, and its own capture time.
                found = self._frames[0]
        if found is None:
            return None
        frame, decoded = found
        # A reformatter of our own: the reader thread's one must not be shared.
        bgr = VideoReformatter().reformat(decoded, format="bgr24", threads=1).to_ndarray()
        return numpy.ascontiguousarray(bgr), frame

    def clear(self) -> None:
        """Drop the kept decoded frames (MBs each) when the reader ends."""
        with self._frames_lock:
            self._frames.clear()
