"""Packets whose pictures carry their own wall-clock time as a barcode, made here.

The same 48-bit layout as the RTSP test server's /barcode mount (read back with
``tests.support.barcode.decode_ms``), encoded with libx264 into Annex B access units like
the reader's: so a recording made from them can be replayed and every frame published
checked against the exact time it says it was recorded at.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av
import numpy
from av.video.codeccontext import VideoCodecContext

from commandroom.video.packet_sources import SegmentInfo
from tests.support.barcode import BITS, COLUMNS, ROWS

WHITE, BLACK, GREY = 235, 16, 128


@dataclass(frozen=True)
class StampedPacket:
    packet: av.Packet[Any]
    wall: float  # the time drawn into its picture (and its arrival)


def barcode_picture(ms: int, width: int, height: int) -> numpy.ndarray[Any, Any]:
    """A yuv420p picture (as one (h*3/2, w) plane array) showing ``ms``."""
    y = numpy.full((height, width), GREY, numpy.uint8)
    block_w, block_h = width // COLUMNS, height * 40 // 360
    for bit in range(BITS):
        row, col = divmod(bit, COLUMNS)
        on = (ms >> (BITS - 1 - bit)) & 1
        y[row * block_h:(row + 1) * block_h, col * block_w:(col + 1) * block_w] = (
            WHITE if on else BLACK)
    assert ROWS * block_h <= height
    chroma = numpy.full((height // 2, width), 128, numpy.uint8)
    return numpy.concatenate([y, chroma])


def barcode_packets(t0: float, seconds: float, *, fps: int = 25, gop: int = 25,
                    size: tuple[int, int] = (320, 180)) -> tuple[SegmentInfo, list[StampedPacket]]:
    """``seconds`` of 25 fps video from wall time ``t0``; a keyframe every ``gop`` frames."""
    width, height = size
    encoder = av.CodecContext.create("libx264", "w")
    assert isinstance(encoder, VideoCodecContext)
    encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuv420p"
    encoder.time_base = Fraction(1, fps)
    encoder.framerate = Fraction(fps)
    encoder.gop_size = gop
    encoder.max_b_frames = 0
    encoder.options = {"preset": "ultrafast", "tune": "zerolatency", "keyint_min": str(gop)}
    packets: list[StampedPacket] = []
    frames = round(seconds * fps)
    for n in range(frames + 1):
        if n < frames:
            ms = round((t0 + n / fps) * 1000)
            frame = av.VideoFrame.from_ndarray(barcode_picture(ms, width, height),
                                               format="yuv420p")
            frame.pts = n
            frame.time_base = encoder.time_base
            out = encoder.encode(frame)
        else:
            out = encoder.encode(None)
        for packet in out:
            packet.time_base = encoder.time_base
            assert packet.pts is not None
            packets.append(StampedPacket(packet, t0 + packet.pts / fps))
    info = SegmentInfo("h264", width, height, Fraction(1, fps), Fraction(fps), None)
    return info, packets


def record(sink: Any, info: SegmentInfo, packets: list[StampedPacket]) -> None:
    """One connection's worth: start, every packet at its wall time, end."""
    sink.start_segment(info)
    for item in packets:
        sink.append(item.packet, item.wall)
    sink.end_segment()
