"""Streams that cannot play say why, and a hopeless one is not retried in a storm."""

from __future__ import annotations

from typing import Any

import pytest

from commandroom.video.state import OfflineReason, StreamState
from commandroom.video.stream_spec import StreamSpec
from tests.support.rtsp import (
    SECURE_PASSWORD,
    SECURE_USER,
    RtspTestServer,
    StatusRecorder,
    free_port,
    wait_for_seq,
)

pytestmark = pytest.mark.integration

# How long we watch an OFFLINE(wrong credentials) stream for further attempts: with
# backoff_max_s=1 a transient error would be retried ~3-4 times in this window.
QUIET_WINDOW_S = 3.0


def _is_offline(status: Any) -> bool:
    return bool(status.state == StreamState.OFFLINE)


def test_wrong_password_is_offline_wrong_credentials_without_retry_storm(
    rtsp_server: RtspTestServer, hub: Any, status_log: StatusRecorder
) -> None:
    spec = StreamSpec(rtsp_server.url("secure"), user=SECURE_USER, password="not-the-password")
    describes_before = rtsp_server.event_counts()["DESCRIBE /secure"]

    handle = hub.subscribe(spec, (320, 180))
    index, status = status_log.wait_for(spec, _is_offline, 15.0)
    assert status.reason == OfflineReason.WRONG_CREDENTIALS
    assert "not-the-password" not in status.detail
    assert handle.status().state == StreamState.OFFLINE

    describes_at_offline = rtsp_server.event_counts()["DESCRIBE /secure"]
    # One attempt is 1-2 DESCRIBEs (FFmpeg asks once without, once with credentials);
    # giving up on a 401 must not take more than two attempts.
    assert 1 <= describes_at_offline - describes_before <= 4

    # Nothing new happens for a while: no status change and (almost) no new attempt.
    with pytest.raises(TimeoutError):
        status_log.wait_for(spec, lambda st: not _is_offline(st), QUIET_WINDOW_S, index + 1)
    describes_later = rtsp_server.event_counts()["DESCRIBE /secure"]
    assert describes_later - describes_at_offline <= 2, "retrying a wrong password in a loop"
    assert handle.slot.seq == 0


def test_right_password_plays_the_secure_mount(
    rtsp_server: RtspTestServer, hub: Any, status_log: StatusRecorder
) -> None:
    spec = StreamSpec(rtsp_server.url("secure"), user=SECURE_USER, password=SECURE_PASSWORD)
    handle = hub.subscribe(spec, (320, 180))
    status_log.wait_state(spec, StreamState.LIVE, 15.0)
    assert wait_for_seq(handle, 1, 15.0).source_size == (640, 360)


def test_no_server_there_is_offline_refused(hub: Any, status_log: StatusRecorder) -> None:
    spec = StreamSpec(f"rtsp://127.0.0.1:{free_port()}/live1")
    handle = hub.subscribe(spec, (320, 180))

    _, status = status_log.wait_for(spec, _is_offline, 15.0)
    assert status.reason in (OfflineReason.REFUSED, OfflineReason.UNREACHABLE)
    assert status.detail  # a sentence for the tile, not an empty string
    # On the way it said it was retrying, with an attempt number.
    assert any(
        st.state == StreamState.RECONNECTING and st.attempt >= 1
        for st in status_log.statuses(spec)
    ) or status.attempt >= 1
    assert handle.slot.seq == 0


def test_unknown_mount_is_offline_not_found(
    rtsp_server: RtspTestServer, hub: Any, status_log: StatusRecorder
) -> None:
    spec = StreamSpec(rtsp_server.url("no-such-camera"))
    hub.subscribe(spec, (320, 180))
    _, status = status_log.wait_for(spec, _is_offline, 15.0)
    assert status.reason == OfflineReason.NOT_FOUND
