"""GUI figures: N painted tiles (ui.video.tile.VideoTile) fed by StreamHub.

Prints figures, asserts nothing. Run from the repo root:

    .venv/bin/python -m bench.bench_ui                        # offscreen, N = 1, 4, 9, 16
    xvfb-run -s "-screen 0 1920x1080x24" .venv/bin/python -m bench.bench_ui --platform xcb
    ... --platform xcb --path gl      # the GPU path (one GL surface under the tiles)

Figures:
  (1) CPU of the process showing N tiles (decode + scale + paint), beside the CPU of N
      `ffmpeg -f null` decoders, and the test server's own CPU;
  (3) glass-to-glass as painted: one 640x360 tile on the /barcode mount (the server
      writes time.time() in ms into each frame when it makes it, before encoding); when
      VideoTile.paintEvent has drawn a new frame, the barcode is read from the very image
      it blitted and subtracted from the wall clock. The flush to the screen follows in
      the same event-loop pass. Paced by the same 30 Hz pump as the app.
  (4) GUI event-loop lag: a precise 10 ms QTimer records how late each tick fires; the
      p99 of that lateness is how long the GUI thread was busy in one go (painting).
  (5) with --path gl: the GL surface's upload + draw time per paintGL (all tiles), ms.
      Under Xvfb that is Mesa llvmpipe, the shader running on the CPU: an upper bound.

The pump mirrors ui.video.pump.FramePump.tick (one timer at paint_hz; repaint only tiles
with a new frame or state) without the grid/camera-registry plumbing around it.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from typing import Any

from bench.bench_engine import grid_tile, run_ffmpeg
from bench.procstat import CpuWindow, machine_busy_percent, process_tree
from bench.qt_loop import LagProbe
from bench.qt_loop import spin as spin_loop
from commandroom.cameras.registry import Camera
from commandroom.config import VideoSettings
from commandroom.video.hub import StreamHub
from commandroom.video.stream_spec import StreamSpec
from tests.support.rtsp import RtspTestServer, ensure_test_clip


def run_point(
    app: Any, server: RtspTestServer, n: int, seconds: float, warmup: float,
    settings: VideoSettings, path: str = "cpu",
) -> dict[str, Any]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QGridLayout, QWidget

    from ui.video.tile import VideoTile

    window = QWidget()
    window.resize(*grid_tile(1))  # a 1920x1080 wall
    layout = QGridLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    cols = math.ceil(math.sqrt(n))
    tiles: list[VideoTile] = []
    for i in range(n):
        tile = VideoTile(i, window)
        layout.addWidget(tile, i // cols, i % cols)
        tiles.append(tile)
    surface: Any = None
    if path == "gl":  # as VideoGrid does on the GPU path
        from ui.video.gl_surface import GlVideoSurface

        surface = GlVideoSurface(window, tiles)
        surface.setGeometry(window.rect())
        surface.lower()
        for tile in tiles:
            tile.set_gl_video(True, "GL")
    window.show()
    app.processEvents()
    if surface is not None:
        surface.setGeometry(window.rect())

    hub = StreamHub(settings)
    handles: list[Any] = []
    repaints = 0
    try:
        for i, tile in enumerate(tiles, start=1):
            url = server.url(f"clip{i}")
            tile.camera = Camera(id=i, name=f"Bench {i}", main_url=url, junction="bench")
            tile.handle = hub.subscribe(StreamSpec(url), tile.pixel_size())
            tile.handle.set_planes(surface is not None)
            handles.append(tile.handle)

        def pump() -> None:
            nonlocal repaints
            video = False
            for tile in tiles:
                if tile.isVisible() and tile.needs_repaint():
                    tile.update()
                    repaints += 1
                    video = True
            if video and surface is not None:
                surface.update()

        pump_timer = QTimer()
        pump_timer.setInterval(max(5, int(1000 / settings.paint_hz)))
        pump_timer.timeout.connect(pump)
        pump_timer.start()

        probe = LagProbe()

        def spin(duration: float) -> None:
            spin_loop(app, duration)

        open_deadline = time.monotonic() + 60
        while any(h.slot.seq == 0 for h in handles) and time.monotonic() < open_deadline:
            spin(0.05)
        spin(warmup)
        seq0 = [h.slot.seq for h in handles]
        painted0 = repaints
        # The app's process and its reader workers (--processes), not the test server.
        cpu = CpuWindow(list(process_tree("self", exclude=[server.pid or 0]))).start()
        srv = CpuWindow([server.pid or 0]).start()
        probe.record()
        t0 = time.monotonic()
        spin(seconds)
        elapsed = time.monotonic() - t0
        result_lag = probe.stop()
        result = {
            "n": n, "tile": tiles[-1].pixel_size(), "app_cpu_pct": cpu.stop(),
            "server_cpu_pct": srv.stop(),
            "fps_min": min(
                (h.slot.seq - s) / elapsed for h, s in zip(handles, seq0, strict=True)
            ),
            "repaints_per_s": (repaints - painted0) / elapsed,
        }
        if surface is not None:
            if surface.broken:
                raise RuntimeError("the GL path failed: see the log")
            draws = sorted(surface.upload_draw_ms)
            result["gl_ms_p50"] = statistics.median(draws)
            result["gl_ms_p90"] = draws[int(0.9 * (len(draws) - 1))]
        result.update(result_lag)
        pump_timer.stop()
        return result
    finally:
        for tile in tiles:
            tile.handle = None
        hub.close()
        window.close()
        window.deleteLater()
        app.processEvents()


def run_painted_latency(
    app: Any, server: RtspTestServer, seconds: float, warmup: float, settings: VideoSettings
) -> dict[str, Any]:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QPaintEvent

    from tests.support.barcode import decode_ms
    from ui.video.tile import VideoTile

    samples: list[float] = []
    recording = [False]

    class MeasuredTile(VideoTile):
        def paintEvent(self, event: QPaintEvent) -> None:
            before = self.painted_seq
            super().paintEvent(event)
            frame = self.current_frame()
            if recording[0] and frame is not None and frame.seq != before:
                latency = time.time() * 1000 - decode_ms(frame.image)
                if 0 <= latency < 10_000:
                    samples.append(latency)

    tile = MeasuredTile(0)
    tile.resize(640, 360)
    tile.show()
    app.processEvents()
    hub = StreamHub(settings)
    try:
        url = server.url("barcode")
        tile.camera = Camera(id=1, name="Barcode", main_url=url, junction="bench")
        tile.handle = hub.subscribe(StreamSpec(url), tile.pixel_size())

        def pump() -> None:
            if tile.needs_repaint():
                tile.update()

        timer = QTimer()
        timer.setInterval(max(5, int(1000 / settings.paint_hz)))
        timer.timeout.connect(pump)
        timer.start()
        end = time.monotonic() + warmup + seconds
        while time.monotonic() < end:
            recording[0] = time.monotonic() > end - seconds
            app.processEvents()
            time.sleep(0.001)
        timer.stop()
    finally:
        tile.handle = None
        hub.close()
        tile.close()
        tile.deleteLater()
        app.processEvents()
    ordered = sorted(samples)
    if not ordered:
        return {"n": 0}
    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "p90": ordered[int(0.9 * (len(ordered) - 1))],
        "p99": ordered[int(0.99 * (len(ordered) - 1))],
        "min": ordered[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Painted-tile figures (Qt).")
    parser.add_argument("--points", default="1,4,9,16")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--platform", default="offscreen", help="Qt platform: offscreen|xcb")
    parser.add_argument("--path", choices=("cpu", "gl"), default="cpu",
                        help="video path: CPU blit or the GL surface (needs --platform xcb)")
    parser.add_argument("--no-ffmpeg", action="store_true", help="skip the ffmpeg floor")
    parser.add_argument("--no-latency", action="store_true", help="skip figure (3)")
    parser.add_argument("--paint-hz", type=int, default=None,
                        help="override VideoSettings.paint_hz (the pump's rate)")
    parser.add_argument("--processes", type=int, default=0,
                        help="readers in N worker processes (VideoSettings.reader_processes)")
    parser.add_argument("--reader-nice", type=int, default=VideoSettings().reader_nice,
                        help="the workers' nice (VideoSettings.reader_nice)")
    parser.add_argument("--low-latency-max-streams", type=int, default=None,
                        help="override VideoSettings.low_latency_max_streams (0: parser)")
    args = parser.parse_args(argv)
    os.environ["QT_QPA_PLATFORM"] = args.platform
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    points = [int(x) for x in args.points.split(",") if x]
    settings = VideoSettings(open_timeout_s=10.0)
    if args.paint_hz is not None:
        settings.paint_hz = args.paint_hz
    if args.low_latency_max_streams is not None:
        settings.low_latency_max_streams = args.low_latency_max_streams
    settings.reader_processes = args.processes
    settings.reader_nice = args.reader_nice
    print(f"Qt platform {args.platform}; machine CPU busy before start: "
          f"{machine_busy_percent(1.0):.0f}% (of 100% per core)")
    print(f"{'N':>3} {'tile':>9} {'app':>7} {'ffmpeg':>7} {'ratio':>6} {'server':>7} "
          f"{'fps min':>7} {'paint/s':>7} {'lag p50':>7} {'lag p99':>7} {'lag max':>7}")
    with RtspTestServer(live_mounts=0, clip=ensure_test_clip(), clip_mounts=max(points)) as srv:
        if not args.no_latency:
            lat = run_painted_latency(app, srv, args.seconds, args.warmup, settings)
            print(f"(3) glass-to-glass as painted, {settings.paint_hz} Hz pump: "
                  + (f"median {lat['median']:.0f} ms, p90 {lat['p90']:.0f}, "
                     f"p99 {lat['p99']:.0f}, min {lat['min']:.0f} (n={lat['n']})"
                     if lat["n"] else "no readable frame"), flush=True)
        for n in points:
            r = run_point(app, srv, n, args.seconds, args.warmup, settings, args.path)
            floor = (
                {"ffmpeg_cpu_pct": float("nan")} if args.no_ffmpeg
                else run_ffmpeg(srv, n, args.seconds, args.warmup)
            )
            ratio = r["app_cpu_pct"] / max(floor["ffmpeg_cpu_pct"], 0.1)
            print(f"{n:>3} {'x'.join(map(str, r['tile'])):>9} {r['app_cpu_pct']:>6.1f}% "
                  f"{floor['ffmpeg_cpu_pct']:>6.1f}% {ratio:>5.2f}x {r['server_cpu_pct']:>6.1f}% "
                  f"{r['fps_min']:>7.1f} {r['repaints_per_s']:>7.0f} {r['lag_p50_ms']:>6.1f} "
                  f"{r['lag_p99_ms']:>6.1f} {r['lag_max_ms']:>6.1f}"
                  + (f"  GL upload+draw p50 {r['gl_ms_p50']:.1f} ms, p90 {r['gl_ms_p90']:.1f}"
                     if "gl_ms_p50" in r else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
