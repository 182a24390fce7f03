"""One console per data folder: a second lock on the folder is refused at once with who
holds it, from this process or another; a holder killed with SIGKILL leaves no stale lock;
the lock file is private like every file of the folder."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from commandroom.runtime.instance_lock import LOCK_FILE, DataFolderInUse, InstanceLock

HOLD = """
import sys
from pathlib import Path
from commandroom.runtime.instance_lock import InstanceLock
InstanceLock(Path(sys.argv[1])).acquire()
print("held", flush=True)
sys.stdin.readline()  # until the test kills it
"""


def test_a_second_lock_on_the_folder_is_refused_and_says_who_holds_it(tmp_path: Path) -> None:
    first = InstanceLock(tmp_path).acquire()
    with pytest.raises(DataFolderInUse) as refused:
        InstanceLock(tmp_path).acquire()
    assert refused.value.folder == tmp_path
    holder = refused.value.holder
    assert holder is not None and (holder.pid, holder.host) == (os.getpid(), socket.gethostname())
    assert f"process {os.getpid()} on {socket.gethostname()} since " in str(refused.value)
    assert str(tmp_path) in str(refused.value)
    assert stat.S_IMODE((tmp_path / LOCK_FILE).stat().st_mode) == 0o600
    first.release()
    first.release()  # twice: nothing more
    second = InstanceLock(tmp_path).acquire()
    assert second.held
    second.release()


def test_a_holder_killed_with_sigkill_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[3])
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(DataFolderInUse) as refused:
            InstanceLock(tmp_path).acquire()
        assert refused.value.holder is not None and refused.value.holder.pid == holder.pid
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        lock = InstanceLock(tmp_path).acquire()  # the kernel let go with the process
        assert f'"pid": {os.getpid()},' in (tmp_path / LOCK_FILE).read_text()
        lock.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(10)
        if holder.stdin is not None:
            holder.stdin.close()
        if holder.stdout is not None:
            holder.stdout.close()
