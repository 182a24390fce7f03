"""Make an evidence package for a case: sightings and recorded footage, signed, one ZIP.

Footage is cut by the recording exporter (``ExportService``: packets copied, never
re-encoded, its own manifest and audit entry) into a work folder and copied into the ZIP
with its manifest; a sighting's snapshot and clip are copied as they were stored, and
refused if their SHA-256 no longer matches the one recorded when they were made.
Everything the package refers to is evidence-locked against retention under the
package's id, in the transaction that audits the package.
"""

from __future__ import annotations

import re
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import open_access, requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.cameras.models import CameraRow
from commandroom.config import EvidenceSettings
from commandroom.db.base import utcnow
from commandroom.evidence_package.archive import PackageWriter, SourceAltered
from commandroom.evidence_package.manifest import (
    EVIDENCE_FOLDER,
    MANIFEST_NAME,
    PUBLIC_KEY_NAME,
    RECORD_NAME,
    SIGNATURE_NAME,
    CameraInfo,
    ItemInfo,
    ItemKind,
    PackageHeader,
    build_manifest,
    canonical_json,
)
from commandroom.evidence_package.record_pdf import prepare_record, render_record
from commandroom.evidence_package.signing import (
    fingerprint,
    load_or_create_station_key,
    public_pem,
    sign,
)
from commandroom.files import absolute, atomic_private, private_dir
from commandroom.recording.export import ExportRequest, ExportResult, ExportService
from commandroom.recording.index import RecordingIndex
from commandroom.recording.locks import LockKind, add_lock, lock_reference
from commandroom.secrets.store import SecretStore
from commandroom.sightings.models import SightingRow

CASE_NUMBER_MAX = 64


class PackageProblem(StrEnum):
    NO_CASE = "no_case"  # the case number is empty or too long
    NOTHING = "nothing"  # neither a sighting nor footage asked for
    NO_SIGHTING = "no_sighting"  # detail: the id
    CLIP_PENDING = "clip_pending"  # detail: the sighting id; its clip is still being cut
    SOURCE_ALTERED = "source_altered"  # detail: which file


class PackageError(Exception):
    def __init__(self, problem: PackageProblem, detail: str = "") -> None:
        super().__init__(f"{problem}: {detail}" if detail else str(problem))
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class FootageRange:
    camera_id: int
    start: datetime  # UTC, aware
    end: datetime


@dataclass(frozen=True)
class PackageRequest:
    case_number: str
    destination: Path  # the ZIP is written into this folder
    sighting_ids: tuple[int, ...] = ()
    footage: tuple[FootageRange, ...] = ()
    place: str = ""  # 提取地点, printed on the extraction record


@dataclass(frozen=True)
class PackageResult:
    path: Path
    package_id: str
    sha256: str  # of the whole ZIP, as audited
    manifest_sha256: str
    key_fingerprint: str
    items: list[ItemInfo] = field(default_factory=list)


@dataclass(frozen=True)
class _Source:
    """A file to copy in, with what the manifest says about it."""

    path: Path
    info: ItemInfo  # bytes/sha256 filled in once copied
    expected_sha256: str = ""
    what: str = ""


def _safe(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_")[:40] or "case"


class EvidencePackages:
    def __init__(self, sessions: sessionmaker[Session], secrets: SecretStore,
                 audit: AuditSink, export: ExportService, index: RecordingIndex,
                 data_dir: Path, tool_version: str,
                 evidence: EvidenceSettings | None = None) -> None:
        self._sessions = sessions
        self._secrets = secrets
        self._audit = audit
        self._export = export
        self._index = index
        self._data_dir = data_dir
        self._tool_version = tool_version
        self._evidence = evidence or EvidenceSettings()

    @open_access("the public key's fingerprint is published: anyone checking a package "
                 "needs it")
    def station_fingerprint(self) -> str:
        """The fingerprint the station publishes (the key is made on first use)."""
        return fingerprint(load_or_create_station_key(self._secrets).public_key())

    @requires(Permission.EXPORT_VIDEO)
    def export(self, actor: Actor, request: PackageRequest) -> PackageResult:
        """Write the package; blocks while the footage is cut (run it off the GUI thread)."""
        case = request.case_number.strip()
        if not case or len(case) > CASE_NUMBER_MAX:
            raise PackageError(PackageProblem.NO_CASE)
        if not request.sighting_ids and not request.footage:
            raise PackageError(PackageProblem.NOTHING)
        package_id = uuid.uuid4().hex
        made = utcnow()
        sightings = self._sightings(request.sighting_ids)
        key = load_or_create_station_key(self._secrets)
        header = PackageHeader(case, package_id, made, actor.username, str(actor.role),
                               self._tool_version, request.place.strip(),
                               fingerprint(key.public_key()))
        private_dir(request.destination)
        name = f"evidence-{_safe(case)}-{made:%Y%m%dT%H%M%SZ}-{package_id[:8]}.zip"
        path = request.destination / name
        work = request.destination / f".package-{package_id[:8]}.work"
        exports: list[ExportResult] = []
        try:
            # The record's font loads on a worker while the files are copied (see
            # record_pdf); the pool is joined before this block ends. A failure anywhere
            # leaves no ZIP (atomic_private) and no work folder.
            with ThreadPoolExecutor(1, thread_name_prefix="record font") as pool, \
                    atomic_private(path) as handle, PackageWriter(handle, made) as writer:
                prepared = pool.submit(prepare_record)
                # The sightings first: one changed since tagging stops the package before
                # any footage is cut for it.
                items = [self._copy(writer, source)
                         for row in sightings for source in self._sighting_sources(row)]
                for number, footage in enumerate(request.footage, start=1):
                    exports.append(self._cut(actor, footage, work, case))
                    items += [self._copy(writer, source)
                              for source in self._footage_sources(number, exports[-1])]
                record = writer.add_bytes(RECORD_NAME,
                                          render_record(header, items, prepared.result()))
                items.append(ItemInfo(record.name, ItemKind.EXTRACTION_RECORD, record.bytes,
                                      record.sha256, source=package_id))
                manifest = canonical_json(build_manifest(header, items))
                manifest_sha = writer.add_bytes(MANIFEST_NAME, manifest).sha256
                writer.add_bytes(SIGNATURE_NAME, sign(key, manifest))
                writer.add_bytes(PUBLIC_KEY_NAME, public_pem(key.public_key()))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        result = PackageResult(path, package_id, writer.sha256, manifest_sha,
                               header.key_fingerprint, items)
        try:
            self._lock_and_audit(actor, result, case, sightings, exports)
        except BaseException:
            path.unlink(missing_ok=True)  # no package without its audit entry and locks
            raise
        return result

    # -- what goes in ---------------------------------------------------------------------
    def _sightings(self, ids: tuple[int, ...]) -> list[SightingRow]:
        rows = []
        with self._sessions() as session:
            for sighting_id in dict.fromkeys(ids):
                row = session.get(SightingRow, sighting_id)
                if row is None:
                    raise PackageError(PackageProblem.NO_SIGHTING, str(sighting_id))
                if row.clip_status == "pending":
                    raise PackageError(PackageProblem.CLIP_PENDING, str(sighting_id))
                rows.append(row)
        return rows

    def _camera(self, camera_id: int | None, name: str, junction: str) -> CameraInfo:
        with self._sessions() as session:
            row = session.get(CameraRow, camera_id) if camera_id is not None else None
        if row is None:  # removed from the registry: the sighting kept its name
            return CameraInfo(camera_id, name, junction)
        spot = (row.map_x, row.map_y) if row.map_x is not None and row.map_y is not None \
            else None
        return CameraInfo(camera_id, name or row.name, junction or row.junction, spot)

    def _offset_at(self, camera_id: int | None, moment: datetime) -> float | None:
        """The camera clock's offset measured by the recorder around ``moment``."""
        if camera_id is None:
            return None
        for segment in self._index.segments(camera_id, moment, moment + self._post):
            if segment.clock_offset_s is not None:
                return segment.clock_offset_s
        return None

    @property
    def _pre(self) -> float:
        return self._evidence.pre_seconds

    @property
    def _post(self) -> timedelta:
        return timedelta(seconds=self._evidence.post_seconds)

    def _sighting_sources(self, row: SightingRow) -> list[_Source]:
        camera = self._camera(row.camera_id, row.camera_name, row.junction)
        offset = self._offset_at(row.camera_id, row.frame_time)
        source = f"sighting {row.id}"
        stem = f"{EVIDENCE_FOLDER}sighting-{row.id}"
        out = [_Source(absolute(self._data_dir, row.snapshot_path),
                       ItemInfo(f"{stem}-snapshot.png", ItemKind.SNAPSHOT, 0, "", camera,
                                row.frame_time, row.frame_time, offset, source),
                       row.snapshot_sha256, f"snapshot of {source}")]
        if row.clip_status == "done" and row.clip_path:
            start = row.frame_time - timedelta(seconds=self._pre)
            out.append(_Source(absolute(self._data_dir, row.clip_path),
                               ItemInfo(f"{stem}-clip.mp4", ItemKind.SIGHTING_CLIP, 0, "",
                                        camera, start, row.frame_time + self._post, offset,
                                        source),
                               row.clip_sha256, f"clip of {source}"))
        return out

    def _cut(self, actor: Actor, footage: FootageRange, work: Path, case: str) -> ExportResult:
        private_dir(work)
        # The exporter takes UTC (it names its files by it); the command line may give
        # Beijing time.
        request = ExportRequest((footage.camera_id,), footage.start.astimezone(UTC),
                                footage.end.astimezone(UTC), work,
                                note=f"evidence package, case {case}")
        return self._export.start(actor, request).result()

    def _footage_sources(self, number: int, exported: ExportResult) -> list[_Source]:
        folder = f"{EVIDENCE_FOLDER}footage-{number}/"
        source = f"export {exported.folder.name}"
        out = [_Source(exported.manifest,
                       ItemInfo(f"{folder}export-manifest.json", ItemKind.EXPORT_MANIFEST, 0,
                                "", source=source), exported.manifest_sha256)]
        for cut in exported.cuts:
            row_camera = self._camera(cut.camera_id, "", "")
            for cut_file in cut.files:
                out.append(_Source(
                    exported.folder / cut_file.name,
                    ItemInfo(f"{folder}{cut_file.name}", ItemKind.FOOTAGE, 0, "", row_camera,
                             cut_file.actual_start, cut_file.actual_end,
                             cut_file.clock_offset_s, source),
                    cut_file.sha256, f"footage {cut_file.name}"))
        return out

    @staticmethod
    def _copy(writer: PackageWriter, source: _Source) -> ItemInfo:
        try:
            added = writer.add_file(source.path, source.info.file, source.expected_sha256,
                                    source.what)
        except SourceAltered as exc:
            raise PackageError(PackageProblem.SOURCE_ALTERED, exc.source) from exc
        info = source.info
        return ItemInfo(info.file, info.kind, added.bytes, added.sha256, info.camera,
                        info.start, info.end, info.clock_offset_s, info.source)

    # -- locks and audit ------------------------------------------------------------------
    def _lock_and_audit(self, actor: Actor, result: PackageResult, case: str,
                        sightings: list[SightingRow], exports: list[ExportResult]) -> None:
        ref = result.package_id
        with self._sessions.begin() as session:
            for row in sightings:
                lock_reference(session, row.camera_id, row.frame_time, LockKind.PACKAGE, ref,
                               actor.username)
            for exported in exports:
                for cut in exported.cuts:
                    for cut_file in cut.files:
                        add_lock(session, cut.camera_id, cut_file.actual_start,
                                 cut_file.actual_end, LockKind.PACKAGE, ref, actor.username)
            self._audit.append(session, actor, "evidence.package", case, {
                "case_number": case, "package_id": ref, "file": str(result.path),
                "sha256": result.sha256, "manifest_sha256": result.manifest_sha256,
                "key_fingerprint": result.key_fingerprint,
                "sightings": [row.id for row in sightings],
                "exports": [exported.folder.name for exported in exports],
                "items": [{"file": i.file, "sha256": i.sha256} for i in result.items]})
