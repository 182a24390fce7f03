"""The one rule for every file and folder the app writes: private to the user.

Folders are created 0700 (every missing level, not only the last: ``Path.mkdir(parents=
True, mode=...)`` gives the parents the umask's 0755), files 0600 from the moment they
exist (created with that mode, never chmod-ed afterwards, so there is no window in which
another account could open them). Whole files are written under a temp name in the same
folder, fsynced, then renamed: a reader never sees half a file under its final name.

Police data lives in these files (snapshots, clips, exports, logs, the database); the
station's computer may have other accounts. ``tests/unit/test_files.py`` walks the data
folder after a full shift and checks every entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import stat
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

DIR_MODE = 0o700
FILE_MODE = 0o600
TEMP_SUFFIX = ".tmp"
_CHUNK = 1 << 20


def private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents, each 0700; existing folders are left as
    they are (a folder the officer chose, e.g. for an export, is theirs)."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another thread made it meanwhile
            folder.mkdir(mode=DIR_MODE)
            os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def private_dir_under(path: Path, root: Path) -> Path:
    """Create ``path`` and its missing parents below ``root``, each 0700; ``root`` itself
    is never created: a recordings folder on a disk that went away must say "folder
    missing", not quietly fill the disk underneath it."""
    if not root.is_dir():
        raise FileNotFoundError(2, "folder missing", str(root))
    missing = []
    current = path
    while current != root and not current.is_dir():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=DIR_MODE)
            os.chmod(folder, DIR_MODE)  # whatever the umask
    return path


def open_new_private_fd(path: Path) -> int:
    """A new file (never an existing one), 0600, open for writing: its descriptor."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)


def sync_dir(path: Path) -> None:
    """Make a rename or a new name in ``path`` survive a power cut."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def tighten_dir(path: Path) -> None:
    """Make an existing folder of ours 0700 (folders made by older versions were 0755)."""
    if stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        os.chmod(path, DIR_MODE)


def temp_path_for(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}{TEMP_SUFFIX}")


def create_private(path: Path) -> None:
    """Create an empty 0600 file at ``path`` (replacing one left by a crash), for writers
    that open the path themselves (FFmpeg's muxer, SQLite)."""
    private_dir(path.parent)
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def _open_new_private(path: Path) -> IO[bytes]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # a temp file left by a crash kept its old mode
    return os.fdopen(fd, "wb")


@contextlib.contextmanager
def atomic_private(dest: Path) -> Iterator[IO[bytes]]:
    """Write ``dest`` through a 0600 temp file in the same folder; renamed on success,
    removed on failure. The handle is fsynced before the rename."""
    private_dir(dest.parent)
    temp = temp_path_for(dest)
    try:
        with _open_new_private(temp) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, dest)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_private(dest: Path, data: bytes | memoryview) -> str:
    """Write ``data`` to ``dest`` atomically, 0600; returns its SHA-256."""
    with atomic_private(dest) as handle:
        handle.write(data)
    return hashlib.sha256(data).hexdigest()


def copy_private(source: Path, dest: Path) -> str:
    """Copy ``source`` to ``dest`` atomically, 0600; returns the SHA-256 of what was copied."""
    digest = hashlib.sha256()
    with source.open("rb") as src, atomic_private(dest) as out:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def open_private_append(path: Path) -> io.TextIOWrapper:
    """Open ``path`` for appending text, creating it 0600 (log files, the audit anchors)."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    return os.fdopen(fd, "a", encoding="utf-8")


# -- names, hashes and checks of stored files -------------------------------------------
# A database row names a file relative to the data folder and keeps its SHA-256: the
# file can be checked later (verified / altered / missing). A crash before the rename
# leaves only a temp file that ``clean_orphan_temp_files`` removes at start-up; no row
# ever names a temp file.


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

