"""The plate matcher follows the real watch-list service through its events."""

from __future__ import annotations

import dataclasses
import logging
import random
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, insert
from sqlalchemy.orm import Session, sessionmaker

from commandroom.auth.permissions import Actor
from commandroom.events import EventBus
from commandroom.sightings.references import sightings_of_entry
from commandroom.watchlist.models import WatchEntryRow
from commandroom.watchlist.plate_match import MatchRule, normalise_read
from commandroom.watchlist.plate_watch import PlateMatcher
from commandroom.watchlist.plates import PROVINCES
from commandroom.watchlist.records import EntryInput, SearchHit
from commandroom.watchlist.service import WatchlistService
from tests.unit.watchlist.support import DUTY, SUPERVISOR, RecordingAudit

log = logging.getLogger(__name__)

VAN = EntryInput(kind="vehicle", plate="鄂G·12345", name="white van", risk="high")


@pytest.fixture
def matcher(service: WatchlistService, bus: EventBus) -> Iterator[PlateMatcher]:
    made = PlateMatcher(service, bus)
    yield made
    made.close()


def _plates(matcher: PlateMatcher, read: str) -> list[tuple[str, float]]:
    return [(m.entry.plate, m.score) for m in matcher.match(read)]


def test_nothing_is_indexed_until_first_needed(
    service: WatchlistService, matcher: PlateMatcher
) -> None:
    service.create(SUPERVISOR, VAN)
    assert not matcher.ready and len(matcher) == 0 and not service.index_ready
    assert _plates(matcher, "鄂G1Z345") == [("鄂G·12345", 0.9)]  # the misread
    assert matcher.ready and len(matcher) == 1


def test_only_open_vehicle_files_with_a_plate_are_matched(
    service: WatchlistService, matcher: PlateMatcher
) -> None:
    service.create(SUPERVISOR, EntryInput(name="张伟"))
    service.create(SUPERVISOR, EntryInput(kind="vehicle", name="grey car, plate not read"))
    closed = service.create(SUPERVISOR, dataclasses.replace(VAN, plate="鄂G·54321"))
    service.archive(SUPERVISOR, closed.id, "case closed")
    service.create(SUPERVISOR, VAN)
    matcher.warm()
    assert len(matcher) == 1
    assert matcher.match("鄂G54321") == []


def test_the_index_follows_create_edit_archive_restore_delete(
    service: WatchlistService, matcher: PlateMatcher
) -> None:
    matcher.warm()
    van = service.create(SUPERVISOR, VAN)
    best = matcher.match("鄂G12345")[0]
    assert (best.entry.id, best.entry.label, best.entry.risk, best.rules) == (
        van.id, "white van", "high", (MatchRule.EXACT,))

    service.edit(SUPERVISOR, van.id, dataclasses.replace(van.as_input(), plate="鄂G·99999"))
    assert matcher.match("鄂G12345") == []
    assert _plates(matcher, "鄂G99999") == [("鄂G·99999", 1.0)]

    service.archive(SUPERVISOR, van.id, "found")
    assert matcher.match("鄂G99999") == []
    service.restore(SUPERVISOR, van.id, "seen again")
    assert _plates(matcher, "G99999") == [("鄂G·99999", 0.95)]

    service.delete(SUPERVISOR, van.id)
    assert matcher.match("鄂G99999") == [] and len(matcher) == 0


def test_an_import_is_indexed(
    service: WatchlistService, matcher: PlateMatcher, tmp_path: Path
) -> None:
    matcher.warm()
    csv_file = tmp_path / "vehicles.csv"
    csv_file.write_text("kind,plate,name\nvehicle,粤B·D12345,\nvehicle,苏E·5678学,\n", "utf-8")
    report = service.import_csv(SUPERVISOR, csv_file)
    assert len(report.created_ids) == 2
    assert _plates(matcher, "粤BD12345") == [("粤B·D12345", 1.0)]
    assert _plates(matcher, "苏E5678学") == [("苏E·5678学", 1.0)]


def test_a_change_published_while_the_index_is_built_is_not_lost(
    sessions: sessionmaker[Session], audit: RecordingAudit, bus: EventBus, data_dir: Path
) -> None:
    class ChangedDuringBuild(WatchlistService):
        """Another officer adds a vehicle just after the build took its snapshot."""

        def indexed(self, actor: Actor, entry_ids: Iterable[int] | None = None
                    ) -> list[SearchHit]:
            snapshot = super().indexed(actor, entry_ids)
            if entry_ids is None:
                self.create(SUPERVISOR, VAN)  # publishes while the matcher builds
            return snapshot

    racing = ChangedDuringBuild(sessions, audit, bus, references=sightings_of_entry,
                                data_dir=data_dir)
    matcher = PlateMatcher(racing, bus)
    try:
        matcher.warm()
        assert _plates(matcher, "鄂G12345") == [("鄂G·12345", 1.0)]
    finally:
        matcher.close()


def test_neither_a_read_nor_a_change_reads_the_database(
    sessions: sessionmaker[Session], service: WatchlistService, bus: EventBus
) -> None:
    service.create(SUPERVISOR, VAN)
    statements: list[str] = []
    engine = sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute",
                 lambda *args: statements.append(args[2]))

    def statements_of_an_edit(plate: str) -> int:
        view = service.search(DUTY, "white van")[0]
        statements.clear()
        service.edit(SUPERVISOR, view.id, dataclasses.replace(VAN, plate=plate))
        return len(statements)

    service.warm_index()
    without_matcher = statements_of_an_edit("鄂G·11111")
    matcher = PlateMatcher(service, bus)
    try:
        matcher.warm()
        assert statements_of_an_edit("鄂G·22222") == without_matcher
        statements.clear()
        for read in ("鄂G22222", "鄂G2Z222", "G22222", "鄂G11111", "京A88888"):
            matcher.match(read)
        assert statements == []
        assert _plates(matcher, "鄂G22222") == [("鄂G·22222", 1.0)]
    finally:
        matcher.close()


def test_close_stops_following_the_list(
    service: WatchlistService, matcher: PlateMatcher
) -> None:
    matcher.warm()
    matcher.close()
    service.create(SUPERVISOR, VAN)
    assert matcher.match("鄂G12345") == []
    matcher.reload()  # e.g. after the service reloaded its own index
    assert _plates(matcher, "鄂G12345") == [("鄂G·12345", 1.0)]


def _random_plates(count: int, rng: random.Random) -> list[str]:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    plates: set[str] = set()
    while len(plates) < count:
        tail = "".join(rng.choices(letters + "0123456789", k=5))
        plates.add(f"{rng.choice(PROVINCES)}{rng.choice(letters)}·{tail}")
    return sorted(plates)


def test_a_hundred_thousand_vehicles_build_and_match(
    sessions: sessionmaker[Session], service: WatchlistService, matcher: PlateMatcher
) -> None:
    plates = _random_plates(100_000, random.Random(16))
    defaults = dict(kind="vehicle", category="wanted", risk="medium", reason="",
                    case_reference="", notes="", archived=False, sex="", colour="",
                    make_model="", name="", id_number=None)
    with sessions.begin() as session:
        session.execute(insert(WatchEntryRow), [
            {**defaults, "plate": p, "plate_normalised": normalise_read(p)} for p in plates])
    start = time.perf_counter()
    matcher.warm()
    log.info("100,000 plates: search index and plate index built in %.2f s",
             time.perf_counter() - start)
    assert len(matcher) == 100_000
    for plate in plates[::997]:
        exact = matcher.match(plate)[0]
        assert (exact.entry.plate, exact.score) == (plate, 1.0)
        misread = matcher.match(plate[:-1] + ("X" if plate[-1] != "X" else "Y"))
        assert plate in [m.entry.plate for m in misread]
