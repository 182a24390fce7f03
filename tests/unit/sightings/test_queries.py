from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from commandroom.cameras.models import CameraRow
from commandroom.sightings.records import CameraRef, ClipStatus, SightingView
from commandroom.sightings.service import SightingService
from commandroom.sightings.trajectory import stops, trajectory
from commandroom.watchlist.records import EntryInput
from commandroom.watchlist.service import WatchlistService
from tests.unit.sightings.fakes import FakeHandle
from tests.unit.watchlist.support import DUTY, SUPERVISOR

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def _cameras(sessions: sessionmaker[Session]) -> tuple[CameraRef, CameraRef, CameraRef]:
    with sessions.begin() as session:
        rows = [
            CameraRow(name="东门", junction="东门路口", main_url="demo://a", map_x=1.0, map_y=2.0),
            CameraRow(name="西桥", junction="西桥头", main_url="demo://b", map_x=5.0, map_y=2.5),
            CameraRow(name="南站", junction="车站广场", main_url="demo://c"),
        ]
        session.add_all(rows)
        session.flush()
        east, west, south = (CameraRef(r.id, r.name, r.junction) for r in rows)
        return east, west, south


@pytest.fixture
def scene(
    sightings: SightingService, service: WatchlistService, sessions: sessionmaker[Session]
) -> tuple[int, int, tuple[CameraRef, CameraRef, CameraRef]]:
    """Zhang seen at east (08:00, 08:01), west (08:10), east again (08:30); Li at south."""
    east, west, south = _cameras(sessions)
    zhang = service.create(SUPERVISOR, EntryInput(name="张伟")).id
    li = service.create(SUPERVISOR, EntryInput(name="李娜")).id
    handle = FakeHandle()
    # Tagged out of time order on purpose: queries order by frame time, not by insertion.
    plan = [(30, east, zhang), (0, east, zhang), (10, west, zhang), (1, east, zhang),
            (20, south, li)]
    for seq, (minutes, camera, entry) in enumerate(plan, start=1):
        handle.add_frame(seq, (T0 + timedelta(minutes=minutes)).timestamp())
        sightings.tag(DUTY, handle, seq, camera, entry)
    return zhang, li, (east, west, south)


def test_latest_newest_first_with_limit(sightings: SightingService, scene: tuple) -> None:
    minutes = [(v.frame_time - T0).seconds // 60 for v in sightings.latest(DUTY, limit=3)]
    assert minutes == [30, 20, 10]


def test_timeline_in_time_order_with_camera_and_position(
    sightings: SightingService, scene: tuple
) -> None:
    zhang, _, _ = scene
    timeline = sightings.timeline(DUTY, zhang)
    assert [(v.camera_name, (v.frame_time - T0).seconds // 60) for v in timeline] == [
        ("东门", 0), ("东门", 1), ("西桥", 10), ("东门", 30)
    ]
    assert timeline[0].junction == "东门路口" and timeline[0].camera_map_position == (1.0, 2.0)
    assert all(v.clip_status == ClipStatus.PENDING for v in timeline)


def test_per_camera_and_a_deleted_camera_keeps_its_name(
    sightings: SightingService, scene: tuple, sessions: sessionmaker[Session]
) -> None:
    _, li, (east, _, south) = scene
    assert len(sightings.for_camera(DUTY, east.camera_id or 0)) == 3
    with sessions.begin() as session:
        session.execute(delete(CameraRow).where(CameraRow.id == south.camera_id))
    [seen] = sightings.timeline(DUTY, li)
    assert (seen.camera_id, seen.camera_name, seen.junction) == (None, "南站", "车站广场")
    assert sightings.for_camera(DUTY, south.camera_id or 0) == []


def test_trajectory_hops_between_cameras(sightings: SightingService, scene: tuple) -> None:
    zhang, _, _ = scene
    hops = sightings.trajectory(DUTY, zhang)
    assert [(h.origin.camera_name, h.destination.camera_name, h.elapsed) for h in hops] == [
        ("东门", "西桥", timedelta(minutes=9)),  # last seen at east 08:01, west at 08:10
        ("西桥", "东门", timedelta(minutes=20)),
    ]
    assert hops[0].origin.map_position == (1.0, 2.0)
    assert hops[0].destination.map_position == (5.0, 2.5)
    assert len(hops[0].origin.sighting_ids) == 2


def _view(sid: int, minutes: int, camera_id: int | None, name: str) -> SightingView:
    return SightingView(
        id=sid, watch_entry_id=1, camera_id=camera_id, camera_name=name, junction="",
        frame_time=T0 + timedelta(minutes=minutes), seq=sid, operator="dan", box=None, note="",
        snapshot_path="", snapshot_sha256="", clip_path="", clip_sha256="",
        clip_status=ClipStatus.DONE, clip_error="", created_at=T0,
    )


def test_trajectory_is_a_pure_function_over_sightings() -> None:
    assert trajectory([]) == []
    assert trajectory([_view(1, 0, 1, "a")]) == []
    # Deleted cameras (id None) are told apart by the name they kept.
    views = [_view(3, 5, None, "gone-b"), _view(1, 0, None, "gone-a"), _view(2, 2, 1, "a")]
    visited = stops(views)
    assert [s.camera_name for s in visited] == ["gone-a", "a", "gone-b"]
    assert [h.elapsed for h in trajectory(views)] == [timedelta(minutes=2), timedelta(minutes=3)]
