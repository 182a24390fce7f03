"""The streamed multipart reader: parts as cameras really send them, however the bytes
are cut into chunks; oversized parts skipped without being held; truncation told."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import pytest

from commandroom.camera_events.multipart_stream import (
    MalformedStream,
    MultipartStreamReader,
    OversizedPart,
    Part,
    StreamEnded,
    TruncatedPart,
    boundary_from_content_type,
)

# The Dahua HTTP API's own example (Content-Length counts the CR LF after the text).
DAHUA = (b"--myboundary\r\nContent-Type: text/plain\r\nContent-Length: 39\r\n\r\n"
         b"Code=VideoMotion;action=Start;index=0\r\n\r\n"
         b"--myboundary\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\n"
         b"Heartbeat\r\n\r\n")
XML = b'<EventNotificationAlert><eventType>VMD</eventType></EventNotificationAlert>'
JPEG = b"\xff\xd8\xff\xe0--boundary\r\n\r\n\xff\xd9"  # a JPEG may hold anything
HIK = (b"--boundary\r\nContent-Type: application/xml; charset=\"UTF-8\"\r\n"
       + f"Content-Length: {len(XML)}\r\n\r\n".encode() + XML + b"\r\n"
       + b"--boundary\r\nContent-Type: image/jpeg\r\n"
       + f"Content-Length: {len(JPEG)}\r\n\r\n".encode() + JPEG + b"\r\n")


def chunks_of(data: bytes, size: int) -> Iterator[bytes]:
    return (data[i:i + size] for i in range(0, len(data), size))


def read_all(reader: MultipartStreamReader) -> list[Part | OversizedPart]:
    parts: list[Part | OversizedPart] = []
    with pytest.raises(StreamEnded):
        while True:
            parts.append(reader.next_part())
    return parts


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 100_000])
def test_dahua_documented_stream_reads_whatever_the_chunking(chunk: int) -> None:
    parts = read_all(MultipartStreamReader(chunks_of(DAHUA, chunk), "myboundary", 1024))
    assert [p.body.strip() for p in parts if isinstance(p, Part)] == [
        b"Code=VideoMotion;action=Start;index=0", b"Heartbeat"]


@pytest.mark.parametrize("chunk", [1, 5, 4096])
def test_hikvision_xml_then_jpeg_holding_the_boundary_text(chunk: int) -> None:
    parts = read_all(MultipartStreamReader(chunks_of(HIK, chunk), "boundary", 1024))
    assert [(p.content_type, p.body) for p in parts if isinstance(p, Part)] == [
        ("application/xml", XML), ("image/jpeg", JPEG)]


def test_parts_without_content_length_end_at_the_next_delimiter() -> None:
    data = (b"preamble\r\n--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\nline two\r\n"
            b"--b\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--b--\r\n")
    parts = read_all(MultipartStreamReader(chunks_of(data, 3), "b", 1024))
    assert [p.body for p in parts if isinstance(p, Part)] == [b"first\r\nline two", b"second"]


def test_boundary_parameter_carrying_the_dashes_and_headers_without_blank_line() -> None:
    # Some firmwares announce boundary=--myboundary; Dahua's document shows no blank
    # line between the headers and the text.
    data = b"--myboundary\r\nContent-Type: text/plain\r\nCode=VideoLoss;action=Stop;index=1\r\n"
    data += b"--myboundary\r\n"
    reader = MultipartStreamReader(chunks_of(data, 4), "--myboundary", 1024)
    part = reader.next_part()
    assert isinstance(part, Part) and part.body == b"Code=VideoLoss;action=Stop;index=1"


def test_overlong_content_length_gives_the_next_part_back() -> None:
    data = (b"--b\r\nContent-Length: 20\r\n\r\nshort\r\n--b\r\nContent-Length: 4\r\n\r\nnext"
            b"\r\n--b\r\n")
    parts = read_all(MultipartStreamReader(iter([data]), "b", 1024))
    assert [p.body for p in parts if isinstance(p, Part)] == [b"short", b"next"]


@pytest.mark.parametrize("with_length", [True, False])
def test_oversized_part_is_skipped_without_holding_it(with_length: bool) -> None:
    size = 48 * 1024 * 1024
    chunk = b"\x00" * 65536

    def body() -> Iterator[bytes]:
        length = f"Content-Length: {size}\r\n" if with_length else ""
        yield f"--b\r\nContent-Type: image/jpeg\r\n{length}\r\n".encode()
        for _ in range(size // len(chunk)):
            yield chunk
        yield b"\r\n--b\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nafter\r\n"

    reader = MultipartStreamReader(body(), "b", 4 * 1024 * 1024)
    tracemalloc.start()
    try:
        skipped = reader.next_part()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(skipped, OversizedPart) and skipped.size >= size
    # The limit held while looking for the delimiter, and the copies of a growing
    # buffer: a few times 4 MB, never the 48 MB part.
    assert peak < 16 * 1024 * 1024
    after = reader.next_part()
    assert isinstance(after, Part) and after.body == b"after"


def test_end_mid_part_is_truncation_and_between_parts_an_end() -> None:
    cut = HIK[: HIK.index(XML) + 10]
    reader = MultipartStreamReader(iter([cut]), "boundary", 1024)
    with pytest.raises(TruncatedPart):
        reader.next_part()
    reader = MultipartStreamReader(iter([DAHUA]), "myboundary", 1024)
    reader.next_part()
    reader.next_part()
    with pytest.raises(StreamEnded) as ended:
        reader.next_part()
    assert not isinstance(ended.value, TruncatedPart)


def test_a_header_block_without_end_is_malformed_not_a_memory_hog() -> None:
    endless = iter([b"--b\r\n"] + [b"X-Junk: " + b"a" * 1000 + b"\r\n"] * 100)
    with pytest.raises(MalformedStream):
        MultipartStreamReader(endless, "b", 1024).next_part()


@pytest.mark.parametrize(("header", "boundary"), [
    ("multipart/mixed; boundary=boundary", "boundary"),
    ('multipart/x-mixed-replace; boundary="myboundary"', "myboundary"),
    ("Multipart/Mixed;Boundary=--abc", "--abc"),
    ("application/xml", None),
    ("multipart/mixed", None),
])
def test_boundary_from_content_type(header: str, boundary: str | None) -> None:
    assert boundary_from_content_type(header) == boundary
