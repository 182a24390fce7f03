"""Inside a reader worker: a stream just opened is never taken for one that ended."""

from __future__ import annotations

import multiprocessing
import queue
import time
from typing import Any

import pytest

from commandroom.config import VideoSettings
from commandroom.video.reader import StreamReader
from commandroom.video.stream_spec import StreamSpec
from commandroom.video.worker_process import Worker


def _drain(out: queue.SimpleQueue[Any]) -> list[Any]:
    messages = []
    while True:
        try:
            messages.append(out.get_nowait())
        except queue.Empty:
            return messages


def test_the_watcher_never_sees_a_reader_before_its_thread_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    here, there = multiprocessing.Pipe()
    worker = Worker(there, VideoSettings())
    start = StreamReader.start

    def watched_start(reader: StreamReader) -> None:
        # The watcher's round at the worst moment: the reader exists, its thread not yet.
        worker.check_streams(time.monotonic(), send_stats=False)
        start(reader)

    monkeypatch.setattr(StreamReader, "start", watched_start)
    spec = StreamSpec("demo://opening?w=160&h=90&fps=25")
    worker._handle(("open", 7, spec, True, None, None, 0, True, True, False, 0.0, False))
    worker.check_streams(time.monotonic(), send_stats=False)  # and a round after it
    said = _drain(worker._out)
    assert ("stopped", 7) not in said
    assert any(m[0] == "status" and m[1] == 7 for m in said)  # it did start
    worker._handle(("stop", 7))
    reader = worker._streams[7].reader
    assert reader is not None
    reader.join(5.0)
    assert not reader.is_alive()
    here.close()
    there.close()
