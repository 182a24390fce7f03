"""The sender's wall clock for RTSP streams: ``AVFormatContext.start_time_realtime``.

FFmpeg's RTSP demuxer sets it from the first RTCP sender report: the wall time, by the
CAMERA's clock (NTP), at which media time 0 of the stream was captured. A frame's
capture time is then ``start_time_realtime + pts * time_base``, and its end-to-end delay
is its arrival minus that: the camera's clock against ours, so both must be set by NTP
(cameras are; the ONVIF wizard sets them). Until a report arrives, or for a stream whose
server sends none, the delay is unknown and the tile says so.

PyAV does not expose the field, so it is read with ctypes and found defensively:
``AVFormatContext`` has kept this order for years (FFmpeg 4 to 8)::

    int64_t max_analyze_duration;   ... (key, keylen, programs, codec ids, metadata)
    int64_t start_time_realtime;
    int fps_probe_size;
    int error_recognition;
    AVIOInterruptCB interrupt_callback;

``interrupt_callback`` is located the way native_interrupt proves it (its opaque points
into the PyAV container), and the neighbours must hold what this code set or FFmpeg's
defaults: ``max_analyze_duration`` = the analyzeduration NetworkSource passes,
``fps_probe_size`` = -1, ``error_recognition`` = AV_EF_CRCCHECK (1); the value itself must
be "unknown" or a time in 2000-2100. Anything else: the layout is not the expected one,
nothing is read, and the delay stays unknown.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from typing import Any

from commandroom.video.gil_free_reads import format_context, interrupt_callback_offset

log = logging.getLogger(__name__)

AV_NOPTS_VALUE = -(2**63)
_FPS_PROBE_SIZE_DEFAULT = -1
_ERROR_RECOGNITION_DEFAULT = 1  # AV_EF_CRCCHECK
# From start_time_realtime back to max_analyze_duration: key (pointer), keylen and
# nb_programs (2 ints), programs (pointer), 4 codec ids (ints), metadata (pointer).
_POINTER = ctypes.sizeof(ctypes.c_void_p)
_TO_MAX_ANALYZE = 8 + 3 * _POINTER + 2 * 4 + 4 * 4
_YEAR_2000_US = 946_684_800_000_000
_YEAR_2100_US = 4_102_444_800_000_000

_warned = threading.Event()


class SenderClock:
    """Reads one playing container's ``start_time_realtime``; from the reading thread only
    (the container must not be closed meanwhile)."""

    def __init__(self, container: Any, address: int) -> None:
        self._container = container  # the field lives in its AVFormatContext
        self._value = ctypes.c_int64.from_address(address)

    def epoch(self) -> float | None:
        """Wall time (s) at media time 0 by the sender's clock; None until a report came."""
        value = self._value.value
        if value == AV_NOPTS_VALUE or not _YEAR_2000_US < value < _YEAR_2100_US:
            return None
        return value / 1e6


def attach(container: Any, analyze_duration_us: int) -> SenderClock | None:
    """Locate the field in a playing RTSP container (the same moment native_interrupt
    attaches: demux has yielded a packet)."""
    context = format_context(container)
    offset = interrupt_callback_offset(context, container) if context else None
    if offset is None or offset < 16 + _TO_MAX_ANALYZE:
        _not_recognised()
        return None
    field = context + offset - 16
    fps_probe_size = ctypes.c_int.from_address(field + 8).value
    error_recognition = ctypes.c_int.from_address(field + 12).value
    max_analyze = ctypes.c_int64.from_address(field - _TO_MAX_ANALYZE).value
    value = ctypes.c_int64.from_address(field).value
    plausible = value == AV_NOPTS_VALUE or _YEAR_2000_US < value < _YEAR_2100_US
    if (fps_probe_size, error_recognition, max_analyze) != (
        _FPS_PROBE_SIZE_DEFAULT, _ERROR_RECOGNITION_DEFAULT, analyze_duration_us
    ) or not plausible:
        _not_recognised()
        return None
    return SenderClock(container, field)


def _not_recognised() -> None:
    if not _warned.is_set():
        _warned.set()
        log.info("FFmpeg layout not recognised: end-to-end delay of RTSP streams unknown")
