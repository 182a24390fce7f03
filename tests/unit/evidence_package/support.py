"""Tampering with a package the way someone with a ZIP tool would."""

from __future__ import annotations

import shutil
import struct
import zipfile
from pathlib import Path


def data_offset(package: Path, name: str) -> int:
    """Where ``name``'s stored bytes start in the ZIP (after its local header)."""
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo(name)
    with package.open("rb") as handle:
        handle.seek(info.header_offset)
        header = handle.read(30)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    return info.header_offset + 30 + name_len + extra_len


def flip_byte(package: Path, name: str, at: int = 1000) -> None:
    offset = data_offset(package, name) + at
    with package.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0x01]))


def rewrite(package: Path, *, rename: dict[str, str] | None = None,
            drop: tuple[str, ...] = (), replace: dict[str, bytes] | None = None) -> None:
    """A new ZIP with entries renamed, dropped or replaced (same order otherwise)."""
    rename, replace = rename or {}, replace or {}
    temp = package.with_suffix(".new")
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(temp, "w") as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            data = replace.get(info.filename, src.read(info.filename))
            dst.writestr(rename.get(info.filename, info.filename), data)
    shutil.move(temp, package)
