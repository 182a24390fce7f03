"""The console with its stream readers in worker processes: tiles paint, tagging works."""

from __future__ import annotations

import os

import pytest
from pytestqt.qtbot import QtBot

from commandroom.config import Settings
from commandroom.video.remote_reader import RemoteReader
from commandroom.video.shm_slot import SHM_PREFIX, list_segments
from commandroom.video.worker_pool import READER_PROCESSES_ENV, auto_reader_processes
from tests.ui.conftest import AppFactory


@pytest.mark.integration
def test_demo_tiles_paint_from_worker_processes_and_a_tag_freezes_the_frame(
    qtbot: QtBot, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(READER_PROCESSES_ENV)  # as the app starts: workers by default
    app = make_app("--demo", settings=Settings())
    pool = app.hub.worker_pool
    assert pool is not None and all(pid is not None for pid in pool.pids())
    assert len(pool.pids()) == auto_reader_processes(os.cpu_count())
    for pid in pool.pids():  # they give way to the GUI (VideoSettings.reader_nice)
        assert pid is not None and os.getpriority(os.PRIO_PROCESS, pid) == min(
            19, os.getpriority(os.PRIO_PROCESS, 0) + Settings().video.reader_nice)
    grid = app.console.grid
    shown = [t for t in grid.tiles if t.camera is not None]
    assert len(shown) >= 2
    qtbot.waitUntil(lambda: all(t.painted_seq > 0 for t in shown), timeout=20_000)
    for tile in shown:
        assert tile.handle is not None
        assert isinstance(tile.handle._entry.reader, RemoteReader)
    mine = f"{SHM_PREFIX}{os.getpid()}-"
    assert any(n.startswith(mine) for n in list_segments())  # pictures in shared memory

    # Tagging freezes the frame on screen at full resolution, fetched from the worker.
    grid.select(shown[0])
    seq = shown[0].painted_seq
    dialog = app.tagging.start_tag()
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    dialog.close()
    assert shown[0].painted_seq >= seq
    pids = [p for p in pool.pids() if p is not None]
    app.shutdown()
    assert not any(n.startswith(mine) for n in list_segments())
    for pid in pids:
        assert not os.path.exists(f"/proc/{pid}") or _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] == "Z"
    except FileNotFoundError:
        return True
