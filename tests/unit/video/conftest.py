"""Helpers for the video engine tests: fast settings, a deadline poll, a fake RTSP server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import av
import numpy
import pytest

from commandroom.config import VideoSettings


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``predicate`` until true or the deadline (for state with no event to wait on)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.fixture
def settings() -> VideoSettings:
    return VideoSettings(
        open_timeout_s=2.0,
        read_timeout_s=2.0,
        stall_after_s=1.0,
        offline_after_s=0.5,  # a few fast retries, then OFFLINE (still retrying)
        backoff_initial_s=0.05,
        backoff_max_s=0.2,
        idle_stop_s=0.3,
    )


class FakeRtspServer:
    """Answers every RTSP request on 127.0.0.1 with a fixed status (401, 404...).

    Counts requests per method, so a test can see how often the engine knocked.
    """

    def __init__(self, status: str, *, options_ok: bool = False) -> None:
        self.status = status
        self.options_ok = options_ok
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fake-rtsp", daemon=True)
        self._thread.start()

    def count(self, method: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r == method)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(0.5)
                self._answer(conn)

    def _answer(self, conn: socket.socket) -> None:
        buffer = b""
        while not self._stop.is_set():
            try:
                chunk = conn.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b"\r\n\r\n" in buffer:
                head, buffer = buffer.split(b"\r\n\r\n", 1)
                lines = head.decode("latin-1").split("\r\n")
                method = lines[0].split(" ", 1)[0]
                cseq = next((ln.split(":", 1)[1].strip() for ln in lines
                             if ln.lower().startswith("cseq:")), "0")
                with self._lock:
                    self.requests.append(method)
                if method == "OPTIONS" and self.options_ok:
                    reply = (f"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\n"
                             "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n")
                else:
                    reply = (f"RTSP/1.0 {self.status}\r\nCSeq: {cseq}\r\n"
                             'WWW-Authenticate: Basic realm="camera"\r\n\r\n')
                conn.sendall(reply.encode())

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()


@pytest.fixture
def fake_rtsp() -> Iterator[Callable[..., FakeRtspServer]]:
    servers: list[FakeRtspServer] = []

    def make(status: str, **kwargs: bool) -> FakeRtspServer:
        server = FakeRtspServer(status, **kwargs)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def short_video(tmp_path: Path) -> Path:
    """A 1 s 160x90@25 H.264 MP4 (GOP 10 frames) made here, in ~50 ms."""
    path = tmp_path / "short.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=25, options={"preset": "ultrafast", "g": "10"})
        stream.width, stream.height, stream.pix_fmt = 160, 90, "yuv420p"
        for i in range(25):
            image = numpy.full((90, 160, 3), (i * 10) % 256, numpy.uint8)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path
