"""A small threaded TCP proxy on 127.0.0.1 that can freeze a stream without closing it.

``pause()`` stops forwarding in both directions while every connection stays open: the
client sees a STALLED stream (socket alive, no data), which is what a camera behind a
congested or flapping link looks like. ``resume()`` lets the data flow again.
``close()`` shuts every socket down and joins every thread (the test suite fails a test
that leaves a thread running).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from types import TracebackType

_CHUNK = 65536


class TcpProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self._target = (target_host, target_port)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port: int = self._listener.getsockname()[1]
        self._cond = threading.Condition()
        self._forwarding = True
        self._closing = False
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self.connections = 0  # accepted so far: lets a test see reconnects
        self._accept_thread = threading.Thread(
            target=self._accept_loop, name=f"tcp-proxy-accept-{self.port}", daemon=True
        )
        self._accept_thread.start()

    # -- control -------------------------------------------------------------------------
    def pause(self) -> None:
        with self._cond:
            self._forwarding = False

    def resume(self) -> None:
        with self._cond:
            self._forwarding = True
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            if self._closing:
                return
            self._closing = True
            self._cond.notify_all()
            sockets = list(self._sockets)
        # shutdown() (not just close()) wakes threads blocked in accept/recv/send on Linux.
        for sock in [self._listener, *sockets]:
            _shutdown(sock)
        self._accept_thread.join(5)
        for thread in list(self._threads):
            thread.join(5)
        for sock in [self._listener, *sockets]:
            sock.close()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()

    # -- workers -------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # listener shut down by close()
            try:
                upstream = socket.create_connection(self._target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()  # target down: refuse like the target would
                continue
            with self._cond:
                if self._closing:
                    client.close()
                    upstream.close()
                    return
                self.connections += 1
                self._sockets += [client, upstream]
                for src, dst, name in ((client, upstream, "up"), (upstream, client, "down")):
                    thread = threading.Thread(
                        target=self._pump, args=(src, dst, name == "down"),
                        name=f"tcp-proxy-{self.port}-{self.connections}-{name}", daemon=True,
                    )
                    self._threads.append(thread)
                    thread.start()

    def _wait_forwarding(self) -> bool:
        """Block while paused; False once the proxy is closing."""
        with self._cond:
            self._cond.wait_for(lambda: self._forwarding or self._closing)
            return not self._closing

    def _start_thread(self, target: Callable[[], None], name: str) -> None:
        """A worker that close() joins (call with ``_cond`` held)."""
        thread = threading.Thread(target=target, name=f"tcp-proxy-{self.port}-{name}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _pump(self, src: socket.socket, dst: socket.socket, downstream: bool) -> None:
        """Forward ``src`` to ``dst`` (``downstream``: server to client); a subclass may
        transform what it forwards."""
        try:
            while self._wait_forwarding():
                data = src.recv(_CHUNK)
                if not data:
                    break
                # A chunk read just before pause() is held back too: no byte crosses
                # while paused.
                if not self._wait_forwarding():
                    break
                dst.sendall(data)
        except OSError:
            pass
        # One side finished: end the whole connection (the other pump wakes and exits).
        _shutdown(src)
        _shutdown(dst)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
