"""Recording through the live reader (hub.record) from the RTSP test server: one
connection per camera, nothing decoded for a camera on no tile, and gaps that say why."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import av
import pytest

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.config import Paths, RecordingSettings, VideoSettings
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.recording.policy import RecordingMode
from commandroom.recording.recorder import RecorderTuning
from commandroom.recording.scheduler import RecordingScheduler
from commandroom.recording.service import RecordingSystem
from commandroom.recording.status import GapReason
from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key
from commandroom.video.hub import StreamHub
from commandroom.video.playback import Playback
from commandroom.video.stream_spec import StreamSpec
from tests.support.rtsp import RtspTestServer, wait_for_seq
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.integration

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR = datetime(2100, 1, 1, tzinfo=UTC)


@dataclass
class Station:
    registry: CameraRegistry
    recording: RecordingSystem
    hub: StreamHub
    scheduler: RecordingScheduler

    def continuous(self, name: str, url: str) -> int:
        camera = self.registry.add(SYSTEM, Camera(None, name, url))
        assert camera.id is not None
        self.recording.parts.policy.set_mode(SYSTEM, camera.id, RecordingMode.CONTINUOUS)
        return camera.id


@pytest.fixture
def station(tmp_path: Path, video_settings: VideoSettings) -> Iterator[Station]:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    bus = EventBus()
    audit = AuditTrail(sessions)
    secrets = DatabaseSecretStore(sessions, load_or_create_key(tmp_path / "secret.key"))
    registry = CameraRegistry(sessions, secrets, bus, audit)
    recording = RecordingSystem(
        sessions, Paths.resolve(tmp_path),
        RecordingSettings(folder=str(tmp_path / "rec"), segment_s=2.0, fragment_s=0.5),
        audit, bus, tuning=RecorderTuning(sync_fragments=False))
    recording.start()
    hub = StreamHub(video_settings)
    scheduler = RecordingScheduler(recording, hub, registry, bus, linger_s=0.0)
    yield Station(registry, recording, hub, scheduler)
    scheduler.close()
    hub.close()
    recording.close()
    engine.dispose()


def _wait(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)  # the index and the recorder have nothing to wait on


def test_recorded_only_costs_no_decode_and_a_tile_shares_the_connection(
        rtsp_server: RtspTestServer, station: Station, monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[int] = []
    original = Playback._decode

    def counted(self: Playback, packet: av.Packet[Any], arrival: float) -> bool:
        decoded.append(1)
        return original(self, packet, arrival)

    monkeypatch.setattr(Playback, "_decode", counted)
    with TcpProxy(rtsp_server.port) as proxy:
        camera_id = station.continuous("Bridge", f"rtsp://127.0.0.1:{proxy.port}/live1")
        station.scheduler.start()
        assert station.scheduler.wait_idle(10.0)
        recorder = station.recording.recorder_for(camera_id, "Bridge")
        _wait(lambda: recorder.progress().segments_closed >= 2, 15.0, "nothing recorded")
        assert decoded == []  # seconds of video recorded, not one packet decoded
        assert station.hub.decoding_count() == 0
        assert proxy.connections == 1

        spec = station.scheduler.stream_for(camera_id)
        assert isinstance(spec, StreamSpec)
        tile = station.hub.subscribe(spec, (320, 180))
        try:
            wait_for_seq(tile, 5, 5.0)
            assert decoded
            assert proxy.connections == 1  # the tile and the recorder: one RTSP session
            closed = recorder.progress().segments_closed
            _wait(lambda: recorder.progress().segments_closed > closed, 10.0,
                  "recording stopped while the tile played")
        finally:
            tile.release()
        _wait(lambda: station.hub.decoding_count() == 0, 5.0, "decoding went on")
        assert station.hub.reader_count() == 1 and proxy.connections == 1


def test_server_stopped_and_restarted_leaves_a_stream_lost_gap(
        private_rtsp_server: RtspTestServer, station: Station) -> None:
    camera_id = station.continuous("Depot", private_rtsp_server.url("live1"))
    station.scheduler.start()
    index = station.recording.parts.index
    _wait(lambda: len(index.segments(camera_id, EPOCH, FAR)) >= 2, 15.0, "nothing recorded")
    private_rtsp_server.stop()
    stopped = time.time()
    _wait(lambda: any(g.end_at is None for g in index.gaps(camera_id, EPOCH, FAR)), 10.0,
          "no gap opened")
    private_rtsp_server.start()
    _wait(lambda: all(g.end_at is not None for g in index.gaps(camera_id, EPOCH, FAR)), 30.0,
          "the gap never closed")
    (gap,) = index.gaps(camera_id, EPOCH, FAR)
    assert gap.reason is GapReason.STREAM_LOST
    assert gap.end_at is not None
    assert gap.start_at.timestamp() <= stopped + 0.5
    assert gap.end_at.timestamp() > stopped


def test_a_stalled_stream_leaves_a_stalled_gap(
        private_rtsp_server: RtspTestServer, station: Station) -> None:
    with TcpProxy(private_rtsp_server.port) as proxy:
        camera_id = station.continuous("Ferry", f"rtsp://127.0.0.1:{proxy.port}/live1")
        station.scheduler.start()
        index = station.recording.parts.index
        _wait(lambda: len(index.segments(camera_id, EPOCH, FAR)) >= 2, 15.0, "nothing recorded")
        proxy.pause()  # connected, nothing flows: STALLED after stall_after_s (1 s)
        _wait(lambda: any(g.end_at is None for g in index.gaps(camera_id, EPOCH, FAR)), 10.0,
              "no gap opened")
        proxy.resume()
        _wait(lambda: index.gaps(camera_id, EPOCH, FAR)[0].end_at is not None, 30.0,
              "the gap never closed")
        gap = index.gaps(camera_id, EPOCH, FAR)[0]
        assert gap.reason is GapReason.STALLED, gap
