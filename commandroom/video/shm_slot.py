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
tile's, the motion detector's). A reader checking a new frame pins it for a few
microseconds while still holding the one it replaces, so the writer waits a moment
(``_CLAIM_WAIT_S``) for a buffer before it skips a frame: a skipped frame is only
replaced by the next one, and a stream's last frame must not be the one lost.

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
import os
import secrets
import threading
import time
import weakref
from collections.abc import Callable
from multiprocessing import resource_tracker

import numpy
import numpy.typing as npt

from commandroom.video import shm_atomic
from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.shm_layout import (
    BUFFERS,
    SHM_DIR,
    SHM_PREFIX,
    Layout,
    bytes_needed,
    filled_bytes,
    frame_over,
    list_segments,
    map_segment,
    write_frame,
)

__all__ = ["SHM_PREFIX", "SharedSlotReader", "SharedSlotWriter", "list_segments"]
_RETRIES = 8
# How long the writer waits for a buffer to come free before it skips the frame; readers
# hold an extra pin only while they check a newer frame (microseconds).
_CLAIM_WAIT_S = 0.005
_CLAIM_POLL_S = 0.0002


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
        self._current: tuple[str, Layout] | None = None
        self._previous: tuple[str, Layout] | None = None
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
            layout = Layout(map_segment(name, size, create=True), size)
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
    def _seq_of(layout: Layout) -> int:
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

    def _read(self, layout: Layout) -> Frame | None:
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
            # Every view of the frame keeps this base array alive, and with it the pin.
            base = layout.pixels(index, filled_bytes(layout, index))
            base.flags.writeable = False
            ref = weakref.ref(base, _unpinner(layout, index))
            layout.pin_refs[id(ref)] = ref  # a weak reference must live for its callback
            frame = frame_over(layout, index, seq, base)
            self._held = frame
            return frame
        return held


def _unpinner(layout: Layout, index: int
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
        self._layout: Layout | None = None
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
                self._layout = Layout(map_segment(name, size, create=False), size)
            except FileNotFoundError:
                self._layout = None
                return False
            return True

    def publish(self, frame: Frame) -> None:
        with self._lock:
            layout = self._layout
            if frame.seq <= self._seq or layout is None:
                return
            if bytes_needed(frame) > layout.capacity:
                return  # made for an older, bigger tile size: the next frame fits
            if self._write(layout, frame):
                self._frame = frame
                self._seq = frame.seq

    @staticmethod
    def _claim(layout: Layout, seq: int) -> int | None:
        """A buffer neither latest nor pinned, claimed for ``seq``; None: all are held."""
        latest = layout.latest()
        newest = latest & 7 if latest else -1

        def free() -> int | None:
            pins = layout.pins()
            return next((i for i in range(BUFFERS) if i != newest and not pins >> i & 1),
                        None)

        deadline = time.monotonic() + _CLAIM_WAIT_S
        for _ in range(_RETRIES * 4):
            index = free()
            while index is None and time.monotonic() < deadline:
                time.sleep(_CLAIM_POLL_S)  # a reader's check pin is going away
                index = free()
            if index is None:
                return None
            # Claim it, then check the reader did not pin it (module docstring).
            shm_atomic.store(layout.begin_at[index], seq)
            if not layout.pins() >> index & 1:
                return index
        return None

    def _write(self, layout: Layout, frame: Frame) -> bool:
        seq = frame.seq
        index = self._claim(layout, seq)
        if index is None:
            return False  # every other buffer is held on the GUI side: skip this frame
        write_frame(layout, index, frame)
        # Release stores: everything above is visible to whoever sees these.
        shm_atomic.store(layout.end_at[index], seq)
        shm_atomic.store(layout.latest_at, seq * 8 + index)  # the commit
        return True


