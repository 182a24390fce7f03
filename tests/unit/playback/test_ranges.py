"""Timeline ranges: merging, holes, and learned gaps laid over a window."""

from __future__ import annotations

import datetime as dt

from commandroom.playback.ranges import GapReason, Range, RangeKind, complement, merge, overlay

T0 = dt.datetime(2024, 3, 5, 8, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
REC, GAP, UNKNOWN = RangeKind.RECORDED, RangeKind.GAP, RangeKind.UNKNOWN


def test_merge_joins_touching_ranges_of_the_same_kind_only() -> None:
    got = merge([Range(T0 + H, T0 + 2 * H, REC), Range(T0, T0 + H, REC),
                 Range(T0 + 2 * H, T0 + 3 * H, GAP, GapReason.NO_RECORDING),
                 Range(T0 + 4 * H, T0 + 4 * H, REC)])
    assert got == [Range(T0, T0 + 2 * H, REC),
                   Range(T0 + 2 * H, T0 + 3 * H, GAP, GapReason.NO_RECORDING)]


def test_complement_of_recorded_stretches() -> None:
    covered = [(T0 + H, T0 + 2 * H), (T0 + 1.5 * H, T0 + 3 * H), (T0 + 5 * H, T0 + 9 * H)]
    assert complement(covered, T0, T0 + 6 * H) == [(T0, T0 + H), (T0 + 3 * H, T0 + 5 * H)]
    assert complement([], T0, T0 + H) == [(T0, T0 + H)]
    assert complement([(T0 - H, T0 + 2 * H)], T0, T0 + H) == []


def test_a_learned_gap_cuts_into_an_unknown_window() -> None:
    window = [Range(T0, T0 + 4 * H, UNKNOWN, exact=False)]
    learned = [Range(T0 + H, T0 + 2 * H, GAP, GapReason.NO_DATA),
               Range(T0 + 3.5 * H, T0 + 6 * H, GAP, GapReason.NO_RECORDING)]
    assert overlay(window, learned) == [
        Range(T0, T0 + H, UNKNOWN, exact=False),
        Range(T0 + H, T0 + 2 * H, GAP, GapReason.NO_DATA),
        Range(T0 + 2 * H, T0 + 3.5 * H, UNKNOWN, exact=False),
        Range(T0 + 3.5 * H, T0 + 4 * H, GAP, GapReason.NO_RECORDING),  # clipped to window
    ]
    assert overlay(window, []) == window
