"""Plate reads against 100,000 watch-listed vehicles: lookups per second and latency.

Run: .venv/bin/python -m bench.bench_plate_match [--entries 100000] [--reads 20000]

The vehicles go into a real SQLite watch list; ``PlateMatcher`` (what the core gives an
event intake) is built from it and then asked a mix of reads a checkpoint camera sends:
exact, one or two confusables (0/O/D, 8/B, 1/I, 2/Z, 5/S), one wrong, missing or extra
character, the Latin part only, and plates not on the list. For each kind it prints how
often the vehicle the read came from was found (recall), and for all reads the rate and
the median / p99 / max latency of one ``match``.

Measured in the same run, for scale: a plain ``dict`` look-up of the normalised read
(exact only: the floor of any index) and the obvious alternative, the same scoring by
scanning a list (1,000 entries; a scan of 100,000 is a hundred times that).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert

from bench.procstat import machine_busy_percent, rss_mb
from commandroom.auth.permissions import SYSTEM
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.sightings.references import sightings_of_entry
from commandroom.watchlist.models import WatchEntryRow
from commandroom.watchlist.plate_index import PlateIndex
from commandroom.watchlist.plate_match import (
    CONFUSABLE_GROUPS,
    DEFAULT_THRESHOLD,
    compare,
    normalise_read,
    score,
    split_plate,
)
from commandroom.watchlist.plate_watch import PlateMatcher
from commandroom.watchlist.plates import PROVINCES
from commandroom.watchlist.service import WatchlistService

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
ALNUM = LETTERS + "0123456789"
_CONFUSABLE = {ch: group.replace(ch, "") for group in CONFUSABLE_GROUPS for ch in group}


class NullAudit:
    def append(self, *args: object, **kwargs: object) -> None:
        pass


def _plate(rng: random.Random) -> str:
    """Mostly one prefecture's plates (as a town's list is), some new-energy, some 警/学."""
    province = "鄂" if rng.random() < 0.6 else rng.choice(PROVINCES)
    city = "G" if province == "鄂" and rng.random() < 0.7 else rng.choice(LETTERS)
    roll = rng.random()
    if roll < 0.15:  # new energy, small car: D/F then 5 characters
        tail = rng.choice("DF") + rng.choice(ALNUM) + "".join(rng.choices("0123456789", k=4))
    elif roll < 0.2:
        tail = "".join(rng.choices(ALNUM, k=4)) + rng.choice("警学挂")
    else:
        tail = "".join(rng.choices(ALNUM, k=5))
    return f"{province}{city}·{tail}"


def generate(url: str, count: int, rng: random.Random) -> list[str]:
    plates: dict[str, str] = {}
    while len(plates) < count:
        plate = _plate(rng)
        plates.setdefault(normalise_read(plate), plate)
    engine, sessions = open_database(url)
    defaults = dict(kind="vehicle", category="wanted", risk="medium", reason="",
                    case_reference="", notes="", archived=False, sex="", colour="",
                    make_model="", name="", id_number=None)
    with sessions.begin() as session:
        session.execute(insert(WatchEntryRow), [
            {**defaults, "plate": plate, "plate_normalised": key}
            for key, plate in plates.items()])
    engine.dispose()
    return list(plates.values())


def _misread(plate: str, kind: str, rng: random.Random) -> str:
    text = normalise_read(plate)
    body = range(1, len(text))  # never the province character itself
    if kind in ("confusable", "two confusables"):
        spots = [i for i in body if text[i] in _CONFUSABLE]
        for i in rng.sample(spots, min(len(spots), 1 if kind == "confusable" else 2)):
            text = text[:i] + rng.choice(_CONFUSABLE[text[i]]) + text[i + 1:]
        return text
    i = rng.choice(body)
    if kind == "one wrong":
        wrong = [c for c in ALNUM if c != text[i] and c not in _CONFUSABLE.get(text[i], "")]
        return text[:i] + rng.choice(wrong) + text[i + 1:]
    if kind == "one missing":
        return text[:i] + text[i + 1:]
    if kind == "one extra":
        return text[:i] + rng.choice(ALNUM) + text[i:]
    if kind == "Latin part only":
        return text[1:]
    return text


KINDS = ("exact", "confusable", "two confusables", "one wrong", "one missing", "one extra",
         "Latin part only")


def reads(plates: list[str], count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(kind, read, plate it came from or "" for an unknown vehicle)."""
    known = set(map(normalise_read, plates))
    out: list[tuple[str, str, str]] = []
    for n in range(count):
        if n % 8 == 7:
            unknown = _plate(rng)
            while normalise_read(unknown) in known:
                unknown = _plate(rng)
            out.append(("not on the list", normalise_read(unknown), ""))
            continue
        plate = rng.choice(plates)
        kind = KINDS[n % 8]
        out.append((kind, _misread(plate, kind, rng), plate))
    return out


def timed(fn: Callable[[str], object], texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        start = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    print(f"{label:<46} n={len(times):>6}  {len(times) / sum(times):>10,.0f} /s"
          f"  median {statistics.median(ordered) * 1e3:7.3f} ms"
          f"  p99 {p99 * 1e3:7.3f} ms  max {ordered[-1] * 1e3:7.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=20_000)
    args = parser.parse_args()
    print(f"machine busy before start: {machine_busy_percent():.0f} %")
    rng = random.Random(16)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        plates = generate(url, args.entries, rng)
        engine, sessions = open_database(url)
        service = WatchlistService(sessions, NullAudit(), EventBus(),
                                   references=sightings_of_entry, data_dir=Path(tmp))
        start = time.perf_counter()
        service.warm_index()
        loaded = time.perf_counter()
        before = rss_mb()
        matcher = PlateMatcher(service, EventBus())
        matcher.warm()
        built = time.perf_counter()
        print(f"{len(matcher):,} plates: search index loaded from SQLite in "
              f"{loaded - start:.2f} s, plate index built in {built - loaded:.2f} s, "
              f"+{rss_mb() - before:.0f} MB RSS")
        tracemalloc.start()
        alone = PlateIndex()
        alone.put_many(service.indexed(SYSTEM))
        print(f"plate index alone: {tracemalloc.get_traced_memory()[0] / 1e6:.0f} MB "
              f"(tracemalloc)")
        tracemalloc.stop()
        del alone

        sample = reads(plates, args.reads, rng)
        texts = [text for _, text, _ in sample]
        matcher.match(texts[0])
        report("PlateMatcher.match, all reads", timed(matcher.match, texts))
        for kind in (*KINDS, "not on the list"):
            of_kind = [(t, p) for k, t, p in sample if k == kind]
            results = [(matcher.match(t), p) for t, p in of_kind]
            # A known vehicle: found among the suggestions. An unknown one: any suggestion
            # at all is a false one (a plate on file one misread away from it).
            if kind == "not on the list":
                rate, what = sum(1 for r, _ in results if r) / len(results), "suggested"
            else:
                rate = sum(1 for r, p in results if p in [m.entry.plate for m in r])
                rate, what = rate / len(results), "found"
            scores = [r[0].score for r, _ in results if r]
            mean = f"{statistics.mean(scores):.2f}" if scores else "-"
            print(f"  {kind:<18} {what} {rate:6.1%}  best score, mean {mean}")

        exact = {normalise_read(p): p for p in plates}
        report("reference: dict look-up (exact only)",
               timed(lambda t: exact.get(normalise_read(t)), texts))

        on_file = [split_plate(normalise_read(p)) for p in plates[:1000]]

        def scan(text: str) -> list[float]:
            read = split_plate(normalise_read(text))
            return [score(e) for plate in on_file
                    if (e := compare(read, plate)) is not None
                    and score(e) >= DEFAULT_THRESHOLD]

        report("reference: naive scan of 1,000 entries", timed(scan, texts[:2000]))
        engine.dispose()

if __name__ == "__main__":
    main()
