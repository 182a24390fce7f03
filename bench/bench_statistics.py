"""Statistics figures: the statistics window's first paint over a big station.

Run: .venv/bin/python -m bench.bench_statistics [--runs 5] [--db PATH]

A SQLite file (made by the real migrations) holds ``--incidents`` incidents (100,000),
``--sightings`` sightings (1,000,000) and ``--alerts`` alerts over the year up to today,
generated with a seeded RNG (tests/support/statistics_data.py) and inserted in bulk
(executemany in 20,000-row batches, one transaction). ``--db`` keeps the file between
runs (made only when missing).

Then ``--runs`` times: the statistics window is made and shown (Qt offscreen unless
QT_QPA_PLATFORM or DISPLAY say otherwise) until its charts paint with the figures in
them (``StatisticsWindow.charts_painted``): the queries run on the UI's background
executor while the window paints "loading". Also the queries alone (``gather``), on
this thread.

Target (issue 17): first paint <= 500 ms over 100,000 incidents and 1,000,000 sightings,
queries off the GUI thread.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from bench.procstat import machine_busy_percent
from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.db.engine import open_database
from commandroom.statistics import StatisticsService
from commandroom.statistics.queries import STATION_TZ
from tests.support.statistics_data import generate, insert_all
from ui.bridge import shutdown_background
from ui.statistics.figures import gather
from ui.statistics.window import StatisticsWindow


def _fill(path: Path, args: argparse.Namespace, today: datetime) -> None:
    first = (today - timedelta(days=364)).date()
    started = time.perf_counter()
    data = generate(17, first, 365, incidents=args.incidents, sightings=args.sightings,
                    alerts=args.alerts)
    generated = time.perf_counter()
    _, sessions = open_database(f"sqlite:///{path}")
    insert_all(sessions, data)
    done = time.perf_counter()
    print(f"generated in {generated - started:.1f} s, inserted in {done - generated:.1f} s "
          f"({path.stat().st_size / 1e6:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--sightings", type=int, default=1_000_000)
    parser.add_argument("--alerts", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    now = datetime.now(STATION_TZ)
    path = args.db or Path(tempfile.mkdtemp(prefix="bench-statistics-")) / "station.db"
    if not path.exists():
        _fill(path, args, now)
    engine, sessions = open_database(f"sqlite:///{path}")
    service = StatisticsService(sessions, AuditTrail(sessions))
    app = QApplication.instance() or QApplication([])
    busy = machine_busy_percent()

    queries = []
    for _ in range(args.runs):
        started = time.perf_counter()
        gather(service, SYSTEM, now.date())
        queries.append((time.perf_counter() - started) * 1000)

    paints, loading = [], []
    for _ in range(args.runs):
        painted: list[float] = []
        started = time.perf_counter()
        window = StatisticsWindow(service, lambda: SYSTEM, now.date, print)
        window.charts_painted.connect(lambda p=painted: p.append(time.perf_counter()))
        window.resize(1280, 860)
        window.show()
        app.processEvents()
        loading.append((time.perf_counter() - started) * 1000)
        deadline = time.perf_counter() + 30
        while not painted and time.perf_counter() < deadline:
            app.processEvents()
        assert painted, "the charts never painted"
        paints.append((painted[0] - started) * 1000)
        window.close()
        window.deleteLater()
        app.processEvents()
    shutdown_background()
    engine.dispose()
    print(f"machine busy {busy:.0f} % before the runs; platform {app.platformName()}")
    print(f"queries alone (gather, {args.runs} runs): median {statistics.median(queries):.0f} ms"
          f" (min {min(queries):.0f}, max {max(queries):.0f})")
    print(f"window shown with 'loading': median {statistics.median(loading):.0f} ms")
    print(f"open -> charts painted ({args.runs} runs): median {statistics.median(paints):.0f} ms"
          f" (min {min(paints):.0f}, max {max(paints):.0f}); target <= 500 ms")


if __name__ == "__main__":
    main()
