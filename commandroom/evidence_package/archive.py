"""Writing the package's ZIP: originals streamed in byte for byte, hashed on the way.

Entries are STORED, not deflated: MP4 (H.264) and PNG are compressed already, so deflate
would gain under 1 % and cost a pass of CPU over hundreds of megabytes; and a stored entry
is the original's bytes at an offset in the ZIP, so any tool can check or extract it
without our code. The whole ZIP is written under a temp name, fsynced and renamed
(``files.atomic_private``), 0600: nobody ever sees half a package.
"""

from __future__ import annotations

import hashlib
import io
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


class _HashingStream(io.RawIOBase):
    """Passes writes on and hashes them: the ZIP's SHA-256 without reading it back.

    It cannot seek, so zipfile writes each entry's CRC and sizes after its data (a
    data descriptor, as any streaming ZIP writer does) instead of going back to patch
    the header: every byte is written once, in order, and so hashed once."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._digest = hashlib.sha256()
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._handle.write(data)
        self._digest.update(data)
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def seekable(self) -> bool:
        return False

    def seek(self, offset: int, whence: int = 0) -> int:
        raise io.UnsupportedOperation("a package is written in one pass")

    def flush(self) -> None:
        self._handle.flush()

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


class PackageWriter:
    """Adds entries to a ZIP being written to ``handle``; ``sha256`` is the whole ZIP's
    once the writer is closed (the ``with`` block ended)."""

    def __init__(self, handle: IO[bytes], made: datetime) -> None:
        self._stream = _HashingStream(handle)
        self._zip = zipfile.ZipFile(self._stream, "w",
                                    compression=zipfile.ZIP_STORED, allowZip64=True)
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

    @property
    def sha256(self) -> str:
        return self._stream.hexdigest()
