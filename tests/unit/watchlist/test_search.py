from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session, sessionmaker

from commandroom.events import EventBus
from commandroom.sightings.references import sightings_of_entry
from commandroom.watchlist.records import Category, EntryInput, Kind, Risk, SearchHit
from commandroom.watchlist.search_index import CHUNK_IDS, SearchIndex
from commandroom.watchlist.service import WatchlistService
from tests.unit.watchlist.support import DUTY, SUPERVISOR, RecordingAudit, id_number

ENTRIES = [
    EntryInput(name="张伟", aliases=("小张", "Zhang Wei"),
               id_number=id_number("42010219900307421")),
    EntryInput(name="李娜", aliases=("Lina",), id_number=id_number("11010519491231002")),
    EntryInput(name="Mary O'Brien-Smith"),
    EntryInput(kind="vehicle", plate="鄂G·12345", colour="white"),
    EntryInput(kind="vehicle", plate="鄂A·D12345", name="green van"),
]


def _labels(hits: list[SearchHit]) -> list[str]:
    return [h.label for h in hits]


def _filled(service: WatchlistService) -> list[int]:
    return [service.create(SUPERVISOR, e).id for e in ENTRIES]


def test_partial_match_anywhere_in_any_field(service: WatchlistService) -> None:
    _filled(service)
    assert _labels(service.search(DUTY, "伟")) == ["张伟"]  # end of the name
    assert _labels(service.search(DUTY, "小张")) == ["张伟"]  # alias
    assert _labels(service.search(DUTY, "zhang w")) == ["张伟"]  # alias, case and space
    assert _labels(service.search(DUTY, "LINA")) == ["李娜"]
    assert _labels(service.search(DUTY, "o'brien")) == ["Mary O'Brien-Smith"]
    assert _labels(service.search(DUTY, "briensm")) == ["Mary O'Brien-Smith"]
    assert _labels(service.search(DUTY, "19900307")) == ["张伟"]  # middle of the ID number
    assert _labels(service.search(DUTY, "002x")) == ["李娜"]  # check character, lower case
    assert service.search(DUTY, "nobody") == []
    assert service.search(DUTY, "   ") == []


def test_plate_search_with_or_without_the_dot(service: WatchlistService) -> None:
    _filled(service)
    for typed in ("鄂G·12345", "鄂G12345", "鄂g 123", "g12", "G·1", "鄂G-12345"):
        assert _labels(service.search(DUTY, typed)) == ["鄂G·12345"], typed
    assert _labels(service.search(DUTY, "12345")) == ["鄂G·12345", "green van"]
    assert _labels(service.search(DUTY, "12345", kind=Kind.PERSON)) == []
    assert _labels(service.search(DUTY, "van")) == ["green van"]


def test_the_index_follows_edits_archive_and_delete(service: WatchlistService) -> None:
    ids = _filled(service)
    view = service.get(SUPERVISOR, ids[2])
    service.edit(SUPERVISOR, ids[2], dataclasses.replace(view.as_input(), name="Mary Jones"))
    assert service.search(DUTY, "brien") == []
    assert _labels(service.search(DUTY, "jones")) == ["Mary Jones"]
    service.archive(SUPERVISOR, ids[0])
    assert service.search(DUTY, "小张") == []
    assert [h.archived for h in service.search(DUTY, "小张", include_archived=True)] == [True]
    service.delete(SUPERVISOR, ids[1])
    assert service.search(DUTY, "lina", include_archived=True) == []


def test_a_new_service_builds_the_index_from_the_table(
    service: WatchlistService, sessions: sessionmaker[Session], audit: RecordingAudit
) -> None:
    _filled(service)
    fresh = WatchlistService(sessions, audit, EventBus(), references=sightings_of_entry,
                             data_dir=service.data_dir)
    assert _labels(fresh.search(DUTY, "zhang")) == ["张伟"]
    assert _labels(fresh.search(DUTY, "鄂g12")) == ["鄂G·12345"]
    service.create(SUPERVISOR, EntryInput(name="王芳"))  # written by "another workstation"
    assert fresh.search(DUTY, "王芳") == []
    fresh.reload_index()
    assert _labels(fresh.search(DUTY, "王芳")) == ["王芳"]


def test_index_limit_order_and_chunk_boundaries() -> None:
    index = SearchIndex()
    ids = [1, 2, CHUNK_IDS - 1, CHUNK_IDS, CHUNK_IDS + 1, 5 * CHUNK_IDS + 7]
    for entry_id in ids:
        hit = SearchHit(entry_id, Kind.PERSON, f"name{entry_id}", "", "", Category.OTHER,
                        Risk.LOW, False)
        index.put(hit, (), "")
    assert [h.id for h in index.search("name")] == ids
    assert [h.id for h in index.search("name", limit=3)] == ids[:3]
    assert CHUNK_IDS == 4096  # the ids below straddle the first chunk boundary
    assert [h.id for h in index.search("name409")] == [4095, 4096, 4097]
    index.remove(4096)
    assert [h.id for h in index.search("name409")] == [4095, 4097]
    # A query never spans two fields or two entries.
    index.put(SearchHit(9, Kind.PERSON, "ab", "", "", Category.OTHER, Risk.LOW, False),
              ("cd",), "")
    assert index.search("bc") == []
    assert index.search("name1name") == []
