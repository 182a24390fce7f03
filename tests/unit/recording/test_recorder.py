"""The recorder on the reader's kind of feed: segments, index, time, gaps, never blocking."""

from __future__ import annotations

import hashlib
import itertools
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import av
import pytest
from sqlalchemy import delete

from commandroom.config import RecordingSettings
from commandroom.recording.models import RecordingGapRow
from commandroom.recording.recorder import RecorderTuning
from commandroom.recording.status import (
    GapReason,
    RecorderProblem,
    RecorderState,
    RecorderStatusChanged,
    SegmentClosed,
)
from commandroom.video.packet_sources import SegmentInfo
from tests.support.recording import ClipPacket, feed, ffprobe, iter_files, packets_in
from tests.unit.recording.conftest import FAST, RecStack

Clip = tuple[SegmentInfo, list[ClipPacket]]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR = datetime(2100, 1, 1, tzinfo=UTC)


def _record(stack: RecStack, clip: Clip, seconds: float, t0: float, **kwargs: Any) -> None:
    info, packets = clip
    # The station clock reads the end of the footage when recording stops.
    recorder = stack.recorder(tuning=FAST, wall_clock=lambda: t0 + seconds, **kwargs).start()
    feed(recorder, info, packets_in(packets, 0, seconds), t0)
    recorder.end_segment()
    recorder.close()


def test_segments_cut_at_keyframes_agree_with_ffprobe_and_the_stream(
    stack: RecStack, clip: Clip
) -> None:
    closed: list[SegmentClosed] = []
    stack.bus.subscribe(SegmentClosed, closed.append)
    t0 = time.time() - 60
    _info, packets = clip
    fed = packets_in(packets, 0, 13.0)
    _record(stack, clip, 13.0, t0)

    segments = stack.index.segments(stack.cam.id, EPOCH, FAR)
    # 4 s segments from a 2 s GOP: cuts at 4, 8, 12 s; the last one holds 12..13 s.
    assert [round(s.duration_s, 2) for s in segments] == [4.0, 4.0, 4.0, 1.0]
    assert [c.segment_id for c in closed] == [s.id for s in segments]
    assert segments[0].start_at == datetime.fromtimestamp(t0, UTC)
    for before, after in itertools.pairwise(segments):
        assert after.start_at == before.end_at  # one connection: no hairline gaps
    files = list(iter_files(stack.root))
    assert sorted(f.relative_to(stack.root).as_posix() for f in files) == sorted(
        s.path for s in segments)
    for segment in segments:
        path = stack.root / segment.path
        probe = ffprobe(path)
        assert probe["errors"] == ""
        assert probe["codec"] == "h264"
        assert probe["duration"] == pytest.approx(segment.duration_s, abs=0.001)
        assert probe["frames"] == round(segment.duration_s * 25)
        assert segment.bytes == path.stat().st_size
        assert segment.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert not segment.open
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.parent.stat().st_mode & 0o777 == 0o700
    stream_bytes = sum(p.packet.size for p in fed)
    disk_bytes = sum(f.stat().st_size for f in files)
    assert disk_bytes == pytest.approx(stream_bytes, rel=0.02)


def test_a_first_keyframe_without_timestamp_is_kept(stack: RecStack, clip: Clip) -> None:
    """RTSP through FFmpeg's parser gives the session's first keyframe no pts/dts."""
    info, packets = clip
    first = packets[0].packet
    bare = av.Packet(bytes(first))
    bare.is_keyframe = True
    bare.time_base = first.time_base
    recorder = stack.recorder(tuning=FAST).start()
    recorder.start_segment(info)
    recorder.append(bare, 1000.0)
    for item in packets_in(packets, 0.01, 3.0):
        recorder.append(item.packet, 1000.0 + item.media_s)
    recorder.close()
    (segment,) = stack.index.segments(stack.cam.id, EPOCH, FAR)
    probe = ffprobe(stack.root / segment.path)
    assert probe["frames"] == 75 and probe["errors"] == ""
    assert segment.start_at == datetime.fromtimestamp(1000.0, UTC)


def test_a_file_starts_on_a_keyframe(stack: RecStack, clip: Clip) -> None:
    info, packets = clip
    recorder = stack.recorder(tuning=FAST).start()
    # Joining mid-GOP (0.5 s after a keyframe): the file starts at the next one, 2.0 s.
    feed(recorder, info, packets_in(packets, 0.5, 5.0), 2000.0)
    recorder.close()
    (segment,) = stack.index.segments(stack.cam.id, EPOCH, FAR)
    assert segment.start_at == datetime.fromtimestamp(2002.0, UTC)
    assert ffprobe(stack.root / segment.path)["frames"] == 75


def test_reconnection_and_stall_are_gaps_with_their_reason(stack: RecStack, clip: Clip) -> None:
    info, packets = clip
    t0 = 3000.0
    recorder = stack.recorder(tuning=FAST).start()
    feed(recorder, info, packets_in(packets, 0, 4.0), t0)
    recorder.end_segment(GapReason.STREAM_LOST, "timeout")  # the camera went away
    # Back 6 s later on a new connection (its own timestamps start again).
    feed(recorder, info, packets_in(packets, 0, 4.0), t0 + 10.0)
    # Then the stream stalls: nothing from 14 s to 20 s of the connection's own time.
    for item in packets_in(packets, 10.0, 14.0):
        recorder.append(item.packet, t0 + 10.0 + item.media_s)
    recorder.close(GapReason.RECORDING_OFF)

    gaps = stack.index.gaps(stack.cam.id, EPOCH, FAR)
    assert [(g.reason, g.detail) for g in gaps] == [
        (GapReason.STREAM_LOST, "timeout"), (GapReason.STALLED, ""),
        (GapReason.RECORDING_OFF, "")]
    lost, stalled, off = gaps
    at = lambda s: datetime.fromtimestamp(t0 + s, UTC)  # noqa: E731
    assert (lost.start_at, lost.end_at) == (at(4.0), at(10.0))
    assert (stalled.start_at, stalled.end_at) == (at(14.0), at(20.0))
    assert off.start_at == at(24.0) and off.end_at is None
    segments = stack.index.segments(stack.cam.id, EPOCH, FAR)
    assert [(s.start_at, s.end_at) for s in segments] == [
        (at(0), at(4)), (at(10), at(14)), (at(20), at(24))]


def test_recording_again_after_the_app_was_not_running(stack: RecStack, clip: Clip) -> None:
    _record(stack, clip, 2.0, 4000.0)  # ended with "app not running" (close's default)
    _record(stack, clip, 2.0, 4100.0)
    gaps = stack.index.gaps(stack.cam.id, EPOCH, FAR)
    assert gaps[0].reason is GapReason.APP_NOT_RUNNING
    assert gaps[0].start_at == datetime.fromtimestamp(4002.0, UTC)
    assert gaps[0].end_at == datetime.fromtimestamp(4100.0, UTC)


def test_a_crash_before_leaves_an_app_not_running_gap(stack: RecStack, clip: Clip) -> None:
    """No gap row was written (killed): the next start still says why footage is missing."""
    _record(stack, clip, 2.0, time.time() - 100)
    with stack.sessions.begin() as session:
        session.execute(delete(RecordingGapRow))
    recorder = stack.recorder(tuning=FAST).start()
    recorder.close()
    (gap,) = stack.index.gaps(stack.cam.id, EPOCH, FAR)
    assert gap.reason is GapReason.APP_NOT_RUNNING and gap.end_at is None


def test_the_reader_never_waits_and_overflow_is_a_counted_gap(
    stack: RecStack, clip: Clip
) -> None:
    info, packets = clip
    statuses: list[RecorderStatusChanged] = []
    stack.bus.subscribe(RecorderStatusChanged, statuses.append)
    # The writer thread is not running yet: the queue (600 kB) fills and overflows.
    recorder = stack.recorder(tuning=RecorderTuning(max_queue_bytes=600_000,
                                                    sync_fragments=False))
    longest = feed(recorder, info, packets_in(packets, 0, 8.0), 5000.0)
    assert longest < 0.05
    dropped = recorder.progress().dropped_packets
    assert dropped > 100
    recorder.start()
    assert recorder.wait_idle(10)
    for item in packets_in(packets, 8.0, 10.0):  # room again: resumes at a keyframe (8 s)
        recorder.append(item.packet, 5000.0 + item.media_s)
    recorder.close()
    assert recorder.progress().dropped_packets == dropped
    segments = stack.index.segments(stack.cam.id, EPOCH, FAR)
    assert segments[-1].start_at == datetime.fromtimestamp(5008.0, UTC)
    overflow = [g for g in stack.index.gaps(stack.cam.id, EPOCH, FAR)
                if g.reason is GapReason.QUEUE_OVERFLOW]
    assert len(overflow) == 1 and overflow[0].end_at == segments[-1].start_at
    problems = [s.status.problem for s in statuses]
    assert RecorderProblem.QUEUE_OVERFLOW in problems
    assert statuses[-1].status.state is RecorderState.STOPPED
    assert statuses[-1].status.dropped_packets == dropped


def test_wall_time_follows_the_least_delayed_packet(stack: RecStack, clip: Clip) -> None:
    """A burst of old frames at connection (arrivals late) does not shift the timeline."""
    info, packets = clip
    recorder = stack.recorder(tuning=FAST).start()
    recorder.start_segment(info)
    for item in packets_in(packets, 0, 4.0):
        # The first second arrives all at once at 1.0 s, then frames come on time + 30 ms.
        arrival = 6000.0 + max(1.0, item.media_s) + 0.03
        recorder.append(item.packet, arrival)
    recorder.close()
    (segment,) = stack.index.segments(stack.cam.id, EPOCH, FAR)
    assert segment.start_at == datetime.fromtimestamp(6000.03, UTC)
    assert segment.end_at - segment.start_at == timedelta(seconds=4)


def test_segment_length_is_a_setting(stack: RecStack, clip: Clip) -> None:
    _record(stack, clip, 13.0, 7000.0,
            settings=RecordingSettings(segment_s=6.0, fragment_s=2.0))
    segments = stack.index.segments(stack.cam.id, EPOCH, FAR)
    assert [round(s.duration_s) for s in segments] == [6, 6, 1]


def test_lengths_out_of_range_are_corrected_and_said(caplog: pytest.LogCaptureFixture) -> None:
    from commandroom.recording.segmenter import checked_lengths

    assert checked_lengths(RecordingSettings(segment_s=60.0, fragment_s=1.5)) == (60.0, 1.5)
    assert caplog.text == ""
    assert checked_lengths(RecordingSettings(segment_s=0.0, fragment_s=30.0)) == (1.0, 1.0)
    assert "segment_s=0.0 fragment_s=30.0 out of range" in caplog.text
