"""Tagging figures: Enter → sighting saved (snapshot written, row committed), and the
evidence clip finished after its post-roll. Prints figures; asserts nothing.

    .venv/bin/python -m bench.bench_tagging [--tags 20] [--size 1920x1080] [--post 3]

Uses a demo source (H.264, generated locally) through the real StreamHub, the real
SightingService on a throw-away SQLite, and FrozenEvidence as the console does.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.config import EvidenceSettings, Paths, Settings
from commandroom.runtime import Core, CoreHooks
from commandroom.sightings.events import SightingClipReady
from commandroom.sightings.frozen import FrozenEvidence
from commandroom.sightings.records import CameraRef, NewUnknown
from commandroom.video.stream_spec import StreamSpec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tags", type=int, default=20)
    parser.add_argument("--clips", type=int, default=4)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--pre", type=float, default=3.0)
    parser.add_argument("--post", type=float, default=3.0)
    args = parser.parse_args()
    w, h = (int(x) for x in args.size.split("x"))
    data = Path(tempfile.mkdtemp(prefix="bench-tag-"))
    evidence = EvidenceSettings(pre_seconds=args.pre, post_seconds=args.post)
    # The app's core; its trail unanchored (no anchor key left behind for a throw-away
    # database), as the figures in bench/README were measured.
    core = Core(Paths.resolve(data), Settings(evidence=evidence),
                hooks=CoreHooks(keyring=None, audit_sink=AuditTrail))
    events, sightings, hub = core.events, core.sightings, core.hub
    handle = hub.subscribe(StreamSpec(url=f"demo://bench?w={w}&h={h}&fps=25"), (640, 360))
    ready: dict[int, float] = {}
    done = threading.Condition()

    def clip_ready(event: SightingClipReady) -> None:
        with done:
            ready[event.sighting_id] = time.monotonic()
            done.notify_all()

    events.subscribe(SightingClipReady, clip_ready)
    while handle.slot.seq < int(25 * (args.pre + 2)):  # a full pre-roll in the ring
        time.sleep(0.1)
    camera = CameraRef(None, "bench", "bench junction")
    save_ms: list[float] = []
    clip_s: list[float] = []
    for i in range(args.tags):
        seq = handle.slot.seq
        t_key = time.monotonic()  # the officer's Enter (T was pressed just before)
        frozen = FrozenEvidence(handle, seq, args.pre, args.post, data / "staging")
        view = sightings.tag(SYSTEM, frozen, None, camera, NewUnknown(), None, f"tag {i}")
        save_ms.append((time.monotonic() - t_key) * 1000)
        if i < args.clips:
            with done:
                done.wait_for(lambda v=view.id: v in ready, timeout=args.post + 30)
            clip_s.append(ready.get(view.id, float("nan")) - t_key)
    sightings.wait_for_clips(30)
    handle.release()
    core.stop()
    q = statistics.quantiles(save_ms, n=20)
    print(f"frame {w}x{h}, {args.tags} tags")
    print(f"Enter -> sighting saved (PNG + SHA-256 + row + audit): median "
          f"{statistics.median(save_ms):.0f} ms, p95 {q[18]:.0f} ms, max {max(save_ms):.0f} ms")
    print(f"tag -> evidence clip finished: median {statistics.median(clip_s):.2f} s "
          f"(post-roll {args.post:.1f} s; so {statistics.median(clip_s) - args.post:.2f} s "
          f"after the post-roll ends), over {len(clip_s)} clips")


if __name__ == "__main__":
    main()
