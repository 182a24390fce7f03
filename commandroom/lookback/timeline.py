"""One camera's time line: what plays where, from the local recording and the NVR.

``merge_timeline`` cuts the window into spans that do not overlap: LOCAL where the
station recorded (it plays first), NVR where the camera's recorder says it holds video,
UNKNOWN where the recorder cannot say (Hikvision and Dahua have no search this project
speaks: playback will try), GAP elsewhere with the reason the recording index gives
(or the NVR's). Evidence locks ride along for the timeline to draw.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from commandroom.playback.ranges import Range, RangeKind
from commandroom.recording.index import GapRecord
from commandroom.recording.locks import EvidenceLock
from commandroom.recording.timeline import TimeRange


class SpanKind(StrEnum):
    LOCAL = "local"
    NVR = "nvr"
    UNKNOWN = "unknown"
    GAP = "gap"


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime
    kind: SpanKind
    reason: str = ""  # GAP: a recording GapReason value, else an NVR GapReason value
    open: bool = False  # LOCAL: still being recorded (ends "now")


@dataclass(frozen=True)
class CameraTimeline:
    camera_id: int
    start: datetime
    end: datetime
    spans: list[Span]
    local: list[TimeRange]
    nvr: list[Range]
    gaps: list[GapRecord]
    locks: list[EvidenceLock]


def _covering(moment: datetime, ranges: Sequence[tuple[datetime, datetime]]) -> int | None:
    for index, (start, end) in enumerate(ranges):
        if start <= moment < end:
            return index
    return None


def merge_timeline(start: datetime, end: datetime, local: Sequence[TimeRange],
                   nvr: Sequence[Range], gaps: Sequence[GapRecord]) -> list[Span]:
    cuts = {start, end}
    bounds = [(r.start, r.end) for r in local] + [(r.start, r.end) for r in nvr]
    for a, b in bounds:
        cuts.update(t for t in (a, b) if start < t < end)
    for gap in gaps:
        cuts.update(t for t in (gap.start_at, gap.end_at) if t is not None and start < t < end)
    points = sorted(cuts)
    local_spans = [(r.start, r.end) for r in local]
    nvr_spans = [(r.start, r.end) for r in nvr]
    gap_spans = [(g.start_at, g.end_at or end) for g in gaps]
    spans: list[Span] = []
    for a, b in itertools.pairwise(points):
        found = _covering(a, local_spans)
        if found is not None:
            span = Span(a, b, SpanKind.LOCAL, open=local[found].open)
        else:
            span = _elsewhere(a, b, nvr, _covering(a, nvr_spans), gaps, _covering(a, gap_spans))
        last = spans[-1] if spans else None
        if last is not None and (last.kind, last.reason, last.open) == (
                span.kind, span.reason, span.open):
            spans[-1] = Span(last.start, b, last.kind, last.reason, last.open)
        else:
            spans.append(span)
    return spans


def _elsewhere(a: datetime, b: datetime, nvr: Sequence[Range], at_nvr: int | None,
               gaps: Sequence[GapRecord], at_gap: int | None) -> Span:
    local_reason = gaps[at_gap].reason.value if at_gap is not None else ""
    if at_nvr is not None:
        found = nvr[at_nvr]
        if found.kind is RangeKind.RECORDED:
            return Span(a, b, SpanKind.NVR)
        if found.kind is RangeKind.UNKNOWN:
            return Span(a, b, SpanKind.UNKNOWN, local_reason)
        return Span(a, b, SpanKind.GAP, local_reason or (found.reason or ""))
    return Span(a, b, SpanKind.GAP, local_reason)
