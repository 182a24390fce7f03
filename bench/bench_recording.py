"""Recording CPU: 16 of our recorders vs 16 `ffmpeg -c copy -f segment` recorders.

Run: .venv/bin/python -m bench.bench_recording [--streams 16] [--seconds 20] [--rounds 2]

Both sides record the test server's 16 `/clipN` mounts (pre-encoded H.264 640x360@25,
2 s GOP, ~1.8 Mbit/s each) to a temporary folder with 60 s segments:

* **ours**: one thread per stream runs ``commandroom.video.packet_sources.open_source`` (the
  reader's opener, demux only, nothing decoded) and hands every access unit to a
  ``Recorder`` (queue; writer thread; fragmented MP4 with each fragment
  ``fdatasync``-ed; SHA-256; SQLite index), as the reader will. At 16 streams the reader
  lets FFmpeg's parser assemble frames (``low_latency_max_streams`` = 9), so "ours" uses that;
  "ours, rtp units" is the ≤ 9-stream path (frames put together in Python) for scale.
* **ours, real reader**: the same recorders fed by ``StreamHub.record`` (the app's path:
  the live reader with no viewer, demux only, the evidence ring beside the recorder, the
  stream state model); ``--modes reader`` runs only this one against ffmpeg.
* **ffmpeg**: 16 processes ``ffmpeg -rtsp_transport tcp -i URL -c copy -f segment
  -segment_time 60 -reset_timestamps 1 DIR/%03d.mp4``.

CPU is user + system time over the window, % of one core (all threads of our process;
the sum of the 16 ffmpeg processes). Each round measures ffmpeg, then ours with a writer
thread per recorder, with one writer shared by all, and the demux alone (a null sink:
the reader's share, which live view pays anyway), so that load from other work on the
machine hits all alike; ratios are taken per round.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench.procstat import CpuWindow, machine_busy_percent
from commandroom.config import RecordingSettings, VideoSettings
from commandroom.db.engine import open_database
from commandroom.files import private_dir
from commandroom.recording.index import RecordingIndex
from commandroom.recording.recorder import RecordedCamera, Recorder, RecorderTuning
from commandroom.recording.writer_thread import WriterThread
from commandroom.video.hub import StreamHub
from commandroom.video.stream_spec import StreamSpec
from tests.support.record_driver import DriveStats, drive
from tests.support.recording import add_camera
from tests.support.rtsp import RtspTestServer, ensure_test_clip


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run_ours(server: RtspTestServer, n: int, seconds: float, warmup: float,
             low_latency: bool, shared_writer: bool) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="bench-rec-"))
    engine, sessions = open_database(f"sqlite:///{folder / 'db.sqlite'}")
    root = folder / "recordings"
    private_dir(root)
    index = RecordingIndex(sessions)
    settings = RecordingSettings(segment_s=60.0)  # the defaults: 1.5 s fragments
    stop = threading.Event()
    writer = WriterThread() if shared_writer else None
    recorders: list[Recorder] = []
    threads: list[threading.Thread] = []
    stats = [DriveStats() for _ in range(n)]
    try:
        for i in range(1, n + 1):
            camera = add_camera(sessions, f"bench {i}")
            recorder = Recorder(RecordedCamera(camera, f"bench {i}"), index, root,
                                settings, writer=writer).start()
            recorders.append(recorder)
            thread = threading.Thread(
                target=drive, args=(server.url(f"clip{i}"), recorder, stop),
                kwargs={"low_latency": low_latency, "stats": stats[i - 1],
                        "settings": VideoSettings()},
                name=f"bench feed {i}", daemon=True)
            threads.append(thread)
            thread.start()
        time.sleep(warmup)  # streams open, writers settle
        bytes0 = sum(s.bytes for s in stats)
        ours = CpuWindow(["self"]).start()
        srv = CpuWindow([server.pid or 0]).start()
        time.sleep(seconds)
        cpu = ours.stop()
        fed = sum(s.bytes for s in stats) - bytes0
        return {"cpu_pct": cpu, "server_cpu_pct": srv.stop(),
                "streams_fed": sum(1 for s in stats if s.packets > 0),
                "mbit_s": fed * 8 / seconds / 1e6,
                "dropped": sum(r.progress().dropped_packets for r in recorders)}
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)
        for recorder in recorders:
            recorder.close()
        if writer is not None:
            writer.close()
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def run_reader(server: RtspTestServer, n: int, seconds: float, warmup: float, *,
               sync: bool = True, shared_writer: bool = False) -> dict[str, float]:
    """Recorders fed by the live reader through ``StreamHub.record`` (no viewer).
    ``sync``: fdatasync each fragment (the default; ffmpeg syncs nothing)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-rec-"))
    engine, sessions = open_database(f"sqlite:///{folder / 'db.sqlite'}")
    root = folder / "recordings"
    private_dir(root)
    index = RecordingIndex(sessions)
    settings = RecordingSettings(segment_s=60.0)
    hub = StreamHub(VideoSettings())
    recorders: list[Recorder] = []
    writer = WriterThread() if shared_writer else None
    tuning = RecorderTuning(sync_fragments=sync)
    try:
        with hub.batch():  # as the RecordingScheduler starts them
            for i in range(1, n + 1):
                camera = add_camera(sessions, f"bench {i}")
                recorder = Recorder(RecordedCamera(camera, f"bench {i}"), index, root,
                                    settings, tuning=tuning, writer=writer).start()
                recorders.append(recorder)
                hub.record(StreamSpec(server.url(f"clip{i}")), recorder)
        time.sleep(warmup)
        bytes0 = sum(r.progress().written_bytes for r in recorders)
        ours = CpuWindow(["self"]).start()
        srv = CpuWindow([server.pid or 0]).start()
        time.sleep(seconds)
        cpu = ours.stop()
        written = sum(r.progress().written_bytes for r in recorders) - bytes0
        return {"cpu_pct": cpu, "server_cpu_pct": srv.stop(),
                "streams_fed": sum(1 for r in recorders if r.progress().written_bytes),
                "mbit_s": written * 8 / seconds / 1e6, "decoding": hub.decoding_count(),
                "dropped": sum(r.progress().dropped_packets for r in recorders)}
    finally:
        hub.close()
        for recorder in recorders:
            recorder.close()
        if writer is not None:
            writer.close()
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


class _NullSink:
    def start_segment(self, info: object) -> None:
        pass

    def append(self, packet: object, arrival: float) -> None:
        pass

    def end_segment(self) -> None:
        pass


def run_demux_only(server: RtspTestServer, n: int, seconds: float,
                   warmup: float) -> dict[str, float]:
    """The reader's part alone (what live view pays anyway): demux, nothing recorded."""
    stop = threading.Event()
    stats = [DriveStats() for _ in range(n)]
    threads = [threading.Thread(target=drive, args=(server.url(f"clip{i}"), _NullSink(), stop),
                                kwargs={"low_latency": False, "stats": stats[i - 1]},
                                daemon=True) for i in range(1, n + 1)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(warmup)
        bytes0 = sum(s.bytes for s in stats)
        window = CpuWindow(["self"]).start()
        time.sleep(seconds)
        cpu = window.stop()
        return {"cpu_pct": cpu, "streams_fed": sum(1 for s in stats if s.packets > 0),
                "mbit_s": (sum(s.bytes for s in stats) - bytes0) * 8 / seconds / 1e6,
                "dropped": 0}
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)


def run_ffmpeg(server: RtspTestServer, n: int, seconds: float,
               warmup: float) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="bench-ffrec-"))
    procs = []
    for i in range(1, n + 1):
        out = folder / f"cam{i}"
        out.mkdir()
        procs.append(subprocess.Popen(
            ["ffmpeg", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp",
             "-i", server.url(f"clip{i}"), "-c", "copy", "-f", "segment",
             "-segment_time", "60", "-reset_timestamps", "1", str(out / "%03d.mp4")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        time.sleep(warmup)
        bytes0 = _folder_bytes(folder)
        floor = CpuWindow([p.pid for p in procs]).start()
        srv = CpuWindow([server.pid or 0]).start()
        time.sleep(seconds)
        cpu = floor.stop()
        # mp4 (not fragmented) holds frames in memory until a segment closes: its bytes
        # on disk during the window say little; the process count says they all ran.
        return {"cpu_pct": cpu, "server_cpu_pct": srv.stop(),
                "alive": sum(p.poll() is None for p in procs),
                "disk_mb": (_folder_bytes(folder) - bytes0) / 1e6}
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--streams", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--modes", default="reader,driver",
                        help="reader: through StreamHub.record; driver: the recorders fed "
                             "by their own demux thread, shared writer, demux alone")
    args = parser.parse_args()
    modes = set(args.modes.split(","))
    print(f"machine busy before start: {machine_busy_percent(2.0):.0f} % "
          "(of all cores; other work skews the figures)")
    server = RtspTestServer(live_mounts=1, clip=ensure_test_clip(), clip_mounts=args.streams)
    server.start()
    ratios: dict[str, list[float]] = {}
    try:
        for round_no in range(1, args.rounds + 1):
            ff = run_ffmpeg(server, args.streams, args.seconds, args.warmup)
            print(f"round {round_no}: ffmpeg x{args.streams} {ff['cpu_pct']:5.1f} % "
                  f"({ff['alive']:.0f} alive; server {ff['server_cpu_pct']:.0f} %)")
            runs = []
            if "reader" in modes:
                runs.append(("ours, real reader", lambda: run_reader(
                    server, args.streams, args.seconds, args.warmup)))
            if "reader-variants" in modes:
                runs.append(("real reader, no fdatasync", lambda: run_reader(
                    server, args.streams, args.seconds, args.warmup, sync=False)))
                runs.append(("real reader, shared writer", lambda: run_reader(
                    server, args.streams, args.seconds, args.warmup, shared_writer=True)))
            if "driver" in modes:
                for label, shared in (("ours, thread per recorder", False),
                                      ("ours, one shared writer", True)):
                    runs.append((label, lambda shared=shared: run_ours(
                        server, args.streams, args.seconds, args.warmup, low_latency=False,
                        shared_writer=shared)))
                runs.append(("demux only (null sink)", lambda: run_demux_only(
                    server, args.streams, args.seconds, args.warmup)))
            for label, run in runs:
                ours = run()
                ratio = ours["cpu_pct"] / ff["cpu_pct"] if ff["cpu_pct"] else float("nan")
                ratios.setdefault(label, []).append(ratio)
                print(f"         {label:<26} {ours['cpu_pct']:5.1f} % "
                      f"({ours['streams_fed']:.0f} streams, {ours['mbit_s']:.1f} Mbit/s in, "
                      f"{ours['dropped']:.0f} dropped)   ratio {ratio:.2f}x")
        if "driver" in modes:
            rtp = run_ours(server, args.streams, args.seconds, args.warmup,
                           low_latency=True, shared_writer=False)
            print(f"ours, rtp units (the <= 9-stream path): {rtp['cpu_pct']:5.1f} % "
                  f"({rtp['dropped']:.0f} dropped)")
    finally:
        server.close()
    for label, values in ratios.items():
        print(f"ratio {label} / ffmpeg: median {statistics.median(values):.2f}x over "
              f"{len(values)} round(s) (target for recording: <= 1.0x)")


if __name__ == "__main__":
    main()
