"""Helpers for the recording tests: a database with cameras, packets of the test clip as
the reader would feed them, and ffprobe's view of a file."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from av.bitstream import BitStreamFilterContext
from sqlalchemy.orm import Session, sessionmaker

from commandroom.cameras.models import CameraRow
from commandroom.video.packet_sources import SegmentInfo


def add_camera(sessions: sessionmaker[Session], name: str, junction: str = "") -> int:
    with sessions.begin() as session:
        row = CameraRow(name=name, junction=junction or f"{name} junction",
                        main_url=f"rtsp://127.0.0.1:1/{name}")
        session.add(row)
        session.flush()
        return row.id


@dataclass(frozen=True)
class ClipPacket:
    packet: av.Packet[Any]
    media_s: float  # pts in seconds from the clip's start


def clip_feed(clip: Path, seconds: float) -> tuple[SegmentInfo, list[ClipPacket]]:
    """The first ``seconds`` of the clip as Annex B access units with keyframe flags and
    pts in the stream time base: what the reader hands its sinks (see FileSource)."""
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        assert stream.time_base is not None
        to_annex_b = BitStreamFilterContext("h264_mp4toannexb", in_stream=stream)
        info = SegmentInfo("h264", stream.codec_context.width, stream.codec_context.height,
                           stream.time_base, stream.average_rate, None)
        packets: list[ClipPacket] = []
        for packet in container.demux(stream):
            if packet.size == 0 or packet.pts is None:
                continue
            media_s = float(packet.pts * stream.time_base)
            if media_s >= seconds:
                break
            for out in to_annex_b.filter(packet):
                out.time_base = stream.time_base
                packets.append(ClipPacket(out, media_s))
    return info, packets


def feed(sink: Any, info: SegmentInfo, packets: list[ClipPacket], t0: float,
         pace: float | None = None, *, new_connection: bool = True) -> float:
    """Push ``packets`` into ``sink`` as arriving at ``t0 + media time``; ``pace`` > 0
    plays them that many times faster than real time (None: as fast as possible).
    Returns the longest single ``append`` call, in seconds."""
    if new_connection:
        sink.start_segment(info)
    longest = 0.0
    started = time.monotonic()
    first_s = packets[0].media_s if packets else 0.0
    for item in packets:
        if pace:
            delay = started + (item.media_s - first_s) / pace - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # pacing the feed like a camera, not waiting for a result
        before = time.perf_counter()
        sink.append(item.packet, t0 + item.media_s)
        longest = max(longest, time.perf_counter() - before)
    return longest


def packets_in(clip_packets: list[ClipPacket], start_s: float, end_s: float) -> list[ClipPacket]:
    return [p for p in clip_packets if start_s <= p.media_s < end_s]


def ffprobe(path: Path) -> dict[str, Any]:
    """Duration, decoded frame count and codec of ``path`` by ffprobe (decodes every frame)."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
         "-show_entries", "format=duration,size:stream=codec_name,nb_read_frames",
         "-of", "json", str(path)],
        check=True, capture_output=True, text=True, timeout=60,
    )
    data = json.loads(out.stdout)
    stream = data["streams"][0]
    return {
        "duration": float(data["format"]["duration"]),
        "size": int(data["format"]["size"]),
        "codec": stream["codec_name"],
        "frames": int(stream["nb_read_frames"]),
        "errors": out.stderr.strip(),
    }


def frame_s(info: SegmentInfo) -> float:
    return float(1 / Fraction(info.rate)) if info.rate else 0.04


def iter_files(root: Path) -> Iterator[Path]:
    return (p for p in sorted(root.rglob("*")) if p.is_file())
