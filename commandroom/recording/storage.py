"""Files of the recordings folder: names, private modes, and fragmented-MP4 repair.

Layout: ``<root>/cam<camera id>/<YYYY-MM-DD>/<camera id>_<YYYYmmddTHHMMSSfff>Z.mp4`` (UTC);
a file being written carries ``.part`` after that. The camera id and start in the name let
start-up recovery index a file the database lost.
"""

from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PART_SUFFIX = ".part"
_NAME = re.compile(r"^(?P<camera>\d+)_(?P<stamp>\d{8}T\d{9})Z\.mp4$")
_HEADER = struct.Struct(">I4s")
_LARGE = struct.Struct(">Q")


# -- names ------------------------------------------------------------------------------


def segment_name(camera_id: int, start: datetime) -> str:
    """Relative path (posix) of a segment of ``camera_id`` starting at ``start``."""
    utc = start.astimezone(UTC)
    stamp = f"{utc:%Y%m%dT%H%M%S}{utc.microsecond // 1000:03d}"
    return f"cam{camera_id}/{utc:%Y-%m-%d}/{camera_id}_{stamp}Z.mp4"


@dataclass(frozen=True)
class ParsedName:
    camera_id: int
    start: datetime


def parse_segment_name(relative: str) -> ParsedName | None:
    """Camera id and start of a file named by ``segment_name`` (``.part`` allowed)."""
    name = relative.rsplit("/", 1)[-1].removesuffix(PART_SUFFIX)
    found = _NAME.match(name)
    if found is None:
        return None
    stamp = found["stamp"]
    start = datetime.strptime(stamp[:15], "%Y%m%dT%H%M%S").replace(
        microsecond=int(stamp[15:]) * 1000, tzinfo=UTC
    )
    return ParsedName(int(found["camera"]), start)


def part_path(final: Path) -> Path:
    return final.with_name(final.name + PART_SUFFIX)


# -- fragmented MP4 ---------------------------------------------------------------------


@dataclass(frozen=True)
class FragmentScan:
    keep_bytes: int  # whole boxes up to the end of the last whole fragment (0: nothing)
    fragments: int


def scan_fragments(path: Path) -> FragmentScan:
    """Where the whole fragments of ``path`` end.

    A fragmented MP4 is ``ftyp moov (moof mdat)* [mfra]``; a process killed while writing
    leaves a cut-off box at the end. ``keep_bytes`` is 0 when not even the header is whole.
    A box header that makes no sense ends the walk there.
    """
    size = path.stat().st_size
    good = fragments = 0
    have_moov = pending_moof = False
    with path.open("rb") as handle:
        offset = 0
        while offset + _HEADER.size <= size:
            handle.seek(offset)
            box_size, kind = _HEADER.unpack(handle.read(_HEADER.size))
            header = _HEADER.size
            if box_size == 1:
                box_size = _LARGE.unpack(handle.read(_LARGE.size))[0]
                header += _LARGE.size
            elif box_size == 0:  # "to the end of the file": only a finished writer says so
                box_size = size - offset
            if box_size < header or offset + box_size > size:
                break
            offset += box_size
            if kind == b"moov":
                have_moov, good = True, offset
            elif kind == b"moof":
                pending_moof = True
            elif kind == b"mdat" and pending_moof:
                pending_moof, good, fragments = False, offset, fragments + 1
            elif kind in (b"mfra", b"free", b"skip", b"sidx") and not pending_moof:
                good = offset
    return FragmentScan(good if have_moov else 0, fragments if have_moov else 0)


def cut_to_whole_fragments(path: Path) -> FragmentScan:
    """Truncate ``path`` after its last whole fragment (and fsync it)."""
    scan = scan_fragments(path)
    if scan.keep_bytes != path.stat().st_size:
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
        try:
            os.ftruncate(fd, scan.keep_bytes)
            os.fsync(fd)
        finally:
            os.close(fd)
    return scan
