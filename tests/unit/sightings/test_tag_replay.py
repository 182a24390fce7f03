"""Tagging a sighting on a replaying tile: the frame's recorded time, and a clip cut from
the recording around it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.models import CameraRow
from commandroom.cameras.registry import Camera
from commandroom.config import Paths, RecordingSettings, VideoSettings
from commandroom.events import EventBus
from commandroom.lookback import LookBack
from commandroom.recording.recorder import RecordedCamera, Recorder, RecorderTuning
from commandroom.recording.service import RecordingSystem
from commandroom.sightings.models import SightingRow
from commandroom.sightings.records import CameraRef, ClipStatus
from commandroom.sightings.service import SightingService
from commandroom.video.hub import StreamHub
from commandroom.watchlist.records import EntryInput
from commandroom.watchlist.service import WatchlistService
from tests.support.barcode import decode_ms
from tests.support.barcode_feed import barcode_packets, record
from tests.support.rtsp import wait_for_seq
from tests.unit.watchlist.support import DUTY, SUPERVISOR

T0 = 1_780_000_000.0


def test_a_sighting_tagged_on_a_replaying_tile_has_the_recorded_time_and_clip(
    sightings: SightingService, service: WatchlistService, sessions: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    with sessions.begin() as session:
        row = CameraRow(name="Gate", junction="Gate Rd", main_url="rtsp://127.0.0.1:1/gate")
        session.add(row)
        session.flush()
        camera = Camera(row.id, "Gate", row.main_url)
    recording = RecordingSystem(sessions, Paths.resolve(tmp_path),
                                RecordingSettings(folder=str(tmp_path / "rec"), segment_s=4.0,
                                                  fragment_s=1.0),
                                AuditTrail(sessions), EventBus())
    recording.start()  # the folder
    assert camera.id is not None
    info, packets = barcode_packets(T0, 12.0)
    recorder = Recorder(RecordedCamera(camera.id, "Gate"), recording.parts.index,
                        recording.root, recording.settings,
                        tuning=RecorderTuning(sync_fragments=False),
                        wall_clock=lambda: T0 + 12.0).start()
    record(recorder, info, packets)
    recorder.close()
    hub = StreamHub(VideoSettings())
    lookback = LookBack(hub, recording)
    try:
        handle = lookback.open_at(SYSTEM, camera, T0 + 6.0, (320, 180))
        handle.pause()
        frame = wait_for_seq(handle, 1, 5.0)
        assert decode_ms(frame.image) == round((T0 + 6.0) * 1000)
        entry = service.create(SUPERVISOR, EntryInput(name="Zhang Wei")).id
        view = sightings.tag(DUTY, handle, frame.seq, CameraRef(camera.id, "Gate", "Gate Rd"),
                             entry)
        assert view.frame_time.timestamp() == frame.capture_time  # when it happened
        assert sightings.wait_for_clips(10.0)
        with sessions() as session:
            row = session.scalars(select(SightingRow)).one()
            assert row.clip_status == ClipStatus.DONE, row.clip_error
            clip = sightings.data_dir / (row.clip_path or "")
        assert clip.stat().st_size > 0  # cut from the recording: 8 s before, 12 s after
        handle.release()
    finally:
        lookback.close()
        hub.close()
        recording.close()
