"""Real servers on 127.0.0.1 for integration tests: the RTSP test server and the hub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commandroom.config import VideoSettings
from tests.support.rtsp import RtspTestServer, StatusRecorder, ensure_test_clip

# Mounts the shared server offers: few live (x264 encoding costs ~0.2 core each while
# watched), more pre-encoded clip mounts (cheap: no re-encode).
SHARED_LIVE_MOUNTS = 2
SHARED_CLIP_MOUNTS = 9


@pytest.fixture(scope="session")
def test_clip() -> Path:
    return ensure_test_clip()


@pytest.fixture(scope="session")
def rtsp_server(test_clip: Path) -> Iterator[RtspTestServer]:
    """One server for the session (tests that kill a server use ``private_rtsp_server``)."""
    server = RtspTestServer(
        live_mounts=SHARED_LIVE_MOUNTS, clip=test_clip, clip_mounts=SHARED_CLIP_MOUNTS
    )
    server.start()
    yield server
    server.close()


@pytest.fixture
def private_rtsp_server() -> Iterator[RtspTestServer]:
    """A server this test alone may kill and restart (same port)."""
    server = RtspTestServer(live_mounts=1)
    server.start()
    yield server
    server.close()


@pytest.fixture
def video_settings() -> VideoSettings:
    # Short timeouts keep the suite fast; still generous for 2 loaded CI cores.
    return VideoSettings(
        open_timeout_s=5.0,
        read_timeout_s=3.0,
        stall_after_s=1.0,
        offline_after_s=5.0,  # longer than read_timeout_s: a stall is RECONNECTING first
        backoff_initial_s=0.2,
        backoff_max_s=1.0,
        idle_stop_s=0.5,
    )


@pytest.fixture
def status_log() -> StatusRecorder:
    return StatusRecorder()


@pytest.fixture
def hub(video_settings: VideoSettings, status_log: StatusRecorder) -> Iterator[Any]:
    """A StreamHub whose status callbacks land in ``status_log``; closed (threads joined)."""
    from commandroom.video.hub import StreamHub

    stream_hub = StreamHub(video_settings, on_status=status_log)
    yield stream_hub
    stream_hub.close()
