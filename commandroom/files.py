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
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

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
