"""A local RTSP relay that turns FFmpeg's requests into ONVIF replay (Profile G) requests.

Why a relay: an ONVIF recording is played by ``PLAY`` with ``Range: clock=<UTC>-`` and
``Require: onvif-replay`` (on DESCRIBE, SETUP and PLAY too); devices answer 551 Option
not supported, or play live video, without them. FFmpeg's RTSP demuxer cannot send
either: it has no option for extra RTSP headers and always writes ``Range: npt=X-``.
What we weighed:

* our own RTSP client in Python, handing PyAV the depacketised stream: it would repeat
  FFmpeg's RTSP state machine, RTP reordering, RTCP and Digest authentication, and the
  playback reader would no longer share the live reader's code path (``NetworkSource``,
  ``rtp_units``) — two stacks to keep right for the same cameras;
* patching FFmpeg: PyAV's wheels carry their own FFmpeg; a patch means building PyAV
  and FFmpeg from source on every station PC, for two header lines;
* this relay (chosen): FFmpeg opens ``rtsp://127.0.0.1:<port>/<device path>``; the relay
  copies the TCP connection to the device both ways, byte for byte, except that in
  FFmpeg's requests ``Range: npt=X-`` becomes ``Range: clock=start+X-`` and ``Require:
  onvif-replay`` is added (see ``rtsp_messages``). RTP comes back interleaved on the same
  connection, untouched. FFmpeg keeps doing everything else, including the Digest answer
  to the device's 401 (the relay neither reads nor needs the password), and its seeking
  (a later ``PLAY npt=X-`` becomes the clock time ``start + X``).

The price: RTP must run interleaved over the RTSP connection (TCP); with UDP the device
would send RTP to its own 127.0.0.1. Request URIs keep the relay's address (FFmpeg signs
its Digest answer over the URI it sent, so rewriting it would break authentication);
devices route requests by path, as the recorded replay URIs of real devices show.

One relay per playback session: one listening socket on 127.0.0.1, one thread that
serves every connection FFmpeg makes (a reconnect is a new connection). ``close()``
shuts every socket and joins the thread.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import selectors
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from commandroom.playback.rtsp_messages import (
    FramingError,
    Interleaved,
    Message,
    ReplayRewrite,
    Splitter,
    rewrite_request,
)

_log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
SEND_TIMEOUT_S = 10.0  # a peer that takes nothing for this long is dropped
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Answer:
    """What the device answered to one forwarded request (method, status code)."""

    method: str
    status: int


@dataclass
class _Pair:
    client: socket.socket
    device: socket.socket
    connect_deadline: float  # monotonic; the device connection is pending until then
    connected: bool = False
    from_client: Splitter = field(default_factory=Splitter)
    from_device: Splitter = field(default_factory=Splitter)
    methods: dict[int, str] = field(default_factory=dict)  # CSeq -> method, to pair answers


class RtspRelay:
    """Relay to ``device_host:device_port`` with ``rewrite`` applied to every request.

    The device's address is resolved here, in the caller's thread: the relay's own thread
    never blocks on DNS or on a connect (both would hold ``close()`` up).
    """

    def __init__(self, device_host: str, device_port: int, rewrite: ReplayRewrite, *,
                 connect_timeout_s: float = CONNECT_TIMEOUT_S) -> None:
        self.device_host = device_host
        self.device_port = device_port
        self.rewrite = rewrite
        self._connect_timeout_s = connect_timeout_s
        family, _, _, _, address = socket.getaddrinfo(device_host, device_port,
                                                      type=socket.SOCK_STREAM)[0]
        self._device_family, self._device_address = family, address
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()
        self._selector = selectors.DefaultSelector()
        self._pairs: list[_Pair] = []
        self._lock = threading.Lock()  # guards _pairs, _answers, _connect_errors
        self._answers: list[Answer] = []
        self._connect_errors: list[OSError] = []
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"rtsp-relay-{self.port}",
                                        daemon=True)
        self._thread.start()

    # -- what callers read -----------------------------------------------------------------
    def local_url(self, device_url: str) -> str:
        """``device_url`` (no credentials) with its host and port replaced by the relay's."""
        parts = urlsplit(device_url)
        return urlunsplit((parts.scheme or "rtsp", f"127.0.0.1:{self.port}", parts.path,
                           parts.query, parts.fragment))

    @property
    def answers(self) -> list[Answer]:
        """Every device answer so far, oldest first (for telling a gap from a failure)."""
        with self._lock:
            return list(self._answers)

    @property
    def connect_errors(self) -> list[OSError]:
        """Why connecting to the device failed, once per connection FFmpeg made."""
        with self._lock:
            return list(self._connect_errors)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    # -- lifetime --------------------------------------------------------------------------
    def close(self) -> None:
        """Stop relaying: every connection ends, the thread is joined."""
        if self._closed.is_set():
            return
        self._closed.set()
        with self._lock:
            # Unblocks a send the thread may be stuck in (a peer that stopped reading).
            for pair in self._pairs:
                for sock in (pair.client, pair.device):
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        self._thread.join()
        self._wake_w.close()

    def __enter__(self) -> RtspRelay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the thread ------------------------------------------------------------------------
    def _run(self) -> None:
        sel = self._selector
        sel.register(self._listener, selectors.EVENT_READ, "accept")
        sel.register(self._wake_r, selectors.EVENT_READ, "wake")
        try:
            while not self._closed.is_set():
                for key, _ in sel.select(self._next_deadline()):
                    if key.data == "wake":
                        return
                    if key.data == "accept":
                        self._accept()
                    else:
                        pair, from_client = key.data
                        if pair.connected:
                            self._pump(pair, from_client)
                        else:
                            self._connected(pair)
                self._expire_connects()
        except Exception:  # never die silently with sockets open; close() still joins
            _log.exception("RTSP relay on port %d failed", self.port)
        finally:
            with self._lock:
                pairs = list(self._pairs)
            for pair in pairs:
                self._drop(pair)
            sel.close()
            for sock in (self._listener, self._wake_r):
                sock.close()

    def _next_deadline(self) -> float | None:
        with self._lock:
            pending = [p.connect_deadline for p in self._pairs if not p.connected]
        return max(0.0, min(pending) - time.monotonic()) if pending else None

    def _accept(self) -> None:
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        device = socket.socket(self._device_family, socket.SOCK_STREAM)
        device.setblocking(False)
        pair = _Pair(client, device, time.monotonic() + self._connect_timeout_s)
        with self._lock:
            self._pairs.append(pair)
        code = device.connect_ex(self._device_address)
        if code not in (0, errno.EINPROGRESS):
            self._connect_failed(pair, OSError(code, os.strerror(code)))
            return
        # FFmpeg's first request waits in the kernel until the device has answered.
        self._selector.register(device, selectors.EVENT_WRITE, (pair, False))

    def _connected(self, pair: _Pair) -> None:
        code = pair.device.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if code:
            self._connect_failed(pair, OSError(code, os.strerror(code)))
            return
        pair.connected = True
        for sock in (pair.client, pair.device):
            sock.settimeout(SEND_TIMEOUT_S)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._selector.modify(pair.device, selectors.EVENT_READ, (pair, False))
        self._selector.register(pair.client, selectors.EVENT_READ, (pair, True))

    def _expire_connects(self) -> None:
        now = time.monotonic()
        with self._lock:
            late = [p for p in self._pairs if not p.connected and p.connect_deadline <= now]
        for pair in late:
            self._connect_failed(pair, TimeoutError("connecting to the device timed out"))

    def _connect_failed(self, pair: _Pair, exc: OSError) -> None:
        with self._lock:
            self._connect_errors.append(exc)
        _log.info("RTSP relay: device %s:%d unreachable: %s", self.device_host,
                  self.device_port, type(exc).__name__)
        self._drop(pair)  # FFmpeg sees its connection end and reports it

    def _pump(self, pair: _Pair, from_client: bool) -> None:
        source, target = (pair.client, pair.device) if from_client else (pair.device,
                                                                           pair.client)
        try:
            data = source.recv(_CHUNK)
            if not data:
                self._drop(pair)
                return
            if from_client:
                units = pair.from_client.feed(data)
                out = b"".join(self._client_unit(pair, unit) for unit in units)
            else:
                # Forward at once: the splitter only watches for the device's answers.
                out = data
                for unit in pair.from_device.feed(data):
                    self._device_unit(pair, unit)
            if out:
                target.sendall(out)
        except (OSError, FramingError) as exc:
            _log.info("RTSP relay connection closed: %s", type(exc).__name__)
            self._drop(pair)

    def _client_unit(self, pair: _Pair, unit: Message | Interleaved) -> bytes:
        if isinstance(unit, Interleaved):
            return unit.data  # RTCP receiver reports
        method, cseq = unit.method, unit.cseq
        if method is not None and cseq is not None:
            pair.methods[cseq] = method
        return rewrite_request(unit.head, self.rewrite) + unit.body

    def _device_unit(self, pair: _Pair, unit: Message | Interleaved) -> None:
        if isinstance(unit, Interleaved):
            return
        status, cseq = unit.status, unit.cseq
        if status is None or cseq is None:
            return
        answer = Answer(pair.methods.pop(cseq, "?"), status)
        with self._lock:
            self._answers.append(answer)
        if status >= 400 and status != 401:  # 401: the first half of every Digest login
            _log.info("RTSP relay: device answered %s with %d", answer.method, status)

    def _drop(self, pair: _Pair) -> None:
        with self._lock:
            if pair in self._pairs:
                self._pairs.remove(pair)
        for sock in (pair.client, pair.device):
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(sock)
            sock.close()
