"""Timeline figures: a seek to a moment outside what the timeline holds -> its data ready.

Run: .venv/bin/python -m bench.bench_timeline [--tries 30] [--days 7] [--sightings 2000]

The real console (``ui.app.build_app``, Qt offscreen unless QT_QPA_PLATFORM says
otherwise) on a fresh data dir, with one camera on a tile. Its recording index is filled
with ``--days`` of 60 s segments (a week is 10,080 rows), a 10-minute gap every 6 hours,
an evidence lock a day and ``--sightings`` sightings spread over the days; a second
camera holds the same, so the index is not one camera's alone.

Then, at each zoom (10 min, 1 h, 1 day, 7 days across the widget) ``--tries`` times:
``TimelineWidget.go_to(T)`` for a random T in the recorded days (what "Go to time" and a
seek far off the loaded window do: the window moves, the seek is emitted) until the
``TimelineUi.data_ready`` signal delivers a snapshot covering the new window, on the GUI
thread (the read runs on the UI executor: LookBack.timeline + the marks + who each
sighting is of). Also a click inside the loaded window -> ``seek_requested`` (no read).

Target (issue 15): timeline seek -> frame painted <= 300 ms from local recordings. The
frame part belongs to the replay on the tiles (another branch); this measures the
timeline's share, seek -> data ready.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bench.procstat import machine_busy_percent
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera
from commandroom.config import Paths, Settings
from commandroom.recording.locks import LockKind, add_lock
from commandroom.recording.models import RecordingGapRow, RecordingSegmentRow
from commandroom.sightings.models import SightingRow
from ui.app import build_app
from ui.command_line import build_parser
from ui.replay import timeline_paint as paint
from ui.replay.time_scale import TimeWindow
from ui.replay.timeline_data import TimelineSnapshot
from ui.replay.timeline_install import COARSE

ZOOMS = {"1 day": 86400.0, "7 days": 7 * 86400.0, "10 min": 600.0, "1 h": 3600.0}


def fill_index(app: object, camera_ids: list[int], start: datetime, days: int,
               sightings: int) -> int:
    """Bulk rows as the recorder and tagging would have left them (one transaction)."""
    sessions = app.sessions  # type: ignore[attr-defined]
    rows = 0
    with sessions.begin() as session:
        for camera_id in camera_ids:
            minutes = days * 24 * 60
            segments = []
            for minute in range(minutes):
                if minute % 360 < 10:  # a 10-minute gap every 6 hours
                    continue
                at = start + timedelta(minutes=minute)
                segments.append(RecordingSegmentRow(
                    camera_id=camera_id, camera_name=f"cam {camera_id}",
                    path=f"cam{camera_id}/{minute}.mp4", start_at=at,
                    end_at=at + timedelta(seconds=60), status="closed", bytes=1_500_000,
                    sha256="0" * 64, codec="h264", width=1280, height=720))
            session.add_all(segments)
            rows += len(segments)
            for hole in range(0, minutes, 360):
                at = start + timedelta(minutes=hole)
                session.add(RecordingGapRow(camera_id=camera_id, start_at=at,
                                            end_at=at + timedelta(minutes=10),
                                            reason="stream_lost"))
            for day in range(days):
                at = start + timedelta(days=day, hours=10)
                add_lock(session, camera_id, at, at + timedelta(minutes=5), LockKind.EXPORT,
                         f"bench-{day}", "bench")
            step = days * 86400 / max(1, sightings)
            session.add_all(SightingRow(
                camera_id=camera_id, camera_name=f"cam {camera_id}",
                frame_time=start + timedelta(seconds=i * step), seq=i, operator="bench",
                snapshot_path=f"bench/{camera_id}-{i}.png", snapshot_sha256="0" * 64)
                for i in range(sightings))
    return rows


def wait_for(predicate: object, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > end:
            raise TimeoutError("no timeline data in time")
        QCoreApplication.processEvents()
        time.sleep(0.0005)


def fitting(snapshot: TimelineSnapshot | None, window: TimeWindow, span: float) -> bool:
    """The data shown is for this window: it covers it and is not a wider zoom's (the
    timeline reads again when zoomed far into a coarse snapshot)."""
    return snapshot is not None and snapshot.covers(window.start, window.end) \
        and snapshot.end - snapshot.start <= COARSE * span


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return (f"median {statistics.median(ordered):6.1f} ms, p90 {p90:6.1f}, "
            f"max {ordered[-1]:6.1f}  (n={len(ordered)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=30)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--sightings", type=int, default=2000)
    options = parser.parse_args()
    print(f"machine busy before start: {machine_busy_percent():.0f} %")
    qt_app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-timeline-") as tmp:
        paths = Paths.resolve(Path(tmp) / "data")
        paths.ensure()
        settings = Settings()
        settings.alerts.ack_port = 0
        app = build_app(paths, settings, build_parser().parse_args([]))
        try:
            app.start()
            cameras = [app.registry.add(SYSTEM, Camera(
                None, f"Bench {i}", f"demo://junction-{i}?w=640&h=360&fps=25"))
                for i in (1, 2)]
            ids = [c.id for c in cameras if c.id is not None]
            start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=options.days)
            began = time.perf_counter()
            rows = fill_index(app, ids, start, options.days, options.sightings)
            print(f"index: {rows} segments, {options.sightings} sightings per camera "
                  f"(filled in {time.perf_counter() - began:.1f} s)")
            grid = app.console.grid
            grid.assign(0, ids[0])
            grid.select(grid.tiles[0])
            app.console.resize(1600, 900)
            timeline = app.timeline_ui
            widget = timeline.widget
            got: list[TimelineSnapshot] = []
            timeline.data_ready.connect(got.append)
            seeks: list[tuple[int, float]] = []
            app.play_at.connect(lambda cid, at: seeks.append((cid, at)))
            rng = random.Random(15)
            first, last = start.timestamp(), start.timestamp() + options.days * 86400
            for name, span in ZOOMS.items():
                widget.set_window(TimeWindow(first, span))
                wait_for(lambda s=span: fitting(widget.snapshot, widget.time_window, s))
                ready: list[float] = []
                reads: list[float] = []
                for _ in range(options.tries):
                    moment = rng.uniform(first + span, last - span)
                    got.clear()
                    t0 = time.perf_counter()
                    widget.go_to(moment)
                    window = widget.time_window
                    # Ready: the data shown covers the new window (a new read, or the one
                    # already held when the jump stays inside its margin).
                    wait_for(lambda w=window, s=span: fitting(widget.snapshot, w, s))
                    ready.append((time.perf_counter() - t0) * 1000)
                    if got:
                        reads.append(got[-1].read_s * 1000)
                assert widget.snapshot is not None
                marks = sum(len(r.marks) for r in widget.snapshot.rows)
                spans = sum(len(r.spans) for r in widget.snapshot.rows)
                print(f"{name:>7}: go to T -> data ready   {summary(ready)}")
                print(f"{'':>7}  of which the read       {summary(reads or [0.0])}"
                      f"  [{spans} spans, {marks} marks in the last window]")
            clicks: list[float] = []
            y = paint.AXIS_H + paint.ROW_H // 2
            for _ in range(options.tries):
                x = rng.randint(paint.LABEL_W + 5, widget.width() - 5)
                count = len(seeks)
                t0 = time.perf_counter()
                QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
                wait_for(lambda c=count: len(seeks) > c)
                clicks.append((time.perf_counter() - t0) * 1000)
            print(f"click in the loaded window -> seek requested  {summary(clicks)}")
            print("target: timeline seek -> frame painted <= 300 ms (local recordings); the "
                  "frame part is the replay's (not on this branch)")
        finally:
            app.shutdown()
    del qt_app


if __name__ == "__main__":
    main()
