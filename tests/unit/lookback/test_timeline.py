"""One camera's time line: local recording first, then the NVR, gaps with their reasons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commandroom.lookback.timeline import Span, SpanKind, merge_timeline
from commandroom.playback.ranges import GapReason as NvrReason
from commandroom.playback.ranges import Range, RangeKind
from commandroom.recording.index import GapRecord
from commandroom.recording.status import GapReason
from commandroom.recording.timeline import TimeRange

T = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
M = timedelta(minutes=1)


def test_local_wins_the_nvr_fills_in_and_gaps_say_why() -> None:
    local = [TimeRange(T + 10 * M, T + 20 * M, False), TimeRange(T + 40 * M, T + 60 * M, True)]
    nvr = [Range(T, T + 30 * M, RangeKind.RECORDED),
           Range(T + 30 * M, T + 35 * M, RangeKind.GAP, NvrReason.NO_RECORDING)]
    gaps = [GapRecord(1, 1, T + 20 * M, T + 40 * M, GapReason.STREAM_LOST, "")]
    spans = merge_timeline(T, T + 60 * M, local, nvr, gaps)
    assert spans == [
        Span(T, T + 10 * M, SpanKind.NVR),
        Span(T + 10 * M, T + 20 * M, SpanKind.LOCAL),
        Span(T + 20 * M, T + 30 * M, SpanKind.NVR),  # the NVR has what the station lost
        Span(T + 30 * M, T + 40 * M, SpanKind.GAP, "stream_lost"),
        Span(T + 40 * M, T + 60 * M, SpanKind.LOCAL, open=True),
    ]


def test_an_nvr_that_cannot_search_is_unknown_not_a_gap() -> None:
    spans = merge_timeline(T, T + 10 * M, [], [Range(T, T + 10 * M, RangeKind.UNKNOWN)],
                           [GapRecord(1, 1, T, None, GapReason.RECORDING_OFF, "")])
    assert spans == [Span(T, T + 10 * M, SpanKind.UNKNOWN, "recording_off")]


def test_no_sources_at_all_is_one_gap() -> None:
    assert merge_timeline(T, T + M, [], [], []) == [Span(T, T + M, SpanKind.GAP)]
