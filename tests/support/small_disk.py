"""A small disk for write-failure tests: a real tmpfs when we may mount (root), else an
explicit stand-in that fails writes with the same errno.

The tmpfs is the real thing: the kernel says ENOSPC when it is full and EROFS when it is
mounted read-only. Without the right to mount, ``InjectedDisk`` gives the recorder a
segment writer whose writes fail with ENOSPC / EROFS over a byte budget: the recorder's
handling is the same, only the kernel is not in the loop (the test name says which ran).
"""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

from commandroom.recording.writer import ForwardFile, SegmentFile
from commandroom.video.packet_sources import SegmentInfo


def can_mount() -> bool:
    """Root may mount; ``COMMANDROOM_TEST_NO_MOUNT=1`` runs the stand-in instead."""
    if os.environ.get("COMMANDROOM_TEST_NO_MOUNT"):
        return False
    return os.geteuid() == 0 and Path("/bin/mount").exists()


class TmpfsDisk:
    kind = "tmpfs"

    def __init__(self, where: Path, size_mb: int) -> None:
        self.mountpoint = where
        where.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700", "tmpfs",
                        str(where)], check=True, capture_output=True, timeout=10)
        self.filler = where / "filler"

    writer_factory = SegmentFile

    def fill(self, leave_bytes: int) -> None:
        """Take all free space but ``leave_bytes``."""
        free = os.statvfs(self.mountpoint).f_bavail * os.statvfs(self.mountpoint).f_frsize
        with self.filler.open("ab") as handle:
            handle.write(b"\0" * max(0, free - leave_bytes))

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def read_only(self, on: bool) -> None:
        mode = "ro" if on else "rw"
        subprocess.run(["mount", "-o", f"remount,{mode}", str(self.mountpoint)], check=True,
                       capture_output=True, timeout=10)

    def close(self) -> None:
        subprocess.run(["umount", "-l", str(self.mountpoint)], check=False,
                       capture_output=True, timeout=10)


class _Budget:
    def __init__(self, where: Path | None = None) -> None:
        self.where = where
        self.capacity: int | None = None  # None: unlimited
        self.error: int | None = None  # an errno every write fails with

    def used(self) -> int:
        if self.where is None:
            return 0
        return sum(p.stat().st_size for p in self.where.rglob("*") if p.is_file())


class _BudgetFile(ForwardFile):
    budget = _Budget()

    def write(self, data: bytes) -> int:
        if self.budget.error is not None:
            raise OSError(self.budget.error, os.strerror(self.budget.error))
        capacity = self.budget.capacity
        if capacity is not None and self.budget.used() + len(data) > capacity:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return super().write(data)


class _BudgetSegmentFile(SegmentFile):
    @staticmethod
    def _open(path: Path) -> ForwardFile:
        if _BudgetFile.budget.error is not None:
            raise OSError(_BudgetFile.budget.error, os.strerror(_BudgetFile.budget.error))
        return _BudgetFile(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class InjectedDisk:
    """Stand-in when mounting is not allowed (see the module docstring): a disk as big
    as what is in the folder now plus ``fill``'s room; deleting files frees room."""

    kind = "injected"

    def __init__(self, where: Path) -> None:
        self.mountpoint = where
        where.mkdir(parents=True, exist_ok=True)
        _BudgetFile.budget = _Budget(where)

    @staticmethod
    def writer_factory(path: Path, info: SegmentInfo, fragment_s: float) -> SegmentFile:
        return _BudgetSegmentFile(path, info, fragment_s)

    def fill(self, leave_bytes: int) -> None:
        _BudgetFile.budget.capacity = _BudgetFile.budget.used() + leave_bytes

    def free(self) -> None:
        _BudgetFile.budget.capacity = None

    def read_only(self, on: bool) -> None:
        _BudgetFile.budget.error = errno.EROFS if on else None

    def close(self) -> None:
        _BudgetFile.budget = _Budget()
