"""Cut one camera's recorded packets between two wall-clock times into MP4, no re-encode.

The first file starts at the keyframe at or before the requested start (a decoder needs
it); the footage ends with the last frame that starts before the requested end. A change
of stream parameters between segments (the camera reconnected with another resolution)
starts a new file ("-part2"), as one MP4 track cannot change them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import av
import av.container
import av.error

from commandroom.files import open_new_private_fd, sha256_file
from commandroom.recording.index import GapRecord, RecordingIndex, SegmentRecord
from commandroom.recording.storage import part_path
from commandroom.video.remux import increasing


class Cancelled(Exception):
    """The export was cancelled; everything it wrote is removed."""


@dataclass(frozen=True)
class CutFile:
    name: str
    sha256: str
    bytes: int
    actual_start: datetime
    actual_end: datetime
    segment_ids: tuple[int, ...]
    clock_offset_s: float | None


@dataclass
class CameraCut:
    camera_id: int
    requested_start: datetime
    requested_end: datetime
    files: list[CutFile] = field(default_factory=list)
    gaps: list[GapRecord] = field(default_factory=list)

    @property
    def starts_before_requested_s(self) -> float:
        """How much earlier than asked the footage starts (the keyframe); negative when
        the recording itself starts after the requested start."""
        if not self.files:
            return 0.0
        return (self.requested_start - self.files[0].actual_start).total_seconds()


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class _Output:
    def __init__(self, path: Path, template: Any) -> None:
        self.path = path
        os.close(open_new_private_fd(path))  # 0600 from the start; FFmpeg keeps the mode
        # faststart: the index up front, so players start at once (a second pass here).
        self.container: av.container.OutputContainer = av.open(
            str(path), "w", format="mp4", options={"movflags": "+faststart"})
        self.stream = self.container.add_stream_from_template(template)
        self.origin: float | None = None
        self.end = 0.0
        self.last_dts: int | None = None
        self.segment_ids: list[int] = []
        self.clock_offset_s: float | None = None

    def mux(self, packet: av.Packet[Any], wall: float, dts_wall: float, frame_s: float) -> None:
        time_base = packet.time_base
        assert time_base is not None
        if self.origin is None:
            self.origin = wall
        tb = float(time_base)
        pts = round((wall - self.origin) / tb)
        dts, pts = increasing(round((dts_wall - self.origin) / tb), pts, self.last_dts)
        self.last_dts = dts
        self.end = max(self.end, wall + (packet.duration * tb if packet.duration else frame_s))
        packet.pts, packet.dts = pts, dts
        packet.stream = self.stream
        self.container.mux(packet)

    def finish(self) -> CutFile:
        self.container.close()
        digest = sha256_file(self.path)
        with self.path.open("rb") as handle:
            os.fsync(handle.fileno())
        assert self.origin is not None
        return CutFile(self.path.name, digest, self.path.stat().st_size,
                       _utc(self.origin), _utc(self.end), tuple(self.segment_ids),
                       self.clock_offset_s)


def _stream_key(stream: Any) -> tuple[Any, ...]:
    context = stream.codec_context
    return (context.name, context.width, context.height, bytes(context.extradata or b""))


def cut_camera(root: Path, index: RecordingIndex, camera_id: int,
               segments: list[SegmentRecord], start: datetime, end: datetime, folder: Path,
               stem: str, advance: Callable[[int], None]) -> CameraCut:
    """Write ``folder/<stem>.mp4`` (and ``-partN``) from ``segments``; ``advance(bytes)``
    reports progress and raises ``Cancelled`` to stop."""
    cut = CameraCut(camera_id, start, end, gaps=index.gaps(camera_id, start, end))
    start_s, end_s = start.timestamp(), end.timestamp()
    output: _Output | None = None
    key: tuple[Any, ...] | None = None
    pending: list[tuple[av.Packet[Any], float, float]] = []
    started = False
    for segment in segments:
        final = root / segment.path
        path = part_path(final) if segment.open and not final.exists() else final
        seg_start = segment.start_at.timestamp()
        try:
            container = av.open(str(path))
        except (av.error.FFmpegError, FileNotFoundError):
            if segment.open:
                continue  # the file being written may not have its header yet
            raise
        with container:
            stream = container.streams.video[0]
            tb = float(stream.time_base or 0)
            frame_s = 1 / float(stream.average_rate) if stream.average_rate else 0.04
            base: int | None = None
            try:
                for packet in container.demux(stream):
                    if packet.size == 0 or packet.pts is None:
                        continue
                    advance(packet.size)
                    base = packet.pts if base is None else base
                    wall = seg_start + (packet.pts - base) * tb
                    dts_wall = seg_start + ((packet.dts if packet.dts is not None
                                             else packet.pts) - base) * tb
                    if wall >= end_s:
                        break
                    if not started:
                        if packet.is_keyframe:
                            pending = [(packet, wall, dts_wall)]
                        elif pending:
                            pending.append((packet, wall, dts_wall))
                        if wall < start_s or not pending:
                            continue
                        started = True
                    if output is None or key != _stream_key(stream):
                        if output is not None:
                            cut.files.append(output.finish())
                        part = f"-part{len(cut.files) + 1}" if cut.files else ""
                        output = _Output(folder / f"{stem}{part}.mp4", stream)
                        key = _stream_key(stream)
                        output.clock_offset_s = segment.clock_offset_s
                    if not output.segment_ids or output.segment_ids[-1] != segment.id:
                        output.segment_ids.append(segment.id)
                    for item in pending or [(packet, wall, dts_wall)]:
                        output.mux(item[0], item[1], item[2], frame_s)
                    pending = []
            except av.error.FFmpegError:
                if not segment.open:
                    raise  # a closed segment must read to its end
    if output is not None:
        cut.files.append(output.finish())
    return cut
