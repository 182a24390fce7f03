"""One running console per data folder.

A second console on the same folder does harm before anyone sees it: its start-up
recovery takes the first one's recording segments for a crash's leftovers and repairs
them under its writers (seen: "folder_missing" on every camera of the first), both
dispatchers send the same alert, both escalate it, and the second cannot listen on the
acknowledgement port. ``Core.open`` (the app's start, never an administrator command,
which touches only the database) takes this lock first and ``Core.stop`` lets it go.

It is the kernel's ``flock`` on a file in the folder: it ends with the process however
the process ends (a crash or SIGKILL leaves no stale lock to clear by hand), and the
file itself is left in place (removing it would let a third process lock a new file
while the second still holds the old one).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from commandroom.files import FILE_MODE

LOCK_FILE = "commandroom.lock"


@dataclass(frozen=True)
class Holder:
    """The console holding the folder, as it wrote itself into the lock file."""

    pid: int
    host: str
    since: str  # the computer's local time, YYYY-MM-DD HH:MM:SS

    def __str__(self) -> str:
        return f"process {self.pid} on {self.host} since {self.since}"


class DataFolderInUse(RuntimeError):
    """Another running console holds the folder; ``holder`` says which, or is None when
    it has not written itself into the file yet."""

    def __init__(self, folder: Path, holder: Holder | None) -> None:
        self.folder = folder
        self.holder = holder
        super().__init__(f"another command room is already running on {folder}"
                         + (f" ({holder})" if holder else ""))


def _read_holder(text: str) -> Holder | None:
    try:
        found = json.loads(text)
        return Holder(int(found["pid"]), str(found["host"]), str(found["since"]))
    except (ValueError, KeyError, TypeError):
        return None


class InstanceLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_FILE
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> InstanceLock:
        """Take the folder, or raise ``DataFolderInUse`` at once (never waits)."""
        if self._fd is not None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(os.pread(fd, 1000, 0).decode("utf-8", "replace"))
            os.close(fd)
            raise DataFolderInUse(self.path.parent, holder) from None
        except BaseException:
            os.close(fd)
            raise
        since = datetime.now().strftime("%Y-%m-%d %H:%M:%S")  # this computer's time
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                   "since": since}) + "\n").encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        """Idempotent. Closing the file ends the lock; what it says stays until the
        next owner writes over it."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)
