"""What every remux of the reader's packets needs: parameter sets and filled-in timestamps.

Evidence clips (``evidence.py``) and continuous recording (``commandroom.recording``) both
write the reader's Annex B access units to MP4 without re-encoding; both go through here.
"""

from __future__ import annotations

from fractions import Fraction

ANNEX_B_STARTS = (b"\x00\x00\x00\x01", b"\x00\x00\x01")


def with_parameter_sets(extradata: bytes | None, data: bytes) -> bytes:
    """``data`` (a keyframe that starts a file) with the connection's parameter sets first.

    Parameter sets that came only in the SDP must reach the MP4: the muxer (or PyAV's
    extradata extraction) takes them from the first packet. Repeating sets that the
    keyframe also carries in-band is harmless.
    """
    if extradata and extradata.startswith(ANNEX_B_STARTS):
        return extradata + data
    return data


def frame_ticks(rate: Fraction | None, time_base: Fraction) -> int:
    """One frame's duration in ``time_base`` units (1 when the rate is unknown)."""
    rate_tb = float(rate or 0) * float(time_base)
    return max(1, round(1 / rate_tb)) if rate_tb > 0 else 1


def fill_stamps(stamps: list[int | None], ticks: int) -> list[int | None]:
    """Fill missing decode timestamps from their neighbours, one frame (``ticks``) apart.

    The first keyframe of an RTSP session arrives with no timestamp, and a file that starts
    there must keep it (without its IDR the MP4 cannot be decoded at all).
    """
    filled = list(stamps)
    for i in range(len(filled) - 2, -1, -1):
        nxt = filled[i + 1]
        if filled[i] is None and nxt is not None:
            filled[i] = nxt - ticks
    for i in range(1, len(filled)):
        prev = filled[i - 1]
        if filled[i] is None and prev is not None:
            filled[i] = prev + ticks
    return filled


def increasing(dts: int, pts: int, last_dts: int | None) -> tuple[int, int]:
    """(dts, pts) nudged so dts strictly increases and pts >= dts: the MP4 muxer refuses
    anything else, and cameras do repeat a timestamp now and then."""
    if last_dts is not None and dts <= last_dts:
        dts = last_dts + 1
    return dts, max(pts, dts)
