"""A burst of camera events through the core: intake -> event log -> suggestions.

Run: .venv/bin/python -m bench.bench_event_burst_core [--rate 100] [--cameras 16]
     [--seconds 30] [--entries 100000]

A real Core (SQLite in a temp folder, the watch list with ``--entries`` vehicles, the
plate matcher, the sighting service) is opened with one in-process client per camera
(the ``EventClient`` protocol, as the ONVIF/ISAPI/Dahua clients): together they send
``--rate`` events a second, evenly paced, for ``--seconds``. A checkpoint's mix: 40 %
plate reads with a 30 KB JPEG (1 in 10 of a watch-listed vehicle, half of those
misread), 60 % motion / line crossing / intrusion start and stop without a picture.

Printed: events in (handed to the intake) vs stored and dropped, cards raised, and the
store latency (the client's receive time to ``CameraEventStored`` published after the
commit, which includes waiting in the writer's queue) median / p99 / max; CPU.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np

from bench.bench_plate_match import generate
from bench.procstat import cpu_seconds
from commandroom.auth.permissions import SYSTEM
from commandroom.camera_events.model import (
    CameraEvent,
    EventClient,
    EventEndpoint,
    EventPicture,
    EventSink,
    EventSource,
    EventState,
    EventType,
    ProblemSink,
)
from commandroom.camera_events.views import CameraEventStored, SuggestionRaised
from commandroom.cameras.registry import Camera
from commandroom.config import Paths, Settings
from commandroom.runtime import open_core
from commandroom.runtime.hooks import CoreHooks
from commandroom.watchlist.plate_match import normalise_read

_MOTION = (EventType.MOTION, EventType.LINE_CROSSING, EventType.INTRUSION)


def _jpeg(rng: np.random.Generator) -> bytes:
    # Noise compresses badly: ~30 KB at this size, like a checkpoint's plate close-up.
    image = rng.integers(0, 256, (120, 200, 3), dtype=np.uint8)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    return bytes(data.tobytes())


class PacedCamera:
    """Sends events at ``rate`` a second from ``start`` until ``end`` (wall clock)."""

    def __init__(self, endpoint: EventEndpoint, rate: float, start: float, end: float,
                 listed: list[str], picture: bytes, seed: int) -> None:
        self.endpoint = endpoint
        self.rate = rate
        self.start = start
        self.end = end
        self.listed = listed
        self.picture = picture
        self.rng = random.Random(seed)
        self.sent = 0
        self._abort = threading.Event()

    def _event(self) -> CameraEvent:
        now = datetime.now(UTC)
        camera_id = self.endpoint.camera_id
        if self.rng.random() < 0.4:
            plate = f"鄂Q{self.rng.randrange(100000):05d}"  # not on the list
            if self.rng.random() < 0.1:
                plate = normalise_read(self.rng.choice(self.listed))
                if self.rng.random() < 0.5:  # one confusable misread
                    plate = plate.replace("0", "D", 1).replace("8", "B", 1)
            return CameraEvent(camera_id, EventSource.ISAPI, EventType.PLATE,
                               EventState.PULSE, now, now, "ANPR", plate=plate,
                               plate_colour="blue", picture=EventPicture(self.picture))
        state = EventState.START if self.sent % 2 == 0 else EventState.STOP
        return CameraEvent(camera_id, EventSource.ISAPI, self.rng.choice(_MOTION), state,
                           now, now, "VMD")

    def run_once(self, sink: EventSink, problems: ProblemSink, stop: threading.Event) -> None:
        while not stop.is_set() and not self._abort.is_set():
            due = self.start + self.sent / self.rate
            if due >= self.end:
                break
            if stop.wait(max(0.0, due - time.time())):
                return
            sink(self._event())
            self.sent += 1
        self._abort.wait()  # the connection stays open, quiet, until stopped

    def abort(self) -> None:
        self._abort.set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=100.0, help="events/s, all cameras")
    parser.add_argument("--cameras", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--entries", type=int, default=100_000, help="watch-listed vehicles")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-event-burst-") as folder:
        paths = Paths.resolve(Path(folder) / "data")
        paths.ensure()
        settings = Settings()
        settings.alerts.ack_port = 0
        listed = generate(settings.effective_database_url(paths), args.entries,
                          random.Random(16))
        start = time.time() + 3.0
        end = start + args.seconds
        picture = _jpeg(np.random.default_rng(1))
        cameras: list[PacedCamera] = []

        def client(endpoint: EventEndpoint) -> EventClient:
            made = PacedCamera(endpoint, args.rate / args.cameras,
                               start + endpoint.camera_id / args.rate, end, listed, picture,
                               endpoint.camera_id)
            cameras.append(made)
            return made

        core = open_core(paths, settings,
                         hooks=CoreHooks(event_clients={EventSource.ISAPI: client}))
        latencies: list[float] = []
        raised: list[SuggestionRaised] = []
        core.events.subscribe(CameraEventStored, lambda e: latencies.append(
            time.time() - e.event.received_at.timestamp()))
        core.events.subscribe(SuggestionRaised, raised.append)
        try:
            for n in range(args.cameras):
                core.registry.add(SYSTEM, Camera(None, f"Checkpoint {n + 1:02d}",
                                                 f"rtsp://127.0.0.1:8554/c{n}",
                                                 event_source="isapi"))
            core.plates.warm()  # the index is built before the burst, as at start-up
            cpu0 = cpu_seconds()
            core.start()
            threading.Event().wait(max(0.0, end - time.time()) + 0.5)
            drained = core.event_intake.wait_idle(60.0)
            cpu = cpu_seconds() - cpu0
            counts = core.camera_events.counts(SYSTEM)
        finally:
            core.stop()
        sent = sum(c.sent for c in cameras)
        print(f"{args.cameras} cameras, {args.rate:.0f} events/s for {args.seconds:.0f} s, "
              f"{args.entries} watch-listed vehicles")
        print(f"events in {counts['received']} (clients sent {sent}), stored "
              f"{counts['stored']}, dropped {counts['dropped']}, drained: {drained}")
        print(f"cards raised {len(raised)}")
        if latencies:
            ordered = sorted(latencies)
            p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
            print(f"store latency (received -> stored, published) median "
                  f"{statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
                  f"max {ordered[-1] * 1000:.1f} ms")
        print(f"CPU {cpu:.1f} s over {args.seconds + 0.5:.1f} s "
              f"({cpu / (args.seconds + 0.5) * 100:.0f} % of one core)")


if __name__ == "__main__":
    main()
