"""A camera that dies or freezes comes back by itself, and the tile says what happens."""

from __future__ import annotations

from typing import Any

import pytest

from commandroom.video.state import StreamState
from commandroom.video.stream_spec import StreamSpec
from tests.support.rtsp import RtspTestServer, StatusRecorder, wait_for_seq
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.integration


def test_server_killed_reconnects_and_goes_live_again(
    private_rtsp_server: RtspTestServer, hub: Any, status_log: StatusRecorder
) -> None:
    server = private_rtsp_server
    spec = StreamSpec(server.url("live1"))
    handle = hub.subscribe(spec, (320, 180))
    first_live, _ = status_log.wait_state(spec, StreamState.LIVE, 15.0)
    before = wait_for_seq(handle, 1, 10.0).seq

    server.kill()  # no RTSP TEARDOWN: the connection just dies, like a power cut
    lost, _ = status_log.wait_state(spec, StreamState.RECONNECTING, 10.0, since=first_live)
    server.start()  # same port as before
    assert server.port == int(spec.url.split(":")[2].split("/")[0])

    _, live = status_log.wait_state(spec, StreamState.LIVE, 20.0, since=lost)
    assert live.reason is None
    assert wait_for_seq(handle, before + 10, 10.0).seq > before
    # Every state went through the tile, in order: LIVE -> ... RECONNECTING ... -> LIVE.
    states = [st.state for st in status_log.statuses(spec)]
    assert states.index(StreamState.RECONNECTING) < len(states) - 1
    assert states[-1] == StreamState.LIVE


def test_frozen_stream_is_stalled_then_live_again(
    rtsp_server: RtspTestServer, hub: Any, status_log: StatusRecorder
) -> None:
    with TcpProxy(rtsp_server.port) as proxy:
        spec = StreamSpec(rtsp_server.url("clip2", port=proxy.port))
        handle = hub.subscribe(spec, (320, 180))
        status_log.wait_state(spec, StreamState.LIVE, 15.0)
        wait_for_seq(handle, 1, 10.0)

        proxy.pause()  # connection stays open, no byte flows
        stalled, _ = status_log.wait_state(spec, StreamState.STALLED, 10.0)
        frozen_at = handle.slot.seq
        proxy.resume()

        status_log.wait_state(spec, StreamState.LIVE, 20.0, since=stalled + 1)
        assert wait_for_seq(handle, frozen_at + 10, 10.0).seq > frozen_at
        assert proxy.connections >= 1


def test_a_reader_blocked_on_a_frozen_stream_stops_at_once(
    rtsp_server: RtspTestServer, video_settings: Any, status_log: StatusRecorder
) -> None:
    """Reads wait on FFmpeg's socket timeout (off the GIL), yet stop() must not wait for it."""
    import time

    from commandroom.video.hub import StreamHub

    video_settings.read_timeout_s = 20.0
    hub = StreamHub(video_settings, on_status=status_log)
    try:
        with TcpProxy(rtsp_server.port) as proxy:
            spec = StreamSpec(rtsp_server.url("clip3", port=proxy.port))
            handle = hub.subscribe(spec, (320, 180))
            wait_for_seq(handle, 5, 15.0)
            proxy.pause()
            status_log.wait_state(spec, StreamState.STALLED, 10.0)
            started = time.monotonic()
            hub.close()  # joins every reader thread
            took = time.monotonic() - started
    finally:
        hub.close()
    assert took < 2.0, f"stopping a blocked reader took {took:.1f} s"


def test_playing_rtsp_reads_do_not_take_the_gil_for_interrupt_checks(
    rtsp_server: RtspTestServer, video_settings: Any
) -> None:
    import threading

    from commandroom.video.packet_sources import NetworkSource

    source = NetworkSource(StreamSpec(rtsp_server.url("clip4")), video_settings)
    try:
        assert not source.interrupt_off_gil  # opening keeps PyAV's open timeout
        packets = source.packets()
        for _ in range(5):
            next(packets)
        assert source.interrupt_off_gil
        # ... and abort() still ends a read that would block: nothing more is read.
        source.abort()
        ended = threading.Event()

        def drain() -> None:
            try:
                for _ in packets:
                    pass
            except Exception:  # the aborted read raises (FFmpeg's "Immediate exit")
                pass
            ended.set()

        thread = threading.Thread(target=drain)
        thread.start()
        assert ended.wait(3.0)
        thread.join()
    finally:
        source.close()
