"""Headless video-engine figures: StreamHub vs the `ffmpeg -f null` floor, no painting.

Prints figures, asserts nothing (this is not a test). Run from the repo root:

    .venv/bin/python -m bench.bench_engine                 # all figures, 10 s per point
    .venv/bin/python -m bench.bench_engine --figures cpu,latency --seconds 30

Figures (numbers as in the issue):
  cpu      (1) CPU of the engine with N = 1, 4, 9, 16 streams vs N `ffmpeg -f null` decoders
  open     (2) time from subscribing 16 streams to all live (first frame in every slot)
  latency  (3) glass-to-glass latency read from the /barcode mount (and ffmpeg's for scale)
  rss      (5) memory per stream, sampled over time with 16 streams (--minutes M): PSS
           summed over this process and its reader workers, growth fitted in MB/min
  scaling  (6) N = 1..64: engine CPU and the LOWEST per-stream fps
  floor    beside (6): N `ffmpeg -f null` decoders at the same N, their CPU and lowest fps
           (what 2 cores give bare decoding next to the server, before any conversion)
  kill     (issue 18) with --processes: SIGKILL one reader worker among 9 streams; how
           long until its streams have new frames, the others' longest frame interval

--processes N puts the readers in N worker processes (VideoSettings.reader_processes);
"engine" CPU is then the app's process plus its workers, each shown apart too.

Streams come from pre-encoded clip mounts of tests/support/rtsp_server.py (no re-encode:
the server costs little, and its own CPU is printed beside ours). The engine's "viewer" is
one thread polling every slot at paint_hz and touching each new frame, like the GUI timer
but without painting. Tile sizes are those of a 1920x1080 grid holding N tiles.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.figures import growth_fit, per_stream_mb, steady_window_s
from bench.procstat import CpuWindow, machine_busy_percent, tree_memory_mb
from commandroom.config import VideoSettings
from commandroom.video.hub import StreamHub
from commandroom.video.stream_spec import StreamSpec
from tests.support.barcode import decode_ms
from tests.support.rtsp import RtspTestServer, StatusRecorder, ensure_test_clip

SCREEN = (1920, 1080)
OPEN_DEADLINE_S = 60.0


def grid_tile(n: int) -> tuple[int, int]:
    cols = math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    return (SCREEN[0] // cols) & ~1, (SCREEN[1] // rows) & ~1


@dataclass
class EnginePoint:
    n: int
    tile: tuple[int, int]
    app_cpu_pct: float = 0.0  # the app's process and its reader workers
    gui_cpu_pct: float = 0.0  # the app's process alone
    workers_cpu_pct: float = 0.0
    server_cpu_pct: float = 0.0
    open_all_s: float | None = None  # subscribe -> a frame in every slot
    open_median_s: float | None = None
    fps_min: float = 0.0
    fps_median: float = 0.0
    streams_without_frames: int = 0
    rss_before_mb: float = 0.0
    rss_samples: list[tuple[float, float]] = field(default_factory=list)  # (t, MB)
    rss_after_close_mb: float = 0.0
    rss_after_gc_mb: float = 0.0


class Viewer(threading.Thread):
    """Stands in for the GUI paint timer: takes each slot's newest frame at paint_hz."""

    def __init__(self, handles: list[Any], hz: int) -> None:
        super().__init__(name="bench-viewer", daemon=True)
        self._handles = handles
        self._period = 1.0 / hz
        self._stop_event = threading.Event()
        self.consumed = 0

    def run(self) -> None:
        last = [0] * len(self._handles)
        while not self._stop_event.wait(self._period):
            for i, handle in enumerate(self._handles):
                frame = handle.slot.latest()
                if frame is not None and frame.seq != last[i]:
                    last[i] = frame.seq
                    _ = frame.image[0, 0]  # touch it, as a blit would (BGRA or Y plane)
                    self.consumed += 1

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def app_memory_mb(server: RtspTestServer) -> float:
    """The app's memory: this process and its reader workers (PSS summed, so shared-memory
    frame slots count once; RSS where the kernel has no PSS), without the RTSP server."""
    return tree_memory_mb(exclude=[server.pid or -1])[0]


def run_engine(
    server: RtspTestServer, n: int, seconds: float, warmup: float, settings: VideoSettings,
    rss_every: float = 1.0, planes: bool = False,
) -> EnginePoint:
    gc.collect()  # what earlier points left for the cyclic GC must not count here
    point = EnginePoint(n=n, tile=grid_tile(n), rss_before_mb=app_memory_mb(server))
    hub = StreamHub(settings, on_status=StatusRecorder())
    viewer: Viewer | None = None
    try:
        started = time.monotonic()
        handles = [
            hub.subscribe(StreamSpec(server.url(f"clip{i}")), point.tile) for i in range(1, n + 1)
        ]
        for handle in handles:
            handle.set_planes(planes)  # as the tiles of a GL grid say
        first_frame: list[float | None] = [None] * n
        while None in first_frame and time.monotonic() - started < OPEN_DEADLINE_S:
            for i, handle in enumerate(handles):
                if first_frame[i] is None and handle.slot.seq > 0:
                    first_frame[i] = time.monotonic() - started
            time.sleep(0.005)
        opened = [t for t in first_frame if t is not None]
        point.streams_without_frames = n - len(opened)
        if opened:
            point.open_median_s = statistics.median(opened)
        if not point.streams_without_frames:
            point.open_all_s = max(opened)

        viewer = Viewer(handles, settings.paint_hz)
        viewer.start()
        time.sleep(warmup)  # let decoders and the server settle before measuring
        seq0 = [h.slot.seq for h in handles]
        pool = hub.worker_pool
        worker_pids: list[int | str] = [p for p in pool.pids() if p] if pool else []
        app = CpuWindow(["self"]).start()
        workers = CpuWindow(worker_pids).start()
        srv = CpuWindow([server.pid or 0]).start()
        t0 = time.monotonic()
        while (now := time.monotonic()) - t0 < seconds:
            point.rss_samples.append((round(now - t0, 1), round(app_memory_mb(server), 1)))
            time.sleep(min(rss_every, max(seconds - (now - t0), 0.01)))
        elapsed = time.monotonic() - t0
        point.gui_cpu_pct = app.stop()
        point.workers_cpu_pct = workers.stop()
        point.app_cpu_pct = point.gui_cpu_pct + point.workers_cpu_pct
        point.server_cpu_pct = srv.stop()
        point.rss_samples.append((round(elapsed, 1), round(app_memory_mb(server), 1)))
        fps = [(h.slot.seq - s) / elapsed for h, s in zip(handles, seq0, strict=True)]
        point.fps_min, point.fps_median = min(fps), statistics.median(fps)
    finally:
        if viewer is not None:
            viewer.stop()
        hub.close()
        handles = []
    # What closing gives back by itself, and what only the cyclic GC frees (memory held
    # by reference cycles grows with every reconnect until a full collection runs).
    point.rss_after_close_mb = app_memory_mb(server)
    gc.collect()
    point.rss_after_gc_mb = app_memory_mb(server)
    return point


def run_kill(server: RtspTestServer, n: int, settings: VideoSettings) -> dict[str, Any]:
    """Kill the worker reading stream 1; time its streams' recovery, watch the others."""
    import os
    import signal

    from commandroom.video.remote_reader import RemoteReader

    hub = StreamHub(settings)
    try:
        handles = [hub.subscribe(StreamSpec(server.url(f"clip{i}")), grid_tile(n))
                   for i in range(1, n + 1)]
        deadline = time.monotonic() + OPEN_DEADLINE_S
        while any(h.slot.seq < 10 for h in handles) and time.monotonic() < deadline:
            time.sleep(0.01)
        pool = hub.worker_pool
        assert pool is not None
        places = [pool.worker_of(h._entry.reader) if isinstance(h._entry.reader, RemoteReader)
                  else None for h in handles]
        victim = places[0]
        assert victim is not None
        killed = [h for h, p in zip(handles, places, strict=True) if p == victim]
        others = [h for h, p in zip(handles, places, strict=True) if p != victim]
        marks = [h.slot.seq for h in killed]
        seqs = [h.slot.seq for h in others]
        since = [time.monotonic()] * len(others)
        longest = 0.0
        pid = pool.pids()[victim]
        assert pid is not None
        started = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        recovered: float | None = None
        while time.monotonic() - started < 10.0:
            now = time.monotonic()
            for i, handle in enumerate(others):
                if handle.slot.seq != seqs[i]:
                    seqs[i], since[i] = handle.slot.seq, now
                longest = max(longest, now - since[i])
            if recovered is None and all(h.slot.seq > m for h, m in zip(killed, marks,
                                                                        strict=True)):
                recovered = now - started
            if recovered is not None and now - started > recovered + 2.0:
                break
            time.sleep(0.002)
    finally:
        hub.close()
    return {"killed_streams": len(killed), "recovery_s": recovered if recovered else -1.0,
            "others_longest_interval_ms": longest * 1000.0}


def run_ffmpeg(server: RtspTestServer, n: int, seconds: float, warmup: float
               ) -> dict[str, float]:
    """The floor: N stock ffmpeg processes demuxing + decoding the clip mounts 1..N."""
    floor = run_ffmpeg_mounts(server, [f"clip{i}" for i in range(1, n + 1)], seconds, warmup)
    fps = floor.pop("fps")
    assert isinstance(fps, list)
    return {**floor, "ffmpeg_fps_min": min(fps), "ffmpeg_fps_median": statistics.median(fps)}


def run_ffmpeg_mounts(server: RtspTestServer, mounts: list[str], seconds: float,
                      warmup: float, output_args: tuple[str, ...] = (),
                      output: Callable[[int], tuple[str, ...]] | None = None,
                      env: dict[str, str] | None = None) -> dict[str, Any]:
    """Stock ffmpeg processes demuxing + decoding ``mounts``, one each, discarding frames.
    ``output_args`` go before the output (a ``-vf`` to add work: bench_native_bound);
    ``output(i)`` replaces the null output of the i-th process (an SDL window there), and
    ``env`` their environment.

    Each writes its progress (frames decoded so far) to a file, so every stream's fps is
    known too (``fps``, in ``mounts`` order): at many streams the floor itself may not
    keep up on 2 cores.
    """
    progress_dir = Path(tempfile.mkdtemp(prefix="bench-ffmpeg-"))
    files = [progress_dir / f"ff{i}.txt" for i in range(len(mounts))]
    procs = [
        subprocess.Popen(
            ["ffmpeg", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp",
             "-i", server.url(mount), "-progress", str(file),
             "-stats_period", "0.5", *output_args,
             *(output(i) if output else ("-f", "null", "-"))],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        for i, (mount, file) in enumerate(zip(mounts, files, strict=True))
    ]
    try:
        time.sleep(warmup)
        frames0 = [_progress_frames(f) for f in files]
        floor = CpuWindow(list(p.pid for p in procs)).start()
        srv = CpuWindow([server.pid or 0]).start()
        started = time.monotonic()
        time.sleep(seconds)
        elapsed = time.monotonic() - started
        frames1 = [_progress_frames(f) for f in files]
        return {"ffmpeg_cpu_pct": floor.stop(), "server_cpu_pct": srv.stop(),
                "ffmpeg_alive": sum(p.poll() is None for p in procs),
                "fps": [(b - a) / elapsed for a, b in zip(frames0, frames1, strict=True)]}
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)
        shutil.rmtree(progress_dir, ignore_errors=True)


def _progress_frames(path: Path) -> int:
    """The last ``frame=`` ffmpeg wrote to its -progress file (0 before the first)."""
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        return 0
    values = [int(line[6:]) for line in lines if line.startswith("frame=")]
    return values[-1] if values else 0


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"n": len(ordered), "min": ordered[0], "median": statistics.median(ordered),
            "p90": pct(0.90), "p99": pct(0.99), "max": ordered[-1]}


def run_latency(
    server: RtspTestServer, seconds: float, warmup: float, settings: VideoSettings
) -> dict[str, Any]:
    """Engine: wall clock when a new frame shows up in the slot minus the barcode's clock.

    The first ``warmup`` seconds are dropped: a new client first receives a burst of the
    frames made since the shared media started (up to ~1 s old), which is start-up, not
    steady-state latency.
    """
    hub = StreamHub(settings)
    samples: list[float] = []
    unreadable = 0
    try:
        handle = hub.subscribe(StreamSpec(server.url("barcode")), (640, 360))
        deadline = time.monotonic() + OPEN_DEADLINE_S
        while handle.slot.seq == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        last = handle.slot.seq
        measure_from = time.monotonic() + warmup
        end = measure_from + seconds
        while (now := time.monotonic()) < end:
            if handle.slot.seq != last and now < measure_from:
                last = handle.slot.seq
            elif handle.slot.seq != last:
                now_ms = time.time() * 1000
                frame = handle.slot.latest()
                assert frame is not None  # seq moved, so a frame is there
                last = frame.seq
                latency = now_ms - decode_ms(frame.image)
                if 0 <= latency < 10_000:
                    samples.append(latency)
                else:
                    unreadable += 1
            time.sleep(0.001)  # 1 ms polling resolution (adds ~0.5 ms on average)
    finally:
        hub.close()
    result: dict[str, Any] = {"unreadable": unreadable}
    if samples:
        result.update(_percentiles(samples))
    return result


def run_ffmpeg_latency(server: RtspTestServer, seconds: float, warmup: float) -> dict[str, Any]:
    """Same measure through the stock ffmpeg CLI decoding to a raw grey pipe (a reference)."""
    import numpy as np

    w, h = 640, 360
    proc = subprocess.Popen(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp",
         "-i", server.url("barcode"), "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    samples: list[float] = []
    try:
        assert proc.stdout is not None
        end = None
        while end is None or time.monotonic() < end:
            raw = proc.stdout.read(w * h)
            if len(raw) < w * h:
                break
            end = end or time.monotonic() + warmup + seconds
            if time.monotonic() < end - seconds:
                continue  # start-up burst, see run_latency
            now_ms = time.time() * 1000
            image = np.frombuffer(raw, np.uint8).reshape(h, w, 1)
            latency = now_ms - decode_ms(image)
            if 0 <= latency < 10_000:
                samples.append(latency)
    finally:
        assert proc.stdout is not None
        proc.stdout.close()  # else ffmpeg blocks writing the pipe and ignores SIGTERM
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return _percentiles(samples) if samples else {"n": 0}


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Headless StreamHub figures.")
    parser.add_argument("--figures", default="cpu,open,latency,rss,scaling")
    parser.add_argument("--seconds", type=float, default=10.0, help="window per point")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--cpu-points", type=_ints, default=[1, 4, 9, 16])
    parser.add_argument("--scaling-points", type=_ints, default=[1, 2, 4, 8, 16, 32, 48, 64])
    parser.add_argument("--rss-seconds", type=float, default=30.0)
    parser.add_argument("--minutes", type=float, default=None,
                        help="rss: sample for this many minutes (overrides --rss-seconds)")
    parser.add_argument("--rss-every", type=float, default=1.0, help="rss: sample period, s")
    parser.add_argument("--growth-minutes", type=float, default=None,
                        help="rss: fit the growth over the last M minutes (default: all but "
                        "the first minute)")
    parser.add_argument("--json", type=Path, help="also write all results here")
    parser.add_argument("--processes", type=int, default=0,
                        help="reader worker processes (0: reader threads in this process)")
    parser.add_argument("--planes", action="store_true",
                        help="viewers paint on the GPU: readers publish YUV 4:2:0 planes")
    args = parser.parse_args(argv)
    figures = set(args.figures.split(","))
    if args.minutes is not None:
        args.rss_seconds = args.minutes * 60

    longest = max(args.seconds, args.rss_seconds) + args.warmup + 60
    clip = ensure_test_clip(max(180, math.ceil(longest / 300) * 300))  # few cached sizes
    mounts = max([*args.cpu_points, *args.scaling_points, 16])
    settings = VideoSettings(open_timeout_s=10.0, reader_processes=args.processes)
    results: dict[str, Any] = {"machine_busy_pct_before": round(machine_busy_percent(1.0), 1)}
    print(f"machine CPU busy before start: {results['machine_busy_pct_before']}% "
          "(of 100% per core; other work on the box skews every figure)", flush=True)

    with RtspTestServer(live_mounts=0, clip=clip, clip_mounts=mounts) as server:
        engine_points: dict[int, EnginePoint] = {}

        def engine(n: int, seconds: float | None = None, every: float = 1.0) -> EnginePoint:
            if n not in engine_points or seconds is not None:
                engine_points[n] = run_engine(
                    server, n, seconds or args.seconds, args.warmup, settings, every,
                    planes=args.planes,
                )
            return engine_points[n]

        # RSS first, in a fresh process: memory that earlier points freed stays in
        # glibc's arenas and would blur the per-stream figure.
        if "rss" in figures:
            point = engine(16, seconds=args.rss_seconds, every=args.rss_every)
            samples = point.rss_samples
            first, last = samples[0], samples[-1]
            # Growth fitted after the first minute only: the first ~10 s fill the
            # evidence packet ring (EvidenceSettings.pre_seconds), growth by design.
            growth = growth_fit(samples, args.growth_minutes * 60 if args.growth_minutes
                                else steady_window_s(last[0]))
            drift = growth.mb_per_min
            per_stream = per_stream_mb(point.rss_before_mb, first[1], 16)
            per_stream_end = per_stream_mb(point.rss_before_mb, last[1], 16)
            results["rss"] = {"before_mb": point.rss_before_mb, "samples": samples,
                              "after_close_mb": point.rss_after_close_mb,
                              "after_gc_mb": point.rss_after_gc_mb,
                              "per_stream_mb": per_stream, "per_stream_end_mb": per_stream_end,
                              "drift_mb_per_min": drift,
                              "drift_se_mb_per_min": growth.standard_error}
            kind = tree_memory_mb()[1].upper()
            print(f"\n(5) memory ({kind} summed over the process tree: this process"
                  f"{' and its reader workers' if args.processes else ''}) with 16 streams "
                  f"over {args.rss_seconds:.0f} s: before "
                  f"{point.rss_before_mb:.0f} MB, start {first[1]:.0f} MB, end {last[1]:.0f} MB"
                  f" -> {per_stream:.1f} MB per stream at start, growth fitted over the last "
                  f"{growth.window_s / 60:.1f} min {drift:+.2f} MB/min (standard error "
                  f"{growth.standard_error:.2f});\n"
                  f"    {per_stream_end:.1f} MB per stream at the end; "
                  f"after hub.close() {point.rss_after_close_mb:.0f} MB, after gc.collect() "
                  f"{point.rss_after_gc_mb:.0f} MB")
            step = max(1, len(samples) // 8)
            print("    t(s)/MB: " + "  ".join(f"{t:.0f}/{mb:.0f}" for t, mb in samples[::step]),
                  flush=True)

        if "cpu" in figures:
            print("\n(1) CPU, % of one core: engine (decode+scale+publish) vs ffmpeg -f null")
            print(f"{'N':>3} {'tile':>9} {'engine':>7} {'ffmpeg':>7} {'ratio':>6} "
                  f"{'srv(eng)':>8} {'srv(ff)':>8} {'fps min':>7} {'gui':>6} {'workers':>7}")
            rows = []
            for n in args.cpu_points:
                point = engine(n)
                floor = run_ffmpeg(server, n, args.seconds, args.warmup)
                ratio = point.app_cpu_pct / max(floor["ffmpeg_cpu_pct"], 0.1)
                rows.append({"engine": asdict(point), "ffmpeg": floor, "ratio": ratio})
                print(f"{n:>3} {'x'.join(map(str, point.tile)):>9} {point.app_cpu_pct:>6.1f}% "
                      f"{floor['ffmpeg_cpu_pct']:>6.1f}% {ratio:>5.2f}x "
                      f"{point.server_cpu_pct:>7.1f}% {floor['server_cpu_pct']:>7.1f}% "
                      f"{point.fps_min:>7.1f} {point.gui_cpu_pct:>5.1f}% "
                      f"{point.workers_cpu_pct:>6.1f}%", flush=True)
            results["cpu"] = rows

        if "open" in figures:
            point = engine(16)
            results["open"] = {"n": 16, "all_live_s": point.open_all_s,
                               "median_s": point.open_median_s,
                               "without_frames": point.streams_without_frames}
            print(f"\n(2) 16 streams subscribed at once: first frame in every slot after "
                  f"{_fmt_s(point.open_all_s)} (median {_fmt_s(point.open_median_s)}, "
                  f"{point.streams_without_frames} never)", flush=True)

        if "latency" in figures:
            engine_latency = run_latency(server, args.seconds, args.warmup, settings)
            ffmpeg_latency = run_ffmpeg_latency(server, args.seconds, args.warmup)
            results["latency"] = {"engine": engine_latency, "ffmpeg_cli": ffmpeg_latency}
            print("\n(3) glass-to-glass, ms (barcode written at frame creation -> frame in slot)")
            for name, lat in (("engine", engine_latency), ("ffmpeg CLI", ffmpeg_latency)):
                if lat.get("n"):
                    print(f"  {name:<10} median {lat['median']:.0f}  p90 {lat['p90']:.0f}  "
                          f"p99 {lat['p99']:.0f}  min {lat['min']:.0f}  (n={lat['n']})")
                else:
                    print(f"  {name:<10} no readable frame")
            sys.stdout.flush()

        if "scaling" in figures:
            print("\n(6) scaling: engine CPU (% of one core) and per-stream fps (source 25)")
            print(f"{'N':>3} {'tile':>9} {'engine':>7} {'server':>7} {'fps min':>7} "
                  f"{'fps med':>7} {'all live':>8}")
            rows = []
            for n in args.scaling_points:
                point = engine(n)
                rows.append(asdict(point))
                print(f"{n:>3} {'x'.join(map(str, point.tile)):>9} {point.app_cpu_pct:>6.1f}% "
                      f"{point.server_cpu_pct:>6.1f}% {point.fps_min:>7.1f} "
                      f"{point.fps_median:>7.1f} {_fmt_s(point.open_all_s):>8}", flush=True)
            results["scaling"] = rows
        if "floor" in figures:
            print("\n(6') the floor at the same N: ffmpeg -f null per stream, no conversion")
            print(f"{'N':>3} {'ffmpeg':>7} {'server':>7} {'fps min':>7} {'fps med':>7}")
            floors = []
            for n in args.scaling_points:
                floor = run_ffmpeg(server, n, args.seconds, args.warmup)
                floors.append({"n": n, **floor})
                print(f"{n:>3} {floor['ffmpeg_cpu_pct']:>6.1f}% {floor['server_cpu_pct']:>6.1f}% "
                      f"{floor['ffmpeg_fps_min']:>7.1f} {floor['ffmpeg_fps_median']:>7.1f}",
                      flush=True)
            results["floor"] = floors

        if "kill" in figures and args.processes:
            results["kill"] = run_kill(server, 9, settings)
            kill = results["kill"]
            print(f"\n(kill) 9 streams over {args.processes} workers, one worker SIGKILLed: "
                  f"its {kill['killed_streams']} streams had new frames after "
                  f"{kill['recovery_s']:.2f} s; the others' longest frame interval "
                  f"{kill['others_longest_interval_ms']:.0f} ms", flush=True)

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    return 0


def _fmt_s(value: float | None) -> str:
    return "never" if value is None else f"{value:.2f} s"


if __name__ == "__main__":
    sys.exit(main())
