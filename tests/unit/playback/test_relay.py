"""The relay on real sockets: rewritten requests out, device bytes back untouched."""

from __future__ import annotations

import datetime as dt
import select
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from commandroom.playback.relay import Answer, RtspRelay
from commandroom.playback.rtsp_messages import ReplayRewrite
from tests.support.rtsp import free_port

START = dt.datetime(2024, 3, 5, 10, 20, 30, tzinfo=dt.UTC)
PLAY = (b"PLAY rtsp://127.0.0.1:1/onvif/replay/ RTSP/1.0\r\nRange: npt=0.000-\r\n"
        b"CSeq: 5\r\nSession: 12345678\r\n\r\n")
PLAY_OUT = (b"PLAY rtsp://127.0.0.1:1/onvif/replay/ RTSP/1.0\r\n"
            b"Range: clock=20240305T102030.000Z-\r\nCSeq: 5\r\nSession: 12345678\r\n"
            b"Require: onvif-replay\r\n\r\n")
RTCP = b"$\x01\x00\x04abcd"
REPLY = b"RTSP/1.0 457 Invalid Range\r\nCSeq: 5\r\n\r\n"
RTP = b"$\x00\x00\x08" + bytes(range(8))


class FakeDevice:
    """Accepts one connection, records what arrives, sends what it is told to."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.conn: socket.socket | None = None
        self.accepted = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="fake-device")
        self._thread.start()

    def _accept(self) -> None:
        self.conn, _ = self.server.accept()
        self.accepted.set()

    def receive(self, size: int) -> bytes:
        assert self.conn is not None
        data = b""
        while len(data) < size:
            chunk = self.conn.recv(size - len(data))
            assert chunk, "connection closed early"
            data += chunk
        return data

    def close(self) -> None:
        self._thread.join(5)
        for sock in (self.conn, self.server):
            if sock is not None:
                sock.close()


@pytest.fixture
def device() -> Iterator[FakeDevice]:
    fake = FakeDevice()
    yield fake
    fake.close()


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        assert chunk, "connection closed early"
        data += chunk
    return data


def test_requests_are_rewritten_and_everything_else_is_copied(device: FakeDevice) -> None:
    with RtspRelay("127.0.0.1", device.port, ReplayRewrite(START)) as relay:
        assert relay.local_url("rtsp://10.1.2.3:554/onvif/replay?recording=R1") == (
            f"rtsp://127.0.0.1:{relay.port}/onvif/replay?recording=R1")
        with socket.create_connection(("127.0.0.1", relay.port), timeout=5) as client:
            # A request split in two writes, then an RTCP packet in the same write.
            client.sendall(PLAY[:20])
            client.sendall(PLAY[20:] + RTCP)
            assert device.accepted.wait(5)
            assert device.receive(len(PLAY_OUT) + len(RTCP)) == PLAY_OUT + RTCP
            assert device.conn is not None
            device.conn.sendall(RTP + REPLY + RTP)
            assert _read_exactly(client, 2 * len(RTP) + len(REPLY)) == RTP + REPLY + RTP
        assert relay.answers == [Answer("PLAY", 457)]
    assert not relay.running


def test_an_unreachable_device_closes_the_client_and_is_recorded() -> None:
    with RtspRelay("127.0.0.1", free_port(), ReplayRewrite(START),
                   connect_timeout_s=2) as relay, socket.create_connection(
            ("127.0.0.1", relay.port), timeout=5) as client:
        client.settimeout(5)
        assert client.recv(10) == b""  # closed: FFmpeg reports it at once
        assert [type(e) for e in relay.connect_errors] == [ConnectionRefusedError]


def test_close_ends_open_connections_and_the_thread(device: FakeDevice) -> None:
    relay = RtspRelay("127.0.0.1", device.port, ReplayRewrite(START))
    client = socket.create_connection(("127.0.0.1", relay.port), timeout=5)
    assert device.accepted.wait(5)
    relay.close()
    relay.close()  # twice is harmless
    assert not relay.running
    assert client.recv(10) == b""
    client.close()


def test_close_is_prompt_while_the_thread_is_stuck_sending(device: FakeDevice) -> None:
    # FFmpeg stopped reading (a frozen reader): the relay blocks sending to it. Closing
    # the session must not wait for the send timeout (SEND_TIMEOUT_S).
    relay = RtspRelay("127.0.0.1", device.port, ReplayRewrite(START))
    client = socket.create_connection(("127.0.0.1", relay.port), timeout=5)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.sendall(PLAY)  # the relay connects to the device on the first request
    assert device.accepted.wait(5) and device.conn is not None
    device.receive(len(PLAY_OUT))
    device.conn.setblocking(False)
    packet = b"$\x00\xff\xff" + bytes(0xFFFF)
    while True:  # until the relay has read nothing for 1 s: it is stuck sending
        try:
            device.conn.send(packet)
        except BlockingIOError:
            _, writable, _ = select.select([], [device.conn], [], 1.0)
            if not writable:
                break
    started = time.monotonic()
    relay.close()
    assert time.monotonic() - started < 2.0
    assert not relay.running
    client.close()
