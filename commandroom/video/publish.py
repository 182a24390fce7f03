"""Decoded picture → the viewers' slot: the one rendering path of live view and replay.

The live reader (``reader.StreamReader``) and the replay reader (``replay_reader``) both
hand their decoded frames to a ``FramePublisher``: it scales each frame to the tile's
size and converts it to BGRA with swscale (for a GPU viewer: 4:2:0 planes, which the
shader converts and, from a mild downscale up, scales), publishes it to the
``FrameSlot`` the tiles paint, and keeps the last few decoded frames for full-resolution
snapshots and tagging. A frame's ``capture_time`` is what the caller says: arrival time
for live video, the footage's own wall-clock time for recorded video (so a sighting
tagged on a replaying tile records when it happened, not when it was watched).
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

from commandroom.video.colour import Planes, colour_of
from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.stats import StatsMeter

FRAME_RING_SIZE = 8

TargetSize = Callable[[], "tuple[int, int] | None"]
# True when every viewer paints on the GPU: publish the YUV planes, not BGRA.
WantsPlanes = Callable[[], bool]
_PLANAR = frozenset({"yuv420p", "yuvj420p"})
# The CPU path scales in YUV first from this ratio of the source's width up (see _bgra).
TWO_STEP_MIN_SCALE = 0.6
# The GPU path leaves a downscale to the shader from this ratio up (see _planar).
SHADER_MIN_SCALE = 0.65


def fit_size(source: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """Largest even size inside ``box`` with the source's aspect ratio."""
    sw, sh = source
    bw, bh = max(2, box[0]), max(2, box[1])
    scale = min(bw / sw, bh / sh)
    return max(2, int(sw * scale) // 2 * 2), max(2, int(sh * scale) // 2 * 2)


class FramePublisher:
    """Used by one reader thread (``publish``); ``full_resolution`` from any thread."""

    def __init__(self, slot: FrameSlot, stats: StatsMeter, target_size: TargetSize,
                 wants_planes: WantsPlanes = lambda: False) -> None:
        self.slot = slot
        self._wants_planes = wants_planes
        self._stats = stats
        self._target_size = target_size
        self._scaler = VideoReformatter()
        # The CPU path's first step (see _bgra): a context of its own, as swscale
        # re-initialises whenever a context's parameters change.
        self._yuv_scaler = VideoReformatter()
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
        if self._wants_planes():
            if width >= SHADER_MIN_SCALE * decoded.width:
                width, height = source_size  # the GPU scales (see _planar)
            frame = self._planar(decoded, width, height, capture_time, codec)
        else:
            frame = self._bgra(decoded, width, height, capture_time, codec)
        with self._frames_lock:
            self._frames.append((frame, decoded))
        self.slot.publish(frame)
        # From the frame's arrival (or the demo's render time) to publish: this computer's
        # share. The network's is measured from the sender's clock (health).
        start = capture_time if latency_from is None else latency_from
        self._stats.frame((time.time() - start) * 1000.0)
        return frame

    def _bgra(self, decoded: av.VideoFrame, width: int, height: int, capture_time: float,
              codec: str) -> Frame:
        # Straight to the tile's size and to the paint device's format (BGRA =
        # QImage.Format_RGB32): the GUI only blits. For a mild downscale or an enlargement
        # in two swscale steps: scale the 4:2:0 planes (the same AREA filter), then
        # convert unscaled. swscale's one-step scaled YUV -> BGRA is the reader's costliest
        # part; the two steps cost 40-55 % less (640x360 -> 476x268: 0.37 -> 0.23 ms a
        # frame), alike in picture. Below TWO_STEP_MIN_SCALE the unscaled converter's
        # 4:2:0 chroma loses detail one step keeps (tests/unit/video/test_cpu_scaling.py).
        # PyAV hands swscale the frame's own matrix and range (test_colour.py).
        source = decoded
        if (width, height) != (decoded.width, decoded.height) and \
                width >= TWO_STEP_MIN_SCALE * decoded.width and \
                decoded.format.name in _PLANAR:
            source = self._yuv_scaler.reformat(
                decoded, width=width, height=height, format=decoded.format.name,
                interpolation="AREA", threads=1,
            )
        scaled = self._scaler.reformat(
            source, width=width, height=height, format="bgra",
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
        return Frame(image, self.slot.seq + 1, capture_time, (decoded.width, decoded.height),
                     codec, buffer)

    def _planar(self, decoded: av.VideoFrame, width: int, height: int, capture_time: float,
                codec: str) -> Frame:
        """The GPU path: 4:2:0 planes, converted by the shader. The shader also scales: up
        always, and down to SHADER_MIN_SCALE of the source, where swscale's YUV scale was
        the reader's costliest step after decoding (640x360 -> 480x270: 0.17 ms a frame,
        bench/README.md) and a few texture taps are next to free on a GPU. There it
        filters as this AREA does (four bilinear taps a plane, ui/video/gl_surface.py),
        so the picture is the CPU path's. A larger downscale is done here: the shader's
        filter spans at most two texels a pixel (from 0.5 up) and would alias below, the
        upload shrinks (a 1080p stream on a small tile), and below ~0.62 the source's
        planes (1.5 bytes a pixel) would not fit the shared-memory buffer sized for the
        tile's BGRA (4 bytes). 4:2:0 input shown at its own size goes as decoded,
        without a copy."""
        colour = colour_of(decoded)
        name = decoded.format.name
        out_format = name if name in _PLANAR else (
            "yuvj420p" if colour.full_range else "yuv420p")
        source = (decoded.width, decoded.height)
        if (width, height) != source or out_format != name:
            decoded = self._scaler.reformat(
                decoded, width=width, height=height, format=out_format,
                interpolation="AREA", threads=1,
                src_color_range=int(decoded.color_range) or None,
            )
        planes = tuple(_plane_view(decoded.planes[i]) for i in range(3))
        y, u, v = planes
        frame_planes: Planes = (y, u, v)
        return Frame(y, self.slot.seq + 1, capture_time, source, codec,
                     planes=frame_planes, colour=colour)

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


def _plane_view(plane: av.video.plane.VideoPlane) -> npt.NDArray[numpy.uint8]:
    """A read-only (height, width) view of one plane; its lines keep FFmpeg's padding
    (strides[0] is the line size, for GL_UNPACK_ROW_LENGTH)."""
    stride, width, height = plane.line_size, plane.width, plane.height
    buffer = numpy.frombuffer(memoryview(plane), dtype=numpy.uint8)[: stride * height]
    view: npt.NDArray[numpy.uint8] = buffer.reshape(height, stride)[:, :width]
    view.flags.writeable = False
    return view
