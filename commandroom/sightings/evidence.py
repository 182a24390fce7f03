"""Evidence files: written under a temp name then renamed, hashed, and checked later.

A reader never sees a half-written file under its final name: ``commandroom.files``
writes ``.<name>.tmp`` (0600, in 0700 folders), fsyncs, then renames. A crash before the
rename leaves only a ``*.tmp`` that ``clean_orphan_temp_files`` removes at start-up; no
database row ever names a temp file.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from commandroom.files import TEMP_SUFFIX, tighten_dir

log = logging.getLogger(__name__)

_CHUNK = 1 << 20


class FileCheck(StrEnum):
    VERIFIED = "verified"
    ALTERED = "altered"
    MISSING = "missing"
    NONE = "none"  # nothing was recorded (e.g. the clip failed)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def dated_path(root: Path, when: datetime, suffix: str, stem: str | None = None) -> Path:
    """``<root>/YYYY/MM/DD/<uuid><suffix>`` (UTC date of ``when``)."""
    name = (stem or uuid.uuid4().hex) + suffix
    return root / f"{when:%Y}" / f"{when:%m}" / f"{when:%d}" / name


def relative_to(data_dir: Path, path: Path) -> str:
    """How a file is named in the database: relative to the data dir, "/" separated."""
    try:
        return path.resolve().relative_to(data_dir.resolve()).as_posix()
    except ValueError:  # outside the data dir (should not happen): keep it absolute
        return path.resolve().as_posix()


def absolute(data_dir: Path, stored: str) -> Path:
    path = Path(stored)
    return path if path.is_absolute() else data_dir / path


def check_file(path: Path | None, expected_sha256: str) -> FileCheck:
    if path is None or not expected_sha256:
        return FileCheck.NONE
    try:
        actual = sha256_file(path)
    except FileNotFoundError:
        return FileCheck.MISSING
    return FileCheck.VERIFIED if actual == expected_sha256 else FileCheck.ALTERED


def clean_orphan_temp_files(root: Path, keep: Iterable[Path] = ()) -> list[Path]:
    """Remove temp files left by a crash mid-write: ours (``.*.tmp``) and the video
    engine's unfinished clips (``.*.part``), except those in ``keep`` (still being written).
    Folders on the way are made private (0700). Returns what was removed."""
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for folder in (root, *(p for p in root.rglob("*") if p.is_dir())):
        tighten_dir(folder)  # dated folders made by older versions were 0755
    kept = set(keep)
    for pattern in (f".*{TEMP_SUFFIX}", ".*.part"):
        for temp in root.rglob(pattern):
            if temp.is_file() and temp not in kept:
                temp.unlink(missing_ok=True)
                removed.append(temp)
    if removed:
        log.warning("evidence: removed %d unfinished temp file(s) under %s", len(removed), root)
    return removed


def remove_quietly(path: Path) -> None:
    """Undo a file we wrote for a transaction that then failed."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.exception("evidence: could not remove %s after a failed transaction", path)

