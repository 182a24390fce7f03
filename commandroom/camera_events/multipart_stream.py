"""Reads the parts of a never-ending multipart HTTP body one at a time, as they come.

Hikvision's ``alertStream`` (multipart/mixed) and Dahua's ``eventManager`` attach
(multipart/x-mixed-replace) answer with a body that has no end: a part per event, for as
long as the connection lives. The multipart libraries we looked at either want the whole
body (requests-toolbelt's decoder, ``email``) or are form-data parsers for uploads; none
copes with what cameras really send, so this is a small reader that does:

- a part's ``Content-Length`` is trusted first (it lets a JPEG contain anything), but
  Dahua's are known to be off by the trailing CRLF, so a misstated length is repaired by
  looking for the next delimiter line; a part without one ends at the next delimiter;
- a part over ``max_part_bytes`` is read past and thrown away as it arrives (never held
  whole in memory) and reported as an ``OversizedPart``; the stream goes on;
- blank or stray lines between parts are skipped, the boundary matches with or without
  the ``--`` a few firmwares put in the header parameter, and a header block without the
  blank line (as Dahua's own documentation shows it) still reads.

The reader takes an iterator of byte chunks (an HTTP library's streamed body), so it is
independent of the library and testable with plain lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_HEADER_BYTES = 16 * 1024  # a part's header block; cameras send ~100 bytes
_HEADER_NAME = re.compile(r"[A-Za-z0-9-]+")
_BOUNDARY_PARAM = re.compile(r'boundary\s*=\s*"?([^";,\s]+)"?', re.IGNORECASE)


class StreamEnded(Exception):
    """The body ended (the peer closed, or sent the closing delimiter) between parts."""


class TruncatedPart(StreamEnded):
    """The body ended in the middle of a part (a dropped connection)."""


class MalformedStream(Exception):
    """Bytes that cannot be multipart (a header block or line without end)."""


@dataclass(frozen=True)
class Part:
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type alone, lower-cased, without its parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class OversizedPart:
    """A part larger than the limit; its bytes were read past and dropped."""

    headers: dict[str, str]
    size: int  # bytes seen (at least the limit + 1)


def boundary_from_content_type(content_type: str) -> str | None:
    """The ``boundary`` parameter of a multipart Content-Type header, None if absent."""
    if not content_type.lower().lstrip().startswith("multipart/"):
        return None
    match = _BOUNDARY_PARAM.search(content_type)
    return match.group(1) if match else None


class MultipartStreamReader:
    def __init__(self, chunks: Iterator[bytes], boundary: str, max_part_bytes: int) -> None:
        bare = boundary[2:] if boundary.startswith("--") else boundary
        # The delimiter lines we accept: "--B" per RFC 2046; and "B" itself when the
        # header parameter already carried the dashes (it is then what the camera sends).
        self._delimiters = {b"--" + boundary.encode(), b"--" + bare.encode()}
        if boundary.startswith("--"):
            self._delimiters.add(boundary.encode())
        self._chunks = chunks
        self._max = max_part_bytes
        self._buf = bytearray()
        self._eof = False
        self._delimiter_consumed = False  # the last part ended at the next delimiter
        self._closed = False  # the closing "--B--" was seen

    def next_part(self) -> Part | OversizedPart:
        """The next part; raises ``StreamEnded`` at the end between parts,
        ``TruncatedPart`` mid-part, ``MalformedStream`` on garbage that cannot end."""
        if not self._delimiter_consumed:
            self._seek_delimiter()
        self._delimiter_consumed = False
        if self._closed:
            raise StreamEnded("closing delimiter")
        headers = self._read_headers()
        length = _content_length(headers)
        if length is not None:
            if length > self._max:
                self._discard(length)
                return OversizedPart(headers, length)
            body = self._read_exactly(length)
            return Part(headers, self._repair_overlong(body))
        return self._read_until_delimiter(headers)

    # -- bytes in -------------------------------------------------------------------
    def _fill(self) -> bool:
        """One more chunk into the buffer; False at the end of the body."""
        if self._eof:
            return False
        for chunk in self._chunks:
            if chunk:
                self._buf += chunk
                return True
        self._eof = True
        return False

    def _read_line(self) -> bytes | None:
        """One line without its CR LF; None at the end of the body."""
        while True:
            end = self._buf.find(b"\n")
            if end >= 0:
                line = bytes(self._buf[:end])
                del self._buf[: end + 1]
                return line.rstrip(b"\r")
            if len(self._buf) > MAX_HEADER_BYTES:
                raise MalformedStream(f"a line of more than {MAX_HEADER_BYTES} bytes")
            if not self._fill():
                return None

    def _read_exactly(self, count: int) -> bytes:
        while len(self._buf) < count:
            if not self._fill():
                raise TruncatedPart(f"{len(self._buf)} of {count} bytes")
        data = bytes(self._buf[:count])
        del self._buf[:count]
        return data

    def _discard(self, count: int) -> None:
        """Drop ``count`` bytes as they arrive, holding at most one chunk."""
        left = count
        while left > 0:
            if not self._buf and not self._fill():
                raise TruncatedPart(f"{count - left} of {count} bytes")
            taken = min(left, len(self._buf))
            del self._buf[:taken]
            left -= taken

    # -- structure ------------------------------------------------------------------
    def _seek_delimiter(self) -> None:
        """Skip to just after the next delimiter line (the preamble, the CR LF after a
        part's body, stray blank lines)."""
        while True:
            line = self._read_line()
            if line is None:
                raise StreamEnded("end of body")
            stripped = line.strip()
            if stripped in self._delimiters:
                return
            if stripped.endswith(b"--") and stripped[:-2] in self._delimiters:
                self._closed = True
                return

    def _read_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        size = 0
        while True:
            line = self._read_line()
            if line is None:
                raise TruncatedPart("end of body in a part's headers")
            size += len(line) + 2
            if size > MAX_HEADER_BYTES:
                raise MalformedStream(f"a part header block over {MAX_HEADER_BYTES} bytes")
            if not line.strip():
                return headers
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon or not _HEADER_NAME.fullmatch(name.strip()):
                # No blank line before the body (Dahua's documented layout): this line
                # is the body's first; put it back.
                self._buf[:0] = line + b"\r\n"
                return headers
            headers[name.strip().lower()] = value.strip()

    def _repair_overlong(self, body: bytes) -> bytes:
        """A Content-Length larger than the part swallowed the next delimiter: cut the
        body there and give the rest back to the buffer."""
        for delimiter in self._delimiters:
            cut = body.find(b"\n" + delimiter)
            if cut >= 0:
                self._buf[:0] = body[cut + 1 :]
                return body[:cut].rstrip(b"\r")
        return body

    def _read_until_delimiter(self, headers: dict[str, str]) -> Part | OversizedPart:
        """A part without Content-Length: it ends at the next delimiter line."""
        markers = [b"\n" + d for d in self._delimiters]
        keep = max(len(m) for m in markers)  # bytes that may be the start of a marker
        dropped = 0
        scanned = 0  # buffer bytes already searched (no marker starts before this)
        while True:
            found = [i for i in (self._buf.find(m, max(0, scanned - keep)) for m in markers)
                     if i >= 0]
            if found:
                cut = min(found)
                body = bytes(self._buf[:cut]).rstrip(b"\r")
                del self._buf[: cut + 1]  # the delimiter line stays, read as a line
                self._seek_delimiter()
                self._delimiter_consumed = True
                if dropped or len(body) > self._max:
                    return OversizedPart(headers, dropped + len(body))
                return Part(headers, body)
            scanned = len(self._buf)
            if len(self._buf) > self._max + keep:
                # Over the limit: keep only what could start the delimiter.
                excess = len(self._buf) - keep
                dropped += excess
                del self._buf[:excess]
                scanned = len(self._buf)
            if not self._fill():
                raise TruncatedPart("end of body in a part without Content-Length")


def _content_length(headers: dict[str, str]) -> int | None:
    raw = headers.get("content-length", "").strip()
    return int(raw) if raw.isdigit() else None
