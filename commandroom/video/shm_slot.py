"""A frame slot in shared memory: a worker process writes, the GUI process paints in place.

One segment per stream (/dev/shm), made by the GUI process: a control block and four
picture buffers, each big enough for a BGRA picture of the tile size the segment was made
for (a frame is fitted inside the tile, so it always fits; a bigger tile gets a new
segment). A buffer holds either BGRA or, for a stream whose every viewer paints on the
GPU, the 4:2:0 Y, U, V planes with their line strides and the colour description
(matrix, range): 1.5 bytes a pixel instead of 4, and no colour conversion in the worker.
The format is per buffer, so the worker switches between the two from one frame to the
next as the viewers change (the app tells it, with the target size).

Latest frame wins, with no copy on the GUI side and no torn picture. The writer commits a
frame by storing ``seq * 8 + buffer`` in one aligned 8-byte word (``latest``). The reader
hands out frames whose image (or planes) views a buffer in place, and marks that buffer in
a pin mask for as long as any such frame (or a view of its pixels) is alive: a weak
reference's callback clears the mark when the last one goes. So a frame stays as it was
published for as long as anyone holds it, as with in-process slots: a painter, a frozen
tile, the motion detector's thread. The writer fills a buffer that is neither the latest
nor pinned; with four buffers there is one (the latest, the one being painted, a frozen
tile's, the motion detector's); should none be free, that frame is skipped.

The one race, a reader pinning a buffer it read as latest just as the writer picks that
very buffer for a newer frame, is closed the Dekker way: the writer stores the buffer's
``begin`` seq, then loads the pins; the reader stores its pin, then loads ``begin``. Those
words are only accessed through ``shm_atomic`` (sequentially consistent loads and stores;
it says why that holds on any CPU, and what the x86-only fallback relies on), so at least
one side sees the other: the writer picks another buffer, or the reader retries with the
new latest.

Segments are unlinked when their slot closes; the GUI process registers each one with
multiprocessing's resource tracker, which unlinks what is left if the process dies.
The mappings are never closed explicitly: a painted frame may still view one, and the
memory is returned when the last view goes (the name is already gone by then).
"""

from __future__ import annotations

import contextlib
import mmap
import os
import secrets
import threading
import weakref
from collections.abc import Callable
from multiprocessing import resource_tracker

import numpy
import numpy.typing as npt

from commandroom.video import shm_atomic
from commandroom.video.colour import Colour, Matrix, Planes
from commandroom.video.frames import Frame, FrameSlot

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
_RETRIES = 8
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


class _Layout:
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


def _map(name: str, size: tuple[int, int], *, create: bool) -> mmap.mmap:
    path = os.path.join(SHM_DIR, name)
    flags = os.O_RDWR | (os.O_CREAT | os.O_EXCL if create else 0)
    fd = os.open(path, flags, 0o600)
    try:
        if create:
            os.ftruncate(fd, segment_bytes(size))
        return mmap.mmap(fd, segment_bytes(size))
    finally:
        os.close(fd)  # mmap keeps a dup of its own until the mapping is freed


class SharedSlotReader(FrameSlot):
    """The GUI side: owns the segments, hands out frames that view them (no copy).

    ``publish`` is not used (the worker writes); ``latest`` and ``seq`` read shared memory.
    Segments for other sizes (``resize``) replace the current one; the old one is read
    until the new one has a frame, so a tile never goes blank while it grows.
    """

    __slots__ = ("_closed", "_current", "_held", "_lock_r", "_previous")

    def __init__(self) -> None:
        super().__init__()
        self._lock_r = threading.Lock()
        self._current: tuple[str, _Layout] | None = None
        self._previous: tuple[str, _Layout] | None = None
        self._held: Frame | None = None
        self._closed = False

    @property
    def segment(self) -> tuple[str, tuple[int, int]] | None:
        current = self._current
        return None if current is None else (current[0], current[1].size)

    def resize(self, size: tuple[int, int]) -> tuple[str, tuple[int, int]]:
        """A segment that holds pictures of ``size``: the current one if it is big enough,
        else a new one. Returns its name and the size it was made for."""
        with self._lock_r:
            if self._closed:
                raise RuntimeError("the frame slot is closed")
            current = self._current
            if current is not None and current[1].size[0] >= size[0] \
                    and current[1].size[1] >= size[1]:
                return current[0], current[1].size
            name = f"{SHM_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
            layout = _Layout(_map(name, size, create=True), size)
            # Unlinked by the tracker process if this one dies before it does.
            resource_tracker.register("/" + name, "shared_memory")
            if self._previous is not None:
                self._unlink(self._previous[0])
            if current is not None and self._seq_of(current[1]) > 0:
                self._previous = current
            elif current is not None:
                self._unlink(current[0])
                self._previous = None
            self._current = (name, layout)
            return name, size

    def close(self) -> None:
        """Unlink the segments (frames already handed out stay valid until dropped)."""
        with self._lock_r:
            self._closed = True
            for part in (self._current, self._previous):
                if part is not None:
                    self._unlink(part[0])
            self._current = self._previous = None

    @staticmethod
    def _unlink(name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(SHM_DIR, name))
        resource_tracker.unregister("/" + name, "shared_memory")

    @staticmethod
    def _seq_of(layout: _Layout) -> int:
        return layout.latest() >> 3

    def publish(self, frame: Frame) -> None:
        raise TypeError("a shared slot is written by its worker process")

    def handed_out(self, seq: int) -> Frame | None:
        """The frame ``latest`` last gave, if it is number ``seq`` (the one on screen)."""
        held = self._held
        return held if held is not None and held.seq == seq else None

    @property
    def seq(self) -> int:
        current, previous = self._current, self._previous
        seq = self._seq_of(current[1]) if current is not None else 0
        if seq == 0 and previous is not None:
            return self._seq_of(previous[1])
        return seq

    def latest(self) -> Frame | None:
        current, previous = self._current, self._previous
        if current is None:
            return self._held
        frame = self._read(current[1])
        if frame is None and previous is not None:
            frame = self._read(previous[1])
        elif frame is not None and previous is not None:
            with self._lock_r:  # the new segment has pictures now: the old one can go
                if self._previous is previous:
                    self._unlink(previous[0])
                    self._previous = None
        return frame if frame is not None else self._held

    def _read(self, layout: _Layout) -> Frame | None:
        held = self._held
        for _ in range(_RETRIES):
            word = layout.latest()
            if word == 0:
                return None
            seq, index = word >> 3, word & 7
            if held is not None and held.seq == seq:
                return held
            layout.pin(index)  # pin it, then check the writer did not take it meanwhile
            if shm_atomic.load(layout.begin_at[index]) != seq \
                    or shm_atomic.load(layout.end_at[index]) != seq:
                layout.unpin(index)
                continue
            frame = _frame_in(layout, index, seq)
            self._held = frame
            return frame
        return held


def _frame_in(layout: _Layout, index: int, seq: int) -> Frame:
    """The frame in pinned buffer ``index``: views of the mapping, not copies."""
    header = layout.headers[index]
    width, height = int(header[_H_WIDTH]), int(header[_H_HEIGHT])
    planar = int(header[_H_FORMAT]) == _YUV420
    if planar:
        strides = (int(header[_H_STRIDE_Y]), int(header[_H_STRIDE_U]),
                   int(header[_H_STRIDE_V]))
        chroma = (int(header[_H_CHROMA_W]), int(header[_H_CHROMA_H]))
        offsets, nbytes = plane_offsets(strides, height, chroma[1])
    else:
        nbytes = width * height * 4
    # Every view keeps this base array alive, and with it the pin.
    base = layout.pixels(index, nbytes)
    base.flags.writeable = False
    ref = weakref.ref(base, _unpinner(layout, index))
    layout.pin_refs[id(ref)] = ref  # a weak reference must live for its callback
    source = (int(header[_H_SOURCE_W]), int(header[_H_SOURCE_H]))
    codec = _CODECS[int(header[_H_CODEC])]
    capture_time = float(layout.times[index][0])
    if not planar:
        return Frame(base.reshape(height, width, 4), seq, capture_time, source, codec)
    y, u, v = (
        base[at: at + stride * rows].reshape(rows, stride)[:, :cols]
        for at, stride, rows, cols in zip(
            offsets, strides, (height, chroma[1], chroma[1]),
            (width, chroma[0], chroma[0]), strict=True)
    )
    colour = Colour(_MATRICES[int(header[_H_MATRIX])], bool(header[_H_FULL_RANGE]))
    planes: Planes = (y, u, v)
    return Frame(y, seq, capture_time, source, codec, planes=planes, colour=colour)


def _unpinner(layout: _Layout, index: int
              ) -> Callable[[weakref.ref[npt.NDArray[numpy.uint8]]], None]:
    def unpin(ref: weakref.ref[npt.NDArray[numpy.uint8]]) -> None:
        layout.pin_refs.pop(id(ref), None)
        layout.unpin(index)
    return unpin


class SharedSlotWriter(FrameSlot):
    """The worker side: each published frame is copied into the segment the GUI made."""

    __slots__ = ("_layout", "_name")

    def __init__(self, seq_base: int = 0) -> None:
        super().__init__()
        self._seq = seq_base  # go on from the GUI's last picture after a worker restart
        self._layout: _Layout | None = None
        self._name = ""

    def attach(self, name: str, size: tuple[int, int]) -> bool:
        """Write into segment ``name`` from now on. False if it is gone already (the
        tile closed or grew again while the message was on its way): frames are then
        dropped until the next segment comes."""
        with self._lock:
            if name == self._name:
                return True
            self._name = name
            try:
                self._layout = _Layout(_map(name, size, create=False), size)
            except FileNotFoundError:
                self._layout = None
                return False
            return True

    def publish(self, frame: Frame) -> None:
        with self._lock:
            layout = self._layout
            if frame.seq <= self._seq or layout is None:
                return
            if _bytes_needed(frame) > layout.capacity:
                return  # made for an older, bigger tile size: the next frame fits
            if self._write(layout, frame):
                self._frame = frame
                self._seq = frame.seq

    @staticmethod
    def _claim(layout: _Layout, seq: int) -> int | None:
        """A buffer neither latest nor pinned, claimed for ``seq``; None: all are held."""
        latest = layout.latest()
        newest = latest & 7 if latest else -1
        for _ in range(_RETRIES * 4):
            pins = layout.pins()
            index = next((i for i in range(BUFFERS)
                          if i != newest and not pins >> i & 1), None)
            if index is None:
                return None
            # Claim it, then check the reader did not pin it (module docstring).
            shm_atomic.store(layout.begin_at[index], seq)
            if not layout.pins() >> index & 1:
                return index
        return None

    def _write(self, layout: _Layout, frame: Frame) -> bool:
        seq = frame.seq
        index = self._claim(layout, seq)
        if index is None:
            return False  # every other buffer is held on the GUI side: skip this frame
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
        # Release stores: everything above is visible to whoever sees these.
        shm_atomic.store(layout.end_at[index], seq)
        shm_atomic.store(layout.latest_at, seq * 8 + index)  # the commit
        return True


def _plane_strides(planes: Planes) -> tuple[int, int, int]:
    """The planes' own line strides (FFmpeg's padded lines, kept for the texture upload's
    row length), or their widths when a line is not contiguous in memory."""
    y, u, v = planes
    return (
        y.strides[0] if y.strides[1] == 1 else y.shape[1],
        u.strides[0] if u.strides[1] == 1 else u.shape[1],
        v.strides[0] if v.strides[1] == 1 else v.shape[1],
    )


def _bytes_needed(frame: Frame) -> int:
    """The least a frame takes in a buffer (planes: with packed lines)."""
    if frame.planes is None:
        return int(frame.image.shape[0] * frame.image.shape[1] * 4)
    y, u, v = frame.planes
    return plane_offsets((y.shape[1], u.shape[1], v.shape[1]), y.shape[0], u.shape[0])[1]


def _write_planes(layout: _Layout, index: int, planes: Planes, colour: Colour) -> None:
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
