"""The timeline's light read: segment times agree with the full segment rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

from commandroom.recording.index import SegmentTimes
from commandroom.video.packet_sources import SegmentInfo
from tests.unit.recording.conftest import RecStack

T = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
M = timedelta(minutes=1)
INFO = SegmentInfo("h264", 640, 360, Fraction(1, 90000), Fraction(25), None)


def test_segment_times_match_segments_in_any_window(stack: RecStack) -> None:
    index, cam = stack.index, stack.cam.id
    for minute in (0, 1, 2, 5, 6):
        seg = index.open_segment(cam, "cam", f"a/{minute}.mp4", T + minute * M, INFO, None)
        index.close_segment(seg, T + minute * M, T + (minute + 1) * M, 10, "0" * 64)
    index.open_segment(cam, "cam", "a/open.mp4", T + 7 * M, INFO, None)  # being written
    other = stack.cam2.id
    seg = index.open_segment(other, "cam2", "b/0.mp4", T, INFO, None)
    index.close_segment(seg, T, T + M, 10, "0" * 64)
    for start, end in ((T, T + 10 * M), (T + 90 * M / 60, T + 3 * M), (T + 3 * M, T + 5 * M),
                       (T + 7 * M, T + 8 * M), (T - M, T)):
        full = [SegmentTimes(s.start_at, s.end_at, s.open)
                for s in index.segments(cam, start, end)]
        assert index.segment_times(cam, start, end) == full
    assert [s.open for s in index.segment_times(cam, T, T + 10 * M)] == [False] * 5 + [True]
