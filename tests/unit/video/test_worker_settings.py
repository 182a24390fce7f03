"""How many reader worker processes: the setting, and the environment's override."""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import sys

import numpy
import pytest

from commandroom.config import VideoSettings
from commandroom.video import shm_atomic
from commandroom.video.worker_pool import (
    AUTO_READER_PROCESSES,
    READER_PROCESSES_ENV,
    auto_reader_processes,
    reader_processes,
)
from commandroom.video.worker_process import _LogToParent


def test_a_number_in_the_settings_decides_else_the_environment_else_the_cpus(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(READER_PROCESSES_ENV, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert VideoSettings().reader_processes == AUTO_READER_PROCESSES
    assert reader_processes(VideoSettings()) == 4  # workers by default
    assert reader_processes(VideoSettings(reader_processes=3)) == 3
    assert reader_processes(VideoSettings(reader_processes=0)) == 0
    monkeypatch.setenv(READER_PROCESSES_ENV, "2")
    assert reader_processes(VideoSettings()) == 2
    monkeypatch.setenv(READER_PROCESSES_ENV, "0")
    assert reader_processes(VideoSettings()) == 0
    assert reader_processes(VideoSettings(reader_processes=3)) == 3  # a number in the file
    monkeypatch.setenv(READER_PROCESSES_ENV, "two")
    assert reader_processes(VideoSettings()) == 4
    assert READER_PROCESSES_ENV in caplog.text and "not a number" in caplog.text


@pytest.mark.parametrize(("cpus", "workers"), [
    (None, 0), (1, 0), (2, 4), (4, 4), (6, 4), (8, 4), (64, 4),
])
def test_workers_for_a_computer(cpus: int | None, workers: int) -> None:
    assert auto_reader_processes(cpus) == workers


def test_a_worker_gives_way_to_the_gui() -> None:
    # In a child process: nice cannot be undone without privileges.
    script = ("import os; from commandroom.video.worker_process import lower_priority; "
              "before = os.getpriority(os.PRIO_PROCESS, 0); lower_priority(10); "
              "lower_priority(0); print(before, os.getpriority(os.PRIO_PROCESS, 0))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    before, after = map(int, out.stdout.split())
    assert after == min(19, before + 10)


def test_worker_log_lines_reach_the_app_without_credentials() -> None:
    out: queue.SimpleQueue[tuple[object, ...] | None] = queue.SimpleQueue()
    handler = _LogToParent(out)
    try:
        raise OSError("401 Unauthorized: rtsp://admin:hunter2@10.1.2.3/ch1")
    except OSError:
        record = logging.LogRecord("commandroom.video.reader", logging.WARNING, __file__, 1,
                                   "video %s: unexpected error", ("rtsp://op:s3cret@cam/x",),
                                   exc_info=sys.exc_info())
    handler.emit(record)
    message = out.get_nowait()
    assert message is not None
    kind, level, name, text = message
    assert (kind, level, name) == ("log", logging.WARNING, "commandroom.video.reader")
    assert isinstance(text, str) and "OSError" in text and "10.1.2.3" in text
    assert "hunter2" not in text and "s3cret" not in text


def test_no_worker_processes_where_the_shared_slot_would_not_be_sound(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # An ARM machine without libatomic: the slot's x86-only fallback must not be used.
    monkeypatch.delenv(READER_PROCESSES_ENV, raising=False)
    monkeypatch.setattr(shm_atomic, "PORTABLE", False)
    assert reader_processes(VideoSettings(reader_processes=2)) == 0
    assert "libatomic" in caplog.text
    caplog.clear()
    assert reader_processes(VideoSettings()) == 0  # the default: threads, no warning
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    monkeypatch.setattr(shm_atomic, "PORTABLE", True)
    assert reader_processes(VideoSettings(reader_processes=2)) == 2


def test_the_slots_words_go_through_libatomic_here_and_the_x86_fallback_agrees() -> None:
    words = numpy.zeros(4, dtype=numpy.int64)
    address = int(words.__array_interface__["data"][0])
    assert shm_atomic.USES_LIBATOMIC and shm_atomic.PORTABLE  # installed: libatomic1
    shm_atomic.store(address + 8, (1 << 62) + 5)
    assert words[1] == (1 << 62) + 5 and shm_atomic.load(address + 8) == (1 << 62) + 5
    shm_atomic._x86_store(address + 16, -7)
    assert words[2] == -7 and shm_atomic._x86_load(address + 16) == -7
    assert words[0] == words[3] == 0  # nothing beside the word written
