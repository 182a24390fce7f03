"""An evidence package: verified when fresh; each kind of tampering found and named."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow
from commandroom.auth.permissions import Actor, PermissionDenied, Role
from commandroom.evidence_package.manifest import (
    BEIJING,
    MANIFEST_NAME,
    PUBLIC_KEY_NAME,
    RECORD_NAME,
    SIGNATURE_NAME,
    canonical_json,
)
from commandroom.evidence_package.service import PackageError, PackageProblem
from commandroom.evidence_package.signing import fingerprint, public_pem, sign
from commandroom.evidence_package.verify import Finding, verify_package
from commandroom.files import absolute
from commandroom.recording.locks import LockKind, locks_between
from commandroom.sightings.models import SightingRow
from tests.unit.evidence_package.conftest import CAMERA_OFFSET_S, CASE, T0, Station
from tests.unit.evidence_package.support import flip_byte, rewrite

SNAPSHOT = "evidence/sighting-{}-snapshot.png"


def _findings(path: Path, key: str | None = None) -> list[tuple[Finding, str]]:
    return [(p.finding, p.file) for p in verify_package(path, key).problems]


def test_a_fresh_package_verifies_and_holds_the_originals_byte_for_byte(
        station: Station) -> None:
    result = station.package()
    report = verify_package(result.path, result.key_fingerprint)
    assert report.ok and report.signature_ok, report.problems
    assert report.case_number == CASE and report.files_checked == len(result.items)
    assert result.path.stat().st_mode & 0o777 == 0o600
    assert not list(station.out.glob(".*"))  # no work folder or temp file left
    with zipfile.ZipFile(result.path) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        with station.core.sessions() as session:
            row = session.get(SightingRow, station.sighting_id)
            assert row is not None
            snapshot = absolute(station.data_dir, row.snapshot_path).read_bytes()
        name = SNAPSHOT.format(station.sighting_id)
        assert archive.read(name) == snapshot
        assert archive.read(f"evidence/sighting-{station.sighting_id}-clip.mp4") == \
            station.clip_bytes
        # Stored, not deflated: the originals are the ZIP's bytes as they are.
        assert {info.compress_type for info in infos.values()} == {zipfile.ZIP_STORED}
        footage = [n for n in infos if n.startswith("evidence/footage-1/cam")]
        assert len(footage) == 1 and footage[0].endswith(".mp4")
        assert archive.read(footage[0])[4:8] == b"ftyp"
        assert {MANIFEST_NAME, SIGNATURE_NAME, PUBLIC_KEY_NAME, RECORD_NAME,
                "evidence/footage-1/export-manifest.json"} <= set(infos)


def test_manifest_fields_times_offset_tool_and_hashes(station: Station) -> None:
    result = station.package()
    with zipfile.ZipFile(result.path) as archive:
        raw = archive.read(MANIFEST_NAME)
        manifest = json.loads(raw)
        contents = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    assert raw == canonical_json(manifest)  # the signed bytes are the canonical form
    assert manifest["case_number"] == CASE and manifest["place"] == "城关派出所指挥室"
    assert manifest["tool"] == {"name": "commandroom", "version": "0.1.0"}
    assert manifest["operator"] == {"username": "li", "role": "duty_officer"}
    created = datetime.fromisoformat(manifest["created"]["utc"])
    assert manifest["created"]["beijing"] == created.astimezone(BEIJING).isoformat(
        timespec="milliseconds") and manifest["created"]["beijing"].endswith("+08:00")
    assert manifest["signing_key"]["fingerprint"] == result.key_fingerprint
    items = manifest["items"]
    assert [i["file"] for i in items] == sorted(i["file"] for i in items)
    for item in items:  # every hash equals an independent one over the ZIP's bytes
        data = contents[item["file"]]
        assert item["sha256"] == hashlib.sha256(data).hexdigest()
        assert item["bytes"] == len(data)
    by_kind = {i["kind"]: i for i in items}
    assert set(by_kind) == {"snapshot", "sighting_clip", "footage", "export_manifest",
                            "extraction_record"}
    snap = by_kind["snapshot"]
    assert snap["camera"]["id"] == station.camera_id
    assert snap["camera"]["junction"] == "新华路 / 车站路"
    assert snap["camera"]["location"]["map"] == [0.3, 0.6]
    frame = T0 + timedelta(seconds=5)  # 08:00:05 UTC = 16:00:05 in Beijing
    assert snap["start"] == {"utc": "2026-05-01T08:00:05.000+00:00",
                             "beijing": "2026-05-01T16:00:05.000+08:00",
                             "device": "2026-05-01T16:00:02.500+08:00"}
    assert snap["clock_offset_s"] == CAMERA_OFFSET_S  # measured by the recorder
    clip = by_kind["sighting_clip"]
    assert datetime.fromisoformat(clip["start"]["utc"]) == frame - timedelta(seconds=2)
    footage = by_kind["footage"]
    # Cut from the keyframe at or before 3.3 s (keyframes every 2 s): 2.0 s.
    assert footage["start"]["beijing"] == "2026-05-01T16:00:02.000+08:00"
    assert footage["start"]["device"] == "2026-05-01T15:59:59.500+08:00"
    assert footage["clock_offset_s"] == CAMERA_OFFSET_S
    assert by_kind["extraction_record"]["camera"] is None


def test_an_unmeasured_camera_clock_says_unknown(station: Station) -> None:
    result = station.package(footage=(), sighting_ids=(station.sighting_id,))
    with zipfile.ZipFile(result.path) as archive:
        manifest = json.loads(archive.read(MANIFEST_NAME))
    assert {i["kind"] for i in manifest["items"]} == {"snapshot", "sighting_clip",
                                                      "extraction_record"}
    # Recorded with an offset: known. Now a sighting on a camera that never recorded.
    with station.core.sessions.begin() as session:
        row = session.get(SightingRow, station.sighting_id)
        assert row is not None
        row.camera_id = None  # the camera was removed from the registry since
    result = station.package(footage=())
    with zipfile.ZipFile(result.path) as archive:
        manifest = json.loads(archive.read(MANIFEST_NAME))
    snap = next(i for i in manifest["items"] if i["kind"] == "snapshot")
    assert snap["clock_offset_s"] == "unknown" and snap["start"]["device"] == "unknown"
    assert snap["camera"]["name"] == "Xinhua Rd North"


def test_a_flipped_byte_is_named_with_both_hashes(station: Station) -> None:
    result = station.package()
    name = SNAPSHOT.format(station.sighting_id)
    with zipfile.ZipFile(result.path) as archive:
        flipped = bytearray(archive.read(name))
        listed = json.loads(archive.read(MANIFEST_NAME))["items"]
    flip_byte(result.path, name, at=1000)
    flipped[1000] ^= 0x01
    (problem,) = verify_package(result.path).problems
    assert (problem.finding, problem.file) == (Finding.HASH_DIFFERS, name)
    manifest_sha = next(item["sha256"] for item in listed if item["file"] == name)
    assert problem.detail == (f"manifest {manifest_sha}, "
                              f"file {hashlib.sha256(flipped).hexdigest()}")


def test_a_renamed_file_is_named_missing_and_not_listed(station: Station) -> None:
    result = station.package()
    name = SNAPSHOT.format(station.sighting_id)
    rewrite(result.path, rename={name: "evidence/renamed.png"})
    assert _findings(result.path) == [(Finding.MISSING, name),
                                      (Finding.NOT_IN_MANIFEST, "evidence/renamed.png")]


def test_a_removed_file_is_named(station: Station) -> None:
    result = station.package()
    clip = f"evidence/sighting-{station.sighting_id}-clip.mp4"
    rewrite(result.path, drop=(clip,))
    assert _findings(result.path) == [(Finding.MISSING, clip)]


def test_an_edited_manifest_breaks_the_signature(station: Station) -> None:
    result = station.package()
    with zipfile.ZipFile(result.path) as archive:
        manifest = json.loads(archive.read(MANIFEST_NAME))
    manifest["case_number"] = "JX-2026-9999"
    rewrite(result.path, replace={MANIFEST_NAME: canonical_json(manifest)})
    assert _findings(result.path) == [(Finding.SIGNATURE_INVALID, MANIFEST_NAME)]


def test_a_hash_edited_to_match_a_changed_file_still_breaks_the_signature(
        station: Station) -> None:
    result = station.package()
    name = SNAPSHOT.format(station.sighting_id)
    with zipfile.ZipFile(result.path) as archive:
        manifest = json.loads(archive.read(MANIFEST_NAME))
    forged = b"\x89PNG forged"
    for item in manifest["items"]:
        if item["file"] == name:
            item["sha256"], item["bytes"] = hashlib.sha256(forged).hexdigest(), len(forged)
    rewrite(result.path, replace={MANIFEST_NAME: canonical_json(manifest), name: forged})
    assert _findings(result.path) == [(Finding.SIGNATURE_INVALID, MANIFEST_NAME)]


def test_a_wrong_signature_is_named(station: Station) -> None:
    result = station.package()
    with zipfile.ZipFile(result.path) as archive:
        manifest = archive.read(MANIFEST_NAME)
    other = Ed25519PrivateKey.generate()
    rewrite(result.path, replace={SIGNATURE_NAME: sign(other, manifest)})
    assert _findings(result.path) == [(Finding.SIGNATURE_INVALID, MANIFEST_NAME)]


def test_a_package_re_signed_with_another_key_is_not_the_stations(station: Station) -> None:
    """Manifest, signature and key all replaced consistently: only the station's
    published fingerprint tells it apart."""
    result = station.package()
    with zipfile.ZipFile(result.path) as archive:
        manifest = json.loads(archive.read(MANIFEST_NAME))
    other = Ed25519PrivateKey.generate()
    manifest["signing_key"]["fingerprint"] = fingerprint(other.public_key())
    raw = canonical_json(manifest)
    rewrite(result.path, replace={MANIFEST_NAME: raw, SIGNATURE_NAME: sign(other, raw),
                                  PUBLIC_KEY_NAME: public_pem(other.public_key())})
    assert _findings(result.path) == []  # consistent in itself...
    station_key = station.core.evidence_packages.station_fingerprint()
    assert station_key == result.key_fingerprint
    assert _findings(result.path, station_key) == [(Finding.KEY_NOT_EXPECTED, PUBLIC_KEY_NAME)]
    # ...and a key swapped without re-signing is named too.
    rewrite(result.path, replace={MANIFEST_NAME: canonical_json(
        {**manifest, "signing_key": {**manifest["signing_key"],
                                     "fingerprint": result.key_fingerprint}})})
    found = _findings(result.path)
    assert (Finding.SIGNATURE_INVALID, MANIFEST_NAME) in found
    assert (Finding.KEY_MISMATCH, PUBLIC_KEY_NAME) in found


def test_the_package_is_audited_with_the_case_and_its_footage_locked(
        station: Station) -> None:
    result = station.package()
    with station.core.sessions() as session:
        event = session.scalars(select(AuditEventRow)
                                .where(AuditEventRow.action == "evidence.package")).one()
        details = json.loads(event.details)
        exported = session.scalars(select(AuditEventRow)
                                   .where(AuditEventRow.action == "recording.export")).one()
        locks = [lk for lk in locks_between(session, station.camera_id, T0,
                                            T0 + timedelta(minutes=1))
                 if lk.kind == LockKind.PACKAGE]
    assert event.actor == "li" and event.subject == CASE
    assert details["case_number"] == CASE and details["package_id"] == result.package_id
    assert details["sha256"] == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert details["sightings"] == [station.sighting_id]
    assert CASE in json.loads(exported.details)["note"]  # the footage's own export
    assert {lk.ref for lk in locks} == {result.package_id} and len(locks) == 2
    assert station.core.audit.verify().ok


def test_a_changed_original_is_refused_and_nothing_is_written(station: Station) -> None:
    with station.core.sessions() as session:
        row = session.get(SightingRow, station.sighting_id)
        assert row is not None
        snapshot = absolute(station.data_dir, row.snapshot_path)
    snapshot.write_bytes(snapshot.read_bytes() + b"\0")
    with pytest.raises(PackageError) as refused:
        station.package()
    assert refused.value.problem == PackageProblem.SOURCE_ALTERED
    assert "snapshot of sighting" in refused.value.detail
    assert list(station.out.iterdir()) == []  # no ZIP, no temp file, no work folder
    with station.core.sessions() as session:  # stopped before any footage was cut
        actions = set(session.scalars(select(AuditEventRow.action)))
        locks = locks_between(session, station.camera_id, T0, T0 + timedelta(minutes=1))
    assert not actions & {"recording.export", "evidence.package"}
    assert {lk.kind for lk in locks} == {LockKind.SIGHTING}


def test_bad_requests_say_why(station: Station) -> None:
    for changes, problem in (({"case_number": "  "}, PackageProblem.NO_CASE),
                             ({"sighting_ids": (), "footage": ()}, PackageProblem.NOTHING),
                             ({"sighting_ids": (999,)}, PackageProblem.NO_SIGHTING)):
        with pytest.raises(PackageError) as refused:
            station.package(**changes)
        assert refused.value.problem == problem
    with pytest.raises(PermissionDenied):
        station.core.evidence_packages.export(Actor("zhao", Role.VIEWER, 3), station.request())
