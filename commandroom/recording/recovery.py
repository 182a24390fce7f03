"""Start-up recovery: make the index and the recordings folder agree again.

Run once at start-up, before any recorder starts. After a crash or a power cut:

* a row still 'open' gets its file back in shape: the half-written last fragment is cut
  off (``storage.cut_to_whole_fragments``), the ``.part`` is renamed, and the row gets the
  real end, size and SHA-256; a file with no whole fragment is removed with its row;
* a row whose file is gone (deleted by hand, or retention crashed between its commit and
  the unlink) is removed, and that is audited;
* a file the index does not know (its row was lost with the last transactions before a
  power cut) is indexed from its name and content: footage is never thrown away here.

The result: no row without a file, no file the index does not know.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import av
import av.error
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from commandroom.audit.api import AuditSink
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.models import CameraRow
from commandroom.files import sha256_file, sync_dir
from commandroom.recording.index import RecordingIndex
from commandroom.recording.models import RecordingSegmentRow
from commandroom.recording.storage import (
    PART_SUFFIX,
    cut_to_whole_fragments,
    parse_segment_name,
    part_path,
)
from commandroom.recording.writer import probe_file

log = logging.getLogger(__name__)


@dataclass
class RecoveryReport:
    repaired: list[str] = field(default_factory=list)  # open rows closed from their file
    missing: list[str] = field(default_factory=list)  # rows removed: no file
    emptied: list[str] = field(default_factory=list)  # files with no whole fragment
    adopted: list[str] = field(default_factory=list)  # files indexed from disk
    foreign: list[str] = field(default_factory=list)  # not named like ours: left alone

    @property
    def changed(self) -> bool:
        return bool(self.repaired or self.missing or self.emptied or self.adopted)


def recover(index: RecordingIndex, root: Path, audit: AuditSink | None = None
            ) -> RecoveryReport:
    report = RecoveryReport()
    if not root.is_dir():
        log.warning("recording: folder %s missing; nothing to recover", root)
        return report
    known: set[str] = set()
    with index.sessions.begin() as session:
        rows = session.scalars(select(RecordingSegmentRow)).all()
        for row in rows:
            if row.status == "open":
                _settle_open_row(session, root, row, report)
            elif not (root / row.path).is_file():
                report.missing.append(row.path)
                session.execute(delete(RecordingSegmentRow)
                                .where(RecordingSegmentRow.id == row.id))
            if row.path not in report.emptied and row.path not in report.missing:
                known.add(row.path)
        _adopt_unknown_files(session, root, known, report)
        if report.changed and audit is not None:
            audit.append(session, SYSTEM, "recording.recovery", "", {
                "repaired": len(report.repaired), "adopted": report.adopted[:200],
                "emptied": len(report.emptied), "missing_files": report.missing[:200],
            })
    if report.changed or report.foreign:
        log.warning(
            "recording: recovery repaired %d, adopted %d, removed %d empty, %d rows without "
            "file; %d foreign file(s) left alone", len(report.repaired), len(report.adopted),
            len(report.emptied), len(report.missing), len(report.foreign))
    return report


def _settle_open_row(session: Session, root: Path, row: RecordingSegmentRow,
                     report: RecoveryReport) -> None:
    final = root / row.path
    part = part_path(final)
    source = part if part.is_file() else final if final.is_file() else None
    if source is None or not _keep_whole_fragments(source):
        if source is not None:
            report.emptied.append(row.path)
        else:
            report.missing.append(row.path)
        session.execute(delete(RecordingSegmentRow).where(RecordingSegmentRow.id == row.id))
        return
    if source is part:
        os.replace(part, final)
        sync_dir(final.parent)
    row.status = "closed"
    row.end_at = row.start_at + timedelta(seconds=probe_file(final).duration_s)
    row.bytes = final.stat().st_size
    row.sha256 = sha256_file(final)
    row.note = "recovered"
    report.repaired.append(row.path)


def _keep_whole_fragments(path: Path) -> bool:
    """Cut ``path`` after its last whole fragment; False (and removed) if none is left."""
    try:
        scan = cut_to_whole_fragments(path)
    except OSError:
        log.exception("recording: cannot repair %s", path)
        return True  # keep it and its row; the next start tries again
    if scan.fragments == 0:
        path.unlink(missing_ok=True)
        return False
    return True


def _adopt_unknown_files(session: Session, root: Path, known: set[str],
                         report: RecoveryReport) -> None:
    cameras = {cid: name for cid, name in session.execute(select(CameraRow.id, CameraRow.name))}
    for path in sorted(root.rglob("*.mp4*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        final_rel = rel.removesuffix(PART_SUFFIX)
        if final_rel in known:
            if rel != final_rel:  # a stray .part beside its indexed file: a leftover copy
                path.unlink(missing_ok=True)
                report.emptied.append(rel)
            continue
        parsed = parse_segment_name(rel)
        if parsed is None or not (rel.endswith(".mp4") or rel.endswith(".mp4" + PART_SUFFIX)):
            report.foreign.append(rel)
            continue
        if not _keep_whole_fragments(path):
            report.emptied.append(rel)
            continue
        final = root / final_rel
        if path != final:
            os.replace(path, final)
            sync_dir(final.parent)
        try:
            probe = probe_file(final)
        except (av.error.FFmpegError, IndexError):
            report.foreign.append(final_rel)  # named like ours but unreadable: left alone
            continue
        session.add(RecordingSegmentRow(
            camera_id=parsed.camera_id if parsed.camera_id in cameras else None,
            camera_name=cameras.get(parsed.camera_id, ""), path=final_rel,
            start_at=parsed.start, end_at=parsed.start + timedelta(seconds=probe.duration_s),
            status="closed", bytes=final.stat().st_size, sha256=sha256_file(final),
            codec=probe.codec, width=probe.width, height=probe.height, note="adopted",
        ))
        known.add(final_rel)
        report.adopted.append(final_rel)
