"""Writing the package's ZIP: originals streamed in byte for byte, hashed on the way.

Entries are STORED, not deflated: MP4 (H.264) and PNG are compressed already, so deflate
would gain under 1 % and cost a pass of CPU over hundreds of megabytes; and a stored entry
is the original's bytes at an offset in the ZIP, so any tool can check or extract it
without our code. The whole ZIP is written under a temp name, fsynced and renamed
(``files.atomic_private``), 0600: nobody ever sees half a package.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from commandroom.evidence_package.manifest import BEIJING

CHUNK = 4 << 20  # large reads: the copy runs at the disk's speed, not Python's
_FILE_MODE = 0o100600  # a regular file, 0600, when someone unzips it on Unix


class SourceAltered(Exception):
    """A stored file no longer has the SHA-256 recorded when it was made."""

    def __init__(self, source: str, path: Path) -> None:
        super().__init__(f"{source}: {path.name} differs from the hash recorded when it "
                         "was made; it is not packaged")
        self.source = source
        self.path = path


@dataclass(frozen=True)
class Added:
    name: str
    bytes: int
    sha256: str


class PackageWriter:
    """Adds entries to a ZIP being written to ``handle`` (a seekable binary file)."""

    def __init__(self, handle: IO[bytes], made: datetime) -> None:
        self._zip = zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED,
                                    allowZip64=True)
        local = made.astimezone(BEIJING)  # ZIP times have no zone: the case file's time
        self._date_time = (local.year, local.month, local.day, local.hour, local.minute,
                           local.second)

    def _info(self, name: str, size: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, self._date_time)
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = _FILE_MODE << 16
        info.file_size = size
        return info

    def add_file(self, source: Path, name: str, expected_sha256: str = "",
                 what: str = "") -> Added:
        """Copy ``source`` in; with ``expected_sha256``, refuse a file that changed."""
        digest = hashlib.sha256()
        size = source.stat().st_size
        with source.open("rb") as src, \
                self._zip.open(self._info(name, size), "w", force_zip64=size > 2**31) as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        if expected_sha256 and sha != expected_sha256:
            raise SourceAltered(what or name, source)
        return Added(name, size, sha)

    def add_bytes(self, name: str, data: bytes) -> Added:
        self._zip.writestr(self._info(name, len(data)), data)
        return Added(name, len(data), hashlib.sha256(data).hexdigest())

    def __enter__(self) -> PackageWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        # Closed on failure too (the partial file is removed by atomic_private), so the
        # ZipFile never tries to finish itself later on a handle already closed.
        self._zip.close()
