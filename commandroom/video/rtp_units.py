"""Low-latency H.264 over RTSP: decode a frame as soon as its last slice has arrived.

FFmpeg's RTSP demuxer runs the H.264 parser to cut the stream into access units (frames),
and the parser can only tell that a frame has ended when the first NAL unit of the NEXT
frame arrives: every frame waits one frame interval (40 ms at 25 fps). Measured on the
/barcode test mount: 63 ms glass-to-glass with the parser, 23 ms without it.

With ``fflags=+noparse`` the demuxer hands out what the RTP depacketiser produced: one
packet per NAL unit (several for an aggregation packet), or one per FU-A fragment of a
large NAL unit, where only the first fragment starts with a start code. This module puts
the fragments back together and releases each NAL unit as soon as it is whole; the
decoder, opened with ``flags2=+chunks``, outputs a picture when its last macroblock row is
decoded. It also groups everything by timestamp into whole access units for the evidence
ring, which needs frames with keyframe flags (one frame late there does not matter).

When is a NAL unit whole? FFmpeg drops the RTP marker and the FU-A end bit, so this
infers it: payloaders fill every fragment but the last to the same maximum size, so a
continuation smaller than the largest seen ends its NAL unit, and a packet with a start
code smaller than a fragment's head is a whole NAL unit. Until a fragmented NAL unit has
shown that size, packets of ``UNKNOWN_HEAD_LIMIT`` bytes or more wait for the next packet;
each one that turns out whole raises that limit (a fragment's head is at most one byte
smaller than the largest whole NAL unit an RTP packet can carry).
Every doubt resolves to waiting (correct, one packet later). If the stream ever proves the
inference wrong (a continuation arrives for a NAL unit already released), this stream falls
back to releasing NAL units only when the next one starts, for the rest of the connection
(after a few such cases, so that a head lost on UDP is not taken for one).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

START_CODE = b"\x00\x00\x00\x01"
_SHORT_START_CODE = b"\x00\x00\x01"
# Smallest RTP payload a camera's payloader plausibly fragments at (IPv6 minimum MTU 1280
# minus headers): below this, a packet with a start code is a whole NAL unit.
UNKNOWN_HEAD_LIMIT = 1000

_MISJUDGED_BEFORE_FALLBACK = 3
_H264_IDR = 5
_H264_SPS = 7
_HEVC_IRAP = range(16, 24)


def _nal_header_size(codec: str) -> int:
    return 2 if codec == "hevc" else 1


def _is_keyframe_nal(codec: str, first_byte: int) -> bool:
    if codec == "hevc":
        return (first_byte >> 1) & 0x3F in _HEVC_IRAP
    return first_byte & 0x1F == _H264_IDR


def has_key_nal(data: bytes) -> bool:
    """H.264 Annex B data holding an SPS or an IDR slice: decoding can start here."""
    start = 0
    while True:
        found = data.find(_SHORT_START_CODE, start)
        if found < 0 or found + 3 >= len(data):
            return False
        if data[found + 3] & 0x1F in (_H264_IDR, _H264_SPS):
            return True
        start = found + 3


def _starts_with_start_code(data: bytes) -> bool:
    return data.startswith(START_CODE) or data.startswith(_SHORT_START_CODE)


@dataclass(slots=True)
class AccessUnit:
    """One frame's NAL units in Annex B, as the evidence ring keeps it."""

    data: bytes
    pts: int | None
    keyframe: bool
    arrival: float  # when its first piece arrived


@dataclass(slots=True)
class Released:
    """What one demuxed packet made ready."""

    nal_units: list[bytes] = field(default_factory=list)  # to decode now, in order
    access_unit: AccessUnit | None = None  # the previous frame, now complete


class NalAssembler:
    """Turns ``fflags=+noparse`` RTSP packets back into NAL units and access units."""

    def __init__(self, codec: str) -> None:
        self._codec = codec
        self._head_overhead = len(START_CODE) + _nal_header_size(codec)
        self._pending: list[bytes] = []  # pieces of the NAL unit being put together
        self._fragment_size = 0  # largest continuation seen: the payloader's fragment size
        self._proven_whole = 0  # packets smaller than this are whole NAL units (learnt)
        self._started = False
        self.fallback = False  # True once the stream broke the fragment-size inference
        self._released_early = False  # the last packet ended a NAL unit by size alone
        self._fragmented = 0  # NAL units that came in fragments
        self._misjudged = 0  # fragments that came after their unit was released
        self._au_pieces: list[bytes] = []
        self._au_pts: int | None = None
        self._au_key = False
        self._au_arrival = 0.0

    def push(self, data: bytes, pts: int | None, arrival: float = 0.0) -> Released:
        released = Released()
        head = _starts_with_start_code(data)
        if not head and not self._started:
            return released  # joined in the middle of a NAL unit: wait for the next one
        if self._au_pieces and pts != self._au_pts:
            released.access_unit = AccessUnit(
                b"".join(self._au_pieces), self._au_pts, self._au_key, self._au_arrival
            )
            self._au_pieces, self._au_key = [], False
        if not self._au_pieces:
            self._au_arrival = arrival
        self._au_pts = pts
        self._au_pieces.append(data)
        if head:
            self._started = True
            if self._pending:  # the next NAL unit starts, so the pending one is whole
                if len(self._pending) == 1:
                    self._proven_whole = max(self._proven_whole, len(self._pending[0]) - 1)
                released.nal_units.append(self._take_pending())
            self._au_key = self._au_key or self._has_keyframe_nal(data)
            self._pending.append(data)
            self._released_early = not self.fallback and len(data) < self._head_limit()
            if self._released_early:
                released.nal_units.append(self._take_pending())
            return released
        if not self._pending:
            if self._released_early and not self.fallback:
                # Either the NAL unit we just released as whole goes on (this payloader
                # does not fill its fragments, so sizes say nothing), or the head of the
                # next one was lost (UDP). The first happens to most fragmented units,
                # the second rarely: a few, and a quarter of them, mean the first.
                self._misjudged += 1
                if self._misjudged >= _MISJUDGED_BEFORE_FALLBACK and (
                    4 * self._misjudged >= self._fragmented + self._misjudged
                ):
                    self.fallback = True
                    log.info("RTP fragments of irregular size: one frame of extra latency")
            # Nothing to put this piece on: the frame it belonged to is damaged; the
            # decoder conceals it and the next keyframe repairs it.
            self._released_early = False
            return released
        if len(self._pending) == 1:
            self._fragmented += 1
        self._pending.append(data)
        size = len(data)
        self._released_early = False
        if size > self._fragment_size:
            self._fragment_size = size
        elif size < self._fragment_size and not self.fallback:
            self._released_early = True
            released.nal_units.append(self._take_pending())
        return released

    def _head_limit(self) -> int:
        if self._fragment_size:
            # The first continuation seen may have been a short last one, so the size
            # learnt can be too small: what was proven whole still counts.
            return max(self._fragment_size + self._head_overhead, self._proven_whole)
        return max(UNKNOWN_HEAD_LIMIT, self._proven_whole)

    def _take_pending(self) -> bytes:
        pieces, self._pending = self._pending, []
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def _has_keyframe_nal(self, data: bytes) -> bool:
        # A head piece may hold several NAL units (an aggregation packet): look at each.
        start = 0
        while True:
            found = data.find(_SHORT_START_CODE, start)
            if found < 0 or found + 3 >= len(data):
                return False
            if _is_keyframe_nal(self._codec, data[found + 3]):
                return True
            start = found + 3
