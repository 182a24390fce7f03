"""Export: cut from recorded packets, keyframe start stated, hashes true, cancel clean."""

from __future__ import annotations

import hashlib
import json
import threading
from concurrent.futures import CancelledError
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow
from commandroom.auth.permissions import Actor, PermissionDenied, Role
from commandroom.config import RecordingSettings
from commandroom.recording.export import (
    ExportError,
    ExportJob,
    ExportProblem,
    ExportRequest,
    ExportService,
)
from commandroom.recording.locks import LockKind, locks_between
from commandroom.recording.models import EvidenceLockRow
from commandroom.recording.retention import RetentionService
from commandroom.video.packet_sources import SegmentInfo
from tests.support.recording import ClipPacket, feed, ffprobe, packets_in
from tests.unit.recording.conftest import FAST, RecStack

Clip = tuple[SegmentInfo, list[ClipPacket]]
DUTY = Actor("li", Role.DUTY_OFFICER, 2)
VIEWER = Actor("zhao", Role.VIEWER, 3)
T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def _at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def _service(stack: RecStack) -> ExportService:
    return ExportService(stack.index, stack.root, stack.audit, "0.1.0")


def test_a_cut_at_a_non_keyframe_starts_at_the_keyframe_before_and_says_so(
    stack: RecStack, clip: Clip, tmp_path: Path
) -> None:
    stack.record(clip, 12.0, T0.timestamp())  # segments 0-4, 4-8, 8-12 s; keyframes every 2 s
    stack.record(clip, 8.0, T0.timestamp() + 1.0, camera=stack.cam2)
    out = tmp_path / "exports"
    out.mkdir()
    request = ExportRequest((stack.cam.id, stack.cam2.id), _at(3.3), _at(9.5), out, "case 7")

    job = _service(stack).start(DUTY, request)
    result = job.result(timeout=30)

    assert job.progress == 1.0
    assert result.folder.parent == out and not list(out.glob(".*"))
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    first, second = manifest["files"]
    # Camera 1: the keyframe at or before 3.3 s is at 2.0 s: 1.3 s earlier than asked.
    assert first["camera"] == {"id": stack.cam.id, "name": "Xinhua Rd North",
                               "location": "Xinhua Rd North junction"}
    assert first["starts_before_requested_s"] == pytest.approx(1.3)
    assert first["start_note"] == "keyframe_before_requested_start"
    assert first["actual_start"]["utc"] == _at(2.0).isoformat(timespec="milliseconds")
    # It ends with the last frame that starts before 9.5 s: 9.48 s, 40 ms long.
    assert first["actual_end"]["utc"] == _at(9.52).isoformat(timespec="milliseconds")
    assert datetime.fromisoformat(first["actual_start"]["station"]) == _at(2.0)
    # Camera 2 started 1 s later: its keyframes are at 1+2k s, so 3.0 s.
    assert second["starts_before_requested_s"] == pytest.approx(0.3)
    assert manifest["requested"]["start"]["utc"] == _at(3.3).isoformat(timespec="milliseconds")
    assert manifest["tool"]["name"] == "commandroom" and manifest["note"] == "case 7"
    for entry, path in zip(manifest["files"], result.files, strict=True):
        data = path.read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        assert path.stat().st_mode & 0o777 == 0o600
    probe = ffprobe(result.files[0])
    assert probe["errors"] == "" and probe["codec"] == "h264"
    assert probe["frames"] == 188  # 2.00 .. 9.48 s, across two segment files
    assert probe["duration"] == pytest.approx(7.52, abs=0.001)
    # The audit entry names every file with its hash; the exported ranges are locked.
    with stack.sessions() as session:
        event = session.scalars(select(AuditEventRow)
                                .where(AuditEventRow.action == "recording.export")).one()
        details = json.loads(event.details)
        locks = locks_between(session, stack.cam.id, _at(0), _at(20))
    assert details["manifest_sha256"] == hashlib.sha256(result.manifest.read_bytes()).hexdigest()
    assert [f["sha256"] for f in details["files"]] == [f["sha256"] for f in manifest["files"]]
    assert [(lk.kind, lk.start_at, lk.end_at) for lk in locks] == [
        (LockKind.EXPORT, _at(2.0), _at(9.52))]
    # Retention cannot take them, even with no room at all.
    sweep = RetentionService(stack.index, stack.root, RecordingSettings(), stack.audit,
                             clock=lambda: _at(3600)).sweep(quota_bytes=0)
    kept = {s.id for s in stack.index.all_segments()}
    assert set(result.cuts[0].files[0].segment_ids) <= kept and sweep.kept_locked >= 4


def test_cancel_leaves_no_files_and_no_locks(
    stack: RecStack, clip: Clip, tmp_path: Path
) -> None:
    stack.record(clip, 12.0, T0.timestamp())
    out = tmp_path / "exports"
    out.mkdir()
    service = _service(stack)
    # Hold the export inside its first file until the test has cancelled it.
    reached, go_on = threading.Event(), threading.Event()
    original = service._index.gaps

    def gaps_then_wait(*args: object) -> object:
        reached.set()
        go_on.wait(10)
        return original(*args)  # type: ignore[arg-type]

    service._index.gaps = gaps_then_wait  # type: ignore[method-assign]
    job = service.start(DUTY, ExportRequest((stack.cam.id,), _at(1), _at(11), out))
    assert reached.wait(10)
    job.cancel()
    go_on.set()
    with pytest.raises(CancelledError):
        job.result(timeout=30)
    job.join(10)
    assert list(out.iterdir()) == []
    with stack.sessions() as session:
        assert session.scalars(select(EvidenceLockRow)).all() == []
        assert session.scalars(select(AuditEventRow)
                               .where(AuditEventRow.action == "recording.export")).all() == []


def test_a_cancel_after_the_first_camera_removes_its_finished_file(
    stack: RecStack, clip: Clip, tmp_path: Path
) -> None:
    stack.record(clip, 8.0, T0.timestamp())
    stack.record(clip, 8.0, T0.timestamp(), camera=stack.cam2)
    out = tmp_path / "exports"
    out.mkdir()
    service = _service(stack)
    written: list[list[str]] = []
    jobs: list[ExportJob] = []
    started = threading.Event()
    original = service._index.gaps

    def cancel_at_second_camera(camera_id: int, *args: object) -> object:
        if camera_id == stack.cam2.id:  # camera 1's MP4 is complete in the hidden folder
            written.append([p.name for p in out.rglob("*.mp4")])
            assert started.wait(10)
            jobs[0].cancel()
        return original(camera_id, *args)  # type: ignore[arg-type]

    service._index.gaps = cancel_at_second_camera  # type: ignore[method-assign]
    job = service.start(DUTY, ExportRequest((stack.cam.id, stack.cam2.id), _at(0), _at(8),
                                            out))
    jobs.append(job)
    started.set()
    with pytest.raises(CancelledError):
        job.result(timeout=30)
    job.join(10)
    assert written == [["cam1-Xinhua_Rd_North-20260501T080000Z.mp4"]]
    assert list(out.iterdir()) == []


def test_only_a_duty_officer_exports_and_bad_requests_say_why(
    stack: RecStack, clip: Clip, tmp_path: Path
) -> None:
    service = _service(stack)
    request = ExportRequest((stack.cam.id,), _at(0), _at(5), tmp_path)
    with pytest.raises(PermissionDenied):
        service.start(VIEWER, request)
    with pytest.raises(ExportError) as bad:
        service.start(DUTY, ExportRequest((stack.cam.id,), _at(5), _at(5), tmp_path))
    assert bad.value.problem is ExportProblem.BAD_RANGE
    job = service.start(DUTY, request)  # nothing recorded there
    with pytest.raises(ExportError) as empty:
        job.result(timeout=30)
    assert empty.value.problem is ExportProblem.NO_FOOTAGE
    assert [p for p in tmp_path.iterdir() if "export" in p.name] == []
    with stack.sessions() as session:
        assert session.scalars(select(EvidenceLockRow)).all() == []  # its lock went too


def test_the_camera_clock_offset_goes_into_the_index_and_the_manifest(
    stack: RecStack, clip: Clip, tmp_path: Path
) -> None:
    info, packets = clip
    recorder = stack.recorder(tuning=FAST).start()
    recorder.set_clock_offset(-2.5)  # ONVIF: the camera's clock is 2.5 s behind ours
    feed(recorder, info, packets_in(packets, 0, 4.0), T0.timestamp())
    recorder.close()
    (segment,) = stack.index.all_segments()
    assert segment.clock_offset_s == -2.5
    job = _service(stack).start(DUTY, ExportRequest((stack.cam.id,), _at(0), _at(4), tmp_path))
    manifest = json.loads(job.result(timeout=30).manifest.read_text(encoding="utf-8"))
    (entry,) = manifest["files"]
    assert entry["clock_offset_s"] == -2.5
    assert datetime.fromisoformat(entry["camera_clock_start"]) == _at(-2.5)
    assert entry["start_note"] == "exact" and entry["starts_before_requested_s"] == 0
