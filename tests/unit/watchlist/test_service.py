from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.events import EventBus
from commandroom.sightings.models import SightingRow
from commandroom.watchlist.events import WatchEntryChanged
from commandroom.watchlist.models import WatchAliasRow, WatchEntryRow, WatchPhotoRow
from commandroom.watchlist.records import EntryInput, Kind
from commandroom.watchlist.service import EntryHasSightings, WatchlistService
from commandroom.watchlist.store import DuplicateEntry, EntryNotFound
from commandroom.watchlist.validation import EntryInvalid
from tests.unit.watchlist.support import SUPERVISOR, RecordingAudit, id_number

ZHANG = EntryInput(
    name="张伟", aliases=("小张", "Zhang Wei"), id_number=id_number("42010219900307421").lower(),
    category="wanted", risk="high", reason="fraud case", case_reference="鄂公(刑)2026-118",
)
VAN = EntryInput(kind="vehicle", plate="鄂g·a1234", colour="white", make_model="Wuling")


def test_create_person_normalises_and_derives_from_the_id(
    service: WatchlistService, audit: RecordingAudit
) -> None:
    view = service.create(SUPERVISOR, ZHANG)
    assert view.id_number == "420102199003074214"
    assert view.date_of_birth == date(1990, 3, 7)
    assert view.sex == "male"
    assert view.aliases == ("小张", "Zhang Wei")
    assert audit.actions() == ["watchlist.create"]
    assert service.get(SUPERVISOR, view.id) == view


def test_create_vehicle_keeps_the_plate_as_typed_and_stores_the_normalised_form(
    service: WatchlistService,
) -> None:
    view = service.create(SUPERVISOR, VAN)
    assert (view.kind, view.plate, view.plate_normalised) == (Kind.VEHICLE, "鄂g·a1234", "鄂GA1234")
    assert view.plate_note == ""
    foreign = service.create(SUPERVISOR, EntryInput(kind="vehicle", plate="AB 1234"))
    assert foreign.plate == "AB 1234" and "not a mainland format" in foreign.plate_note


def test_invalid_input_lists_every_problem_and_writes_nothing(
    service: WatchlistService, sessions: sessionmaker[Session], audit: RecordingAudit
) -> None:
    bad = EntryInput(name="", id_number="110105194912310021", category="vip", plate="鄂G12345")
    with pytest.raises(EntryInvalid) as caught:
        service.create(SUPERVISOR, bad)
    assert set(caught.value.errors) == {"name", "id_number", "category", "plate"}
    mismatch = dataclasses.replace(ZHANG, date_of_birth=date(1990, 3, 8), sex="女")
    with pytest.raises(EntryInvalid, match="does not match the ID number") as caught:
        service.create(SUPERVISOR, mismatch)
    assert set(caught.value.errors) == {"date_of_birth", "sex"}
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(WatchEntryRow)) == 0
    assert audit.events == []


def test_one_person_one_file(service: WatchlistService) -> None:
    first = service.create(SUPERVISOR, ZHANG)
    service.archive(SUPERVISOR, first.id)
    with pytest.raises(DuplicateEntry, match=rf"entry #{first.id} \(archived: restore it"):
        service.create(SUPERVISOR, dataclasses.replace(ZHANG, name="张 伟"))
    service.create(SUPERVISOR, VAN)
    with pytest.raises(DuplicateEntry, match="plate 鄂GA1234"):
        service.create(SUPERVISOR, dataclasses.replace(VAN, plate="鄂G A-1234"))


def test_edit_audits_before_and_after_of_changed_fields_only(
    service: WatchlistService, audit: RecordingAudit, bus: EventBus
) -> None:
    seen: list[WatchEntryChanged] = []
    bus.subscribe(WatchEntryChanged, seen.append)
    view = service.create(SUPERVISOR, ZHANG)
    edited = service.edit(
        SUPERVISOR, view.id, dataclasses.replace(view.as_input(), risk="low", aliases=("小张",))
    )
    assert edited.risk == "low" and edited.aliases == ("小张",)
    user, action, subject, details = audit.events[-1]
    assert (user, action, subject) == ("sam", "watchlist.edit", f"watch_entry:{view.id}")
    assert details == {
        "before": {"risk": "high", "aliases": ["小张", "Zhang Wei"]},
        "after": {"risk": "low", "aliases": ["小张"]},
    }
    assert [e.action for e in seen] == ["create", "edit"]


def test_archive_and_restore(service: WatchlistService, audit: RecordingAudit) -> None:
    view = service.create(SUPERVISOR, ZHANG)
    archived = service.archive(SUPERVISOR, view.id, reason="arrested")
    assert archived.archived and archived.archived_at is not None
    assert not archived.is_active(date.today())
    restored = service.restore(SUPERVISOR, view.id)
    assert not restored.archived and restored.archived_at is None
    assert audit.actions() == ["watchlist.create", "watchlist.archive", "watchlist.restore"]
    assert audit.events[1][3] == {"reason": "arrested"}


def _add_sighting(sessions: sessionmaker[Session], entry_id: int) -> None:
    with sessions.begin() as session:
        session.add(SightingRow(
            watch_entry_id=entry_id, camera_name="cam", frame_time=datetime.now(UTC), seq=1,
            operator="dan", snapshot_path="evidence/x.png", snapshot_sha256="0" * 64,
        ))


def test_an_entry_with_sightings_is_never_deleted_only_archived(
    service: WatchlistService, sessions: sessionmaker[Session]
) -> None:
    view = service.create(SUPERVISOR, ZHANG)
    _add_sighting(sessions, view.id)
    with pytest.raises(EntryHasSightings, match=r"has 1 sighting.*archive it instead"):
        service.delete(SUPERVISOR, view.id)
    assert service.get(SUPERVISOR, view.id).id == view.id
    service.archive(SUPERVISOR, view.id)
    assert service.get(SUPERVISOR, view.id).archived


def test_an_entry_without_sightings_can_be_deleted_with_its_photos(
    service: WatchlistService, sessions: sessionmaker[Session], tmp_path: Path,
    audit: RecordingAudit,
) -> None:
    picture = tmp_path / "face.jpg"
    picture.write_bytes(b"\xff\xd8 not really a jpeg")
    view = service.add_photo(SUPERVISOR, service.create(SUPERVISOR, ZHANG).id, picture)
    stored = service.data_dir / view.photos[0].path
    assert stored.read_bytes() == picture.read_bytes()
    service.delete(SUPERVISOR, view.id)
    with pytest.raises(EntryNotFound):
        service.get(SUPERVISOR, view.id)
    assert not stored.exists()
    with sessions() as session:
        for table in (WatchEntryRow, WatchAliasRow, WatchPhotoRow):
            assert session.scalar(select(func.count()).select_from(table)) == 0
    assert audit.actions()[-1] == "watchlist.delete"
    assert audit.events[-1][3]["id_number"] == "420102199003074214"


def test_the_same_photo_is_not_attached_twice(service: WatchlistService, tmp_path: Path) -> None:
    picture = tmp_path / "face.png"
    picture.write_bytes(b"png bytes")
    entry = service.create(SUPERVISOR, ZHANG)
    service.add_photo(SUPERVISOR, entry.id, picture)
    view = service.add_photo(SUPERVISOR, entry.id, picture)
    assert len(view.photos) == 1
    assert len(list((service.data_dir / "watchlist" / "photos").iterdir())) == 1
