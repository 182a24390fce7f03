"""How close to the floor a native CPU path could come: the floor with the app's conversion.

Issue 18 asks 16 painted tiles on the CPU path to cost ≤ 1.6× the floor (N stock
``ffmpeg -f null`` decoders). The app's CPU path does more than the floor by its nature: it
scales each 640×360 frame to the tile and converts it to BGRA (swscale, two steps:
publish.py), hands it to the GUI process and paints it. This bench measures the first part
black-box, with no Python at all: the same N ffmpeg processes, on the same RTSP mounts, each
also running the app's scale and conversion as an FFmpeg filter graph. Its ratio to the plain
floor is what a fully native reader would cost before a single pixel reaches the screen.

Prints figures, asserts nothing. Rounds alternate plain / converting, so drift in the
machine's load falls on both alike. Run from the repo root:

    .venv/bin/python -m bench.bench_native_bound                    # 16 streams, 3 rounds
    .venv/bin/python -m bench.bench_native_bound --points 9,16 --rounds 2 --seconds 20

With ``--paint DISPLAY`` each round also runs a third variant: the same processes painting
every converted frame into their own window at their tile of the grid, through SDL's
software renderer (``-f sdl2``, ``SDL_RENDER_DRIVER=software``: a BGRA blit into an X
window by MIT-SHM, as Qt's xcb backing store does). That is a fully native reader and
painter, with no Python and no hand-over between processes: what the app's CPU path
would cost if nothing of it ran in Python.

    xvfb-run -n 97 -s "-screen 0 1920x1080x24" .venv/bin/python -m bench.bench_native_bound \
        --paint "$DISPLAY"    # or Xvfb :97 beside it and --paint :97

Also printed (``--in-process``, default on): the per-frame CPU of the same steps through the
app's own FFmpeg (PyAV's, usually a newer one than the system's ``ffmpeg``) on the test clip,
one thread, no network: decoding, the two-step conversion, and the copy into a slot.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from bench.bench_engine import grid_tile, run_ffmpeg_mounts
from bench.procstat import machine_busy_percent
from commandroom.video.publish import fit_size
from tests.support.rtsp import RtspTestServer, ensure_test_clip

CLIP_SIZE = (640, 360)  # scripts/make_test_clip.sh


def conversion_filter(width: int, height: int) -> str:
    """The app's CPU path as a filter graph: scale the 4:2:0 planes with AREA, then convert
    unscaled to BGRA (publish.FramePublisher._bgra's two swscale steps)."""
    return (f"scale={width}:{height}:flags=area,format=yuv420p,"
            "scale=flags=area,format=bgra")


def paint_filter(width: int, height: int) -> str:
    """The conversion to BGRX instead of BGRA: the same swscale work, but SDL blends a
    texture with alpha on every blit, where Qt paints the app's frame (RGB32) opaque."""
    return conversion_filter(width, height).removesuffix("bgra") + "bgr0"


def frame_size(n: int) -> tuple[int, int]:
    """The picture the app converts to on a tile of N in a 1920x1080 grid: the tile less
    its 1 px border, the clip's 16:9 fitted inside (640x360 -> 476x268 at 16)."""
    width, height = grid_tile(n)
    return fit_size(CLIP_SIZE, (width - 2, height - 2))


def sdl_window(n: int, width: int, height: int) -> Callable[[int], tuple[str, ...]]:
    """The i-th process's output: an SDL window of the converted frame's size, centred in
    its tile of the 1920x1080 grid of N (as the app centres the picture in a tile)."""
    tile_w, tile_h = grid_tile(n)
    cols = math.ceil(math.sqrt(n))

    def output(i: int) -> tuple[str, ...]:
        x = (i % cols) * tile_w + (tile_w - width) // 2
        y = (i // cols) * tile_h + (tile_h - height) // 2
        return ("-f", "sdl2", "-window_x", str(x), "-window_y", str(y),
                "-window_borderless", "1", f"tile{i + 1}")
    return output


def ffmpeg_version() -> str:
    out = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True, check=False)
    return out.stdout.split("\n", 1)[0].removeprefix("ffmpeg version ").split(" ")[0]


def in_process_costs(packets_wanted: int = 1500, kept: int = 100) -> dict[str, float]:
    """ms of CPU a frame for each step of the CPU path through PyAV, on one thread. Decoded
    frames are dropped as they come, and the conversion runs 10 times over ``kept`` of
    them: holding a thousand fresh frames would time the kernel's page faults instead."""
    import av
    import numpy
    from av.video.reformatter import VideoReformatter

    width, height = frame_size(16)
    with av.open(str(ensure_test_clip())) as container:
        stream = container.streams.video[0]
        packets = [p for _, p in zip(range(packets_wanted), container.demux(stream),
                                     strict=False) if p.size]
        extradata = stream.codec_context.extradata

    def decoder() -> av.VideoCodecContext:
        context = av.CodecContext.create("h264", "r")
        assert isinstance(context, av.VideoCodecContext)
        context.extradata = extradata
        context.thread_type = "SLICE"  # as hw_decode.StreamDecoder
        return context

    decoding = decoder()
    count = 0

    def decode() -> None:
        nonlocal count
        for packet in packets:
            count += len(decoding.decode(packet))
    costs = {"decode": _cpu_ms(decode, len(packets))}
    sampling = decoder()
    sample = [f for p in packets[:kept * 2] for f in sampling.decode(p)][-kept:]
    yuv, bgra = VideoReformatter(), VideoReformatter()
    out: list[av.VideoFrame] = []

    def convert() -> None:
        # Each result dropped before the next, as the reader does once it is in the slot.
        for _ in range(10):
            out.clear()
            for frame in sample:
                small = yuv.reformat(frame, width=width, height=height, format="yuv420p",
                                     interpolation="AREA", threads=1)
                out[:] = [bgra.reformat(small, format="bgra", threads=1)]
    convert()  # warm: swscale's contexts, the frames' pool
    costs["convert (two-step)"] = _cpu_ms(convert, 10 * len(sample))
    slot = numpy.empty((height, width * 4), numpy.uint8)

    def copy() -> None:
        plane = out[0].planes[0]
        rows = numpy.frombuffer(memoryview(plane), numpy.uint8)[: plane.line_size * height]
        frame = rows.reshape(height, plane.line_size)[:, : width * 4]
        for _ in range(10 * kept):
            slot[:] = frame
    costs["copy into a slot"] = _cpu_ms(copy, 10 * kept)
    costs["frames"] = float(count)
    return costs


def _cpu_ms(work: Callable[[], Any], count: int) -> float:
    before = resource.getrusage(resource.RUSAGE_SELF)
    work()
    after = resource.getrusage(resource.RUSAGE_SELF)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return used / max(count, 1) * 1000.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", default="16", help="stream counts, e.g. 9,16")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--no-in-process", action="store_true")
    parser.add_argument("--paint", metavar="DISPLAY", default="",
                        help="also paint each frame natively (SDL, software) on this X display")
    args = parser.parse_args()
    points = [int(x) for x in args.points.split(",") if x]
    print(f"system ffmpeg {ffmpeg_version()}; machine CPU busy before start: "
          f"{machine_busy_percent(1.0):.0f}% (of 100% per core)")
    if not args.no_in_process:
        import av
        costs = in_process_costs()
        print(f"in process, PyAV {av.__version__} (libavcodec "
              f"{'.'.join(map(str, av.library_versions['libavcodec']))}), "
              f"{costs.pop('frames'):.0f} frames of the test clip, ms CPU a frame: "
              + ", ".join(f"{k} {v:.3f}" for k, v in costs.items()), flush=True)
    paint_env = dict(os.environ, DISPLAY=args.paint, SDL_RENDER_DRIVER="software",
                     # Else SDL keeps the window surface as a GL texture (llvmpipe here).
                     SDL_FRAMEBUFFER_ACCELERATION="0")
    print(f"{'N':>3} {'tile':>9} {'round':>5} {'floor':>7} {'+convert':>8} {'ratio':>6} "
          + (f"{'+paint':>7} {'ratio':>6} " if args.paint else "")
          + f"{'fps min':>7} {'server':>7}")
    variants = ["convert", "paint"] if args.paint else ["convert"]
    ratios: dict[tuple[int, str], list[float]] = {(n, v): [] for n in points for v in variants}
    with RtspTestServer(live_mounts=0, clip=ensure_test_clip(),
                        clip_mounts=max(points)) as server:
        for round_no in range(1, args.rounds + 1):
            for n in points:
                width, height = frame_size(n)
                mounts = [f"clip{i}" for i in range(1, n + 1)]
                # One thread, as the app's swscale calls (threads=1): the filter graph's
                # slice threads would only add hand-overs.
                conversion = ("-filter_threads", "1", "-vf", conversion_filter(width, height))
                runs = {"plain": run_ffmpeg_mounts(server, mounts, args.seconds, args.warmup),
                        "convert": run_ffmpeg_mounts(server, mounts, args.seconds,
                                                     args.warmup, conversion)}
                if args.paint:
                    runs["paint"] = run_ffmpeg_mounts(
                        server, mounts, args.seconds, args.warmup,
                        ("-filter_threads", "1", "-vf", paint_filter(width, height)),
                        output=sdl_window(n, width, height), env=paint_env)
                floor = max(runs["plain"]["ffmpeg_cpu_pct"], 0.1)
                cells = []
                for variant in variants:
                    ratio = runs[variant]["ffmpeg_cpu_pct"] / floor
                    ratios[(n, variant)].append(ratio)
                    cells.append(f"{runs[variant]['ffmpeg_cpu_pct']:>7.1f}% {ratio:>5.2f}x")
                fps_min = min(min(run["fps"]) for run in runs.values())
                print(f"{n:>3} {width:>4}x{height:<4} {round_no:>5} {floor:>6.1f}% "
                      + " ".join(cells)
                      + f" {fps_min:>7.1f} {runs['convert']['server_cpu_pct']:>6.1f}%",
                      flush=True)
    words = {"convert": "with the app's conversion",
             "paint": "with the conversion and a native paint"}
    for (n, variant), values in ratios.items():
        print(f"N={n}: floor {words[variant]} ÷ floor, median of {len(values)}: "
              f"{statistics.median(values):.2f}x (range {min(values):.2f}-{max(values):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
