"""RTSP message framing and the ONVIF replay rewrite of a client's requests (no I/O).

Kept apart from the relay's sockets so the rewrite is tested byte for byte: a request
leaves the relay identical to what FFmpeg sent except for the header lines named here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

REPLAY_TAG = "onvif-replay"
# Requests that must carry "Require: onvif-replay" (ONVIF Streaming Specification,
# section 6.2): everything that touches the recording. OPTIONS, TEARDOWN and the
# GET_PARAMETER keep-alive do not, and some devices refuse unknown requirements there.
REQUIRE_METHODS = frozenset({"DESCRIBE", "SETUP", "PLAY", "PAUSE"})
MAX_HEAD_BYTES = 64 * 1024  # a longer header block is not RTSP: the connection is dropped
_HEAD_END = b"\r\n\r\n"
_CONTENT_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*(\d+)[ \t]*$", re.IGNORECASE)
_CSEQ = re.compile(rb"^cseq[ \t]*:[ \t]*(\d+)[ \t]*$", re.IGNORECASE)


class FramingError(ValueError):
    """The byte stream is not RTSP (or a header block is absurdly long)."""


def clock_time(when: dt.datetime) -> str:
    """``YYYYMMDDTHHMMSS.sssZ`` in UTC, as ``Range: clock=`` wants it (RFC 2326 3.7)."""
    if when.tzinfo is None:
        raise ValueError("clock times must be timezone-aware")
    utc = when.astimezone(dt.UTC)
    return utc.strftime("%Y%m%dT%H%M%S") + f".{utc.microsecond // 1000:03d}Z"


def parse_npt_start(value: str) -> float | None:
    """Seconds at the start of an ``npt=`` range (``0.000-``, ``12.5-20``, ``0:01:02.5-``).

    None for ``now-`` or anything unreadable: the caller then leaves the range alone.
    """
    start = value.strip().partition("-")[0].strip()
    if not start or start == "now":
        return None
    try:
        seconds = 0.0
        for part in start.split(":"):
            seconds = seconds * 60 + float(part)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


@dataclass(frozen=True)
class ReplayRewrite:
    """How FFmpeg's requests become ONVIF replay requests for one playback session.

    ``start``/``end`` are in the DEVICE's clock (UTC): the caller applies any clock drift.
    FFmpeg asks ``Range: npt=X-`` (X = 0 at first, the seek position later): that becomes
    ``Range: clock=start+X-[end]``, so FFmpeg's own seeking keeps working.
    """

    start: dt.datetime
    end: dt.datetime | None = None
    require_methods: frozenset[str] = field(default=REQUIRE_METHODS)

    def clock_range(self, offset_s: float) -> str:
        begin = clock_time(self.start + dt.timedelta(seconds=offset_s))
        return f"clock={begin}-{clock_time(self.end) if self.end is not None else ''}"


def _line_end(line: bytes) -> bytes:
    return b"\r\n" if line.endswith(b"\r\n") else b"\n"


def _header(line: bytes) -> tuple[str, str] | None:
    name, sep, value = line.partition(b":")
    if not sep:
        return None
    return name.strip().decode("latin-1").lower(), value.strip().decode("latin-1")


def rewrite_request(head: bytes, rewrite: ReplayRewrite) -> bytes:
    """One request's header block (request line to the blank line) rewritten for replay.

    Only three things change, each on its own line: a ``Range: npt=`` of a PLAY becomes
    ``Range: clock=``; ``Require`` gains ``onvif-replay`` (or the line is added before the
    blank line) on the methods that need it. Every other byte stays as it was.
    """
    lines = head.splitlines(keepends=True)
    if not lines:
        return head
    method = lines[0].split(b" ", 1)[0].decode("latin-1").upper()
    eol = _line_end(lines[0])
    out: list[bytes] = [lines[0]]
    has_require = False
    for line in lines[1:]:
        parsed = _header(line)
        if parsed is None:  # the blank line ending the block (or junk): keep as is
            out.append(line)
            continue
        name, value = parsed
        if method == "PLAY" and name == "range" and value.lower().startswith("npt="):
            offset = parse_npt_start(value[4:])
            if offset is not None:
                line = f"Range: {rewrite.clock_range(offset)}".encode() + _line_end(line)
        elif name == "require" and method in rewrite.require_methods:
            has_require = True
            tags = [t.strip() for t in value.split(",") if t.strip()]
            if REPLAY_TAG not in tags:
                line = f"Require: {', '.join([*tags, REPLAY_TAG])}".encode() + _line_end(line)
        out.append(line)
    if method in rewrite.require_methods and not has_require:
        blank = len(out) - 1 if out[-1].strip() == b"" else len(out)
        out.insert(blank, f"Require: {REPLAY_TAG}".encode() + eol)
    return b"".join(out)


@dataclass(frozen=True)
class Interleaved:
    """One ``$``-framed binary packet (RTP/RTCP over the RTSP connection), whole."""

    data: bytes


@dataclass(frozen=True)
class Message:
    """One RTSP request or response: header block (with its blank line) and body."""

    head: bytes
    body: bytes

    @property
    def first_line(self) -> str:
        return self.head.split(b"\n", 1)[0].decode("latin-1").strip()

    @property
    def cseq(self) -> int | None:
        for line in self.head.splitlines()[1:]:
            found = _CSEQ.match(line.strip())
            if found:
                return int(found.group(1))
        return None

    @property
    def status(self) -> int | None:
        """The status code of a response (None for a request)."""
        words = self.first_line.split(" ", 2)
        if len(words) >= 2 and words[0].upper().startswith("RTSP/") and words[1].isdigit():
            return int(words[1])
        return None

    @property
    def method(self) -> str | None:
        """The method of a request (None for a response)."""
        if self.status is not None:
            return None
        return self.first_line.split(" ", 1)[0].upper() or None


class Splitter:
    """Cuts a TCP byte stream into RTSP messages and interleaved packets, in order."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Message | Interleaved]:
        self._buffer += data
        units: list[Message | Interleaved] = []
        while True:
            unit = self._next()
            if unit is None:
                return units
            units.append(unit)

    def _next(self) -> Message | Interleaved | None:
        buf = self._buffer
        if not buf:
            return None
        if buf[0] == 0x24:  # "$": channel byte, 16-bit length, payload
            if len(buf) < 4:
                return None
            size = 4 + int.from_bytes(buf[2:4], "big")
            if len(buf) < size:
                return None
            packet = bytes(buf[:size])
            del buf[:size]
            return Interleaved(packet)
        end = buf.find(_HEAD_END)
        if end < 0:
            if len(buf) > MAX_HEAD_BYTES:
                raise FramingError("RTSP header block too long")
            return None
        head_len = end + len(_HEAD_END)
        length = 0
        for line in bytes(buf[:end]).split(b"\r\n")[1:]:
            found = _CONTENT_LENGTH.match(line.strip())
            if found:
                length = int(found.group(1))
        if len(buf) < head_len + length:
            return None
        message = Message(bytes(buf[:head_len]), bytes(buf[head_len:head_len + length]))
        del buf[:head_len + length]
        return message
