"""Recording a real RTSP stream (the test server's pre-encoded clip), and a kill -9."""

from __future__ import annotations

import itertools
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from commandroom.config import RecordingSettings
from commandroom.db.engine import open_database
from commandroom.files import private_dir
from commandroom.recording.index import RecordingIndex
from commandroom.recording.recorder import RecordedCamera, Recorder, RecorderTuning
from commandroom.recording.recovery import recover
from commandroom.recording.writer_thread import GATHER_S
from tests.support.record_driver import drive
from tests.support.recording import add_camera, ffprobe, iter_files
from tests.support.rtsp import REPO, RtspTestServer

pytestmark = pytest.mark.integration

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR = datetime(2100, 1, 1, tzinfo=UTC)
FPS = 25
GOP_S = 2.0  # scripts/make_test_clip.sh: -g 50 at 25 fps


@dataclass
class Db:
    sessions: sessionmaker[Session]
    index: RecordingIndex
    root: Path
    camera: int
    url: str


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Db]:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine, sessions = open_database(url)
    root = tmp_path / "recordings"
    private_dir(root)
    yield Db(sessions, RecordingIndex(sessions), root, add_camera(sessions, "Bus Station"), url)
    engine.dispose()


@pytest.mark.parametrize("low_latency", [True, False], ids=["rtp-units", "ffmpeg-parser"])
def test_recording_the_rtsp_clip_agrees_with_ffprobe_and_the_stream(
    rtsp_server: RtspTestServer, db: Db, low_latency: bool
) -> None:
    """Short segments from the reader's own feed (both ways it assembles frames)."""
    recorder = Recorder(RecordedCamera(db.camera, "Bus Station"), db.index, db.root,
                        RecordingSettings(segment_s=4.0, fragment_s=1.0),
                        tuning=RecorderTuning(sync_fragments=True)).start()
    try:
        stats = drive(rtsp_server.url("clip7" if low_latency else "clip9"), recorder,
                      threading.Event(), seconds=13.0, low_latency=low_latency)
    finally:
        recorder.close()

    segments = db.index.segments(db.camera, EPOCH, FAR)
    files = list(iter_files(db.root))
    assert sorted(f.relative_to(db.root).as_posix() for f in files) == sorted(
        s.path for s in segments)
    # 13 s from a keyframe, cut every 4 s at a keyframe (2 s GOP): 4, 4, 4 and the rest.
    assert len(segments) == 4
    for segment in segments[:-1]:
        assert segment.duration_s == pytest.approx(4.0, abs=0.01)
    total_media = sum(s.duration_s for s in segments)
    assert total_media == pytest.approx(stats.media_s + 1 / FPS, abs=0.05)
    for before, after in itertools.pairwise(segments):
        assert after.start_at == before.end_at
    # The timeline is the station clock. With FFmpeg's parser the stream probe at open
    # holds the first second (analyzeduration) and hands it over late: the timeline
    # follows the least-delayed packets, so it starts up to that much before the first
    # packet's arrival stamp.
    lead = stats.first_arrival - segments[0].start_at.timestamp()
    assert -0.05 <= lead <= (0.1 if low_latency else 1.1), lead
    for segment in segments:
        probe = ffprobe(db.root / segment.path)
        assert probe["errors"] == "" and probe["codec"] == "h264"
        assert probe["duration"] == pytest.approx(segment.duration_s, abs=0.001)
        assert probe["frames"] == round(segment.duration_s * FPS)
        assert segment.bytes == (db.root / segment.path).stat().st_size
    on_disk = sum(f.stat().st_size for f in files)
    assert on_disk == pytest.approx(stats.bytes, rel=0.02), (on_disk, stats.bytes)


def _progress_lines(proc: subprocess.Popen[str], until: float) -> Iterator[list[float]]:
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < until:
            if not selector.select(until - time.monotonic()):
                continue
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(f"recorder process ended (rc={proc.poll()})")
            if line.startswith("PROGRESS"):
                yield [float(v) for v in line.split()[1:]]
    raise TimeoutError("recorder process did not get far enough")


def test_kill_9_mid_segment_then_recovery_loses_at_most_the_last_fragment(
    rtsp_server: RtspTestServer, db: Db
) -> None:
    fragment_s = 1.0
    cmd = [sys.executable, "-m", "tests.support.record_driver", "--db", db.url,
           "--root", str(db.root), "--camera", str(db.camera), "--url",
           rtsp_server.url("clip8"), "--segment-s", "4", "--fragment-s", str(fragment_s)]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        last: list[float] = []
        for last in _progress_lines(proc, time.monotonic() + 60):
            closed, durable, closed_end, fed = last
            # Two files closed, and 2.5 s into the third one (4 s long): mid-segment.
            if closed >= 2 and fed - closed_end >= 2.5:
                break
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
    closed, durable, closed_end, fed = last

    open_before = [s for s in db.index.all_segments() if s.open]
    assert len(open_before) == 1  # the one being written when it died
    report = recover(db.index, db.root)

    rows = db.index.all_segments()
    assert all(not r.open for r in rows) and len(rows) == closed + 1
    on_disk = sorted(p.relative_to(db.root).as_posix() for p in iter_files(db.root))
    assert on_disk == sorted(r.path for r in rows)  # no orphan row, no unknown file
    last_segment = max(rows, key=lambda r: r.start_at)
    assert report.repaired == [last_segment.path] and last_segment.note == "recovered"
    probe = ffprobe(db.root / last_segment.path)
    assert probe["errors"] == ""
    assert probe["frames"] == round(last_segment.duration_s * FPS)
    end = last_segment.end_at.timestamp()
    assert last_segment.start_at.timestamp() == pytest.approx(closed_end, abs=0.001)
    # Everything reported on disk before the kill is there; what was lost is at most the
    # fragment being gathered and the writer's batch (the report is up to 0.1 s old).
    assert end >= durable - 0.001
    assert fed - end <= fragment_s + GATHER_S + 0.1, (fed, end)


def test_h265_is_recorded_the_same_way(rtsp_server: RtspTestServer, db: Db) -> None:
    """Annex B H.265 from the reader (VPS/SPS/PPS in-band) makes playable fMP4 too."""
    recorder = Recorder(RecordedCamera(db.camera, "Bus Station"), db.index, db.root,
                        RecordingSettings(segment_s=4.0, fragment_s=1.0)).start()
    try:
        stats = drive(rtsp_server.url("h265"), recorder, threading.Event(), seconds=5.0)
    finally:
        recorder.close()
    assert stats.info is not None and stats.info.codec == "hevc"
    segments = db.index.segments(db.camera, EPOCH, FAR)
    assert len(segments) == 2
    for segment in segments:
        probe = ffprobe(db.root / segment.path)
        assert probe["errors"] == "" and probe["codec"] == "hevc"
        assert probe["frames"] == round(segment.duration_s * FPS)
    on_disk = sum(s.bytes for s in segments)
    assert on_disk == pytest.approx(stats.bytes, rel=0.02)
