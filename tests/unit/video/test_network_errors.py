"""Failure classification against a fake RTSP server on 127.0.0.1 (no GStreamer needed)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import pytest

from commandroom.config import VideoSettings
from commandroom.video import OfflineReason, StreamHub, StreamSpec, StreamState, StreamStatus
from tests.support.rtsp import free_port
from tests.unit.video.conftest import FakeRtspServer


class Recorder:
    def __init__(self) -> None:
        self.statuses: list[StreamStatus] = []
        self.cond = threading.Condition()

    def __call__(self, spec: StreamSpec, status: StreamStatus) -> None:
        with self.cond:
            self.statuses.append(status)
            self.cond.notify_all()

    def wait_for(self, predicate: Callable[[StreamStatus], bool], timeout: float = 5) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: any(map(predicate, self.statuses)), timeout)


def test_wrong_password_is_wrong_credentials_and_no_reconnect_storm(
    settings: VideoSettings,
    fake_rtsp: Callable[..., FakeRtspServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="commandroom.video")
    server = fake_rtsp("401 Unauthorized")
    record = Recorder()
    hub = StreamHub(settings, on_status=record)  # backoff 0.05 .. 0.2 s: a storm would show
    try:
        spec = StreamSpec(f"rtsp://127.0.0.1:{server.port}/s", "officer", "wrong-one")
        handle = hub.subscribe(spec, (160, 90))
        assert record.wait_for(lambda s: s.state is StreamState.OFFLINE)
        status = handle.status()
        assert status.reason is OfflineReason.WRONG_CREDENTIALS
        assert "wrong-one" not in repr(status)
        # The next try is 10 x backoff_max_s away (2 s here), not the 0.05..0.2 s backoff.
        assert status.retry_in is not None and status.retry_in >= 10 * settings.backoff_max_s
        # Give a storm time to happen: with a 0.2 s cap, seven attempts would fit in here.
        with record.cond:
            record.cond.wait_for(lambda: len(record.statuses) > 2, timeout=1.5)
        attempts = sum(1 for s in record.statuses if s.state is StreamState.RECONNECTING)
        assert attempts == 0, record.statuses
        # One attempt = FFmpeg's anonymous try plus one with the credentials.
        assert server.count("OPTIONS") + server.count("DESCRIBE") <= 3
    finally:
        hub.close()
    assert "wrong_credentials" in caplog.text  # the state change is logged...
    assert "wrong-one" not in caplog.text  # ...never the password


def test_unknown_path_is_not_found(
    settings: VideoSettings, fake_rtsp: Callable[..., FakeRtspServer]
) -> None:
    server = fake_rtsp("404 Not Found", options_ok=True)
    record = Recorder()
    hub = StreamHub(settings, on_status=record)
    try:
        handle = hub.subscribe(StreamSpec(f"rtsp://127.0.0.1:{server.port}/nope"), (160, 90))
        assert record.wait_for(lambda s: s.state is StreamState.OFFLINE)
        assert handle.status().reason is OfflineReason.NOT_FOUND
        assert server.count("DESCRIBE") == 1
    finally:
        hub.close()


def test_refused_port_retries_with_backoff_then_shows_offline(settings: VideoSettings) -> None:
    record = Recorder()
    hub = StreamHub(settings, on_status=record)
    try:
        handle = hub.subscribe(StreamSpec(f"rtsp://127.0.0.1:{free_port()}/x"), (160, 90))
        assert record.wait_for(lambda s: s.state is StreamState.OFFLINE and s.attempt >= 3)
        retries = [s for s in record.statuses if s.retry_in is not None]
        assert [s.attempt for s in retries][:3] == [1, 2, 3]
        assert all(s.reason is OfflineReason.REFUSED for s in retries)
        assert retries[0].state is StreamState.RECONNECTING
        assert all(s.retry_in is not None and s.retry_in <= 0.2 for s in retries)
        assert handle.status().reason is OfflineReason.REFUSED
    finally:
        hub.close()
