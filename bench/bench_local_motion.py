"""Local motion detection CPU: detection at 5 pictures/s per camera vs decoding alone.

Run: .venv/bin/python -m bench.bench_local_motion [--cameras 4] [--seconds 15] [--rounds 2]

Every camera is one of the test server's ``/clipN`` mounts (pre-encoded H.264 640x360@25,
testsrc2: it moves all the time, so the detector works on every picture), read through the
real ``StreamHub``. Each round measures, in this process and one after the other (so that
load from other work on the machine hits all alike; ratios are taken per round):

* **decode**: a viewer per camera at the detector's size (what a ``LocalMotionClient``'s
  own subscription costs: decode 25 pictures/s, scale to 320x180), nothing examined;
* **decode + detect**: a ``LocalMotionClient`` per camera on its own thread (the same
  subscription, plus grey + MOG2 + opening on the newest picture every 200 ms);
* **tile**: a 640x360 viewer per camera (a tile showing the sub stream), nothing else;
* **tile + detect**: the same tiles and a client per camera sharing their readers (the
  detector's cost when the camera is on screen anyway).

CPU is user + system time of this process over the window (all its threads), as % of one
core, divided by the number of cameras. The RTSP server is another process and is not
counted. Also printed: the detector alone on one 320x180 picture (ms, median).
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import numpy

from bench.procstat import CpuWindow, machine_busy_percent
from commandroom.camera_events.local_motion import LocalMotionClient
from commandroom.camera_events.model import CameraEvent, EventProblem
from commandroom.camera_events.motion_detector import MotionDetector
from commandroom.config import VideoSettings
from commandroom.video.hub import StreamHub
from commandroom.video.stream_spec import StreamSpec
from tests.support.rtsp import RtspTestServer, ensure_test_clip, wait_for_seq

DETECTOR_BOX = (320, 320)
TILE = (640, 360)
OPEN_TIMEOUT_S = 20.0


@contextmanager
def viewers(hub: StreamHub, specs: list[StreamSpec], size: tuple[int, int]) -> Iterator[None]:
    handles = [hub.subscribe(spec, size) for spec in specs]
    try:
        for handle in handles:
            wait_for_seq(handle, 1, OPEN_TIMEOUT_S)
        yield
    finally:
        for handle in handles:
            handle.release()


@contextmanager
def detectors(hub: StreamHub, specs: list[StreamSpec],
              examined: list[int]) -> Iterator[None]:
    """One client per camera on its own thread, as the intake runs them."""
    stop = threading.Event()
    clients = [LocalMotionClient(i, hub, spec) for i, spec in enumerate(specs, 1)]
    events: list[CameraEvent] = []
    problems: list[EventProblem] = []
    threads = [threading.Thread(target=c.run_once, args=(events.append, problems.append, stop),
                                name=f"bench motion {c.camera_id}") for c in clients]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + OPEN_TIMEOUT_S
        while any(c.examined < 3 for c in clients):  # every stream open and examined
            if time.monotonic() > deadline:
                raise TimeoutError("a detector saw no picture")
            time.sleep(0.05)
        examined[:] = [sum(c.examined for c in clients)]
        yield
        examined.append(sum(c.examined for c in clients))
    finally:
        stop.set()
        for client in clients:
            client.abort()
        for thread in threads:
            thread.join(5.0)


def measure(setup: Callable[[ExitStack], None], seconds: float, warmup: float,
            cameras: int) -> float:
    """% of one core per camera while ``setup``'s subscriptions run."""
    with ExitStack() as stack:
        setup(stack)
        time.sleep(warmup)  # the decoders settle; the detectors finish warming up
        window = CpuWindow(["self"]).start()
        time.sleep(seconds)  # the measured window
        return window.stop() / cameras


def detector_alone_ms(repeats: int = 200) -> float:
    rng = numpy.random.default_rng(1)
    detector = MotionDetector()
    pictures = [rng.integers(0, 255, size=(180, 320, 4), dtype=numpy.uint8) for _ in range(8)]
    times = []
    for i in range(repeats):
        began = time.perf_counter()
        detector.examine(pictures[i % len(pictures)], i * 0.2)
        times.append((time.perf_counter() - began) * 1000.0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    print(f"machine busy before: {machine_busy_percent():.0f} % of one core")
    print(f"detector alone, one 320x180 picture: {detector_alone_ms():.2f} ms (median)")
    server = RtspTestServer(live_mounts=0, clip=ensure_test_clip(), clip_mounts=args.cameras)
    server.start()
    hub = StreamHub(VideoSettings(idle_stop_s=0.2))
    specs = [StreamSpec(server.url(f"clip{i}")) for i in range(1, args.cameras + 1)]
    results: dict[str, list[float]] = {}
    rates: list[float] = []
    try:
        for round_no in range(1, args.rounds + 1):
            examined: list[int] = []
            shared: list[int] = []
            modes = _modes(hub, specs, examined, shared)
            for name, setup in modes.items():
                results.setdefault(name, []).append(
                    measure(setup, args.seconds, args.warmup, args.cameras))
                wait_idle(hub)
            window = args.seconds + args.warmup
            rates.append((examined[1] - examined[0]) / window / args.cameras)
            row = ", ".join(f"{n} {v[-1]:.1f} %" for n, v in results.items())
            print(f"round {round_no}: per camera, % of one core: {row}")
    finally:
        hub.close()
        server.close()
    print(f"\n{args.cameras} cameras, 640x360@25 H.264, {args.seconds:.0f} s windows, "
          f"{args.rounds} rounds (median); % of one core per camera:")
    med = {name: statistics.median(values) for name, values in results.items()}
    for name, value in med.items():
        print(f"  {name:<16} {value:6.2f} %")
    print(f"  detection adds   {med['decode + detect'] - med['decode']:6.2f} % "
          f"(ratio decode+detect / decode = {med['decode + detect'] / med['decode']:.2f})")
    print(f"  on a shown tile  {med['tile + detect'] - med['tile']:6.2f} % "
          f"(ratio tile+detect / tile = {med['tile + detect'] / med['tile']:.2f})")
    print(f"  pictures examined per camera per second: {statistics.median(rates):.2f}")


def _modes(hub: StreamHub, specs: list[StreamSpec], examined: list[int],
           shared: list[int]) -> dict[str, Callable[[ExitStack], None]]:
    def decode(stack: ExitStack) -> None:
        stack.enter_context(viewers(hub, specs, DETECTOR_BOX))

    def decode_detect(stack: ExitStack) -> None:
        stack.enter_context(detectors(hub, specs, examined))

    def tile(stack: ExitStack) -> None:
        stack.enter_context(viewers(hub, specs, TILE))

    def tile_detect(stack: ExitStack) -> None:
        stack.enter_context(viewers(hub, specs, TILE))  # the tiles open the readers
        stack.enter_context(detectors(hub, specs, shared))  # the detectors join them

    return {"decode": decode, "decode + detect": decode_detect, "tile": tile,
            "tile + detect": tile_detect}


def wait_idle(hub: StreamHub) -> None:
    """Every reader of the previous mode has stopped (idle_stop_s) before the next."""
    deadline = time.monotonic() + 10.0
    while hub.reader_count() and time.monotonic() < deadline:
        time.sleep(0.05)


if __name__ == "__main__":
    main()
