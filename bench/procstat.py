"""CPU and memory of processes from /proc (Linux), without psutil."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Collection
from dataclasses import dataclass

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int | str = "self") -> float:
    """utime + stime of a process (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        # The command name (field 2) may hold spaces: split after its closing ')'.
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * _PAGE / 1e6


@dataclass
class CpuWindow:
    """CPU used by some processes between start() and stop(), as % of ONE core."""

    pids: list[int | str]
    _t0: float = 0.0
    _c0: float = 0.0
    percent: float = 0.0

    def _total(self) -> float:
        total = 0.0
        for pid in self.pids:
            # A process that died meanwhile counts as 0 from now on.
            with contextlib.suppress(FileNotFoundError):
                total += cpu_seconds(pid)
        return total

    def start(self) -> CpuWindow:
        self._t0, self._c0 = time.monotonic(), self._total()
        return self

    def stop(self) -> float:
        elapsed = time.monotonic() - self._t0
        self.percent = 100.0 * (self._total() - self._c0) / elapsed if elapsed > 0 else 0.0
        return self.percent


def machine_busy_percent(seconds: float = 1.0) -> float:
    """Whole-machine CPU use over ``seconds`` (to note how loaded the box was)."""

    def read() -> tuple[int, int]:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        idle = values[3] + values[4]
        return sum(values), idle

    total0, idle0 = read()
    time.sleep(seconds)
    total1, idle1 = read()
    busy = (total1 - total0) - (idle1 - idle0)
    return 100.0 * busy / max(total1 - total0, 1) * (os.cpu_count() or 1)


def children(pid: int | str = "self") -> list[int]:
    """Direct children of ``pid`` (every thread's list: a child belongs to the thread
    that forked it)."""
    real = os.getpid() if pid == "self" else int(pid)
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{real}/task")
    except FileNotFoundError:
        return found
    for tid in tasks:
        with (contextlib.suppress(FileNotFoundError, ProcessLookupError),
              open(f"/proc/{real}/task/{tid}/children") as f):
            found += [int(c) for c in f.read().split()]
    return found


def process_tree(pid: int | str = "self", exclude: Collection[int] = ()) -> list[int]:
    """``pid`` and all its descendants (reader workers, the fork server and its forks),
    without the ``exclude`` processes and theirs (the bench's own RTSP server)."""
    root = os.getpid() if pid == "self" else int(pid)
    tree, todo = [], [root]
    while todo:
        current = todo.pop()
        if current in exclude:
            continue
        tree.append(current)
        todo += children(current)
    return tree


def pss_mb(pid: int | str = "self") -> float | None:
    """Proportional set size: pages shared by k processes count 1/k in each, so a
    shared-memory frame slot mapped by a worker and the GUI is counted once in a sum.
    None where the kernel has no smaps_rollup (before 4.14)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1000.0  # kB
    except (FileNotFoundError, PermissionError, ProcessLookupError):
        return None
    return None


def tree_memory_mb(pid: int | str = "self", exclude: Collection[int] = ()) -> tuple[float, str]:
    """The memory of ``pid`` and its descendants: the sum of their PSS ("pss"), or of
    their RSS ("rss", which counts shared memory once per process) where PSS is missing.
    A process that exits while being read counts 0."""
    pids = process_tree(pid, exclude)
    pss = [pss_mb(p) for p in pids]
    if all(v is not None for v in pss):
        return sum(v for v in pss if v is not None), "pss"
    total = 0.0
    for p in pids:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            total += rss_mb(p)
    return total, "rss"
