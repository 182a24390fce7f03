"""A kept-open multipart HTTP server on 127.0.0.1 with HTTP Digest auth, for the camera
event emulators (ISAPI alertStream, Dahua eventManager).

Each accepted stream gets its own queue; ``send`` puts a part's bytes on every open
stream, a quiet stream writes the vendor's heartbeat part every ``heartbeat_s``. Faults
(a connection dropped mid-part) go through the same queues, so they land in order with
the events. Digest is checked as cameras do (RFC 7616/2617, MD5, qop=auth, nonces of our
own); a wrong password gets 401 again. ``stop()`` ends every stream and joins every
thread (the test suite fails a test that leaves one running).
"""

from __future__ import annotations

import hashlib
import queue
import re
import secrets
import select
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

REALM = "IP Camera(emulator)"
_DIGEST_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^,\s]*))')


@dataclass(frozen=True)
class _Drop:
    """Write these bytes (a part cut short), then close the connection."""

    prefix: bytes


_STOP = object()


class _Server(ThreadingHTTPServer):
    # Joined on server_close: no handler thread may outlive the emulator.
    daemon_threads = False
    block_on_close = True
    owner: MultipartEventServer


class MultipartEventServer:
    def __init__(
        self,
        *,
        path_ok: Callable[[str], bool],
        content_type: str,
        heartbeat_part: Callable[[], bytes] | None,
        heartbeat_s: float,
        user: str = "admin",
        password: str = "Secret-123",
    ) -> None:
        self.user = user
        self.password = password
        self.heartbeat_s = heartbeat_s  # settable while running; <= 0 sends none
        self._path_ok = path_ok
        self._content_type = content_type
        self._heartbeat_part = heartbeat_part
        self._nonces: set[str] = set()
        self._streams: list[queue.Queue[object]] = []
        self._lock = threading.Condition()
        self.streams_opened = 0
        self.auth_failures = 0
        self.heartbeats_sent = 0
        self.requested_paths: list[str] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        # A short poll: stop() waits for the serving loop to notice (0.5 s by default).
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="multipart-event-server", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            for stream in self._streams:
                stream.put(_STOP)
        self._server.shutdown()
        self._server.server_close()  # joins the handler threads
        self._thread.join(5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests call ------------------------------------------------------------
    def wait_for_streams(self, count: int, timeout: float = 5.0) -> bool:
        """True once ``count`` streams in all have been opened and are receiving."""
        with self._lock:
            return self._lock.wait_for(lambda: self.streams_opened >= count, timeout)

    def wait_until_no_stream(self, timeout: float = 5.0) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: not self._streams, timeout)

    def wait_for_heartbeats(self, count: int, timeout: float = 5.0) -> bool:
        """True once ``count`` heartbeat parts in all have been written."""
        with self._lock:
            return self._lock.wait_for(lambda: self.heartbeats_sent >= count, timeout)

    def send(self, raw: bytes) -> None:
        """Put one or more encoded parts on every open stream."""
        self._broadcast(raw)

    def drop_mid_part(self, part: bytes) -> None:
        """Send the first half of ``part`` then close each open stream."""
        self._broadcast(_Drop(part[: len(part) // 2]))

    def _broadcast(self, item: object) -> None:
        with self._lock:
            streams = list(self._streams)
        assert streams, "no client stream is open"
        for stream in streams:
            stream.put(item)

    # -- server side ----------------------------------------------------------------
    def new_nonce(self) -> str:
        nonce = secrets.token_hex(16)
        with self._lock:
            self._nonces.add(nonce)
        return nonce

    def digest_ok(self, header: str | None, method: str, uri: str) -> bool:
        if not header or not header.lower().startswith("digest "):
            return False
        params = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
                  for m in _DIGEST_PARAM.finditer(header[7:])}
        with self._lock:
            known = params.get("nonce") in self._nonces
        if not known or params.get("username") != self.user or params.get("uri") != uri:
            return False
        ha1 = _md5(f"{self.user}:{REALM}:{self.password}")
        ha2 = _md5(f"{method}:{uri}")
        if params.get("qop") != "auth":
            return False  # we offered qop=auth only, as the cameras do
        expected = _md5(f"{ha1}:{params['nonce']}:{params.get('nc', '')}:"
                        f"{params.get('cnonce', '')}:auth:{ha2}")
        return secrets.compare_digest(expected, params.get("response", ""))

    def serve_stream(self, handler: _Handler) -> None:
        stream: queue.Queue[object] = queue.Queue()
        with self._lock:
            self._streams.append(stream)
            self.streams_opened += 1
            self._lock.notify_all()
        try:
            self._pump(handler, stream)
        except OSError:
            pass  # the client went away: the stream ends
        finally:
            with self._lock:
                self._streams.remove(stream)
                self._lock.notify_all()

    def _pump(self, handler: _Handler, stream: queue.Queue[object]) -> None:
        while True:
            wait = self.heartbeat_s if self.heartbeat_s > 0 and self._heartbeat_part else None
            try:
                item = stream.get(timeout=wait if wait is not None else 0.2)
            except queue.Empty:
                if _peer_closed(handler.connection):
                    return  # as a camera's TCP stack would notice the client is gone
                if wait is not None and self._heartbeat_part is not None:
                    handler.wfile.write(self._heartbeat_part())
                    handler.wfile.flush()
                    with self._lock:
                        self.heartbeats_sent += 1
                        self._lock.notify_all()
                continue
            if item is _STOP:
                return
            if isinstance(item, _Drop):
                handler.wfile.write(item.prefix)
                handler.wfile.flush()
                handler.connection.shutdown(socket.SHUT_RDWR)
                return
            assert isinstance(item, bytes)
            handler.wfile.write(item)
            handler.wfile.flush()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 10  # a keep-alive connection left idle by a client ends, freeing the thread

    def do_GET(self) -> None:
        owner = self.server.owner
        with owner._lock:
            owner.requested_paths.append(self.path)
        if not owner.digest_ok(self.headers.get("Authorization"), "GET", self.path):
            if self.headers.get("Authorization"):
                with owner._lock:
                    owner.auth_failures += 1
            self._plain(401, b"Unauthorized", {"WWW-Authenticate": (
                f'Digest realm="{REALM}", qop="auth", nonce="{owner.new_nonce()}", '
                f'opaque="{secrets.token_hex(8)}", algorithm=MD5, stale=FALSE')})
            return
        if not owner._path_ok(self.path):
            self._plain(404, b"Not Found", {})
            return
        # As the cameras answer: no length, no chunking, the body ends when we close.
        self.send_response(200)
        self.send_header("Content-Type", owner._content_type)
        self.send_header("Connection", "close")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        self.connection.settimeout(None)  # a quiet stream is normal; writes end it
        owner.serve_stream(self)

    def _plain(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet test output


def _peer_closed(connection: socket.socket) -> bool:
    readable, _, _ = select.select([connection], [], [], 0)
    if not readable:
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def encode_part(headers: dict[str, str], body: bytes, *, length: int | None = None,
                trailer: bytes = b"\r\n") -> bytes:
    """``--boundary``-less part bytes: headers, blank line, body, trailer. The emulator
    prefixes the delimiter line. ``length`` overrides the stated Content-Length."""
    lines = [f"{k}: {v}" for k, v in headers.items()]
    lines.append(f"Content-Length: {len(body) if length is None else length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body + trailer
