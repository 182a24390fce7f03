"""Many cameras at once: nine streams open in parallel and all go live quickly."""

from __future__ import annotations

import time
from typing import Any

import pytest

from commandroom.video.state import StreamState
from commandroom.video.stream_spec import StreamSpec
from tests.support.rtsp import RtspTestServer, StatusRecorder, wait_for_seq

pytestmark = pytest.mark.integration

STREAMS = 9
# Measured here: ~1-2 s for 9 streams on an idle 2-core machine (PyAV opens in parallel);
# 20 s leaves room for a loaded CI box while still catching serialised opens (~1 s+ each).
ALL_LIVE_WITHIN_S = 20.0


def test_nine_streams_open_at_once_and_all_go_live(
    rtsp_server: RtspTestServer, hub: Any, status_log: StatusRecorder
) -> None:
    assert rtsp_server.clip_mounts >= STREAMS
    specs = [StreamSpec(rtsp_server.url(f"clip{i}")) for i in range(1, STREAMS + 1)]

    started = time.monotonic()
    handles = [hub.subscribe(spec, (213, 120)) for spec in specs]
    for spec in specs:
        remaining = ALL_LIVE_WITHIN_S - (time.monotonic() - started)
        status_log.wait_state(spec, StreamState.LIVE, max(remaining, 0.0))
    for handle in handles:
        remaining = ALL_LIVE_WITHIN_S - (time.monotonic() - started)
        wait_for_seq(handle, 1, max(remaining, 0.0))
    elapsed = time.monotonic() - started

    assert hub.reader_count() == STREAMS
    assert elapsed < ALL_LIVE_WITHIN_S
    print(f"{STREAMS} streams live with a frame each after {elapsed:.2f} s")

    # All keep playing at once (none starved by the others).
    marks = [h.slot.seq for h in handles]
    for handle, mark in zip(handles, marks, strict=True):
        frame = wait_for_seq(handle, mark + 10, 10.0)
        assert frame.image.shape[2] == 4
        assert frame.source_size == (640, 360)
