"""How many reader worker processes: the setting, and the environment's override."""

from __future__ import annotations

import pytest

from commandroom.config import VideoSettings
from commandroom.video.worker_pool import READER_PROCESSES_ENV, reader_processes


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
