"""What a shared frame slot's segment holds, and where (``shm_slot`` has the protocol).

A control block (word 0: the latest frame, ``seq * 8 + buffer``; word 1: the reader's pin
mask), then four buffers, each a 128-byte header and a pixel area big enough for a BGRA
picture of the segment's size (page-rounded). A buffer holds BGRA or 4:2:0 planes (Y,
then U, then V, each on a cache line, with the line strides they were published with,
FFmpeg's padding kept for the texture upload's row length), as its header says, with
the colour description. The header's first two words (begin, end) synchronise; the
others are plain data written between them.
"""

from __future__ import annotations

import mmap
import os
import threading
import weakref

import numpy
import numpy.typing as npt

from commandroom.video import shm_atomic
from commandroom.video.colour import Colour, Matrix, Planes
from commandroom.video.frames import Frame

SHM_DIR = "/dev/shm"
SHM_PREFIX = "commandroom-"
BUFFERS = 4
_CONTROL_BYTES = 64  # word 0: latest (seq * 8 + buffer), word 1: the reader's pin mask
_HEADER_BYTES = 128  # per buffer, 16 words (_H_*)
_HEADER_WORDS = _HEADER_BYTES // 8
_PAGE = 4096
_PLANE_ALIGN = 64  # each plane starts on a cache line
_CODECS = ("", "h264", "hevc", "mjpeg", "mpeg4", "vp8", "vp9", "av1")
_MATRICES = (Matrix.BT601, Matrix.BT709)
# Header words. BEGIN and END are the synchronising ones (shm_atomic); the others are
# plain data, written between them and read after END is seen.
_H_BEGIN, _H_END, _H_WIDTH, _H_HEIGHT, _H_SOURCE_W, _H_SOURCE_H, _H_CODEC = range(7)
_H_FORMAT, _H_STRIDE_Y, _H_STRIDE_U, _H_STRIDE_V, _H_CHROMA_W, _H_CHROMA_H = range(7, 13)
_H_MATRIX, _H_FULL_RANGE, _H_TIME = 13, 14, 15  # _H_TIME holds a float64
_BGRA, _YUV420 = 0, 1


def segment_bytes(size: tuple[int, int]) -> int:
    """Bytes of a segment for pictures up to ``size`` (BGRA; planes take less)."""
    return _CONTROL_BYTES + BUFFERS * _buffer_bytes(size)


def _buffer_bytes(size: tuple[int, int]) -> int:
    raw = _HEADER_BYTES + max(2, size[0]) * max(2, size[1]) * 4
    return (raw + _PAGE - 1) // _PAGE * _PAGE


def list_segments() -> list[str]:
    """The names of this program's segments now in /dev/shm (for tests and leak checks)."""
    return sorted(n for n in os.listdir(SHM_DIR) if n.startswith(SHM_PREFIX))


def _align(value: int) -> int:
    return (value + _PLANE_ALIGN - 1) // _PLANE_ALIGN * _PLANE_ALIGN


def plane_offsets(strides: tuple[int, int, int], height: int, chroma_height: int
                  ) -> tuple[tuple[int, int, int], int]:
    """Where Y, U and V start in a buffer's pixel area, and the bytes they take."""
    u_at = _align(strides[0] * height)
    v_at = u_at + _align(strides[1] * chroma_height)
    return (0, u_at, v_at), v_at + strides[2] * chroma_height


class Layout:
    """One mapping: the synchronising words' addresses, headers, pixel buffers."""

    def __init__(self, mapping: mmap.mmap, size: tuple[int, int]) -> None:
        self.mapping = mapping
        self.size = size
        self.stride = _buffer_bytes(size)
        # The room a buffer really has (page-rounded): planes of a tiny tile fit too.
        self.capacity = self.stride - _HEADER_BYTES
        self.control = numpy.frombuffer(mapping, dtype=numpy.int64, count=8)
        address = int(self.control.__array_interface__["data"][0])
        self.latest_at, self.pins_at = address, address + 8
        self.headers = [
            numpy.frombuffer(mapping, dtype=numpy.int64, count=_HEADER_WORDS,
                             offset=self._base(i))
            for i in range(BUFFERS)
        ]
        self.times = [
            numpy.frombuffer(mapping, dtype=numpy.float64, count=1,
                             offset=self._base(i) + _H_TIME * 8)
            for i in range(BUFFERS)
        ]
        self.begin_at = [address + self._base(i) + _H_BEGIN * 8 for i in range(BUFFERS)]
        self.end_at = [address + self._base(i) + _H_END * 8 for i in range(BUFFERS)]
        # The reader's side: how many live images view each buffer, and their weak refs.
        self.pin_lock = threading.RLock()  # a collected frame may unpin from inside
        self.pin_counts = [0] * BUFFERS
        self.pin_refs: dict[int, weakref.ref[npt.NDArray[numpy.uint8]]] = {}  # by id

    def latest(self) -> int:
        return shm_atomic.load(self.latest_at)

    def pins(self) -> int:
        return shm_atomic.load(self.pins_at)

    def pin(self, index: int) -> None:
        with self.pin_lock:
            self.pin_counts[index] += 1
            self._store_pins()

    def unpin(self, index: int) -> None:
        with self.pin_lock:
            self.pin_counts[index] -= 1
            self._store_pins()

    def _store_pins(self) -> None:
        # A release too: the pixels were read before the writer may see the buffer free.
        shm_atomic.store(self.pins_at,
                         sum(1 << i for i, n in enumerate(self.pin_counts) if n > 0))

    def _base(self, index: int) -> int:
        return _CONTROL_BYTES + index * self.stride

    def pixels(self, index: int, nbytes: int) -> npt.NDArray[numpy.uint8]:
        return numpy.frombuffer(self.mapping, dtype=numpy.uint8, count=nbytes,
                                offset=self._base(index) + _HEADER_BYTES)


def map_segment(name: str, size: tuple[int, int], *, create: bool) -> mmap.mmap:
    path = os.path.join(SHM_DIR, name)
    flags = os.O_RDWR | (os.O_CREAT | os.O_EXCL if create else 0)
    fd = os.open(path, flags, 0o600)
    try:
        if create:
            os.ftruncate(fd, segment_bytes(size))
        return mmap.mmap(fd, segment_bytes(size))
    finally:
        os.close(fd)  # mmap keeps a dup of its own until the mapping is freed


def filled_bytes(layout: Layout, index: int) -> int:
    """The bytes buffer ``index``'s frame takes (read once the buffer is pinned)."""
    header = layout.headers[index]
    width, height = int(header[_H_WIDTH]), int(header[_H_HEIGHT])
    if int(header[_H_FORMAT]) != _YUV420:
        return width * height * 4
    return plane_offsets(_strides(header), height, int(header[_H_CHROMA_H]))[1]


def frame_over(layout: Layout, index: int, seq: int, base: npt.NDArray[numpy.uint8]
               ) -> Frame:
    """Frame ``seq`` of buffer ``index`` as views of ``base`` (its pixel area), no copy."""
    header = layout.headers[index]
    width, height = int(header[_H_WIDTH]), int(header[_H_HEIGHT])
    source = (int(header[_H_SOURCE_W]), int(header[_H_SOURCE_H]))
    codec = _CODECS[int(header[_H_CODEC])]
    capture_time = float(layout.times[index][0])
    if int(header[_H_FORMAT]) != _YUV420:
        return Frame(base.reshape(height, width, 4), seq, capture_time, source, codec)
    strides = _strides(header)
    chroma_w, chroma_h = int(header[_H_CHROMA_W]), int(header[_H_CHROMA_H])
    offsets = plane_offsets(strides, height, chroma_h)[0]
    y, u, v = (
        base[at: at + stride * rows].reshape(rows, stride)[:, :cols]
        for at, stride, rows, cols in zip(
            offsets, strides, (height, chroma_h, chroma_h), (width, chroma_w, chroma_w),
            strict=True)
    )
    colour = Colour(_MATRICES[int(header[_H_MATRIX])], bool(header[_H_FULL_RANGE]))
    planes: Planes = (y, u, v)
    return Frame(y, seq, capture_time, source, codec, planes=planes, colour=colour)


def _strides(header: npt.NDArray[numpy.int64]) -> tuple[int, int, int]:
    return int(header[_H_STRIDE_Y]), int(header[_H_STRIDE_U]), int(header[_H_STRIDE_V])


def write_frame(layout: Layout, index: int, frame: Frame) -> None:
    """Copy ``frame`` into claimed buffer ``index`` and describe it in the header; the
    caller then commits (end, then latest)."""
    header = layout.headers[index]
    height, width = frame.image.shape[:2]
    if frame.planes is None:
        pixels = layout.pixels(index, width * height * 4).reshape(height, width, 4)
        pixels[...] = frame.image
        header[_H_FORMAT] = _BGRA
    else:
        _write_planes(layout, index, frame.planes, frame.colour or Colour())
    header[_H_WIDTH], header[_H_HEIGHT] = width, height
    header[_H_SOURCE_W], header[_H_SOURCE_H] = frame.source_size
    header[_H_CODEC] = _CODECS.index(frame.codec) if frame.codec in _CODECS else 0
    layout.times[index][0] = frame.capture_time


def _plane_strides(planes: Planes) -> tuple[int, int, int]:
    """The planes' own line strides (FFmpeg's padded lines, kept for the texture upload's
    row length), or their widths when a line is not contiguous in memory."""
    y, u, v = planes
    return (
        y.strides[0] if y.strides[1] == 1 else y.shape[1],
        u.strides[0] if u.strides[1] == 1 else u.shape[1],
        v.strides[0] if v.strides[1] == 1 else v.shape[1],
    )


def bytes_needed(frame: Frame) -> int:
    """The least a frame takes in a buffer (planes: with packed lines)."""
    if frame.planes is None:
        return int(frame.image.shape[0] * frame.image.shape[1] * 4)
    y, u, v = frame.planes
    return plane_offsets((y.shape[1], u.shape[1], v.shape[1]), y.shape[0], u.shape[0])[1]


def _write_planes(layout: Layout, index: int, planes: Planes, colour: Colour) -> None:
    y, u, v = planes
    height, chroma_height = y.shape[0], u.shape[0]
    strides = _plane_strides(planes)
    offsets, nbytes = plane_offsets(strides, height, chroma_height)
    if nbytes > layout.capacity:  # the padding does not fit: packed lines
        strides = (y.shape[1], u.shape[1], v.shape[1])
        offsets, nbytes = plane_offsets(strides, height, chroma_height)
    area = layout.pixels(index, nbytes)
    for plane, at, stride in zip(planes, offsets, strides, strict=True):
        rows, cols = plane.shape
        area[at: at + stride * rows].reshape(rows, stride)[:, :cols] = plane
    header = layout.headers[index]
    header[_H_FORMAT] = _YUV420
    header[_H_STRIDE_Y], header[_H_STRIDE_U], header[_H_STRIDE_V] = strides
    header[_H_CHROMA_W], header[_H_CHROMA_H] = u.shape[1], chroma_height
    header[_H_MATRIX] = _MATRICES.index(colour.matrix)
    header[_H_FULL_RANGE] = int(colour.full_range)
