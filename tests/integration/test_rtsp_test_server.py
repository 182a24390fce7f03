"""The test infrastructure itself: the RTSP test server and the stalling TCP proxy.

Plain RTSP requests over a socket (no engine involved), so a failure here points at the
fixtures, not at commandroom.video.
"""

from __future__ import annotations

import base64
import socket

import pytest

from tests.support.rtsp import SECURE_PASSWORD, SECURE_USER, RtspTestServer
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.integration


def _request(
    sock: socket.socket, method: str, url: str, cseq: int, auth: tuple[str, str] | None = None
) -> None:
    lines = [f"{method} {url} RTSP/1.0", f"CSeq: {cseq}"]
    if method == "DESCRIBE":
        lines.append("Accept: application/sdp")
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        lines.append(f"Authorization: Basic {token}")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())


def _response(sock: socket.socket) -> str:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        assert chunk, "connection closed before a full response"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in head.split(b"\r\n")
         if line.lower().startswith(b"content-length:")),
        0,
    )
    while len(body) < length:
        body += sock.recv(4096)
    return (head + b"\r\n\r\n" + body).decode()


def _rtsp(server: RtspTestServer, method: str, mount: str,
          auth: tuple[str, str] | None = None) -> str:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        _request(sock, method, server.url(mount), 1, auth)
        return _response(sock)


def test_mounts_describe_h264_and_h265(rtsp_server: RtspTestServer) -> None:
    for mount in ("live1", "clip1", "barcode"):
        answer = _rtsp(rtsp_server, "DESCRIBE", mount)
        assert answer.startswith("RTSP/1.0 200"), answer
        assert "H264/90000" in answer
    assert "H265/90000" in _rtsp(rtsp_server, "DESCRIBE", "h265")
    assert _rtsp(rtsp_server, "DESCRIBE", "nothing-here").startswith("RTSP/1.0 404")


def test_secure_mount_wants_the_right_password(rtsp_server: RtspTestServer) -> None:
    anonymous = _rtsp(rtsp_server, "DESCRIBE", "secure")
    assert anonymous.startswith("RTSP/1.0 401")
    assert "WWW-Authenticate: Basic" in anonymous
    wrong = _rtsp(rtsp_server, "DESCRIBE", "secure", (SECURE_USER, "wrong"))
    assert wrong.startswith("RTSP/1.0 401")
    right = _rtsp(rtsp_server, "DESCRIBE", "secure", (SECURE_USER, SECURE_PASSWORD))
    assert right.startswith("RTSP/1.0 200")
    assert rtsp_server.event_counts()["DESCRIBE /secure"] >= 3


def test_server_restarts_on_the_same_port(private_rtsp_server: RtspTestServer) -> None:
    port = private_rtsp_server.port
    private_rtsp_server.kill()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    private_rtsp_server.start()
    assert private_rtsp_server.port == port
    assert _rtsp(private_rtsp_server, "OPTIONS", "live1").startswith("RTSP/1.0 200")


def test_proxy_pause_holds_bytes_and_resume_releases_them(rtsp_server: RtspTestServer) -> None:
    with TcpProxy(rtsp_server.port) as proxy, socket.create_connection(
        ("127.0.0.1", proxy.port), timeout=10
    ) as sock:
        _request(sock, "OPTIONS", rtsp_server.url("live1"), 1)
        assert _response(sock).startswith("RTSP/1.0 200")

        proxy.pause()
        _request(sock, "OPTIONS", rtsp_server.url("live1"), 2)
        sock.settimeout(0.5)  # asserting that NOTHING arrives needs a bounded wait
        with pytest.raises(TimeoutError):
            sock.recv(1)
        sock.settimeout(10)

        proxy.resume()
        answer = _response(sock)
        assert answer.startswith("RTSP/1.0 200") and "CSeq: 2" in answer
        assert proxy.connections == 1
