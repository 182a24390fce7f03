"""Big-wall figures (issue 18, build item 4): the wall window at 3840x2160, layout "4+20",
4 big tiles on 1080p main streams and 16 small tiles on 640x360 sub streams.

Prints figures, asserts nothing. Needs an X screen of 3840x2160; from the repo root:

    xvfb-run -a -s "-screen 0 3840x2160x24" .venv/bin/python -m bench.bench_big_wall

The window is the app's own wall window (ui/wall/window.py) around a VideoGrid, painted by
the app's FramePump; the grid chooses main or sub stream per tile as in the app (tiles at
least VideoSettings.main_stream_min_width wide get the main stream). Every camera has both
streams (/mainN 1920x1080 2 Mbit/s, /clipN 640x360), so a wrong choice would show.

Figures, per tile class (big = main 1080p, small = sub): decoded fps (frames published by
the reader) and painted fps (new pictures the tile drew), min and median; the process's
CPU (% of one core; with --processes its reader workers are added); the floor: the same
streams decoded by as many `ffmpeg -f null` processes (4 on the 1080p mounts, the rest on
the sub mounts), measured in the same run after the app's part; GUI event-loop lag p50/p99
(how late a precise 10 ms timer fires: how long the GUI thread was busy in one go).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from typing import Any

from bench.bench_engine import run_ffmpeg_mounts
from bench.procstat import CpuWindow, machine_busy_percent
from commandroom.cameras.layouts import BIG_WALL, LayoutState, spec_for
from commandroom.cameras.registry import Camera
from commandroom.config import VideoSettings
from commandroom.video.hub import StreamHub
from commandroom.video.stream_spec import StreamSpec
from tests.support.rtsp import MAIN_CLIP_SECONDS, RtspTestServer, ensure_main_clip, ensure_test_clip

PROBE_MS = 10
BIG = 4  # the preset's big tiles come first


def _spin(app: Any, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)  # processEvents returns at once when idle


def _wait(app: Any, predicate: Any, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        _spin(app, 0.02)
    return False


def _classes(values: list[float]) -> dict[str, float]:
    big, small = values[:BIG], values[BIG:]
    return {"big_min": min(big), "big_median": statistics.median(big),
            "small_min": min(small), "small_median": statistics.median(small)}


def run_app(app: Any, server: RtspTestServer, subs: int, seconds: float, warmup: float,
            settings: VideoSettings) -> dict[str, Any]:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QGuiApplication

    from ui.video.grid import VideoGrid
    from ui.video.pump import FramePump
    from ui.wall.window import WallWindow

    count = BIG + subs
    cameras = {i: Camera(id=i, name=f"Junction {i:02d}", junction=f"J{i:02d}",
                         main_url=server.url(f"main{i}"), sub_url=server.url(f"clip{i}"))
               for i in range(1, count + 1)}
    hub = StreamHub(settings)

    def open_stream(camera: Camera, size: tuple[int, int], main: bool) -> Any:
        return hub.subscribe(StreamSpec(camera.main_url if main else camera.sub_url), size)

    grid = VideoGrid(open_stream, cameras.get, settings.main_stream_min_width)
    window = WallWindow(grid, 1.6, True)
    screen = QGuiApplication.primaryScreen().geometry()
    window.setGeometry(screen)
    window.showFullScreen()
    pump = FramePump(settings.paint_hz)
    pump.add(grid)
    size = spec_for(BIG_WALL).size
    grid.apply_state(LayoutState(grid=BIG_WALL,
                                 cameras=[*cameras, *[None] * size][:size]))
    pump.start()
    tiles = [t for t in grid.tiles if t.camera is not None]
    lateness: list[float] = []
    paints = [0] * count
    last_seq = [t.painted_seq for t in tiles]
    last = [time.perf_counter()]
    recording = [False]

    def probe() -> None:
        now = time.perf_counter()
        if recording[0]:
            lateness.append(max(0.0, (now - last[0]) * 1000 - PROBE_MS))
            for i, tile in enumerate(tiles):
                if tile.painted_seq != last_seq[i]:
                    paints[i] += 1
        last_seq[:] = [t.painted_seq for t in tiles]
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(probe)
    timer.start()
    try:
        t0 = time.monotonic()
        settled = _wait(app, lambda: all(t.painted_seq > 0 and t.pending is None for t in tiles)
                        and hub.reader_count() == count, 60)
        settle_s = time.monotonic() - t0
        _spin(app, warmup)
        seq0 = [t.handle.slot.seq if t.handle else 0 for t in tiles]
        pool = hub.worker_pool
        cpu = CpuWindow(["self", *[p for p in (pool.pids() if pool else []) if p]]).start()
        srv = CpuWindow([server.pid or 0]).start()
        recording[0] = True
        last[0] = time.perf_counter()
        start = time.monotonic()
        _spin(app, seconds)
        elapsed = time.monotonic() - start
        recording[0] = False
        decoded = [((t.handle.slot.seq if t.handle else 0) - s) / elapsed
                   for t, s in zip(tiles, seq0, strict=True)]
        ordered = sorted(lateness) or [0.0]
        return {
            "settled": settled, "settle_s": settle_s, "app_cpu_pct": cpu.stop(),
            "server_cpu_pct": srv.stop(), "path": grid.video_path.name,
            "window": (window.width(), window.height()),
            "big_tile": tiles[0].pixel_size(), "small_tile": tiles[-1].pixel_size(),
            "urls_ok": all(t.handle is not None and t.handle.spec.url == (
                t.camera.main_url if grid._wants_main(t) else t.camera.sub_url)
                for t in tiles if t.camera is not None),
            "decoded": _classes(decoded), "painted": _classes([p / elapsed for p in paints]),
            "lag_p50_ms": statistics.median(ordered),
            "lag_p99_ms": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
            "lag_max_ms": ordered[-1],
        }
    finally:
        timer.stop()
        pump.stop()
        grid.release_all()
        hub.close()
        window.shutting_down = True
        window.close()
        window.deleteLater()
        app.processEvents()


def run_floor(server: RtspTestServer, subs: int, seconds: float, warmup: float,
              all_sub: bool = False) -> dict[str, Any]:
    """The same streams through stock `ffmpeg -f null` decoders, one process each."""
    mounts = [f"clip{i}" if all_sub else f"main{i}" for i in range(1, BIG + 1)]
    mounts += [f"clip{i}" for i in range(BIG + 1, BIG + subs + 1)]
    floor = run_ffmpeg_mounts(server, mounts, seconds, warmup)
    return {"ffmpeg_cpu_pct": floor["ffmpeg_cpu_pct"], "server_cpu_pct": floor["server_cpu_pct"],
            "alive": floor["ffmpeg_alive"], "decoded": _classes(floor["fps"])}


def _fps(figures: dict[str, float]) -> str:
    return (f"big {figures['big_min']:.1f}/{figures['big_median']:.1f}, "
            f"small {figures['small_min']:.1f}/{figures['small_median']:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Big-wall figures: 4 main 1080p + N sub tiles.")
    parser.add_argument("--subs", type=int, default=16, help="small tiles with a camera (<= 20)")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--processes", type=int, default=0,
                        help="reader worker processes (VideoSettings.reader_processes)")
    parser.add_argument("--no-ffmpeg", action="store_true", help="skip the ffmpeg floor")
    parser.add_argument("--all-sub", action="store_true",
                        help="big tiles on sub streams too (what the main streams cost)")
    parser.add_argument("--switch-interval", type=float, default=None,
                        help="sys.setswitchinterval (s): how long the GUI thread may wait "
                             "for the GIL per hand-over (Python's default 0.005)")
    args = parser.parse_args(argv)
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval)
    if not 1 <= args.subs <= spec_for(BIG_WALL).size - BIG:
        parser.error("--subs: 1 to 20")
    from PySide6.QtWidgets import QApplication

    from ui.theme import apply_dark_theme

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(
        ["bench_big_wall", "-platform", "xcb"])
    apply_dark_theme(app)
    screen = app.primaryScreen().geometry()
    settings = VideoSettings(open_timeout_s=10.0, reader_processes=args.processes)
    if args.all_sub:
        settings.main_stream_min_width = 1 << 20
    # The clip is not looped: a session (opening, warm-up, measure) must end within it. The
    # floor's sessions start it again (a shared media is dropped when its last client goes).
    needed = args.seconds + args.warmup + 25
    clip_s = MAIN_CLIP_SECONDS if needed <= MAIN_CLIP_SECONDS else 20 * math.ceil(needed / 20)
    print(f"screen {screen.width()}x{screen.height()}; 4 main 1080p + {args.subs} sub tiles; "
          f"machine CPU busy before start: {machine_busy_percent(1.0):.0f}% (100% per core)")
    count = BIG + args.subs
    with RtspTestServer(live_mounts=0, clip=ensure_test_clip(), clip_mounts=count,
                        main_clip=ensure_main_clip(clip_s), main_clip_mounts=count) as server:
        r = run_app(app, server, args.subs, args.seconds, args.warmup, settings)
        print(f"app: {r['path']} path, window {r['window'][0]}x{r['window'][1]}, big tile "
              f"{r['big_tile'][0]}x{r['big_tile'][1]}, small {r['small_tile'][0]}x"
              f"{r['small_tile'][1]}; streams as chosen: {r['urls_ok']}; all live and "
              f"settled: {r['settled']} in {r['settle_s']:.1f} s")
        print(f"  decoded fps min/median: {_fps(r['decoded'])}")
        print(f"  painted fps min/median: {_fps(r['painted'])}")
        print(f"  app CPU {r['app_cpu_pct']:.0f}% (server {r['server_cpu_pct']:.0f}%); GUI lag "
              f"p50 {r['lag_p50_ms']:.1f} ms, p99 {r['lag_p99_ms']:.1f}, max "
              f"{r['lag_max_ms']:.0f}", flush=True)
        if not args.no_ffmpeg:
            f = run_floor(server, args.subs, args.seconds, args.warmup, args.all_sub)
            ratio = r["app_cpu_pct"] / max(f["ffmpeg_cpu_pct"], 0.1)
            print(f"floor: {count} ffmpeg -f null ({f['alive']} alive), CPU "
                  f"{f['ffmpeg_cpu_pct']:.0f}% (server {f['server_cpu_pct']:.0f}%), decoded fps "
                  f"min/median: {_fps(f['decoded'])}")
            print(f"ratio app / floor: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
