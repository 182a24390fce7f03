"""Demo cameras: a junction scene rendered, encoded with libx264 and fed as packets.

The scene is drawn straight into YUV 4:2:0 planes (a precomputed background copied each
frame, a few filled rectangles and two lines of text), so no colour conversion runs per
frame; the encoder (ultrafast, zerolatency, one thread) is the main cost.
"""

from __future__ import annotations

import math
import random
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import av
import cv2
import numpy
import numpy.typing as npt
from av.video.codeccontext import VideoCodecContext

from commandroom.video.errors import ExpectedFailure
from commandroom.video.hw_decode import StreamDecoder
from commandroom.video.packet_sources import SegmentInfo, SourcePacket
from commandroom.video.state import DelaySource

Plane = npt.NDArray[numpy.uint8]
Colour = tuple[int, int, int]  # B, G, R


class DemoUrlError(ExpectedFailure, ValueError):
    """A demo:// URL with a bad parameter; the message names it."""


@dataclass(frozen=True)
class DemoParams:
    name: str
    width: int = 640
    height: int = 360
    fps: int = 25
    label: str = ""
    gop_s: float = 2.0

    @classmethod
    def parse(cls, url: str) -> DemoParams:
        """``demo://<name>?w=640&h=360&fps=25&label=...&gop=2``; bad values say which."""
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        name = unquote(parts.netloc + parts.path).strip("/") or "demo"

        def number(key: str, default: float, low: float, high: float) -> float:
            raw = query.get(key)
            if raw is None:
                return default
            try:
                value = float(raw)
            except ValueError:
                raise DemoUrlError(f"demo source: {key}={raw!r} is not a number") from None
            if not low <= value <= high:
                raise DemoUrlError(f"demo source: {key}={raw} is outside {low:g}..{high:g}")
            return value

        def even(value: float) -> int:  # 4:2:0 needs even sizes
            return int(value) // 2 * 2

        return cls(
            name=name,
            width=even(number("w", 640, 32, 3840)),
            height=even(number("h", 360, 32, 2160)),
            fps=int(number("fps", 25, 1, 60)),
            label=query.get("label", name),
            gop_s=number("gop", 2.0, 0.04, 10.0),
        )


def ascii_label(text: str) -> str:
    """cv2 draws ASCII only: keep what it can draw, mark the rest (the UI shows the name)."""
    kept = "".join(c if 32 <= ord(c) < 127 else "?" for c in text)
    return kept if kept.strip("? ") else "CAMERA"


class JunctionScene:
    """Renders frame n of a road junction into an I420 buffer (h*3/2, w)."""

    def __init__(self, params: DemoParams) -> None:
        self.w, self.h = params.width, params.height
        self.fps = params.fps
        self.label = ascii_label(params.label)
        self.bar_h = max(16, self.h // 11) // 2 * 2
        # Each junction looks different (a seed from its name), so four demo tiles are
        # four places, not one picture four times.
        self.rng = random.Random(zlib.crc32(params.name.encode("utf-8")))
        self.road_y = self.rng.uniform(0.36, 0.48)
        self.road_x = self.rng.uniform(0.30, 0.56)
        self.speed = self.rng.uniform(0.7, 1.4)
        self.background: Plane = numpy.asarray(
            cv2.cvtColor(self._draw_background(), cv2.COLOR_BGR2YUV_I420), numpy.uint8
        )
        self.buffer = numpy.empty_like(self.background)
        w, h = self.w, self.h
        flat = self.buffer.reshape(-1)
        self.y = flat[: w * h].reshape(h, w)
        self.u = flat[w * h : w * h * 5 // 4].reshape(h // 2, w // 2)
        self.v = flat[w * h * 5 // 4 :].reshape(h // 2, w // 2)
        self.thickness = max(1, self.bar_h // 16)
        # The clock and the label share the top bar: scale the font so both fit with a
        # gap. Measured at the scale used (the stroke does not scale with it) and with the
        # widest digits: measured once at 1.0 the clock ran into the label at 1280 px.
        font = cv2.FONT_HERSHEY_SIMPLEX
        sample = "2026-12-28 20:08:08.888"
        room = self.w - 12 - self.bar_h // 4  # 6 px margins, a quarter bar between
        self.font_scale = self.bar_h / 30.0
        while self.font_scale > 0.2:
            (cw, _), _ = cv2.getTextSize(sample, font, self.font_scale, self.thickness)
            (lw, _), _ = cv2.getTextSize(self.label, font, self.font_scale, self.thickness)
            if cw + lw <= room:
                break
            self.font_scale *= 0.95
        # (colour as Y,U,V; size w,h; path function of t -> x,y)
        self.movers = self._movers()

    def _draw_background(self) -> Plane:
        w, h = self.w, self.h
        img = numpy.empty((h, w, 3), numpy.uint8)
        rng = self.rng
        img[:] = (rng.randint(55, 85), rng.randint(105, 135), rng.randint(55, 85))  # grass
        road_y0, road_y1 = int(h * self.road_y), int(h * (self.road_y + 0.24))
        road_x0, road_x1 = int(w * self.road_x), int(w * (self.road_x + 0.16))
        img[road_y0:road_y1, :] = (78, 78, 78)
        img[:, road_x0:road_x1] = (78, 78, 78)
        blocks = [(0.03, self.road_y - 0.28, self.road_x - 0.06),
                  (self.road_x + 0.19, self.road_y - 0.28, 0.97 - self.road_x - 0.19),
                  (0.03, self.road_y + 0.30, self.road_x - 0.06),
                  (self.road_x + 0.19, self.road_y + 0.30, 0.97 - self.road_x - 0.19)]
        for bx, by, bw in blocks:
            for _ in range(rng.randint(1, 3)):  # a few buildings per block
                x0 = bx + rng.uniform(0, max(0.01, bw * 0.5))
                x1 = min(bx + bw, x0 + rng.uniform(0.08, 0.22))
                y0 = max(0.12, by + rng.uniform(0, 0.06))
                y1 = min(0.86, y0 + rng.uniform(0.10, 0.20))
                colour = (rng.randint(70, 190), rng.randint(70, 170), rng.randint(70, 190))
                cv2.rectangle(img, (int(w * x0), int(h * y0)), (int(w * x1), int(h * y1)),
                              colour, -1)
        mid = (road_y0 + road_y1) // 2
        for x in range(0, w, max(8, w // 16)):  # dashed centre line
            if not road_x0 - 4 < x < road_x1:
                cv2.line(img, (x, mid), (x + w // 40, mid), (220, 220, 220), max(1, h // 180))
        stripe = max(3, w // 90)
        for x in range(road_x0, road_x1, stripe * 2):  # zebra crossing
            cv2.rectangle(
                img, (x, road_y0 - h // 14), (x + stripe, road_y0 - 2), (235, 235, 235), -1
            )
        img[: self.bar_h] = (0, 0, 0)
        return img

    def _yuv(self, bgr: Colour) -> tuple[int, int, int]:
        patch = numpy.empty((2, 2, 3), numpy.uint8)
        patch[:] = bgr
        i420 = cv2.cvtColor(patch, cv2.COLOR_BGR2YUV_I420).reshape(-1)
        return int(i420[0]), int(i420[4]), int(i420[5])

    def _movers(self) -> list[tuple[tuple[int, int, int], int, int, float, float, float, float]]:
        w, h = self.w, self.h
        road_y0, road_y1 = h * self.road_y, h * (self.road_y + 0.24)
        road_x0 = w * self.road_x
        car_w, car_h = int(w * 0.09), int(h * 0.07)
        movers = []
        # (colour, width, height, x0, y0, vx px/s, vy px/s); positions wrap around the frame
        specs: list[tuple[Colour, int, int, float, float, float, float]] = [
            ((40, 40, 200), car_w, car_h, 0, road_y1 - car_h * 1.5, w * 0.22, 0),
            ((200, 160, 40), car_w, car_h, w * 0.6, road_y1 - car_h * 1.5, w * 0.15, 0),
            ((230, 230, 230), car_w, car_h, w, road_y0 + car_h * 0.5, -w * 0.18, 0),
            ((40, 200, 220), car_h, car_w, road_x0 + w * 0.02, 0, 0, h * 0.2),
            ((60, 60, 60), car_h, car_w, road_x0 + w * 0.09, h, 0, -h * 0.14),
            ((30, 140, 250), max(4, w // 90), max(6, h // 30), road_x0, road_y0 - h * 0.05,
             w * 0.03, 0),
            ((200, 80, 160), max(4, w // 90), max(6, h // 30), road_x0 + w * 0.1,
             road_y0 - h * 0.07, -w * 0.025, 0),
        ]
        for colour, mw, mh, x0, y0, vx, vy in specs:
            s = self.speed * self.rng.uniform(0.8, 1.25)
            movers.append((self._yuv(colour), mw // 2 * 2, mh // 2 * 2, x0, y0, vx * s, vy * s))
        return movers

    def render(self, n: int, wall: float) -> Plane:
        """Frame ``n`` with ``wall`` (wall-clock seconds) burned in to the millisecond."""
        self.buffer[:] = self.background
        t = n / self.fps
        w, h = self.w, self.h
        for (cy, cu, cv), mw, mh, x0, y0, vx, vy in self.movers:
            x = int((x0 + vx * t) % (w + mw)) - mw
            y = int((y0 + vy * t) % (h + mh)) - mh if vy else int(y0)
            if vy == 0 and vx:
                y += int(2 * math.sin(t * 3 + x0))  # a little wobble: pedestrians, suspension
            x, y = x // 2 * 2, y // 2 * 2
            x0c, y0c = max(0, x), max(self.bar_h, y)
            x1c, y1c = min(w, x + mw), min(h, y + mh)
            if x1c <= x0c or y1c <= y0c:
                continue
            self.y[y0c:y1c, x0c:x1c] = cy
            self.u[y0c // 2 : y1c // 2, x0c // 2 : x1c // 2] = cu
            self.v[y0c // 2 : y1c // 2, x0c // 2 : x1c // 2] = cv
        local = time.localtime(wall)
        clock = time.strftime("%Y-%m-%d %H:%M:%S", local) + f".{int(wall * 1000) % 1000:03d}"
        baseline = self.bar_h - max(3, self.bar_h // 4)
        font = cv2.FONT_HERSHEY_SIMPLEX
        # As cameras do: the time on the left, the camera's name on the right.
        cv2.putText(self.y, clock, (6, baseline), font, self.font_scale, 235,
                    self.thickness, cv2.LINE_8)
        (tw, _), _ = cv2.getTextSize(self.label, font, self.font_scale, self.thickness)
        cv2.putText(self.y, self.label, (w - tw - 6, baseline), font, self.font_scale, 235,
                    self.thickness, cv2.LINE_8)
        return self.buffer


class DemoSource:
    """A PacketSource: renders and encodes at real-time pace in the reader's thread."""

    def __init__(self, url: str, stop: threading.Event, hw_decode: str = "off") -> None:
        self.params = DemoParams.parse(url)
        self._stop = stop
        p = self.params
        self.scene = JunctionScene(p)
        encoder = av.CodecContext.create("libx264", "w")
        assert isinstance(encoder, VideoCodecContext)
        encoder.width, encoder.height = p.width, p.height
        encoder.pix_fmt = "yuv420p"
        encoder.time_base = Fraction(1, p.fps)
        encoder.framerate = Fraction(p.fps)
        encoder.gop_size = max(1, round(p.gop_s * p.fps))
        encoder.max_b_frames = 0
        encoder.thread_count = 1  # one thread per demo camera: cheap and predictable
        encoder.options = {"preset": "ultrafast", "tune": "zerolatency"}
        self.encoder = encoder
        # Decoded like a camera's stream: in hardware where the machine offers it.
        self.stream_decoder = StreamDecoder("h264", None, hw_decode)
        self.decoder: VideoCodecContext = self.stream_decoder.context
        self.info = SegmentInfo(
            codec="h264",
            width=p.width,
            height=p.height,
            time_base=Fraction(1, p.fps),
            rate=Fraction(p.fps),
            extradata=None,  # SPS/PPS travel in-band before every keyframe
        )

    skips_parser = False  # its encoder hands out whole frames; no parser involved
    delay_source = DelaySource.LOCAL  # rendered here: there is no network to be late on

    def packets(self) -> Iterator[SourcePacket]:
        period = 1.0 / self.params.fps
        start = time.monotonic()
        epoch = time.time()  # frame n is due at epoch + n * period (its pts, wall clock)
        n = 0
        while True:
            delay = start + n * period - time.monotonic()
            if delay < -1.0:  # we were starved (busy machine): skip ahead, never burst;
                # frames are skipped, not time, so timestamps keep following the clock.
                n = int((time.monotonic() - start) / period)
                delay = 0.0
            if delay > 0 and self._stop.wait(delay):
                return
            if self._stop.is_set():
                return
            wall = time.time()
            # Burn in when the frame is due, as a camera burns in its capture time: a frame
            # a busy machine renders late still says where it belongs, which is also the
            # time its pts gives it in the recording (replayed tiles are compared by it).
            image = self.scene.render(n, epoch + n * period)
            frame = av.VideoFrame.from_ndarray(image, format="yuv420p")
            frame.pts = n
            frame.time_base = self.encoder.time_base
            for packet in self.encoder.encode(frame):
                packet.time_base = self.encoder.time_base
                yield SourcePacket.whole(packet, wall)
            n += 1

    def abort(self) -> None:
        pass  # packets() waits on the reader's stop event, which stop() sets

    def sender_epoch(self) -> float | None:
        return None

    def key_packet(self, packet: av.Packet[Any]) -> bool:
        return bool(packet.is_keyframe)

    def decode_whole_frames(self) -> bool:
        return False

    def software_after(self, error: Exception) -> None:
        self.decoder = self.stream_decoder.to_software(error)

    def close(self) -> None:
        # Nothing holds OS resources; the codec contexts free themselves.
        pass
