"""Fill a data folder with a generated station year, for the statistics window.

Usage (from the repository, with the shared virtualenv)::

    PYTHONPATH=. .venv/bin/python scripts/dev_statistics.py /tmp/stats-data [--incidents N]
    PYTHONPATH=. .venv/bin/python -c "import sys; from ui.app import main; sys.exit(main())" \\
        --data-dir /tmp/stats-data --demo            # then Ctrl+Shift+G

Teams, sightings, alerts and incidents over the 13 months up to today (seeded RNG,
tests/support/statistics_data.py), inserted in bulk into the folder's database (made by
the real migrations when missing).
"""

from __future__ import annotations

import argparse
from datetime import datetime

from commandroom.config import Paths, load_settings
from commandroom.db.engine import open_database
from commandroom.statistics.queries import STATION_TZ
from commandroom.statistics.records import month_start
from tests.support.statistics_data import generate, insert_all


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    parser.add_argument("--incidents", type=int, default=6000)
    parser.add_argument("--sightings", type=int, default=40_000)
    parser.add_argument("--alerts", type=int, default=5000)
    args = parser.parse_args()
    paths = Paths.resolve(args.data_dir)
    paths.ensure()
    url = load_settings(paths).effective_database_url(paths)
    engine, sessions = open_database(url)
    today = datetime.now(STATION_TZ).date()
    first = month_start(today, 13)  # last month has a month before and a year before
    insert_all(sessions, generate(2026, first, (today - first).days + 1,
                                  incidents=args.incidents, sightings=args.sightings,
                                  alerts=args.alerts))
    engine.dispose()
    print(f"{args.incidents} incidents, {args.sightings} sightings, {args.alerts} alerts "
          f"from {first} to {today} in {url}")


if __name__ == "__main__":
    main()
