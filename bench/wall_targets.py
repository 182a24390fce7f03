"""Issue 18's painted targets: what ``python -m bench.bench_wall`` runs (its usage is there).

Imported only once the command runs, never by the reader workers: see bench_wall.py.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import socket
import statistics
import time
from pathlib import Path
from typing import Any

from bench.bench_engine import run_ffmpeg
from bench.figures import (
    RunFigures,
    Target,
    growth_fit,
    per_stream_mb,
    percentile,
    ratio_verdict,
    steady_window_s,
    verdict,
)
from bench.painted_wall import PaintedLatency, PaintedWall, tile_fps
from bench.procstat import CpuWindow, machine_busy_percent, process_tree, tree_memory_mb
from bench.qt_loop import LagProbe, spin, spin_until
from commandroom.config import VideoSettings
from commandroom.startup_heap import freeze_startup_objects
from commandroom.video.hub import StreamHub
from tests.support.rtsp import RtspTestServer, ensure_test_clip
from ui.video.render_path import VideoPath

OPEN_DEADLINE_S = 60.0
# "No growth over 10 min": 0.5 MB/min is 5 MB over the 10 min, 0.3 MB per stream.
MAX_GROWTH_MB_PER_MIN = 0.5
WIDE = 1920  # the wall window's x: right of the console on a 3840x1080 screen



def screens_for(mode: str) -> list[tuple[int, str, list[str]]]:
    """The windows of a mode: (x, layout preset, mounts shown in order)."""
    clips = [f"clip{i}" for i in range(1, 65)]
    return {
        "grid25": [(0, "25", clips[:25])],
        "console-wall": [(0, "9", clips[:9]), (WIDE, "16", clips[9:25])],
        "grid64": [(0, "custom:8x8", clips[:64])],
        "open": [(0, "16", clips[:16])],
        "memory": [(0, "16", clips[:16])],
        "g2g": [(0, "9", ["barcode"]), (WIDE, "16", clips[:16])],
    }[mode]


class Session:
    """One run: windows built, streams opened, torn down on exit."""

    def __init__(self, app: Any, server: RtspTestServer, settings: VideoSettings,
                 path: str) -> None:
        self.server = server
        self.wall = PaintedWall(app, StreamHub(settings), settings, VideoPath(path))
        self.app = app

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall.close()
        self.wall.hub.close()
        self.app.processEvents()

    def build(self, mode: str, assign: bool = True) -> None:
        first = 1
        for x, layout, mounts in screens_for(mode):
            grid = self.wall.add_screen(x, layout)
            if assign:
                self.wall.assign(grid, [self.server.url(m) for m in mounts], first)
                first += len(mounts)
        self.wall.pump.start()
        freeze_startup_objects()  # as ui/app.py's run_console does once the console runs

    def wait_workers(self) -> None:
        """With reader processes: until every worker runs (the app starts them with the
        hub, long before an operator opens tiles)."""
        pool = self.wall.hub.worker_pool
        if pool is not None:
            spin_until(self.app, lambda: all(pool.pids()), OPEN_DEADLINE_S)
            spin(self.app, 1.0)

    def wait_painted(self) -> bool:
        return spin_until(self.app, lambda: all(t.painted_seq > 0 for t in self.wall.tiles),
                          OPEN_DEADLINE_S)

    def app_pids(self) -> list[int | str]:
        return list(process_tree(exclude=[self.server.pid or -1]))


def run_fps(app: Any, server: RtspTestServer, settings: VideoSettings, args: Any
            ) -> dict[str, Any]:
    with Session(app, server, settings, args.path) as session:
        session.wait_workers()
        session.build(args.mode)
        wall = session.wall
        if not session.wait_painted():
            return {"error": "some tile never painted a frame"}
        spin(app, args.warmup)
        painted0 = dict(wall.pump.painted)
        seq0 = {t: t.handle.slot.seq for t in wall.tiles if t.handle}
        cpu = CpuWindow(session.app_pids()).start()
        probe = LagProbe()
        probe.record()
        t0 = time.monotonic()
        spin(app, args.seconds)
        elapsed = time.monotonic() - t0
        lag = probe.stop()
        wall.pump.note_painted()
        painted, decoded = tile_fps(wall, elapsed, painted0, seq0)
        failure = wall.gl_failure()
        gl = _gl_draw_ms(wall)
        return {"tiles": len(painted), **gl, "painted_fps_min": min(painted),
                "painted_fps_median": statistics.median(painted),
                "decoded_fps_min": min(decoded), "app_cpu_pct": cpu.stop(), **lag,
                **({"error": failure} if failure else {})}


def _gl_draw_ms(wall: PaintedWall) -> dict[str, float]:
    """GL path: upload + draw per paintGL (all of a grid's tiles), the worst grid's p50."""
    draws = [s.grid.gl_surface.upload_draw_ms for s in wall.screens
             if s.grid.gl_surface is not None and s.grid.gl_surface.upload_draw_ms]
    if not draws:
        return {}
    return {"gl_draw_ms_p50": max(statistics.median(d) for d in draws),
            "gl_draw_ms_p90": max(percentile(d, 0.9) for d in draws)}


def describe_mounts(server: RtspTestServer, mounts: list[str]) -> float:
    """One RTSP DESCRIBE of each mount, answered before the next; the seconds it took.

    The test server prepares each shared media (a GStreamer pipeline) when a first client
    asks for it. Without this, the first run of 16 tiles opened at once read 2.09-2.10 s
    where every later run read 1.15-1.18 s (two sessions, 2 and 4 workers); after it (16
    DESCRIBEs in 0.03 s) the first read 1.16 s like the rest. A camera's stream is ready
    before anyone asks: this makes the server's so before the clock runs.
    """
    started = time.monotonic()
    for mount in mounts:
        url = server.url(mount)
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
            conn.sendall(f"DESCRIBE {url} RTSP/1.0\r\nCSeq: 1\r\n"
                         "Accept: application/sdp\r\n\r\n".encode())
            reply = b""
            while b"\r\n\r\n" not in reply:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                reply += chunk
            if not reply.startswith(b"RTSP/1.0 200"):
                raise RuntimeError(f"DESCRIBE {mount}: {reply[:40]!r}")
    return time.monotonic() - started


def run_open(app: Any, server: RtspTestServer, settings: VideoSettings, args: Any
             ) -> dict[str, Any]:
    mounts = [m for _, _, ms in screens_for("open") for m in ms]
    warmed_s = describe_mounts(server, mounts)
    with Session(app, server, settings, args.path) as session:
        session.wait_workers()
        session.build("open", assign=False)
        spin(app, 0.5)
        grid = session.wall.screens[0].grid
        slot_at: dict[int, float] = {}
        painted_at: dict[int, float] = {}
        started = time.monotonic()
        session.wall.assign(grid, [server.url(m) for m in mounts], 1)

        def all_painted() -> bool:
            now = time.monotonic() - started
            for tile in session.wall.tiles:
                if tile.index not in slot_at and tile.handle and tile.handle.slot.seq > 0:
                    slot_at[tile.index] = now
                if tile.index not in painted_at and tile.painted_seq > 0:
                    painted_at[tile.index] = now
            return len(painted_at) == len(grid.tiles)

        done = spin_until(app, all_painted, OPEN_DEADLINE_S)
        return {"all_painted_s": max(painted_at.values()) if done else None,
                "median_painted_s": statistics.median(painted_at.values())
                if painted_at else None,
                "all_slots_s": max(slot_at.values()) if len(slot_at) == 16 else None,
                "never_painted": 16 - len(painted_at), "describe_s": warmed_s}


def run_g2g(app: Any, server: RtspTestServer, settings: VideoSettings, args: Any
            ) -> dict[str, Any]:
    with Session(app, server, settings, args.path) as session:
        session.wait_workers()
        session.build("g2g")
        console = session.wall.screens[0].grid
        probe = PaintedLatency(console.tiles[0], console)
        if not session.wait_painted():
            return {"n": 0, "error": "some tile never painted a frame"}
        spin(app, args.warmup)  # the start-up burst of old frames is not latency
        probe.recording = True
        spin(app, args.seconds)
        probe.recording = False
        figures: dict[str, Any] = dict(probe.figures())
        figures["live_beside"] = sum(t.painted_seq > 0 for t in session.wall.tiles) - 1
        failure = session.wall.gl_failure()
        if failure:
            figures["error"] = failure
        return figures


def run_memory(app: Any, server: RtspTestServer, settings: VideoSettings, args: Any
               ) -> dict[str, Any]:
    exclude = [server.pid or -1]
    gc.collect()
    before, kind = tree_memory_mb(exclude=exclude)
    with Session(app, server, settings, args.path) as session:
        session.wait_workers()
        with_hub, _ = tree_memory_mb(exclude=exclude)
        session.build("memory")
        if not session.wait_painted():
            return {"error": "some tile never painted a frame"}
        spin(app, args.warmup)
        samples: list[tuple[float, float]] = []
        t0 = time.monotonic()
        end = t0 + args.minutes * 60
        while (now := time.monotonic()) < end:
            samples.append((round(now - t0, 1), round(tree_memory_mb(exclude=exclude)[0], 1)))
            spin(app, min(args.sample_seconds, max(end - now, 0.01)))
        samples.append((round(time.monotonic() - t0, 1),
                        round(tree_memory_mb(exclude=exclude)[0], 1)))
    streams = 16
    growth = growth_fit(samples, args.growth_minutes * 60 if args.growth_minutes
                        else steady_window_s(samples[-1][0]))
    return {"kind": kind, "before_mb": before, "with_hub_mb": with_hub, "samples": samples,
            "per_stream_start_mb": per_stream_mb(before, samples[0][1], streams),
            "per_stream_end_mb": per_stream_mb(before, samples[-1][1], streams),
            "growth_mb_per_min": growth.mb_per_min,
            "growth_se_mb_per_min": growth.standard_error,
            "growth_window_s": growth.window_s}


def _print_fps_run(run: int, r: dict[str, Any]) -> None:
    if "painted_fps_min" not in r:
        print(f"run {run}: {r.get('error')}", flush=True)
        return
    print(f"run {run}: {r['tiles']} tiles, painted fps min {r['painted_fps_min']:.1f} "
          f"(median {r['painted_fps_median']:.1f}, decoded min {r['decoded_fps_min']:.1f}); "
          f"lag p50 {r['lag_p50_ms']:.1f} ms, p99 {r['lag_p99_ms']:.1f}, max "
          f"{r['lag_max_ms']:.1f}; app CPU {r['app_cpu_pct']:.0f}% of one core"
          + (f"; GL upload+draw p50 {r['gl_draw_ms_p50']:.1f} ms, p90 {r['gl_draw_ms_p90']:.1f}"
             if "gl_draw_ms_p50" in r else "")
          + (f"; {r['error']}" if "error" in r else ""), flush=True)


def _fmt_s(value: float | None) -> str:
    return "never" if value is None else f"{value:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Issue 18's painted targets (Qt).")
    parser.add_argument("--mode", required=True,
                        choices=("grid25", "console-wall", "grid64", "open", "g2g", "memory"))
    parser.add_argument("--runs", type=int, default=1, help="repeat the point K times")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured window per run")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--platform", default="offscreen", help="Qt platform: offscreen|xcb")
    parser.add_argument("--path", choices=("cpu", "gl"), default="cpu",
                        help="video path (gl needs --platform xcb)")
    parser.add_argument("--processes", type=int, default=0,
                        help="reader worker processes (VideoSettings.reader_processes)")
    parser.add_argument("--paint-hz", type=int, default=None, help="override paint_hz")
    parser.add_argument("--reader-nice", type=int, default=VideoSettings().reader_nice,
                        help="the workers' nice (VideoSettings.reader_nice)")
    parser.add_argument("--minutes", type=float, default=10.0, help="memory: how long")
    parser.add_argument("--sample-seconds", type=float, default=10.0,
                        help="memory: one sample every this many seconds")
    parser.add_argument("--growth-minutes", type=float, default=None,
                        help="memory: fit the growth over the last M minutes (default: all "
                        "but the first minute, which fills the evidence ring)")
    parser.add_argument("--json", type=Path, help="also write every run's figures here")
    args = parser.parse_args(argv)
    # Read when the QApplication is made (below), not when PySide6 is imported (above).
    os.environ["QT_QPA_PLATFORM"] = args.platform
    logging.getLogger("commandroom").setLevel(logging.WARNING)  # no per-stream state lines
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    settings = VideoSettings(open_timeout_s=10.0, reader_processes=args.processes,
                             reader_nice=args.reader_nice)
    if args.paint_hz is not None:
        settings.paint_hz = args.paint_hz
    mounts = 64 if args.mode == "grid64" else 25
    longest = args.minutes * 60 if args.mode == "memory" else args.seconds
    clip = ensure_test_clip(max(180, int(longest + args.warmup + 60) // 300 * 300 + 300))
    print(f"mode {args.mode}, Qt platform {args.platform}, path {args.path}, reader "
          f"processes {args.processes} (nice {args.reader_nice}), pump {settings.paint_hz} "
          f"Hz; machine CPU busy before start: {machine_busy_percent(1.0):.0f}% (of 100% "
          "per core)", flush=True)
    results: list[dict[str, Any]] = []  # one per run, for --json
    try:
        _run_mode(app, args, settings, clip, mounts, results)
    finally:
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({"args": {k: v for k, v in vars(args).items()
                                                       if k != "json"},
                                             "runs": results}, indent=1, default=str))
    return 0


def _run_mode(app: Any, args: Any, settings: VideoSettings, clip: Path, mounts: int,
              results: list[dict[str, Any]]) -> None:
    with RtspTestServer(live_mounts=0, clip=clip, clip_mounts=mounts) as server:
        if args.mode in ("grid25", "console-wall"):
            runs = []
            for run in range(1, args.runs + 1):
                r = run_fps(app, server, settings, args)
                results.append(r)
                _print_fps_run(run, r)
                if "painted_fps_min" in r:
                    runs.append(RunFigures(r["painted_fps_min"], r["lag_p99_ms"]))
            print(verdict(runs, Target(min_tile_fps=24.0, lag_p99_ms=30.0))
                  + ("" if len(runs) == args.runs else f"; {args.runs - len(runs)} runs failed"))
        elif args.mode == "grid64":
            for run in range(1, args.runs + 1):
                r = run_fps(app, server, settings, args)
                _print_fps_run(run, r)
                floor = run_ffmpeg(server, 64, args.seconds, args.warmup)
                results.append({**r, "floor": floor})
                print(f"run {run}: floor, 64 x ffmpeg -f null: fps min "
                      f"{floor['ffmpeg_fps_min']:.1f} (median {floor['ffmpeg_fps_median']:.1f},"
                      f" {floor['ffmpeg_alive']} alive), CPU {floor['ffmpeg_cpu_pct']:.0f}%")
                if "painted_fps_min" in r:
                    print(f"run {run}: " + ratio_verdict(r["painted_fps_min"],
                                                         floor["ffmpeg_fps_min"], 0.9),
                          flush=True)
        elif args.mode == "open":
            times = []
            for run in range(1, args.runs + 1):
                r = run_open(app, server, settings, args)
                results.append(r)
                print(f"run {run}: 16 tiles opened at once: every tile painted after "
                      f"{_fmt_s(r['all_painted_s'])} (median {_fmt_s(r['median_painted_s'])}"
                      f"); every slot had a frame after {_fmt_s(r['all_slots_s'])}; "
                      f"{r['never_painted']} never painted (the server's mounts described "
                      f"first, in {r['describe_s']:.2f} s)", flush=True)
                times.append(r["all_painted_s"])
            ok = all(t is not None and t <= 2.0 for t in times)
            worst = max((t for t in times if t is not None), default=None)
            print(f"verdict: {'MET' if ok else 'NOT MET'}: all 16 painted <= 2 s in "
                  f"{sum(t is not None and t <= 2.0 for t in times)} of {len(times)} runs "
                  f"(worst {_fmt_s(worst)})")
        elif args.mode == "g2g":
            for run in range(1, args.runs + 1):
                lat = run_g2g(app, server, settings, args)
                results.append(lat)
                if not lat.get("n"):
                    print(f"run {run}: no readable painted frame {lat.get('error', '')}")
                    continue
                word = "MET" if lat["median"] <= 60 else "NOT MET"
                print(f"run {run}: glass-to-glass as painted, {lat['live_beside']} live tiles "
                      f"beside: median {lat['median']:.0f} ms, p90 {lat['p90']:.0f}, p99 "
                      f"{lat['p99']:.0f}, min {lat['min']:.0f} (n={lat['n']}, "
                      f"{lat['missed']} missed); verdict: {word} (median <= 60 ms)"
                      + (f"; {lat['error']}" if "error" in lat else ""), flush=True)
        elif args.mode == "memory":
            m = run_memory(app, server, settings, args)
            results.append(m)
            if "error" in m:
                print(m["error"])
                return
            samples = m["samples"]
            ok = (m["per_stream_end_mb"] <= 30
                  and m["growth_mb_per_min"] <= MAX_GROWTH_MB_PER_MIN)
            print(f"memory ({m['kind'].upper()} summed over the app's process tree), 16 painted "
                  f"streams over {samples[-1][0] / 60:.1f} min: before {m['before_mb']:.0f} MB, "
                  f"with the hub (and its workers) {m['with_hub_mb']:.0f} MB, first sample "
                  f"{samples[0][1]:.0f} MB, last {samples[-1][1]:.0f} MB")
            print(f"  per stream: {m['per_stream_start_mb']:.1f} MB at the start, "
                  f"{m['per_stream_end_mb']:.1f} MB at the end; growth over the last "
                  f"{m['growth_window_s'] / 60:.1f} min {m['growth_mb_per_min']:+.2f} MB/min "
                  f"(standard error {m['growth_se_mb_per_min']:.2f})")
            step = max(1, len(samples) // 10)
            print("  t(s)/MB: " + "  ".join(f"{t:.0f}/{mb:.0f}" for t, mb in samples[::step]))
            print(f"verdict: {'MET' if ok else 'NOT MET'}: <= 30 MB per stream at the end and "
                  f"growth <= {MAX_GROWTH_MB_PER_MIN} MB/min (\"no growth\": a fitted slope is "
                  "never exactly 0)")

