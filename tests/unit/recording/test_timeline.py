"""Timeline queries: recorded ranges, gaps, locks, and where wall-clock T is for playback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import av
import pytest
from sqlalchemy import text

from commandroom.auth.permissions import Actor, Role
from commandroom.recording.locks import EvidenceLocks
from commandroom.recording.status import GapReason
from commandroom.recording.timeline import RecordingCatalog, station_time
from commandroom.video.packet_sources import SegmentInfo
from tests.support.recording import ClipPacket, feed, packets_in
from tests.unit.recording.conftest import FAST, RecStack

Clip = tuple[SegmentInfo, list[ClipPacket]]
VIEWER = Actor("zhao", Role.VIEWER, 3)
DUTY = Actor("li", Role.DUTY_OFFICER, 2)
T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def _at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def recorded(stack: RecStack, clip: Clip) -> RecStack:
    """0-10 s recorded, camera lost 10-20 s, 20-26 s recorded (two connections)."""
    info, packets = clip
    recorder = stack.recorder(tuning=FAST, wall_clock=lambda: T0.timestamp() + 26).start()
    feed(recorder, info, packets_in(packets, 0, 10.0), T0.timestamp())
    recorder.end_segment(GapReason.STREAM_LOST, "timeout")
    feed(recorder, info, packets_in(packets, 0, 6.0), T0.timestamp() + 20)
    recorder.close(GapReason.RECORDING_OFF)
    return stack


def test_ranges_gaps_and_locks_of_a_window(recorded: RecStack) -> None:
    catalog = RecordingCatalog(recorded.index, recorded.root, clock=lambda: _at(60))
    EvidenceLocks(recorded.sessions, recorded.audit).lock(DUTY, recorded.cam.id, _at(5), _at(7))
    timeline = catalog.timeline(VIEWER, recorded.cam.id, _at(2), _at(23))
    assert [(r.start, r.end) for r in timeline.recorded] == [(_at(2), _at(10)),
                                                             (_at(20), _at(23))]
    assert [(g.reason, g.start_at, g.end_at) for g in timeline.gaps] == [
        (GapReason.STREAM_LOST, _at(10), _at(20))]
    assert [(lk.start_at, lk.end_at) for lk in timeline.locks] == [(_at(5), _at(7))]
    assert catalog.timeline(VIEWER, recorded.cam2.id, _at(0), _at(30)).recorded == []


def test_locate_gives_the_segment_file_and_the_offset_to_seek(recorded: RecStack) -> None:
    catalog = RecordingCatalog(recorded.index, recorded.root)
    position = catalog.locate(VIEWER, recorded.cam.id, _at(5.5))
    assert position is not None
    assert position.segment_start == _at(4) and position.offset_s == pytest.approx(1.5)
    # The playback reader opens the file and seeks: the frame there is the one at 5.5 s.
    with av.open(str(position.path)) as container:
        stream = container.streams.video[0]
        assert stream.time_base is not None
        container.seek(int(position.offset_s / stream.time_base), stream=stream)
        frame = next(container.decode(stream))
        assert frame.pts is not None
        assert float(frame.pts * stream.time_base) <= position.offset_s
    assert catalog.locate(VIEWER, recorded.cam.id, _at(15)) is None  # in the gap
    after = catalog.next_recorded(VIEWER, recorded.cam.id, _at(15))
    assert after is not None and after.segment_start == _at(20) and after.offset_s == 0


def test_queries_use_the_indexes(recorded: RecStack) -> None:
    with recorded.engine.connect() as conn:
        for table in ("recording_segment", "recording_gap", "evidence_lock"):
            plan = " ".join(str(row[-1]) for row in conn.execute(text(
                f"EXPLAIN QUERY PLAN SELECT * FROM {table} "
                "WHERE camera_id = 1 AND start_at > '2026' AND start_at < '2027'")))
            assert "USING INDEX" in plan, plan


def test_station_time_is_the_same_instant_in_local_time() -> None:
    local = station_time(T0)
    assert local == T0 and local.tzinfo is not None
