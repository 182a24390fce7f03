"""An RTSP-aware fault proxy on 127.0.0.1: a slow link, a late link, a noisy link, a broken
encoder, between the engine and the real test server.

It forwards like ``TcpProxy`` (``pause()`` / ``resume()`` work too) and understands the
server-to-client direction of RTSP over TCP: RTSP replies, and RTP/RTCP packets
interleaved as ``$ channel length``. Faults touch only what a camera or a network could
damage while the session itself survives (the RTSP text and the ``$`` framing stay intact):

- ``rate_bytes_s``: the link carries at most this many bytes a second. What does not fit
  waits in the proxy, as in a congested router or the server's send queue, and is
  delivered in a burst when the limit is lifted (``None``).
- ``delay_s``: every byte is held this long before it is sent (a long or busy path).
- ``byte_error_rate``: each byte of an RTP payload is flipped with this probability
  (RTP headers and RTCP are left alone: a real link's checksums would drop a packet
  with a damaged header, and a lost packet is a different test).
- ``drop_rtcp``: RTCP packets from the server (sender reports) are not forwarded.
- ``strip_slices``: H.264 slice NAL units (types 1 and 5, whole or FU-A fragments) get
  the undefined NAL type 0: every byte still flows at full rate, and the decoder can
  make no picture of it (parameter sets and SEI pass unchanged).

Attributes can be changed at any time, from any thread. Counters say what was done.
"""

from __future__ import annotations

import random
import socket
import time
from collections import deque

from tests.support.tcp_proxy import TcpProxy, _shutdown

_CHUNK = 65536
_H264_SLICE_TYPES = (1, 5)
_FU_A = 28


class FaultProxy(TcpProxy):
    def __init__(self, target_port: int, *, seed: int = 13) -> None:
        self.rate_bytes_s: float | None = None
        self.delay_s = 0.0
        self.byte_error_rate = 0.0
        self.strip_slices = False
        self.drop_rtcp = False
        self.rtcp_dropped = 0
        self.rtp_packets = 0
        self.bytes_flipped = 0
        self.slices_stripped = 0
        self._rng = random.Random(seed)
        self._backlogs: dict[int, int] = {}  # per connection: bytes queued, not yet sent
        super().__init__(target_port)

    def backlog_bytes(self) -> int:
        """Bytes received from the server and not yet sent to the client."""
        with self._cond:
            return sum(self._backlogs.values())

    # -- the server-to-client direction ----------------------------------------------------
    def _pump(self, src: socket.socket, dst: socket.socket, downstream: bool) -> None:
        if not downstream:
            super()._pump(src, dst, downstream)
            return
        queue: deque[tuple[float, bytes]] = deque()
        key = id(queue)
        with self._cond:
            self._backlogs[key] = 0
            self._start_thread(lambda: self._send(queue, key, src, dst), f"send-{key}")
        parser = _InterleavedParser()
        try:
            while self._wait_forwarding():
                data = src.recv(_CHUNK)
                if not data:
                    break
                arrived = time.monotonic()
                for unit in parser.feed(data):
                    if self.drop_rtcp and _is_rtcp(unit):
                        self.rtcp_dropped += 1
                        continue
                    unit = self._damage(unit)
                    with self._cond:
                        if key not in self._backlogs:
                            return  # the sender ended (client gone or closing): so are we
                        queue.append((arrived, unit))
                        self._backlogs[key] += len(unit)
                        self._cond.notify_all()
        except OSError:
            pass
        with self._cond:
            queue.append((0.0, b""))  # end of stream: the sender finishes what is queued
            self._cond.notify_all()

    def _send(self, queue: deque[tuple[float, bytes]], key: int,
              src: socket.socket, dst: socket.socket) -> None:
        link_free_at = 0.0  # when the rate-limited link has carried what was sent so far
        try:
            while True:
                with self._cond:
                    while not self._closing and (not queue or not self._forwarding):
                        self._cond.wait()
                    if self._closing:
                        break
                    arrived, unit = queue[0]
                    if not unit:
                        break
                    now = time.monotonic()
                    due = max(arrived + self.delay_s, now)
                    if self.rate_bytes_s:
                        due = max(due, link_free_at)
                    if due > now:  # woken early by a change of settings or close()
                        self._cond.wait(due - now)
                        continue
                    queue.popleft()
                    self._backlogs[key] -= len(unit)
                    rate = self.rate_bytes_s
                link_free_at = max(now, link_free_at) + (len(unit) / rate if rate else 0.0)
                dst.sendall(unit)
        except OSError:
            pass
        finally:
            with self._cond:
                self._backlogs.pop(key, None)
        _shutdown(src)
        _shutdown(dst)

    def _damage(self, unit: bytes) -> bytes:
        if len(unit) < 4 or unit[0] != 0x24 or unit[1] % 2:  # RTSP text or RTCP
            return unit
        self.rtp_packets += 1
        if not (self.strip_slices or self.byte_error_rate):
            return unit
        start = 4 + _rtp_header_size(unit, 4)
        if start >= len(unit):
            return unit
        data = bytearray(unit)
        if self.strip_slices:
            self._strip_slice(data, start)
        rate = self.byte_error_rate
        if rate:
            position = start
            rng = self._rng
            # Jump from one damaged byte to the next (geometric gaps): as many random
            # draws as damaged bytes, not as bytes.
            while True:
                position += int(rng.expovariate(rate)) if rate < 1 else 0
                if position >= len(data):
                    break
                data[position] ^= 1 << rng.randrange(8)
                self.bytes_flipped += 1
                position += 1
        return bytes(data)

    def _strip_slice(self, data: bytearray, start: int) -> None:
        nal_type = data[start] & 0x1F
        if nal_type in _H264_SLICE_TYPES:
            data[start] &= 0xE0
            self.slices_stripped += 1
        elif nal_type == _FU_A and start + 1 < len(data) and (
            data[start + 1] & 0x1F in _H264_SLICE_TYPES
        ):
            data[start + 1] &= 0xE0
            self.slices_stripped += 1


def _is_rtcp(unit: bytes) -> bool:
    """An interleaved frame on an odd channel (RTCP, by RTSP's usual channel pairs)."""
    return len(unit) >= 4 and unit[0] == 0x24 and unit[1] % 2 == 1


def _rtp_header_size(unit: bytes, offset: int) -> int:
    """Fixed header, CSRCs and the extension header, if any."""
    first = unit[offset]
    size = 12 + 4 * (first & 0x0F)
    if first & 0x10 and offset + size + 4 <= len(unit):
        words = int.from_bytes(unit[offset + size + 2: offset + size + 4], "big")
        size += 4 + 4 * words
    return size


class _InterleavedParser:
    """Cuts the server's byte stream into whole RTSP messages and ``$`` frames."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[bytes]:
        self._buffer += data
        units = []
        while self._buffer:
            unit = self._next_unit()
            if unit is None:
                break
            units.append(unit)
        return units

    def _next_unit(self) -> bytes | None:
        buffer = self._buffer
        if buffer[0] == 0x24:
            if len(buffer) < 4:
                return None
            end = 4 + int.from_bytes(buffer[2:4], "big")
        elif buffer.startswith(b"RTSP/") or len(buffer) < 5:
            head_end = buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return None
            end = head_end + 4
            for line in buffer[:head_end].split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    end += int(value.strip())
        else:  # not a format we know: pass it on as it came
            end = len(buffer)
        if len(buffer) < end:
            return None
        self._buffer = buffer[end:]
        return buffer[:end]
