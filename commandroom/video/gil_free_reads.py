"""Keep FFmpeg's interrupt callback off the GIL while a stream plays.

PyAV bounds blocking calls with an interrupt callback written in Cython: FFmpeg calls it
before every socket read and poll, and each call takes the GIL to read the clock. Counted
on RTSP/TCP 640x360@25: 50 calls per frame, so 64 streams make 80,000 GIL hand-overs a
second between reader threads that otherwise spend their time in C (demux, decode and
scale all release the GIL). That convoy, not the work, is what stops one Python process
from playing many streams.

The callback returns at once, without the GIL, when its record's timeout is negative
(PyAV's "no timeout"). Once a stream is playing, ``attach`` sets it so: reads are then
bounded by FFmpeg's own socket timeout, which ``NetworkSource`` always sets to the read
timeout (opening keeps PyAV's open timeout). ``abort()`` sets the timeout to zero, and the
next poll takes the slow path and stops the call.

PyAV does not expose that record; ``attach`` finds it through the ``AVFormatContext`` (whose
interrupt callback points at it) and proves it before writing anything: the context's
``AVClass`` must be named "AVFormatContext", the callback's record must lie inside the
container object, and it must hold the read timeout PyAV has just set. If any check fails
(another PyAV layout), nothing is changed and the stream keeps PyAV's behaviour: slower
with many streams, never wrong.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from typing import Any

import av.container

log = logging.getLogger(__name__)

_POINTER = ctypes.sizeof(ctypes.c_void_p)
# Where a Cython extension type keeps its first C field: after the object header and the
# table of its C methods. PyAV's Container declares ``AVFormatContext *ptr`` first.
_PTR_OFFSETS = (3 * _POINTER, 2 * _POINTER)
# How far into AVFormatContext to look for the interrupt callback (it sits ~220 bytes in
# FFmpeg 7; the struct is over 1 kB in every FFmpeg PyAV ships, so this reads inside it).
_SCAN_BYTES = 640
_AV_CLASS_NAME = b"AVFormatContext"

_warned = threading.Event()


class NativeInterrupt:
    """PyAV's timeout record of one playing container, for ``abort()``."""

    def __init__(self, container: Any, record: ctypes.Array[ctypes.c_double]) -> None:
        self._container = container  # the record lives inside it
        self._record = record  # (start_time, timeout), seconds

    def abort(self) -> None:
        """Make the container's current blocking call return at its next poll."""
        self._record[0] = 0.0
        self._record[1] = 0.0


def _read_pointer(address: int) -> int:
    return ctypes.c_void_p.from_address(address).value or 0


def _format_context(container: Any) -> int:
    base = id(container)
    for offset in _PTR_OFFSETS:
        pointer = _read_pointer(base + offset)
        if not pointer:
            continue
        av_class = _read_pointer(pointer)
        if not av_class:
            continue
        name_address = _read_pointer(av_class)
        if name_address and ctypes.string_at(name_address, len(_AV_CLASS_NAME) + 1) == (
            _AV_CLASS_NAME + b"\0"
        ):
            return pointer
    return 0


def interrupt_callback_offset(context: int, container: Any) -> int | None:
    """Offset in AVFormatContext of ``interrupt_callback``: the (callback, opaque) pair
    whose opaque points into the container object (PyAV's timeout record)."""
    base, size = id(container), type(container).__basicsize__
    for offset in range(0, _SCAN_BYTES, _POINTER):
        callback = _read_pointer(context + offset)
        opaque = _read_pointer(context + offset + _POINTER)
        if callback and base < opaque <= base + size - 2 * ctypes.sizeof(ctypes.c_double):
            return offset
    return None


def format_context(container: Any) -> int:
    """Address of a PyAV input container's AVFormatContext, proven by its AVClass name; 0
    when this PyAV's layout is not the one expected."""
    if not isinstance(container, av.container.InputContainer):
        return 0
    return _format_context(container)


def _timeout_record(context: int, container: Any) -> int:
    """Address of PyAV's timeout record: the opaque of the context's interrupt callback."""
    offset = interrupt_callback_offset(context, container)
    return 0 if offset is None else _read_pointer(context + offset + _POINTER)


def attach(container: Any) -> NativeInterrupt | None:
    """Call from the reading thread once ``demux()`` has yielded its first packet."""
    context = format_context(container)  # 0 unless a PyAV input container
    address = _timeout_record(context, container) if context else 0
    record = (ctypes.c_double * 2).from_address(address) if address else None
    if record is None or record[1] != float(container.read_timeout or -1):
        if not _warned.is_set():
            _warned.set()
            log.info("PyAV layout not recognised: streams keep PyAV's interrupt callback")
        return None
    record[1] = -1.0
    return NativeInterrupt(container, record)
