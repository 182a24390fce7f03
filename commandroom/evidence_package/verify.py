"""Check an evidence package anywhere: the signature, then every file against the manifest.

What is checked, and what each finding names:

* the manifest's bytes against the signature, with the public key in the package
  (an edited manifest, a replaced signature: ``signature_invalid``);
* that key against the one the manifest names, and, when the caller gives the station's
  published fingerprint, against that (a package re-signed with another key:
  ``key_mismatch`` / ``key_not_expected``);
* every listed file: there (``missing``), the same size and SHA-256 (``hash_differs``);
  every file in the ZIP is listed (``not_in_manifest``). A renamed file is both: its old
  name missing, its new one not in the manifest.

Only the bytes found are judged: the manifest is parsed from the exact signed bytes.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from commandroom.evidence_package.archive import CHUNK
from commandroom.evidence_package.manifest import (
    FORMAT,
    MANIFEST_NAME,
    PUBLIC_KEY_NAME,
    SIGNATURE_NAME,
)
from commandroom.evidence_package.signing import fingerprint, load_public_pem, signature_valid

_PACKAGE_FILES = frozenset({MANIFEST_NAME, SIGNATURE_NAME, PUBLIC_KEY_NAME})


class Finding(StrEnum):
    UNREADABLE = "unreadable"  # not a ZIP, or its directory is broken
    NO_MANIFEST = "no_manifest"
    NO_SIGNATURE = "no_signature"
    NO_KEY = "no_key"  # the public key file is missing or not an Ed25519 key
    SIGNATURE_INVALID = "signature_invalid"
    KEY_MISMATCH = "key_mismatch"  # the key in the package is not the one the manifest names
    KEY_NOT_EXPECTED = "key_not_expected"  # not the station's published key
    BAD_MANIFEST = "bad_manifest"  # signed, but not a manifest this tool reads
    MISSING = "missing"
    HASH_DIFFERS = "hash_differs"
    SIZE_DIFFERS = "size_differs"
    NOT_IN_MANIFEST = "not_in_manifest"


@dataclass(frozen=True)
class Problem:
    finding: Finding
    file: str = ""
    detail: str = ""


@dataclass
class VerifyReport:
    package: Path
    problems: list[Problem] = field(default_factory=list)
    case_number: str = ""
    package_id: str = ""
    created_beijing: str = ""
    key_fingerprint: str = ""
    signature_ok: bool = False
    files_checked: int = 0
    bytes_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, finding: Finding, file: str = "", detail: str = "") -> None:
        self.problems.append(Problem(finding, file, detail))


def verify_package(path: Path, expected_fingerprint: str | None = None) -> VerifyReport:
    report = VerifyReport(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _verify(archive, report, expected_fingerprint)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        report.add(Finding.UNREADABLE, path.name, str(exc))
    return report


def _read(archive: zipfile.ZipFile, names: set[str], name: str) -> bytes | None:
    if name not in names:
        return None
    try:
        return archive.read(name)
    except zipfile.BadZipFile:  # its CRC fails: its bytes changed
        return b""


def _verify(archive: zipfile.ZipFile, report: VerifyReport,
            expected_fingerprint: str | None) -> None:
    names = {info.filename for info in archive.infolist() if not info.is_dir()}
    manifest_raw = _read(archive, names, MANIFEST_NAME)
    signature = _read(archive, names, SIGNATURE_NAME)
    key_pem = _read(archive, names, PUBLIC_KEY_NAME)
    if manifest_raw is None:
        report.add(Finding.NO_MANIFEST, MANIFEST_NAME)
        return
    key = load_public_pem(key_pem) if key_pem else None
    if key is None:
        report.add(Finding.NO_KEY, PUBLIC_KEY_NAME)
    else:
        report.key_fingerprint = fingerprint(key)
    if signature is None:
        report.add(Finding.NO_SIGNATURE, SIGNATURE_NAME)
    elif key is not None:
        report.signature_ok = signature_valid(key, manifest_raw, signature)
        if not report.signature_ok:
            report.add(Finding.SIGNATURE_INVALID, MANIFEST_NAME)
    if expected_fingerprint and report.key_fingerprint and \
            report.key_fingerprint.lower() != expected_fingerprint.strip().lower():
        report.add(Finding.KEY_NOT_EXPECTED, PUBLIC_KEY_NAME,
                   f"expected {expected_fingerprint.strip()}")
    manifest = _parse(manifest_raw)
    if manifest is None:
        report.add(Finding.BAD_MANIFEST, MANIFEST_NAME)
        return
    report.case_number = str(manifest.get("case_number", ""))
    report.package_id = str(manifest.get("package_id", ""))
    report.created_beijing = str(manifest.get("created", {}).get("beijing", ""))
    named = str(manifest.get("signing_key", {}).get("fingerprint", ""))
    if report.key_fingerprint and named != report.key_fingerprint:
        report.add(Finding.KEY_MISMATCH, PUBLIC_KEY_NAME, f"the manifest names {named}")
    listed: set[str] = set()
    for item in manifest["items"]:
        name = str(item.get("file", ""))
        listed.add(name)
        if name not in names:
            report.add(Finding.MISSING, name)
            continue
        _check_item(archive, report, name, item)
    for extra in sorted(names - listed - _PACKAGE_FILES):
        report.add(Finding.NOT_IN_MANIFEST, extra)


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT \
            or not isinstance(data.get("items"), list):
        return None
    if not all(isinstance(item, dict) for item in data["items"]):
        return None
    return data


def _check_item(archive: zipfile.ZipFile, report: VerifyReport, name: str,
                item: dict[str, Any]) -> None:
    digest = hashlib.sha256()
    size = 0
    crc_failed = False
    try:
        with archive.open(name) as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except zipfile.BadZipFile:  # the ZIP's own CRC-32 of the entry failed
        crc_failed = True
        digest, size = _stored_bytes_hash(archive, name)
    report.files_checked += 1
    report.bytes_checked += size
    expected = str(item.get("sha256", ""))
    if size != item.get("bytes"):
        report.add(Finding.SIZE_DIFFERS, name, f"{size} bytes, manifest says {item.get('bytes')}")
    actual = digest.hexdigest()
    if crc_failed or actual != expected:
        report.add(Finding.HASH_DIFFERS, name, f"manifest {expected}, file {actual}")


def _stored_bytes_hash(archive: zipfile.ZipFile, name: str) -> tuple[Any, int]:
    """SHA-256 of an entry's bytes as they are in the ZIP, read past its failed CRC-32
    (zipfile refuses to hand over the last chunk): a stored entry's bytes sit right after
    its local header."""
    info = archive.getinfo(name)
    digest = hashlib.sha256()
    if archive.filename is None or info.compress_type != zipfile.ZIP_STORED:
        return digest, 0
    with open(archive.filename, "rb") as handle:
        handle.seek(info.header_offset)
        header = handle.read(30)
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        handle.seek(info.header_offset + 30 + name_len + extra_len)
        left = info.compress_size
        while left > 0 and (chunk := handle.read(min(CHUNK, left))):
            digest.update(chunk)
            left -= len(chunk)
    return digest, info.compress_size - left
