"""What the timeline gets from a recorder: ranges that are recorded, gaps, or unknown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum


class GapReason(StrEnum):
    """Why nothing plays for a time (the UI turns these into sentences)."""

    NOT_CONFIGURED = "not_configured"  # the camera has no recorder
    NO_RECORDING = "no_recording"  # the recorder says it holds nothing for that time
    NO_DATA = "no_data"  # the recorder accepted the request but sent no video
    UNREACHABLE = "unreachable"  # no connection to the recorder
    TIMEOUT = "timeout"  # the recorder did not answer in time
    AUTH = "auth"  # user name or password refused
    UNSUPPORTED = "unsupported"  # no replay/search service, or replay refused (551)
    BACKING_OFF = "backing_off"  # the recorder failed recently; not asked again yet
    ERROR = "error"  # anything else the recorder answered


# Reasons that say something about the TIME asked for (remembered for that range);
# the others say something about the DEVICE (it is left alone for a while: backoff).
RANGE_REASONS = frozenset({GapReason.NO_RECORDING, GapReason.NO_DATA})


class RangeKind(StrEnum):
    RECORDED = "recorded"
    GAP = "gap"  # known: nothing recorded (``reason`` says how we know)
    UNKNOWN = "unknown"  # the recorder cannot say (no search for its kind) or failed


@dataclass(frozen=True)
class Range:
    """[start, end) in true UTC."""

    start: dt.datetime
    end: dt.datetime
    kind: RangeKind
    reason: GapReason | None = None
    # False: bounds taken from coarser facts (a recording's earliest/latest times).
    exact: bool = True


@dataclass(frozen=True)
class Gap:
    """The answer to "play this time" when nothing will play; never an exception."""

    start: dt.datetime
    end: dt.datetime
    reason: GapReason
    retry_in_s: float | None = None  # BACKING_OFF: when the recorder is asked again
    detail: str = ""  # one English sentence for the log (no credentials)


def merge(ranges: Sequence[Range]) -> list[Range]:
    """Sort and join neighbours of the same kind, reason and exactness."""
    merged: list[Range] = []
    for item in sorted(ranges, key=lambda r: (r.start, r.end)):
        if item.start >= item.end:
            continue
        last = merged[-1] if merged else None
        if (last is not None and item.start <= last.end and item.kind == last.kind
                and item.reason == last.reason and item.exact == last.exact):
            merged[-1] = replace(last, end=max(last.end, item.end))
        else:
            merged.append(item)
    return merged


def complement(covered: Sequence[tuple[dt.datetime, dt.datetime]], start: dt.datetime,
               end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """The parts of [start, end) that no interval in ``covered`` touches."""
    holes: list[tuple[dt.datetime, dt.datetime]] = []
    cursor = start
    for a, b in sorted(covered):
        if a > cursor:
            holes.append((cursor, min(a, end)))
        cursor = max(cursor, b)
        if cursor >= end:
            break
    if cursor < end:
        holes.append((cursor, end))
    return [(a, b) for a, b in holes if a < b]


def overlay(base: Sequence[Range], on_top: Sequence[Range]) -> list[Range]:
    """``base`` with every ``on_top`` range cut out of it and put in its place."""
    result: list[Range] = []
    for item in base:
        pieces = [(item.start, item.end)]
        for top in on_top:
            next_pieces = []
            for a, b in pieces:
                if top.end <= a or top.start >= b:
                    next_pieces.append((a, b))
                    continue
                if a < top.start:
                    next_pieces.append((a, top.start))
                if top.end < b:
                    next_pieces.append((top.end, b))
            pieces = next_pieces
        result.extend(replace(item, start=a, end=b) for a, b in pieces)
    window_start = min((r.start for r in base), default=None)
    window_end = max((r.end for r in base), default=None)
    if window_start is not None and window_end is not None:
        for top in on_top:
            a, b = max(top.start, window_start), min(top.end, window_end)
            if a < b:
                result.append(replace(top, start=a, end=b))
    return merge(result)
