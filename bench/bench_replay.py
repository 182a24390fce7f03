"""Replay figures: instant replay and seeking, key press to the first frame published.

Run: .venv/bin/python -m bench.bench_replay [--tries 25] [--record 40] [--demo-1080p]

A camera on the RTSP test server's live /barcode mount (640x360@25, keyframe every 2 s)
is recorded through the real path (RecordingScheduler -> StreamHub.record -> Recorder,
60 s segments, 1.5 s fragments, fdatasync on) for ``--record`` seconds, then:

(a) instant replay: ``LookBack.replay(camera, 30 s back)`` -> first frame in the new
    tile's slot, each try a new handle (what the replay key does), while recording goes on;
    the first frame's barcode against the moment asked for is printed too;
(b) seek: ``handle.seek(random T in the recording)`` -> the first frame of T published;
(c) how close to now: replay from 0.5 .. 5 s back -> first frame (the frame nearest T is
    shown once the file holds footage past T: a fragment reaches the disk when the next
    one starts, 1.5 s, plus the writer's 0.25 s).

``--demo-1080p`` adds a 1920x1080 demo camera (2 s GOP) recorded the same way: decoding
up to a whole GOP of 1080p frames is the worst case of both figures.

``--join``: a tile opened on a camera that is only recorded (demuxed, not decoded): time
to its first picture when decoding starts from the evidence ring's newest keyframe (the
default) and when it waits for the next keyframe (``first_picture_from_ring=False``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.procstat import machine_busy_percent
from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.config import Paths, RecordingSettings, VideoSettings
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.lookback import LookBack
from commandroom.recording.policy import RecordingMode
from commandroom.recording.scheduler import RecordingScheduler
from commandroom.recording.service import RecordingSystem
from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key
from commandroom.video.hub import StreamHub
from commandroom.video.replay_handle import PlaybackHandle
from commandroom.video.stream_spec import StreamSpec
from tests.support.barcode import decode_ms
from tests.support.rtsp import RtspTestServer

SIZE = (640, 360)


def _first_frame(handle: PlaybackHandle, after: int, timeout: float = 10.0) -> float:
    """Seconds until the slot holds a frame newer than ``after`` (polled every 0.5 ms)."""
    began = time.perf_counter()
    while handle.slot.seq <= after:
        if time.perf_counter() - began > timeout:
            raise TimeoutError(f"no frame in {timeout} s: {handle.replay_status()}")
        time.sleep(0.0005)
    return time.perf_counter() - began


def _figures(label: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    return (f"{label}: median {statistics.median(ms):.0f} ms, p90 {p90:.0f}, "
            f"min {ms[0]:.0f}, max {ms[-1]:.0f} (n={len(ms)})")


def measure(lookback: LookBack, camera: Camera, tries: int, recorded_from: float,
            barcode: bool) -> None:
    replay: list[float] = []
    errors: list[float] = []
    for _ in range(tries):
        pressed = time.time()
        began = time.perf_counter()
        handle = lookback.replay(SYSTEM, camera, SIZE)
        try:
            _first_frame(handle, 0)
            replay.append(time.perf_counter() - began)
            frame = handle.slot.latest()
            if barcode and frame is not None:
                errors.append(decode_ms(frame.image) - (pressed - 30.0) * 1000)
        finally:
            handle.release()
        time.sleep(0.2)
    print("  " + _figures("(a) instant replay, key -> first frame", replay))
    if errors:
        print(f"      first frame's stamp - (key press - 30 s): median "
              f"{statistics.median(errors):+.0f} ms, range {min(errors):+.0f}..{max(errors):+.0f}")
    seeks: list[float] = []
    handle = lookback.open_at(SYSTEM, camera, recorded_from + 1.0, SIZE)
    try:
        _first_frame(handle, 0)
        rng = random.Random(15)
        for _ in range(tries):
            moment = rng.uniform(recorded_from + 1.0, time.time() - 5.0)
            seq = handle.slot.seq
            began = time.perf_counter()
            handle.seek(moment)
            while True:  # the first frame of the new position, not one still in flight
                _first_frame(handle, seq)
                frame = handle.slot.latest()
                if frame is not None and abs(frame.capture_time - moment) < 0.5:
                    break
                seq = handle.slot.seq
            seeks.append(time.perf_counter() - began)
            time.sleep(0.1)
    finally:
        handle.release()
    print("  " + _figures("(b) seek to a random time -> first frame", seeks))
    for back in (0.5, 1.0, 2.0, 3.0, 5.0):
        waits, off = [], []
        for _ in range(5):
            pressed = time.time()
            handle = lookback.replay(SYSTEM, camera, SIZE, seconds_back=back)
            try:
                waits.append(_first_frame(handle, 0))
                frame = handle.slot.latest()
                if barcode and frame is not None:
                    off.append(decode_ms(frame.image) - (pressed - back) * 1000)
            finally:
                handle.release()
        stamps = f"; stamp - asked {min(off):+.0f}..{max(off):+.0f} ms" if off else ""
        print("  " + _figures(f"(c) replay from {back:.1f} s back -> first frame", waits)
              + stamps)


class _NullSink:
    def start_segment(self, info: object) -> None:
        pass

    def append(self, packet: object, arrival: float) -> None:
        pass

    def end_segment(self) -> None:
        pass


def measure_join(server: RtspTestServer, tries: int) -> None:
    spec = StreamSpec(server.url("barcode"))
    for from_ring in (True, False):
        hub = StreamHub(VideoSettings(), first_picture_from_ring=from_ring)
        recording = hub.record(spec, _NullSink())
        rng = random.Random(3)
        waits = []
        try:
            time.sleep(3.0)  # connected, demuxing
            for _ in range(tries):
                time.sleep(rng.uniform(0.5, 2.5))  # anywhere in the 2 s GOP
                began = time.perf_counter()
                tile = hub.subscribe(spec, SIZE)
                seen = tile.slot.seq  # the slot keeps the last viewer's frame
                while tile.slot.seq == seen:
                    time.sleep(0.0005)
                waits.append(time.perf_counter() - began)
                tile.release()
                while hub.decoding_count():
                    time.sleep(0.01)
        finally:
            recording.release()
            hub.close()
        label = "from the ring's keyframe" if from_ring else "at the next keyframe"
        print("  " + _figures(f"tile joins a recorded stream, first picture {label}", waits))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=25)
    parser.add_argument("--record", type=float, default=40.0, help="seconds recorded first")
    parser.add_argument("--demo-1080p", action="store_true")
    parser.add_argument("--join", action="store_true", help="only the tile-joins figure")
    args = parser.parse_args()
    if args.join:
        with RtspTestServer(live_mounts=0) as server:
            measure_join(server, args.tries)
        return
    print(f"machine busy before start: {machine_busy_percent(2.0):.0f} % "
          "(of all cores; other work skews the figures)")
    tmp = Path(tempfile.mkdtemp(prefix="bench-replay-"))
    server = RtspTestServer(live_mounts=0).start()
    engine, sessions = open_database(f"sqlite:///{tmp / 'db.sqlite'}")
    bus = EventBus()
    audit = AuditTrail(sessions)
    secrets = DatabaseSecretStore(sessions, load_or_create_key(tmp / "secret.key"))
    registry = CameraRegistry(sessions, secrets, bus, audit)
    recording = RecordingSystem(sessions, Paths.resolve(tmp),
                                RecordingSettings(folder=str(tmp / "rec")), audit, bus)
    recording.start()
    hub = StreamHub(VideoSettings())
    cameras = [registry.add(SYSTEM, Camera(None, "barcode 640x360", server.url("barcode")))]
    if args.demo_1080p:
        cameras.append(registry.add(SYSTEM, Camera(
            None, "demo 1920x1080", "demo://bench?w=1920&h=1080&fps=25&gop=2")))
    for camera in cameras:
        assert camera.id is not None
        recording.parts.policy.set_mode(SYSTEM, camera.id, RecordingMode.CONTINUOUS)
    scheduler = RecordingScheduler(recording, hub, registry, bus).start()
    lookback = LookBack(hub, recording)
    try:
        recorded_from = time.time()
        print(f"recording {len(cameras)} camera(s) for {args.record:.0f} s ...")
        time.sleep(args.record)
        for camera in cameras:
            print(camera.name)
            measure(lookback, camera, args.tries, recorded_from, "barcode" in camera.name)
    finally:
        lookback.close()
        scheduler.close()
        hub.close()
        recording.close()
        engine.dispose()
        server.close()


if __name__ == "__main__":
    main()
