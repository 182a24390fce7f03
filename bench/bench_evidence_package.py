"""Evidence package of 10 clips totalling 200 MB: written and verified, in MB/s.

Run: .venv/bin/python -m bench.bench_evidence_package [--clips 10] [--mb 200] [--runs 3]

The clips are sighting clips of a temporary station (real rows, files under the data
folder with their SHA-256 recorded, as tagging leaves them). Each is the test clip's bytes
(a real H.264 MP4, scripts/make_test_clip.sh) repeated up to its size, with the clip's
number in front of every copy so no two files are alike: the first copy is a playable MP4,
the rest are its bytes again; the package treats every file as bytes, so the figures are
those of real MP4 content. Plus a 1080p-sized snapshot PNG per sighting.

Figures, per run:
* write: ``EvidencePackages.export`` end to end (each original read and checked against
  its recorded SHA-256 while it is copied into the STORED ZIP, CRC-32 by zipfile, the PDF
  with its embedded font, manifest, signature, fsync and rename, the whole ZIP's SHA-256,
  locks and the audit entry), over the evidence bytes;
* verify: ``verify_package`` (signature, every entry read with its CRC-32 and SHA-256);
* copy: a plain copy of the same files (read, write, fsync) in the same run: the
  reference; the ratios say what the package costs over moving the bytes at all.
The files are in the page cache for all three (just written), as they are after tagging.
Target (issue 17): write and verify each >= 100 MB/s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from bench.procstat import machine_busy_percent
from commandroom.auth.permissions import Actor, Role
from commandroom.config import Paths, Settings
from commandroom.evidence_package.service import PackageRequest
from commandroom.evidence_package.verify import verify_package
from commandroom.files import private_dir, relative_to, write_private
from commandroom.runtime import Core
from commandroom.runtime.hooks import CoreHooks
from commandroom.sightings.models import SightingRow
from tests.support.rtsp import ensure_test_clip

DUTY = Actor("bench", Role.DUTY_OFFICER, 2)
T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def make_clip(path: Path, number: int, size: int, base: bytes) -> str:
    chunk = f"clip {number:04d}\n".encode() + base
    data = (chunk * (size // len(chunk) + 1))[:size]
    return write_private(path, data)


def make_sightings(core: Core, clips: int, clip_bytes: int) -> list[int]:
    base = ensure_test_clip().read_bytes()
    evidence = private_dir(core.paths.data_dir / "evidence" / "bench")
    rng = np.random.default_rng(1)
    ids = []
    with core.sessions.begin() as session:
        for n in range(clips):
            snapshot = evidence / f"s{n}.png"
            clip = evidence / f"s{n}.mp4"
            # Noise-like bytes of a 1080p PNG's typical size (~3 MB): content is bytes here.
            snap_sha = write_private(snapshot, rng.bytes(3_000_000))
            clip_sha = make_clip(clip, n, clip_bytes, base)
            row = SightingRow(camera_id=None, camera_name=f"cam {n}", junction="bench",
                              frame_time=T0 + timedelta(minutes=n), seq=n, operator="bench",
                              snapshot_path=relative_to(core.paths.data_dir, snapshot),
                              snapshot_sha256=snap_sha,
                              clip_path=relative_to(core.paths.data_dir, clip),
                              clip_sha256=clip_sha, clip_status="done")
            session.add(row)
            session.flush()
            ids.append(row.id)
    return ids


def plain_copy(sources: list[Path], folder: Path) -> None:
    private_dir(folder)
    for source in sources:
        with source.open("rb") as src, (folder / source.name).open("wb") as dst:
            while chunk := src.read(4 << 20):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=10)
    parser.add_argument("--mb", type=float, default=200.0, help="clips' total size")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine busy before start: {machine_busy_percent():.0f} % of all cores")
    with tempfile.TemporaryDirectory(prefix="bench-evidence-") as tmp:
        folder = Path(tmp)
        paths = Paths.resolve(folder / "data")
        os.environ["COMMANDROOM_AUDIT_ANCHOR_DIR"] = str(folder / "anchors")
        core = Core(paths, Settings(), hooks=CoreHooks(keyring=None))
        try:
            clip_bytes = int(args.mb * 1e6 / args.clips)
            ids = make_sightings(core, args.clips, clip_bytes)
            sources = sorted((paths.data_dir / "evidence" / "bench").iterdir())
            total = sum(p.stat().st_size for p in sources)
            print(f"{args.clips} clips of {clip_bytes / 1e6:.1f} MB + {args.clips} snapshots: "
                  f"{total / 1e6:.1f} MB of evidence")
            rows = []
            for run in range(args.runs):
                started = time.perf_counter()
                plain_copy(sources, folder / f"copy{run}")
                copy_s = time.perf_counter() - started
                started = time.perf_counter()
                result = core.evidence_packages.export(DUTY, PackageRequest(
                    f"BENCH-{run}", folder / "out", tuple(ids)))
                write_s = time.perf_counter() - started
                started = time.perf_counter()
                report = verify_package(result.path)
                verify_s = time.perf_counter() - started
                assert report.ok, report.problems
                mbs = [total / 1e6 / s for s in (write_s, verify_s, copy_s)]
                rows.append(mbs)
                print(f"run {run + 1}: write {mbs[0]:6.0f} MB/s ({write_s:.2f} s)   "
                      f"verify {mbs[1]:6.0f} MB/s ({verify_s:.2f} s)   "
                      f"plain copy {mbs[2]:6.0f} MB/s ({copy_s:.2f} s)   "
                      f"ZIP {result.path.stat().st_size / 1e6:.1f} MB")
                result.path.unlink()
            write, verify, copy = (statistics.median(col) for col in zip(*rows, strict=True))
            print(f"median: write {write:.0f} MB/s ({write / copy:.2f}x plain copy), "
                  f"verify {verify:.0f} MB/s ({verify / copy:.2f}x plain copy), "
                  f"plain copy {copy:.0f} MB/s; target >= 100 MB/s each")
        finally:
            core.stop()


if __name__ == "__main__":
    main()
