"""The event log: pictures written privately with their hash, the row, the domain event
after the commit; pictures it will not keep; reading back; retention."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import cv2
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.auth.permissions import SYSTEM
from commandroom.camera_events.model import EventType
from commandroom.camera_events.records import CameraEventRow, PlateSuggestionRow
from commandroom.camera_events.store import CameraEventLog
from commandroom.camera_events.views import CameraEventStored
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.events import EventBus
from commandroom.watchlist.records import EntryInput
from commandroom.watchlist.service import WatchlistService
from tests.unit.camera_events.conftest import T0, Live, jpeg, plate_event
from tests.unit.sightings.fakes import FakeHandle
from tests.unit.watchlist.support import RecordingAudit


def test_an_event_is_stored_with_its_picture_then_published(
        event_log: CameraEventLog, camera: Camera, bus: EventBus, data_dir: Path,
        sessions: sessionmaker[Session]) -> None:
    assert camera.id is not None
    seen_in_database: list[bool] = []

    def on_stored(stored: CameraEventStored) -> None:  # after the commit: another session sees it
        with sessions() as session:
            seen_in_database.append(session.get(CameraEventRow, stored.event.id) is not None)

    bus.subscribe(CameraEventStored, on_stored)
    picture = jpeg()
    view = event_log.store(plate_event(camera.id, "鄂A·12345", picture=picture))

    assert seen_in_database == [True]
    assert (view.camera_name, view.junction, view.plate) == (
        "North gate", "G107 x Station Rd", "鄂A·12345")
    assert view.picture_path.startswith("events/2026/12/01/") and view.picture_path.endswith(
        ".jpg")
    stored = data_dir / view.picture_path
    assert stored.read_bytes() == picture
    assert stored.stat().st_mode & 0o777 == 0o600
    assert view.picture_sha256 == hashlib.sha256(picture).hexdigest()
    assert event_log.picture(SYSTEM, view.id) == stored
    with sessions() as session:
        assert session.get_one(CameraEventRow, view.id).plate_normalised == "鄂A12345"
    assert event_log.details(SYSTEM, view.id) == {"lane": "1"}
    assert event_log.counts(SYSTEM)["stored"] == 1


@pytest.mark.parametrize(("data", "why"), [
    (jpeg(width=800, height=600) + b"\0" * 200_000, "oversized"),
    (b"<html>not a picture</html>", "not_an_image"),
])
def test_a_picture_it_will_not_keep_costs_the_picture_not_the_event(
        event_log: CameraEventLog, camera: Camera, data_dir: Path, data: bytes,
        why: str) -> None:
    assert camera.id is not None
    view = event_log.store(plate_event(camera.id, "鄂A12345", picture=data))
    assert (view.picture_path, view.picture_sha256) == ("", "")
    assert event_log.details(SYSTEM, view.id)["picture_refused"] == why
    assert event_log.counts(SYSTEM)[f"picture_{why}"] == 1
    assert not (data_dir / "events").exists()


def test_a_failed_insert_leaves_no_picture_behind(
        event_log: CameraEventLog, camera: Camera, data_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert camera.id is not None

    def broken(*args: object) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(event_log, "_insert", broken)
    with pytest.raises(RuntimeError):
        event_log.store(plate_event(camera.id, "鄂A12345", picture=jpeg()))
    assert [p for p in (data_dir / "events").rglob("*") if p.is_file()] == []


def test_recent_filters_by_camera_type_and_time_newest_first(
        event_log: CameraEventLog, camera: Camera) -> None:
    assert camera.id is not None
    first = event_log.store(plate_event(camera.id, "鄂A11111", T0))
    second = event_log.store(plate_event(camera.id, "鄂A22222", T0 + timedelta(seconds=5)))
    other = event_log.store(plate_event(camera.id + 99, "鄂A33333", T0 + timedelta(seconds=9)))

    assert [e.id for e in event_log.recent(SYSTEM)] == [other.id, second.id, first.id]
    assert [e.id for e in event_log.recent(SYSTEM, camera_id=camera.id)] == [
        second.id, first.id]
    assert [e.id for e in event_log.recent(SYSTEM, since=T0 + timedelta(seconds=1))] == [
        other.id, second.id]
    assert event_log.recent(SYSTEM, types=[EventType.MOTION]) == []
    assert [e.id for e in event_log.recent(SYSTEM, limit=1)] == [other.id]
    # An event of a camera the registry does not know is kept, under a placeholder name.
    assert (other.camera_id, other.camera_name) == (0, f"#{camera.id + 99}")


def test_retention_deletes_old_events_and_pictures_but_not_what_a_card_needs(
        event_log: CameraEventLog, camera: Camera, data_dir: Path,
        sessions: sessionmaker[Session], service: WatchlistService,
        audit: RecordingAudit) -> None:
    assert camera.id is not None
    old = T0 - timedelta(days=31)
    van = service.create(SYSTEM, EntryInput(kind="vehicle", plate="鄂A12345"))
    gone = event_log.store(plate_event(camera.id, "鄂A99999", old, picture=jpeg(seed=2)))
    pending = event_log.store(plate_event(camera.id, "鄂A12345", old, picture=jpeg(seed=3)))
    confirmed = event_log.store(plate_event(camera.id, "鄂A12345", old, picture=jpeg(seed=4)))
    dismissed = event_log.store(plate_event(camera.id, "鄂A12345", old, picture=jpeg(seed=5)))
    young = event_log.store(plate_event(camera.id, "鄂A99999", T0 - timedelta(days=29),
                                        picture=jpeg(seed=6)))
    with sessions.begin() as session:
        for event, status in ((pending, "pending"), (confirmed, "confirmed"),
                              (dismissed, "dismissed")):
            session.add(PlateSuggestionRow(
                event_id=event.id, camera_id=camera.id, watch_entry_id=van.id,
                plate_read="鄂A12345", plate_normalised="鄂A12345", score=1.0,
                rules="exact", status=status, repeats=0, last_seen_at=old))

    assert event_log.sweep() == 2

    with sessions() as session:
        left = set(session.scalars(select(CameraEventRow.id)))
        cards = session.scalar(select(func.count()).select_from(PlateSuggestionRow))
    assert left == {pending.id, confirmed.id, young.id}
    assert cards == 2  # the dismissed card went with its event
    for event in (gone, dismissed):
        assert not (data_dir / event.picture_path).exists()
    for event in (pending, confirmed, young):
        assert (data_dir / event.picture_path).exists()
    assert [e[1] for e in audit.events if e[1].startswith("camera_events")] == [
        "camera_events.sweep"]
    assert event_log.sweep() == 0


def test_a_plate_read_without_a_picture_keeps_our_frame_of_that_moment(
        sessions: sessionmaker[Session], bus: EventBus, registry: CameraRegistry,
        audit: RecordingAudit, data_dir: Path, camera: Camera) -> None:
    """Dahua and ONVIF reads come without a picture: the card showed "no picture" while the
    console was showing the vehicle. Before: no picture stored."""
    assert camera.id is not None
    live = Live()
    handle = FakeHandle()
    handle.add_frame(7, T0.timestamp() - 0.3, width=96, height=64)  # the newest frame
    live.handles[camera.id] = handle
    log = CameraEventLog(sessions, bus, registry.directory, audit, data_dir=data_dir,
                         clock=lambda: T0, live=live.lookup)
    view = log.store(plate_event(camera.id, "鄂A12345"))
    kept = data_dir / view.picture_path
    assert view.picture_path.endswith(".jpg") and kept.read_bytes()[:2] == b"\xff\xd8"
    assert cv2.imread(str(kept)).shape == (64, 96, 3)
    assert log.details(SYSTEM, view.id)["picture_origin"] == "console_frame"
    # The camera's own picture is kept as sent; a motion event takes no frame.
    sent = log.store(plate_event(camera.id, "鄂A12345", picture=jpeg()))
    assert (data_dir / sent.picture_path).read_bytes() == jpeg()
    motion = log.store(replace(plate_event(camera.id, ""), type=EventType.MOTION))
    assert motion.picture_path == ""


def test_a_frame_far_from_the_read_or_no_stream_keeps_no_picture(
        sessions: sessionmaker[Session], bus: EventBus, registry: CameraRegistry,
        audit: RecordingAudit, data_dir: Path, camera: Camera) -> None:
    assert camera.id is not None
    live = Live()
    log = CameraEventLog(sessions, bus, registry.directory, audit, data_dir=data_dir,
                         clock=lambda: T0, live=live.lookup)
    assert log.store(plate_event(camera.id, "鄂A12345")).picture_path == ""  # no stream
    handle = FakeHandle()
    handle.add_frame(3, T0.timestamp() - 30.0)  # a frozen stream's last frame
    live.handles[camera.id] = handle
    assert log.store(plate_event(camera.id, "鄂A12345")).picture_path == ""
