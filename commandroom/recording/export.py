"""Export a time range of one or several cameras as evidence: MP4 + manifest.json.

The MP4s are cut from the recorded packets without re-encoding. A cut can only start on
a keyframe, so each file starts at the keyframe at or before the requested start and the
manifest says by how much (``starts_before_requested_s``). The work runs on a thread of
its own with a progress figure and a cancel that leaves nothing: everything is written
into a hidden folder that is renamed into place at the end, or removed.

The exported ranges are evidence-locked from the moment the export starts (retention
cannot delete what is being read) and the export is one audit event with the SHA-256 of
every file and of the manifest.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import threading
import uuid
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import av.error
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.cameras.models import CameraRow
from commandroom.db.base import utcnow
from commandroom.recording.cutter import CameraCut, Cancelled, cut_camera
from commandroom.recording.index import RecordingIndex
from commandroom.recording.locks import LockKind, add_lock
from commandroom.recording.manifest import build_manifest, write_private_json
from commandroom.recording.models import EvidenceLockRow

log = logging.getLogger(__name__)


class ExportProblem(StrEnum):
    BAD_RANGE = "bad_range"  # end not after start, or no camera
    NO_FOOTAGE = "no_footage"  # nothing recorded in the range for any camera
    WRITE_FAILED = "write_failed"  # detail: errno name
    READ_FAILED = "read_failed"  # a segment could not be read


class ExportError(Exception):
    def __init__(self, problem: ExportProblem, detail: str = "") -> None:
        super().__init__(f"{problem}: {detail}" if detail else str(problem))
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class ExportRequest:
    camera_ids: tuple[int, ...]
    start: datetime  # UTC, aware
    end: datetime
    destination: Path  # the export folder is created inside
    note: str = ""  # e.g. a case number


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    files: list[Path]
    manifest: Path
    manifest_sha256: str
    cuts: list[CameraCut]


class ExportJob:
    """Poll ``progress`` (0..1) and ``future``; ``cancel()`` stops it and removes all."""

    def __init__(self, job_id: str) -> None:
        self.id = job_id
        self.future: Future[ExportResult] = Future()
        self._cancel = threading.Event()
        self._progress = 0.0
        self._thread: threading.Thread | None = None

    @property
    def progress(self) -> float:
        return self._progress

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        # future.cancel() by a caller counts too: the work stops and removes its files.
        return self._cancel.is_set() or self.future.cancelled()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def result(self, timeout: float | None = None) -> ExportResult:
        result = self.future.result(timeout)
        self.join(timeout)
        return result


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_")[:60] or "camera"


class ExportService:
    def __init__(self, index: RecordingIndex, root: Path, audit: AuditSink,
                 tool_version: str) -> None:
        self._index = index
        self._root = root
        self._audit = audit
        self._tool_version = tool_version

    @requires(Permission.EXPORT_VIDEO)
    def start(self, actor: Actor, request: ExportRequest) -> ExportJob:
        """Check the request, lock the range, and start the export in the background."""
        if request.end <= request.start or not request.camera_ids:
            raise ExportError(ExportProblem.BAD_RANGE)
        cameras = self._cameras(request.camera_ids)
        job = ExportJob(uuid.uuid4().hex)
        with self._index.sessions.begin() as session:
            for camera_id in request.camera_ids:
                add_lock(session, camera_id, request.start, request.end, LockKind.EXPORT,
                         job.id, actor.username)
        thread = threading.Thread(target=self._run, args=(job, actor, request, cameras),
                                  name=f"export {job.id[:8]}", daemon=True)
        job._thread = thread
        thread.start()
        return job

    def _cameras(self, camera_ids: tuple[int, ...]) -> dict[int, CameraRow]:
        with self._index.sessions() as session:
            found = {cid: session.get(CameraRow, cid) for cid in camera_ids}
        missing = [cid for cid, row in found.items() if row is None]
        if missing:
            raise ExportError(ExportProblem.BAD_RANGE, f"no camera {missing[0]}")
        return {cid: row for cid, row in found.items() if row is not None}

    def _run(self, job: ExportJob, actor: Actor, request: ExportRequest,
             cameras: dict[int, CameraRow]) -> None:
        made = utcnow()
        name = f"export-{made:%Y%m%dT%H%M%SZ}-{job.id[:8]}"
        temp = request.destination / f".{name}.part"
        final = request.destination / name
        try:
            result = self._export(job, actor, request, cameras, temp, final, made)
        except BaseException as exc:
            shutil.rmtree(temp, ignore_errors=True)
            self._unlock(job.id)
            if isinstance(exc, Cancelled):
                log.info("export %s cancelled; nothing kept", job.id[:8])
                if job.future.cancel():
                    job.future.set_running_or_notify_cancel()
            else:
                if not isinstance(exc, ExportError):
                    log.exception("export %s failed", job.id[:8])
                    exc = _as_export_error(exc)
                job.future.set_exception(exc)
            return
        if not job.future.done():  # a cancel that came after the last check is too late
            job.future.set_result(result)

    def _export(self, job: ExportJob, actor: Actor, request: ExportRequest,
                cameras: dict[int, CameraRow], temp: Path, final: Path,
                made: datetime) -> ExportResult:
        plans = {cid: self._index.segments(cid, request.start, request.end)
                 for cid in request.camera_ids}
        total = sum(s.bytes or 1 for segs in plans.values() for s in segs) or 1
        if not any(plans.values()):
            raise ExportError(ExportProblem.NO_FOOTAGE)
        temp.mkdir(parents=True, mode=0o700)
        done = 0

        def advance(nbytes: int) -> None:
            nonlocal done
            if job.cancelled:
                raise Cancelled
            done += nbytes
            job._progress = min(0.99, done / total)

        cuts: list[CameraCut] = []
        for camera_id, segments in plans.items():
            if not segments:
                continue
            camera = cameras[camera_id]
            stem = f"cam{camera_id}-{_safe_name(camera.name)}-{request.start:%Y%m%dT%H%M%SZ}"
            cuts.append(cut_camera(self._root, self._index, camera_id, segments,
                                   request.start, request.end, temp, stem, advance))
        if job.cancelled:
            raise Cancelled
        manifest = build_manifest(job.id, actor, request.note, self._tool_version, made,
                                  request.start, request.end, cuts, cameras,
                                  [cid for cid, segs in plans.items() if not segs])
        manifest_sha = write_private_json(temp / "manifest.json", manifest)
        os.replace(temp, final)
        try:
            with self._index.sessions.begin() as session:
                self._relock(session, job.id, cuts)
                self._audit.append(session, actor, "recording.export", final.name, {
                    "export_id": job.id, "folder": str(final), "note": request.note,
                    "requested": {"start": request.start, "end": request.end},
                    "files": [{"file": f.name, "camera_id": c.camera_id, "sha256": f.sha256,
                               "start": f.actual_start, "end": f.actual_end}
                              for c in cuts for f in c.files],
                    "manifest_sha256": manifest_sha})
        except BaseException:
            shutil.rmtree(final, ignore_errors=True)  # no export without its audit entry
            raise
        job._progress = 1.0
        files = [final / f.name for c in cuts for f in c.files]
        return ExportResult(final, files, final / "manifest.json", manifest_sha, cuts)

    @staticmethod
    def _relock(session: Session, job_id: str, cuts: list[CameraCut]) -> None:
        """The locks cover what was actually exported (from the earlier keyframe on)."""
        for cut in cuts:
            if not cut.files:
                continue
            session.execute(
                update(EvidenceLockRow)
                .where(EvidenceLockRow.kind == LockKind.EXPORT.value,
                       EvidenceLockRow.ref == job_id,
                       EvidenceLockRow.camera_id == cut.camera_id)
                .values(start_at=min(f.actual_start for f in cut.files),
                        end_at=max(f.actual_end for f in cut.files))
            )

    def _unlock(self, job_id: str) -> None:
        try:
            with self._index.sessions.begin() as session:
                session.execute(delete(EvidenceLockRow).where(
                    EvidenceLockRow.kind == LockKind.EXPORT.value, EvidenceLockRow.ref == job_id))
        except Exception:
            log.exception("export %s: could not remove its locks", job_id[:8])


def _as_export_error(exc: BaseException) -> ExportError:
    if isinstance(exc, av.error.FFmpegError):
        return ExportError(ExportProblem.READ_FAILED, type(exc).__name__)
    if isinstance(exc, OSError):
        return ExportError(ExportProblem.WRITE_FAILED,
                           errno.errorcode.get(exc.errno or 0, "EIO"))
    return ExportError(ExportProblem.WRITE_FAILED, type(exc).__name__)

