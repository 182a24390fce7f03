"""Evidence: a ring of compressed packets, and clips remuxed from it to MP4 (no re-encode)."""

from __future__ import annotations

import os
import threading
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import av

from commandroom.files import create_private, sha256_file
from commandroom.video.packet_sources import SegmentInfo
from commandroom.video.remux import fill_stamps, frame_ticks, increasing, with_parameter_sets

# Safety net for a camera that never sends a keyframe: the ring never holds more than this.
MAX_RING_BYTES = 64 * 1024 * 1024
MAX_EXTRA_AGE_S = 60.0


class ClipError(Exception):
    """A clip could not be made; the message says why in plain words."""


NOT_RUNNING = "The stream is not running"


@dataclass(frozen=True)
class ClipResult:
    path: Path
    sha256: str
    duration_s: float
    start_time: float  # wall clock of the first frame in the clip


@dataclass(frozen=True, slots=True)
class RingPacket:
    packet: av.Packet[Any]
    arrival: float
    keyframe: bool
    pts: int | None
    dts: int | None
    time_base: Fraction


class ClipRequest:
    """Packets of one clip: the past at once, then the future until ``end`` (wall clock)."""

    def __init__(self, info: SegmentInfo, packets: list[RingPacket], end: float) -> None:
        self.info = info
        self.end = end
        self.done = threading.Event()
        self._packets = packets
        self._lock = threading.Lock()

    def offer(self, item: RingPacket) -> bool:
        """Take a new packet; returns False once the clip has all it wants."""
        if item.arrival > self.end:
            self.done.set()
            return False
        with self._lock:
            self._packets.append(item)
        return True

    def finish(self) -> None:
        """No more packets will come (reconnect, stop): write what we have."""
        self.done.set()

    def packets(self) -> list[RingPacket]:
        with self._lock:
            return list(self._packets)


class Clip(Protocol):
    """What ``write_clip`` reads: a ClipRequest here, or a worker_units.RemoteClip for a
    stream read in a worker process (whose ring lives there)."""

    @property
    def done(self) -> threading.Event: ...

    @property
    def info(self) -> SegmentInfo: ...

    def packets(self) -> list[RingPacket]: ...


class PacketRing:
    """Packets of the current connection since the keyframe at or before now - keep_s."""

    def __init__(self, keep_s: float) -> None:
        self.keep_s = keep_s
        self._lock = threading.Lock()
        self._packets: deque[RingPacket] = deque()
        self._keys: deque[RingPacket] = deque()
        self._bytes = 0
        self._info: SegmentInfo | None = None
        self._requests: list[ClipRequest] = []

    def start_segment(self, info: SegmentInfo) -> None:
        """A new connection: its timestamps and parameters don't continue the old ones."""
        self.end_segment()
        with self._lock:
            self._info = info

    def end_segment(self) -> None:
        with self._lock:
            requests, self._requests = self._requests, []
            self._packets.clear()
            self._keys.clear()
            self._bytes = 0
            self._info = None
        for request in requests:
            request.finish()

    def newest_gop(self) -> list[av.Packet[Any]]:
        """The whole access units from the newest keyframe on (to start a decoder)."""
        with self._lock:
            if not self._keys:
                return []
            newest = self._keys[-1]
            items = list(self._packets)
        for index in range(len(items) - 1, -1, -1):
            if items[index] is newest:
                return [item.packet for item in items[index:]]
        return []

    def pending_clips(self) -> int:
        with self._lock:
            return len(self._requests)

    def append(self, packet: av.Packet[Any], arrival: float) -> None:
        time_base = packet.time_base
        if time_base is None and self._info is not None:
            time_base = self._info.time_base
        item = RingPacket(
            packet, arrival, bool(packet.is_keyframe), packet.pts, packet.dts,
            time_base or Fraction(1, 90000),
        )
        with self._lock:
            if item.keyframe:
                self._keys.append(item)
            if self._keys:  # packets before the first keyframe cannot start a clip
                self._packets.append(item)
                self._bytes += packet.size
                self._prune(arrival)
            requests = self._requests
        if requests:
            kept = [r for r in requests if r.offer(item)]
            if len(kept) != len(requests):
                with self._lock:
                    self._requests = [r for r in self._requests if not r.done.is_set()]

    def _prune(self, newest: float) -> None:
        cutoff = newest - self.keep_s
        while len(self._keys) >= 2 and self._keys[1].arrival <= cutoff:
            self._keys.popleft()
            while self._packets and self._packets[0] is not self._keys[0]:
                self._bytes -= self._packets.popleft().packet.size
        while self._packets and (
            self._bytes > MAX_RING_BYTES or self._packets[0].arrival < cutoff - MAX_EXTRA_AGE_S
        ):
            dropped = self._packets.popleft()
            self._bytes -= dropped.packet.size
            if self._keys and dropped is self._keys[0]:
                self._keys.popleft()

    def open_clip(self, pre_s: float, post_s: float, now: float) -> ClipRequest:
        """Start a clip from the keyframe at/just before now - pre_s up to now + post_s."""
        with self._lock:
            if self._info is None or not self._keys:
                raise ClipError("No video in the buffer yet")
            start = now - pre_s
            first = self._keys[0]
            for key in self._keys:
                if key.arrival > start:
                    break
                first = key
            items = list(self._packets)
            index = next(i for i, item in enumerate(items) if item is first)
            past = [item for item in items[index:] if item.arrival <= now + post_s]
            request = ClipRequest(self._info, past, now + post_s)
            if post_s <= 0 or (items and items[-1].arrival > now + post_s):
                request.finish()
            else:
                self._requests.append(request)
            return request


def write_clip(request: Clip, dest: Path) -> ClipResult:
    """Remux the request's packets to ``dest`` (MP4): temp name, fsync, rename, SHA-256."""
    items = request.packets()  # a RemoteClip raises ClipError with its reason
    if not items:
        raise ClipError("No video in the buffer for this clip")
    info = request.info
    tmp = dest.with_name(f".{dest.name}.part")
    try:
        # Created 0600 (in 0700 folders) before FFmpeg opens it: the muxer truncates
        # and keeps the mode, so the clip is never readable by others, even half-written.
        create_private(tmp)
        _mux(items, info, tmp)
        digest = sha256_file(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return ClipResult(dest, digest, _duration_s(items, info), items[0].arrival)


def _stamps(items: list[RingPacket], info: SegmentInfo) -> list[int | None]:
    """Each packet's decode timestamp, gaps filled (see remux.fill_stamps)."""
    stamps = [i.dts if i.dts is not None else i.pts for i in items]
    return fill_stamps(stamps, frame_ticks(info.rate, items[0].time_base))


def _mux(items: list[RingPacket], info: SegmentInfo, path: Path) -> None:
    stamps = _stamps(items, info)
    base = next((s for s in stamps if s is not None), 0)
    with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        stream = out.add_mux_stream(
            info.codec, rate=info.rate, width=info.width, height=info.height
        )
        last_dts: int | None = None
        for i, item in enumerate(items):
            data = bytes(item.packet)
            packet = av.Packet(with_parameter_sets(info.extradata, data) if i == 0 else data)
            dts = item.dts if item.dts is not None else stamps[i]
            pts = item.pts if item.pts is not None else dts
            if pts is None or dts is None:
                continue
            dts, pts = increasing(dts - base, pts - base, last_dts)
            last_dts = dts
            packet.pts, packet.dts = pts, dts
            packet.time_base = item.time_base
            packet.is_keyframe = item.keyframe
            packet.stream = stream
            out.mux(packet)


def _duration_s(items: list[RingPacket], info: SegmentInfo) -> float:
    stamps = [float(i.pts * i.time_base) for i in items if i.pts is not None]
    if not stamps:
        return items[-1].arrival - items[0].arrival
    frame_s = 1.0 / float(info.rate) if info.rate else 0.0
    return max(stamps) - min(stamps) + frame_s
