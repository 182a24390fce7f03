"""A frame slot in shared memory: a worker process writes, the GUI process paints in place.

One segment per stream (/dev/shm), made by the GUI process: a control block and three
picture buffers, each big enough for the tile size the segment was made for (a frame is
fitted inside the tile, so it always fits; a bigger tile gets a new segment).

Latest frame wins, with no copy on the GUI side and no torn picture. The writer commits a
frame by storing ``seq * 8 + buffer`` in one aligned 8-byte word (``latest``). The reader
hands out frames whose image views a buffer in place, and marks that buffer in a pin mask
for as long as any such frame (or a view of its image) is alive: a weak reference's
callback clears the mark when the last one goes. So a frame stays as it was published
for as long as anyone holds it, as with in-process slots: a painter, a frozen tile, the
motion detector's thread. The writer fills a buffer that is neither the latest nor pinned;
with four buffers there is one (the latest, the one being painted, a frozen tile's, the
motion detector's); should none be free, that frame is skipped.

The one race, a reader pinning a buffer it read as latest just as the writer picks that
very buffer for a newer frame, is closed the Dekker way: the writer stores the buffer's
``begin`` seq, then reads the pins; the reader stores its pin, then reads ``begin``. With a
full memory barrier between each store and load (``_fence``), at least one of them sees
the other: the writer picks another buffer, or the reader retries with the new latest.

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

from commandroom.video.frames import Frame, FrameSlot

SHM_DIR = "/dev/shm"
SHM_PREFIX = "commandroom-"
BUFFERS = 4
_CONTROL_BYTES = 64
_HEADER_BYTES = 64  # per buffer: begin, end, width, height, source w/h, codec, capture time
_HEADER_WORDS = _HEADER_BYTES // 8
_PAGE = 4096
_CODECS = ("", "h264", "hevc", "mjpeg", "mpeg4", "vp8", "vp9", "av1")
_RETRIES = 8
_fence_lock = threading.Lock()


def _fence() -> None:
    """A full memory barrier: an uncontended mutex's atomic exchange (lock-prefixed on x86)."""
    _fence_lock.acquire()
    _fence_lock.release()


def segment_bytes(size: tuple[int, int]) -> int:
    """Bytes of a segment for pictures up to ``size`` (BGRA)."""
    return _CONTROL_BYTES + BUFFERS * _buffer_bytes(size)


def _buffer_bytes(size: tuple[int, int]) -> int:
    raw = _HEADER_BYTES + max(2, size[0]) * max(2, size[1]) * 4
    return (raw + _PAGE - 1) // _PAGE * _PAGE


def list_segments() -> list[str]:
    """The names of this program's segments now in /dev/shm (for tests and leak checks)."""
    return sorted(n for n in os.listdir(SHM_DIR) if n.startswith(SHM_PREFIX))


class _Layout:
    """Typed views of one mapping: control words, per-buffer headers, pixel buffers."""

    def __init__(self, mapping: mmap.mmap, size: tuple[int, int]) -> None:
        self.mapping = mapping
        self.size = size
        self.capacity = max(2, size[0]) * max(2, size[1]) * 4
        self.stride = _buffer_bytes(size)
        self.control = numpy.frombuffer(mapping, dtype=numpy.int64, count=8)
        self.headers = [
            numpy.frombuffer(mapping, dtype=numpy.int64, count=_HEADER_WORDS,
                             offset=self._base(i))
            for i in range(BUFFERS)
        ]
        self.times = [
            numpy.frombuffer(mapping, dtype=numpy.float64, count=1,
                             offset=self._base(i) + _HEADER_BYTES - 8)
            for i in range(BUFFERS)
        ]
        # The reader's side: how many live images view each buffer, and their weak refs.
        self.pin_lock = threading.RLock()  # a collected frame may unpin from inside
        self.pin_counts = [0] * BUFFERS
        self.pin_refs: dict[int, weakref.ref[npt.NDArray[numpy.uint8]]] = {}  # by id

    def pin(self, index: int) -> None:
        with self.pin_lock:
            self.pin_counts[index] += 1
            self._store_pins()

    def unpin(self, index: int) -> None:
        with self.pin_lock:
            self.pin_counts[index] -= 1
            self._store_pins()

    def _store_pins(self) -> None:
        self.control[1] = sum(1 << i for i, n in enumerate(self.pin_counts) if n > 0)

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
        return int(layout.control[0]) >> 3

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
            word = int(layout.control[0])
            if word == 0:
                return None
            seq, index = word >> 3, word & 7
            if held is not None and held.seq == seq:
                return held
            layout.pin(index)  # pin it, then check the writer did not take it meanwhile
            _fence()
            header = layout.headers[index]
            if int(header[0]) != seq or int(header[1]) != seq:
                layout.unpin(index)
                continue
            width, height = int(header[2]), int(header[3])
            # Every view of the image keeps this base array alive, and with it the pin.
            base = layout.pixels(index, width * height * 4)
            base.flags.writeable = False
            ref = weakref.ref(base, _unpinner(layout, index))
            layout.pin_refs[id(ref)] = ref  # a weak reference must live for its callback
            image = base.reshape(height, width, 4)
            frame = Frame(image, seq, float(layout.times[index][0]),
                          (int(header[4]), int(header[5])), _CODECS[int(header[6])])
            self._held = frame
            return frame
        return held


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
            height, width = frame.image.shape[:2]
            if width * height * 4 > layout.capacity:
                return  # made for an older, bigger tile size: the next frame fits
            if self._write(layout, frame, width, height):
                self._frame = frame
                self._seq = frame.seq

    @staticmethod
    def _claim(layout: _Layout, seq: int) -> int | None:
        """A buffer neither latest nor pinned, claimed for ``seq``; None: all are held."""
        control = layout.control
        latest = int(control[0])
        newest = latest & 7 if latest else -1
        for _ in range(_RETRIES * 4):
            pins = int(control[1])
            index = next((i for i in range(BUFFERS)
                          if i != newest and not pins >> i & 1), None)
            if index is None:
                return None
            layout.headers[index][0] = seq  # claim it, then check the reader did not pin it
            _fence()
            if not int(control[1]) >> index & 1:
                return index
        return None

    def _write(self, layout: _Layout, frame: Frame, width: int, height: int) -> bool:
        control, seq = layout.control, frame.seq
        index = self._claim(layout, seq)
        if index is None:
            return False  # every other buffer is held on the GUI side: skip this frame
        header = layout.headers[index]
        pixels = layout.pixels(index, width * height * 4).reshape(height, width, 4)
        pixels[...] = frame.image
        header[2], header[3] = width, height
        header[4], header[5] = frame.source_size
        header[6] = _CODECS.index(frame.codec) if frame.codec in _CODECS else 0
        layout.times[index][0] = frame.capture_time
        header[1] = seq
        _fence()
        control[0] = seq * 8 + index  # the commit: one aligned 8-byte store
        return True
