"""Footage that a sighting or an alert refers to is evidence-locked when the reference is
made, so retention keeps it however old it gets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from commandroom.auth.permissions import Actor, Role
from commandroom.config import EvidenceSettings, RecordingSettings
from commandroom.recording.locks import LockKind
from commandroom.recording.models import EvidenceLockRow
from commandroom.recording.retention import RetentionService
from commandroom.sightings.models import SightingRow
from commandroom.sightings.records import CameraRef, NewUnknown
from commandroom.sightings.references import sightings_of_entry
from commandroom.sightings.service import SightingService
from commandroom.video.packet_sources import SegmentInfo
from commandroom.watchlist.records import Kind
from commandroom.watchlist.service import WatchlistService
from tests.support.alert_core import make_stack, sample_content
from tests.support.recording import ClipPacket, add_camera
from tests.unit.recording.conftest import RecStack
from tests.unit.sightings.fakes import FakeHandle

Clip = tuple[SegmentInfo, list[ClipPacket]]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR = datetime(2100, 1, 1, tzinfo=UTC)
DUTY = Actor("li", Role.DUTY_OFFICER, 2)
T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC).timestamp()


def _locks(stack: RecStack) -> list[EvidenceLockRow]:
    with stack.sessions() as session:
        return list(session.scalars(select(EvidenceLockRow).order_by(EvidenceLockRow.id)))


def _sighting(stack: RecStack, tmp_path: Path, at: float) -> int:
    watchlist = WatchlistService(stack.sessions, stack.audit, stack.bus,
                                 references=sightings_of_entry, data_dir=tmp_path)
    sightings = SightingService(stack.sessions, stack.audit, stack.bus, watchlist,
                                data_dir=tmp_path, evidence=EvidenceSettings(10.0, 10.0))
    handle = FakeHandle()
    handle.add_frame(7, at)
    camera = CameraRef(stack.cam.id, stack.cam.name, "")
    view = sightings.tag(DUTY, handle, 7, camera, NewUnknown(Kind.PERSON, "man in red"))
    for clip in handle.clips:  # the clip is not the point here: end it
        clip.future.set_exception(RuntimeError("no clip in this test"))
    assert sightings.wait_for_clips(10)
    return view.id


def test_a_sighting_locks_its_footage_and_retention_keeps_it(
    stack: RecStack, clip: Clip, tmp_path: Path
) -> None:
    stack.record(clip, 30.0, T0, segment_s=2.0)
    segments = stack.index.segments(stack.cam.id, EPOCH, FAR)
    tagged_at = T0 + 51.0  # locked: 21-81 s, so the last 9 s of the 30 s recorded
    sighting_id = _sighting(stack, tmp_path, tagged_at)

    (lock,) = _locks(stack)
    moment = datetime.fromtimestamp(tagged_at, UTC)
    assert (lock.kind, lock.ref, lock.camera_id) == (LockKind.SIGHTING.value,
                                                     f"sighting:{sighting_id}", stack.cam.id)
    assert lock.start_at == moment - timedelta(seconds=30)
    assert lock.end_at == moment + timedelta(seconds=30)

    a_year_on = datetime.fromtimestamp(T0, UTC) + timedelta(days=365)
    RetentionService(stack.index, stack.root, RecordingSettings(keep_days=30), stack.audit,
                     clock=lambda: a_year_on).sweep()
    kept = stack.index.all_segments()
    assert kept and {s.id for s in kept} == {
        s.id for s in segments if s.end_at > lock.start_at}
    assert len(kept) < len(segments)  # the older ones went
    assert all((stack.root / s.path).exists() for s in kept)


def test_an_alert_locks_the_footage_of_its_sighting(tmp_path: Path) -> None:
    alerts = make_stack(tmp_path / "alerts.db", sighting_fk=True)
    try:
        camera_id = add_camera(alerts.sessions, "North gate")
        moment = datetime(2026, 5, 1, 8, 0, 5, tzinfo=UTC)
        with alerts.sessions.begin() as session:
            sighting = SightingRow(camera_id=camera_id, camera_name="North gate",
                                   frame_time=moment, seq=1, operator="li",
                                   snapshot_path="evidence/x.png", snapshot_sha256="0" * 64)
            session.add(sighting)
            session.flush()
            sighting_id = sighting.id
        alert_id = alerts.service.send(DUTY, sighting_id, sample_content(tmp_path, "wanted"))
        with alerts.sessions() as session:
            locks = list(session.scalars(select(EvidenceLockRow)))
    finally:
        alerts.close()
    assert [(lock.kind, lock.ref, lock.camera_id, lock.start_at, lock.end_at)
            for lock in locks] == [
        (LockKind.ALERT.value, f"alert:{alert_id}", camera_id,
         moment - timedelta(seconds=30), moment + timedelta(seconds=30))]
