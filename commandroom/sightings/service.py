"""Tagging: the officer marks a person/vehicle on the frame they were looking at.

``tag`` writes the full-resolution snapshot (PNG, SHA-256) and the sighting row with its
audit event in one transaction, and returns at once; the evidence clip is cut by the video
engine in the background and recorded when its future completes.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, cast

import cv2
import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.permissions import Actor, Permission, require
from commandroom.cameras.models import CameraRow
from commandroom.config import EvidenceSettings, Paths
from commandroom.events import EventBus
from commandroom.files import (
    absolute,
    check_file,
    clean_orphan_temp_files,
    dated_path,
    relative_to,
    remove_quietly,
    write_private,
)
from commandroom.recording.locks import REFERENCE_MARGIN, LockKind, lock_reference
from commandroom.redact import redact_text
from commandroom.sightings.events import SightingClipReady, SightingCreated
from commandroom.sightings.handle import ClipOutcome, EvidenceSource
from commandroom.sightings.models import SightingRow
from commandroom.sightings.records import (
    Box,
    CameraRef,
    ClipStatus,
    NewUnknown,
    SightingView,
    VerifyResult,
    sighting_view,
)
from commandroom.sightings.trajectory import Hop, trajectory
from commandroom.watchlist.records import Kind
from commandroom.watchlist.service import WatchlistService
from commandroom.watchlist.store import load_entry

log = logging.getLogger(__name__)

# Lossless PNG tuned for speed: the SUB filter plus run-length deflate encodes a noisy
# 1080p camera frame in ~0.1 s where the default settings take ~0.2-0.3 s (measured).
_PNG_PARAMS = [
    cv2.IMWRITE_PNG_COMPRESSION, 1,
    cv2.IMWRITE_PNG_STRATEGY, cv2.IMWRITE_PNG_STRATEGY_RLE,
    cv2.IMWRITE_PNG_FILTER, cv2.IMWRITE_PNG_FILTER_SUB,
]
_INTERRUPTED = "interrupted: the application stopped before the clip was complete"


class FrameGone(LookupError):
    """The frame to tag is no longer held by the stream (too old, or the stream stopped)."""


class SightingService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        audit: AuditSink,
        events: EventBus,
        watchlist: WatchlistService,
        *,
        data_dir: Path | None = None,
        evidence: EvidenceSettings | None = None,
    ) -> None:
        self._sessions = sessions
        self._audit = audit
        self._events = events
        self._watchlist = watchlist
        self.data_dir = data_dir if data_dir is not None else Paths.resolve().data_dir
        self.evidence_dir = self.data_dir / "evidence"
        self._settings = evidence or EvidenceSettings()
        # clip future -> (sighting id, destination) of clips still being cut
        self._pending: dict[Future[Any], tuple[int, Path]] = {}
        # A Condition: wait_for_clips waits until each clip's outcome is *recorded* (the
        # done-callback pops it), not only until its future is done: concurrent.futures
        # wakes waiters before it runs the callbacks.
        self._pending_cond = threading.Condition()

    # ---- tagging -------------------------------------------------------------------------

    def tag(
        self,
        actor: Actor,
        handle: EvidenceSource,
        seq: int | None,
        camera: CameraRef,
        entry: int | NewUnknown,
        box: Box | None = None,
        note: str = "",
    ) -> SightingView:
        require(actor, Permission.TAG_SIGHTING)
        got = handle.full_resolution(seq)
        if got is None:
            raise FrameGone(f"frame {seq} of {camera.name} is no longer available; tag again")
        image, frame = got
        box = _fit_box(box, image)
        frame_time = datetime.fromtimestamp(frame.capture_time, UTC)
        ok, png = cv2.imencode(".png", image, _PNG_PARAMS)
        if not ok:
            raise ValueError(f"the frame of {camera.name} could not be encoded as PNG")
        snapshot = dated_path(self.evidence_dir, frame_time, ".png")
        snapshot_sha = write_private(snapshot, png.data)
        # From here the file exists: if the row is not committed, it must go again.
        try:
            view, new_entry_id = self._insert(
                actor, camera, entry, box, note, frame.seq, frame_time, snapshot, snapshot_sha
            )
        except BaseException:
            remove_quietly(snapshot)
            raise
        if new_entry_id is not None:
            self._watchlist.refresh_index([new_entry_id])
        self._events.publish(SightingCreated(
            view.id, view.watch_entry_id, new_entry_id is not None, view.camera_id,
            view.camera_name, view.junction, view.frame_time, view.operator,
        ))
        self._start_clip(actor, handle, view.id, snapshot.with_suffix(".mp4"))
        return view

    def _insert(
        self,
        actor: Actor,
        camera: CameraRef,
        entry: int | NewUnknown,
        box: Box | None,
        note: str,
        seq: int,
        frame_time: datetime,
        snapshot: Path,
        snapshot_sha: str,
    ) -> tuple[SightingView, int | None]:
        new_entry_id: int | None = None
        with self._sessions.begin() as session:
            if isinstance(entry, NewUnknown):
                label = entry.label.strip() or _placeholder(entry.kind, camera, frame_time)
                new_row = self._watchlist.create_unknown_in(session, actor, entry.kind, label)
                entry_id = new_entry_id = new_row.id
            else:
                entry_id = load_entry(session, entry).id
            row = SightingRow(
                watch_entry_id=entry_id, camera_id=camera.camera_id, camera_name=camera.name,
                junction=camera.junction, frame_time=frame_time, seq=seq,
                operator=actor.username, note=note.strip(),
                box_x=box.x if box else None, box_y=box.y if box else None,
                box_w=box.w if box else None, box_h=box.h if box else None,
                snapshot_path=relative_to(self.data_dir, snapshot), snapshot_sha256=snapshot_sha,
                clip_status=ClipStatus.PENDING,
            )
            session.add(row)
            session.flush()
            # Retention must never delete the recorded footage this sighting refers to.
            margin = REFERENCE_MARGIN
            lock_reference(session, camera.camera_id, frame_time, LockKind.SIGHTING,
                           f"sighting:{row.id}", actor.username,
                           before=max(margin, timedelta(seconds=self._settings.pre_seconds)),
                           after=max(margin, timedelta(seconds=self._settings.post_seconds)))
            self._audit.append(session, actor, "sighting.tag", f"sighting:{row.id}", {
                "watch_entry_id": entry_id, "new_entry": new_entry_id is not None,
                "camera_id": camera.camera_id, "camera_name": camera.name,
                "frame_time": frame_time.isoformat(), "seq": seq,
                "snapshot": row.snapshot_path, "snapshot_sha256": snapshot_sha,
            })
            view = sighting_view(row)
        return view, new_entry_id

    def _start_clip(
        self, actor: Actor, handle: EvidenceSource, sighting_id: int, dest: Path
    ) -> None:
        try:
            future = handle.clip(self._settings.pre_seconds, self._settings.post_seconds, dest)
        except Exception as exc:  # the stream may have stopped since the frame was taken
            self._record_clip(actor, sighting_id, None, redact_text(str(exc)) or type(exc).__name__)
            return
        with self._pending_cond:
            self._pending[future] = (sighting_id, dest)
        future.add_done_callback(partial(self._clip_done, actor, sighting_id))

    def _clip_done(self, actor: Actor, sighting_id: int, future: Future[Any]) -> None:
        # Runs on the video engine's thread: never let an error escape into it.
        try:
            exc = future.exception() if not future.cancelled() else None
            if future.cancelled():
                self._record_clip(actor, sighting_id, None, "cancelled")
            elif exc is not None:
                self._record_clip(actor, sighting_id, None, redact_text(str(exc)) or repr(exc))
            else:
                self._record_clip(actor, sighting_id, cast(ClipOutcome, future.result()), "")
        except Exception:
            log.exception("sighting %d: could not record the clip outcome", sighting_id)
        finally:
            with self._pending_cond:
                self._pending.pop(future, None)
                self._pending_cond.notify_all()

    def _record_clip(
        self, actor: Actor, sighting_id: int, outcome: ClipOutcome | None, error: str
    ) -> None:
        with self._sessions.begin() as session:
            row = session.get_one(SightingRow, sighting_id)
            if outcome is not None:
                row.clip_path = relative_to(self.data_dir, Path(outcome.path))
                row.clip_sha256 = outcome.sha256
                row.clip_status = ClipStatus.DONE
            else:
                row.clip_status = ClipStatus.FAILED
                row.clip_error = error
            self._audit.append(session, actor, "sighting.clip", f"sighting:{sighting_id}", {
                "status": row.clip_status, "clip": row.clip_path,
                "clip_sha256": row.clip_sha256, "error": row.clip_error,
            })
            event = SightingClipReady(sighting_id, row.clip_status, row.clip_path, row.clip_error)
        if outcome is None:
            log.warning("sighting %d: evidence clip failed: %s", sighting_id, error)
        self._events.publish(event)

    def wait_for_clips(self, timeout: float | None = None) -> bool:
        """Wait for clips still being cut (at shutdown); True when none is left."""
        with self._pending_cond:
            return self._pending_cond.wait_for(lambda: not self._pending, timeout)

    def recover(self, actor: Actor) -> tuple[int, int]:
        """Start-up housekeeping after a crash: remove unfinished temp files and mark clips
        left pending by an earlier run as failed (clips this service is still cutting are
        left alone). Returns (temp files removed, clips marked)."""
        require(actor, Permission.MANAGE_SETTINGS)
        with self._pending_cond:
            in_progress = {sighting_id for sighting_id, _ in self._pending.values()}
            writing = [dest.with_name(f".{dest.name}.part") for _, dest in self._pending.values()]
        removed = clean_orphan_temp_files(self.evidence_dir, keep=writing)
        with self._sessions.begin() as session:
            rows = [
                row
                for row in session.scalars(
                    select(SightingRow).where(SightingRow.clip_status == ClipStatus.PENDING)
                )
                if row.id not in in_progress
            ]
            for row in rows:
                row.clip_status = ClipStatus.FAILED
                row.clip_error = _INTERRUPTED
                self._audit.append(session, actor, "sighting.clip", f"sighting:{row.id}",
                                   {"status": row.clip_status, "error": _INTERRUPTED})
        return len(removed), len(rows)

    # ---- evidence check ------------------------------------------------------------------

    def verify(self, actor: Actor, sighting_id: int) -> VerifyResult:
        """Recompute both SHA-256 sums: "verified", "altered" or "missing" per file."""
        require(actor, Permission.VIEW_WATCHLIST)
        with self._sessions.begin() as session:
            row = session.get(SightingRow, sighting_id)
            if row is None:
                raise LookupError(f"sighting #{sighting_id} does not exist")
            clip = absolute(self.data_dir, row.clip_path) if row.clip_path else None
            result = VerifyResult(
                sighting_id,
                check_file(absolute(self.data_dir, row.snapshot_path), row.snapshot_sha256),
                check_file(clip, row.clip_sha256),
            )
            self._audit.append(session, actor, "sighting.verify", f"sighting:{sighting_id}",
                               {"snapshot": result.snapshot, "clip": result.clip})
        return result

    # ---- queries -------------------------------------------------------------------------

    def get(self, actor: Actor, sighting_id: int) -> SightingView:
        """One sighting as it stands now (its clip may have finished since the tag)."""
        require(actor, Permission.VIEW_WATCHLIST)
        found = self._query(lambda q: q.where(SightingRow.id == sighting_id))
        if not found:
            raise LookupError(f"sighting #{sighting_id} does not exist")
        return found[0]

    def latest(self, actor: Actor, limit: int = 50) -> list[SightingView]:
        require(actor, Permission.VIEW_WATCHLIST)
        return self._query(
            lambda q: q.order_by(SightingRow.frame_time.desc(), SightingRow.id.desc()).limit(limit)
        )

    def timeline(self, actor: Actor, entry_id: int) -> list[SightingView]:
        """Every sighting of one entry in time order, with camera and junction."""
        require(actor, Permission.VIEW_WATCHLIST)
        return self._query(
            lambda q: q.where(SightingRow.watch_entry_id == entry_id).order_by(
                SightingRow.frame_time, SightingRow.id
            )
        )

    def for_camera(self, actor: Actor, camera_id: int, limit: int = 100) -> list[SightingView]:
        require(actor, Permission.VIEW_WATCHLIST)
        return self._query(
            lambda q: q.where(SightingRow.camera_id == camera_id)
            .order_by(SightingRow.frame_time.desc(), SightingRow.id.desc())
            .limit(limit)
        )

    def trajectory(self, actor: Actor, entry_id: int) -> list[Hop]:
        return trajectory(self.timeline(actor, entry_id))

    def _query(self, shape: Any) -> list[SightingView]:
        query = select(SightingRow, CameraRow.map_x, CameraRow.map_y).outerjoin(
            CameraRow, CameraRow.id == SightingRow.camera_id
        )
        with self._sessions() as session:
            return [
                sighting_view(row, (x, y) if x is not None and y is not None else None)
                for row, x, y in session.execute(shape(query))
            ]


def _fit_box(box: Box | None, image: np.ndarray[Any, Any]) -> Box | None:
    """Clamp to the frame (the UI maps tile pixels, so a pixel over happens); refuse empty."""
    if box is None:
        return None
    height, width = image.shape[:2]
    x0, y0 = max(0, box.x), max(0, box.y)
    x1, y1 = min(width, box.x + box.w), min(height, box.y + box.h)
    if x1 <= x0 or y1 <= y0:
        raise ValueError(f"the box {box} lies outside the {width}x{height} frame")
    return Box(x0, y0, x1 - x0, y1 - y0)


def _placeholder(kind: Kind, camera: CameraRef, when: datetime) -> str:
    what = "Unknown person" if kind == Kind.PERSON else "Unknown vehicle"
    return f"{what} ({camera.name}, {when:%Y-%m-%d %H:%M} UTC)"
