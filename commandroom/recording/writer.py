"""One segment file: the reader's Annex B packets muxed to fragmented MP4, no re-encode.

Why fragmented MP4 and not MPEG-TS:

* **Crash safety is the same, the overhead is not.** Both can be cut anywhere and still
  play up to the cut. MPEG-TS pays for that with 188-byte packets and PES headers on
  every frame: 60 s of the test clip (1.8 Mbit/s) remuxed with ``ffmpeg -c copy`` is 5.0 %
  larger than the raw stream as TS and 0.1 % as fragmented MP4 - disk we would never get
  back, and the "bytes on disk = stream bytes" check would fail.
* **Exact time and cheap seeking.** Each fragment carries its decode time (``tfdt``) and
  the sample durations, so PyAV seeks to a playback position without scanning the file,
  and an export is cut from the same packets into an ordinary MP4 that every player
  opens. MPEG-TS has no index, and its 33-bit 90 kHz clock wraps every 26.5 h.

``movflags=frag_keyframe+empty_moov+default_base_moof`` writes the header up front (the
parameter sets come from the first keyframe, see ``remux.with_parameter_sets``; evidence
clips do the same) and then one self-contained ``moof``+``mdat`` per keyframe or per
``frag_duration``, whichever comes first. A fragment reaches the file whole, in one go,
when the next one starts; the recorder then ``fdatasync``-s it. A crash or power cut so
loses at most the fragment being gathered (≤ ``fragment_s``) and the writer's batch
(``writer_thread.GATHER_S``); start-up recovery cuts a half-written fragment off
(``storage.cut_to_whole_fragments``).

The file object handed to PyAV has no ``seek``: the muxer writes strictly forwards, so the
SHA-256 and the byte count are taken as the bytes go by, with no second read.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import av

from commandroom.files import open_new_private_fd
from commandroom.video.packet_sources import SegmentInfo
from commandroom.video.remux import increasing, with_parameter_sets

log = logging.getLogger(__name__)

MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof"
WRITE_BUFFER = 256 * 1024


class ForwardFile:
    """Where PyAV writes: whole writes to one descriptor, hashed and counted on the way."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.bytes = 0
        self.digest = hashlib.sha256()
        self.writes = 0

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)  # OSError (ENOSPC, EIO...) goes to PyAV, then us
            view = view[written:]
        self.digest.update(data)
        self.bytes += len(data)
        self.writes += 1
        return len(data)


class SegmentFile:
    """Write one connection's packets, from a keyframe on, to ``path`` (a new file)."""

    def __init__(self, path: Path, info: SegmentInfo, fragment_s: float) -> None:
        self.path = path
        self.info = info
        self._file = self._open(path)
        self._first_dts: int | None = None
        self._last_dts: int | None = None
        self._closed = False
        try:
            self._container = av.open(
                # A fragment reaches us in a few large writes instead of many 32 kB ones
                # (each a Python call, a hash update and a system call).
                self._file, "w", format="mp4", buffer_size=WRITE_BUFFER,
                options={
                    "movflags": MOVFLAGS,
                    "frag_duration": str(max(1, int(fragment_s * 1_000_000))),
                },
            )
            self._stream = self._container.add_mux_stream(
                info.codec, rate=info.rate, width=info.width, height=info.height
            )
        except BaseException:
            os.close(self._file.fd)
            raise

    @staticmethod
    def _open(path: Path) -> ForwardFile:
        return ForwardFile(open_new_private_fd(path))

    @property
    def size(self) -> int:
        """Bytes written to the file so far."""
        return self._file.bytes

    def write(self, data: bytes | av.Packet[Any], dts: int, pts: int, keyframe: bool,
              time_base: Fraction) -> bool:
        """Mux one access unit (bytes, or the reader's packet: its data is shared, not
        copied, and the packet itself is left as it was); True when this flushed a whole
        fragment to the file."""
        if self._first_dts is None:
            if not keyframe:
                raise ValueError("a segment must start with a keyframe")
            self._first_dts = dts
            data = with_parameter_sets(self.info.extradata, bytes(data))
        before = self._file.writes
        rel_dts, rel_pts = increasing(dts - self._first_dts, pts - self._first_dts,
                                      self._last_dts)
        self._last_dts = rel_dts
        # PyAV wraps any buffer without copying (its stub says bytes): a new packet over
        # the reader's data, with timestamps of its own.
        packet: av.Packet[Any] = av.Packet(cast(bytes, data))
        packet.dts, packet.pts = rel_dts, rel_pts
        packet.time_base = time_base
        packet.is_keyframe = keyframe
        packet.stream = self._stream
        self._container.mux_one(packet)
        return self._file.writes != before

    def sync(self) -> None:
        """What the muxer has written survives a power cut."""
        os.fdatasync(self._file.fd)

    def finish(self) -> tuple[int, str]:
        """Write the trailer, sync and close; returns (bytes, SHA-256)."""
        self._closed = True
        try:
            self._container.close()
            os.fsync(self._file.fd)
        finally:
            os.close(self._file.fd)
        return self._file.bytes, self._file.digest.hexdigest()

    def abandon(self) -> None:
        """Close after a failed write. The trailer is tried (it fails again if the disk is
        still full); the caller cuts the file back to its whole fragments either way."""
        if self._closed:
            return
        self._closed = True
        try:
            self._container.close()
        except Exception:  # the same failure again while writing the trailer: expected
            log.debug("closing %s after a write error failed too", self.path, exc_info=True)
        finally:
            os.close(self._file.fd)


@dataclass(frozen=True)
class FileProbe:
    duration_s: float
    codec: str
    width: int
    height: int


def probe_file(path: Path) -> FileProbe:
    """Codec, size and length (first frame's start to last frame's end) of a segment."""
    first: float | None = None
    last_end = 0.0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        time_base = float(stream.time_base or 0)
        for packet in container.demux(stream):
            if packet.pts is None or packet.size == 0:
                continue
            start = packet.pts * time_base
            first = start if first is None else min(first, start)
            last_end = max(last_end, start + (packet.duration or 0) * time_base)
        context = stream.codec_context
        return FileProbe(max(0.0, last_end - first) if first is not None else 0.0,
                         context.name, context.width, context.height)
