"""How many reader worker processes: the setting, and the environment's override."""

from __future__ import annotations

import logging
import queue
import sys

import pytest

from commandroom.config import VideoSettings
from commandroom.video.worker_pool import READER_PROCESSES_ENV, reader_processes
from commandroom.video.worker_process import _LogToParent


def test_the_setting_decides_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(READER_PROCESSES_ENV, raising=False)
    assert reader_processes(VideoSettings()) == 0  # threads by default
    assert reader_processes(VideoSettings(reader_processes=3)) == 3
    monkeypatch.setenv(READER_PROCESSES_ENV, "2")
    assert reader_processes(VideoSettings()) == 2
    monkeypatch.setenv(READER_PROCESSES_ENV, "0")
    assert reader_processes(VideoSettings(reader_processes=3)) == 0
    monkeypatch.setenv(READER_PROCESSES_ENV, "two")
    assert reader_processes(VideoSettings(reader_processes=1)) == 1
    assert READER_PROCESSES_ENV in caplog.text and "not a number" in caplog.text


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
