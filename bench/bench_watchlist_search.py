"""Search-as-you-type over 100,000 watch-list entries: median and p95 per keystroke.

Run: .venv/bin/python bench/bench_watchlist_search.py [--entries 100000]

Times ``WatchlistService.search`` (permission check + in-memory index), and for
comparison the two obvious alternatives: SQL ``LIKE '%x%'`` on SQLite, and a plain Python
loop over a list of haystack strings.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, insert, or_, select

from commandroom.auth.permissions import Actor, Role
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.sightings.references import sightings_of_entry
from commandroom.watchlist.idcard import check_character
from commandroom.watchlist.models import WatchAliasRow, WatchEntryRow
from commandroom.watchlist.plates import PROVINCES, normalise_plate
from commandroom.watchlist.search_index import normalise_for_search
from commandroom.watchlist.service import WatchlistService

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁"
    "谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超"
    "秀兰霞平刚桂英华建国红玉兰春梅海燕志强文辉"
)
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


class NullAudit:
    def append(self, *args: object, **kwargs: object) -> None:
        pass


def _id_number(rng: random.Random) -> str:
    first = f"{rng.randint(110000, 659999)}{rng.randint(1950, 2005)}"
    first += f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return first + check_character(first)


def _plate(rng: random.Random) -> str:
    tail = "".join(rng.choice(LETTERS + "0123456789") for _ in range(5))
    return f"{rng.choice(PROVINCES)}{rng.choice(LETTERS)}·{tail}"


def generate(sessions_url: str, count: int, rng: random.Random) -> None:
    engine, sessions = open_database(sessions_url)
    entries, aliases = [], []
    seen_ids, seen_plates = set(), set()
    for entry_id in range(1, count + 1):
        if rng.random() < 0.7:
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
            number = _id_number(rng)
            while number in seen_ids:
                number = _id_number(rng)
            seen_ids.add(number)
            entries.append(dict(id=entry_id, kind="person", name=name, id_number=number,
                                plate="", plate_normalised=None))
            if rng.random() < 0.3:
                aliases.append(dict(entry_id=entry_id, alias="小" + name[-1], position=0))
        else:
            plate = _plate(rng)
            while normalise_plate(plate) in seen_plates:
                plate = _plate(rng)
            seen_plates.add(normalise_plate(plate))
            entries.append(dict(id=entry_id, kind="vehicle", name="", id_number=None,
                                plate=plate, plate_normalised=normalise_plate(plate)))
    defaults = dict(category="other", risk="medium", reason="", case_reference="", notes="",
                    archived=False, sex="", colour="", make_model="")
    with sessions.begin() as session:
        session.execute(insert(WatchEntryRow), [{**defaults, **e} for e in entries])
        session.execute(insert(WatchAliasRow), aliases)
    engine.dispose()


def keystrokes(sample: list[tuple[str, str, str]], rng: random.Random) -> list[str]:
    """Every prefix an officer types while entering a name, an ID number or a plate, plus
    fragments from the middle and queries that match nothing (a full scan)."""
    queries: list[str] = []
    for name, number, plate in sample:
        for text in (name, number[:10], plate):
            if text:
                queries += [text[:i] for i in range(1, len(text) + 1)]
        if number:
            queries.append(number[6:14])  # birth date from the middle
        if plate:
            queries.append(plate[-3:])
    queries += ["".join(rng.choices("XQZ", k=6)) for _ in range(50)]  # nothing matches
    return queries


def measure(label: str, fn: Callable[[str], object], queries: list[str]) -> None:
    times = []
    for query in queries:
        start = time.perf_counter()
        fn(query)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{label:<44} n={len(times):>4}  median {statistics.median(times):7.2f} ms"
          f"  p95 {p95:7.2f} ms  max {times[-1]:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(20261129)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        start = time.perf_counter()
        generate(url, args.entries, rng)
        print(f"generated {args.entries} entries in {time.perf_counter() - start:.1f} s")
        engine, sessions = open_database(url)
        actor = Actor("bench", Role.DUTY_OFFICER)
        service = WatchlistService(sessions, NullAudit(), EventBus(),
                                   references=sightings_of_entry, data_dir=Path(tmp))
        start = time.perf_counter()
        service.warm_index()
        print(f"index built in {(time.perf_counter() - start) * 1000:.0f} ms")

        with sessions() as session:
            rows = session.execute(select(WatchEntryRow.name, WatchEntryRow.id_number,
                                          WatchEntryRow.plate)).all()
        sample = [(r[0], r[1] or "", r[2]) for r in rng.sample(rows, 40)]
        queries = keystrokes(sample, rng)
        measure("WatchlistService.search (limit 50)", lambda q: service.search(actor, q), queries)
        no_match = [q for q in queries if not service.search(actor, q)]
        measure("  ... queries matching nothing (full scan)",
                lambda q: service.search(actor, q), no_match)
        one_char = [q for q in queries if len(q) == 1]
        measure("  ... one-character queries", lambda q: service.search(actor, q), one_char)

        hay = [normalise_for_search(f"{r[0]}\x00{r[1] or ''}\x00{r[2]}") for r in rows]
        few = queries[:: max(1, len(queries) // 60)]

        def python_loop(q: str) -> list[int]:
            needle = normalise_for_search(q)
            return [i for i, h in enumerate(hay) if needle in h][:50]

        measure("alternative: Python loop over 100k strings", python_loop, few)

        def sql_like(q: str) -> list[int]:
            pattern = f"%{q}%"
            with sessions() as session:
                query = select(WatchEntryRow.id).where(or_(
                    WatchEntryRow.name.like(pattern), WatchEntryRow.id_number.like(pattern),
                    WatchEntryRow.plate_normalised.like(func.upper(normalise_plate(pattern))),
                )).limit(50)
                return list(session.scalars(query))

        measure("alternative: SQLite LIKE '%x%' (3 columns)", sql_like, few)
        engine.dispose()


if __name__ == "__main__":
    main()
