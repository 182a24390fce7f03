"""Retention sweep over 100,000 indexed segments in a temporary SQLite database.

Run: .venv/bin/python -m bench.bench_retention [--segments 100000] [--files]

16 cameras x 60 s segments (~4.3 days of footage), 500 evidence locks, the real audit
trail. Times ``RetentionService.sweep`` (query, lock check, delete, audit, unlink) in
three situations: steady state (a sweep every few minutes: about one segment per camera
is due), a bulk sweep (keep_days lowered from 4 to 3 days: a quarter of everything goes),
and a quota sweep (the same amount through the quota). ``--files`` also creates an empty
file per segment, so the unlinks are real (creating them takes a while).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from commandroom.audit.trail import AuditEventRow, AuditTrail
from commandroom.cameras.models import CameraRow
from commandroom.config import RecordingSettings
from commandroom.db.engine import open_database
from commandroom.recording.index import RecordingIndex
from commandroom.recording.models import EvidenceLockRow, RecordingSegmentRow
from commandroom.recording.retention import RetentionService
from commandroom.recording.storage import segment_name

CAMERAS = 16
SEGMENT_S = 60
SEGMENT_BYTES = 7_500_000  # 1 Mbit/s
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def build(folder: Path, segments: int, files: bool, rng: random.Random) -> tuple[object, object]:
    engine, sessions = open_database(f"sqlite:///{folder / 'bench.db'}")
    per_camera = segments // CAMERAS
    first = NOW - timedelta(seconds=per_camera * SEGMENT_S)
    rows = []
    with sessions.begin() as session:
        session.execute(insert(CameraRow), [
            {"id": c, "name": f"cam {c}", "junction": "", "main_url": f"rtsp://h/{c}",
             "sub_url": "", "transport": "tcp", "credential_ref": "", "onvif_url": "",
             "ptz_capable": False, "enabled": True, "created_at": NOW, "updated_at": NOW}
            for c in range(1, CAMERAS + 1)])
    for n in range(per_camera):
        for camera in range(1, CAMERAS + 1):
            start = first + timedelta(seconds=n * SEGMENT_S, milliseconds=camera * 37)
            rows.append({
                "camera_id": camera, "camera_name": f"cam {camera}",
                "path": segment_name(camera, start), "start_at": start,
                "end_at": start + timedelta(seconds=SEGMENT_S), "status": "closed",
                "bytes": SEGMENT_BYTES + rng.randint(-500_000, 500_000),
                "sha256": f"{rng.getrandbits(256):064x}", "codec": "h264", "width": 1280,
                "height": 720, "clock_offset_s": None, "note": "", "created_at": start,
            })
    with sessions.begin() as session:
        for i in range(0, len(rows), 5000):
            session.execute(insert(RecordingSegmentRow), rows[i:i + 5000])
        locks = []
        for _ in range(500):  # sightings and exports spread over the whole period
            camera = rng.randint(1, CAMERAS)
            start = first + timedelta(seconds=rng.uniform(0, per_camera * SEGMENT_S))
            locks.append({"camera_id": camera, "start_at": start,
                          "end_at": start + timedelta(seconds=20), "kind": "sighting",
                          "ref": str(rng.randint(1, 10**6)), "created_by": "bench",
                          "created_at": NOW})
        session.execute(insert(EvidenceLockRow), locks)
    if files:
        root = folder / "recordings"
        for row in rows:
            path = root / row["path"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
    return engine, sessions


def timed_sweep(label: str, service: RetentionService, quota: int | None = None) -> float:
    started = time.perf_counter()
    result = service.sweep(quota_bytes=quota)
    elapsed = time.perf_counter() - started
    print(f"{label:<44} {elapsed * 1000:8.0f} ms   deleted {len(result.deleted):6d}, "
          f"kept by locks {result.kept_locked:4d}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--files", action="store_true")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="bench-retention-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        engine, sessions = build(folder, args.segments, args.files, rng)
        print(f"built {args.segments} segments over {CAMERAS} cameras "
              f"({args.segments // CAMERAS * SEGMENT_S / 86400:.1f} days)"
              f"{' with files' if args.files else ''} in {time.perf_counter() - started:.1f} s")
        index = RecordingIndex(sessions)  # type: ignore[arg-type]
        audit = AuditTrail(sessions)  # type: ignore[arg-type]
        root = folder / "recordings"
        days = args.segments // CAMERAS * SEGMENT_S / 86400

        def service(keep_days: float, now: datetime = NOW) -> RetentionService:
            settings = RecordingSettings(keep_days=1)
            settings.keep_days = keep_days  # type: ignore[assignment]  # fractional for the bench
            return RetentionService(index, root, settings, audit, clock=lambda: now)

        timed_sweep("steady state (~1 segment per camera due)",
                    service(days - 2 * SEGMENT_S / 86400))
        timed_sweep("nothing due", service(days))
        timed_sweep("bulk: a quarter of the footage too old", service(days * 0.75))
        with sessions() as session:  # type: ignore[operator]
            stored = session.scalar(select(func.sum(RecordingSegmentRow.bytes)))
            events = session.scalar(select(func.count()).select_from(AuditEventRow))
        timed_sweep("quota: a third of what is left", service(days), quota=int(stored * 2 / 3))
        print(f"audit events written: {events} so far; chain intact: {audit.verify().ok}")
        engine.dispose()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
