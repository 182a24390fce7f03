"""Looking back at live RTSP cameras: recorded through the live reader, replayed by time.

Two cameras on the test server's /barcode mounts (every frame shows the wall clock at
which it was made, as a machine-readable barcode: tests/support/barcode.py) are
recorded by the RecordingScheduler through the hub for ~35 s; then the replay tests
read the barcode of the frames the replay reader publishes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.config import Paths, RecordingSettings, VideoSettings
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.lookback import LookBack, SpanKind
from commandroom.playback import NvrSource, PlaybackKind, PlaybackSource, PlaybackSources
from commandroom.recording.policy import RecordingMode
from commandroom.recording.recorder import RecorderTuning
from commandroom.recording.scheduler import RecordingScheduler
from commandroom.recording.service import RecordingSystem
from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key
from commandroom.video.frames import Frame
from commandroom.video.hub import StreamHub
from commandroom.video.replay_feed import FootageKind
from commandroom.video.replay_handle import PlaybackHandle
from tests.support.barcode import decode_ms
from tests.support.rtsp import RtspTestServer, wait_for_seq

pytestmark = pytest.mark.integration

FRAME_MS = 40
RECORD_S = 35.0
SIZE = (640, 360)


@dataclass
class Station:
    server: RtspTestServer
    registry: CameraRegistry
    recording: RecordingSystem
    hub: StreamHub
    scheduler: RecordingScheduler
    lookback: LookBack
    sources: PlaybackSources
    gate: Camera
    yard: Camera


def _wait(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)  # polled: the index and the slot have nothing to wait on


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    tmp = tmp_path_factory.mktemp("replay")
    server = RtspTestServer(live_mounts=0, barcode_mounts=2).start()
    engine, sessions = open_database(f"sqlite:///{tmp / 'db.sqlite'}")
    bus = EventBus()
    audit = AuditTrail(sessions)
    secrets = DatabaseSecretStore(sessions, load_or_create_key(tmp / "secret.key"))
    registry = CameraRegistry(sessions, secrets, bus, audit)
    recording = RecordingSystem(
        sessions, Paths.resolve(tmp), RecordingSettings(folder=str(tmp / "rec"), segment_s=4.0,
                                                        fragment_s=1.0),
        audit, bus, tuning=RecorderTuning(sync_fragments=False))
    recording.start()
    hub = StreamHub(VideoSettings(open_timeout_s=5.0, read_timeout_s=3.0, idle_stop_s=0.5))
    gate = registry.add(SYSTEM, Camera(None, "Gate", server.url("barcode")))
    yard = registry.add(SYSTEM, Camera(None, "Yard", server.url("barcode2")))
    assert gate.id is not None and yard.id is not None
    for camera_id in (gate.id, yard.id):
        recording.parts.policy.set_mode(SYSTEM, camera_id, RecordingMode.CONTINUOUS)
    scheduler = RecordingScheduler(recording, hub, registry, bus).start()
    sources = PlaybackSources(sessions, secrets, audit)
    lookback = LookBack(hub, recording, playback=PlaybackSource(sources),
                        video=VideoSettings(open_timeout_s=10.0, read_timeout_s=8.0))
    built = Station(server, registry, recording, hub, scheduler, lookback, sources, gate, yard)
    try:
        index = recording.parts.index
        started = time.time()
        _wait(lambda: all(index.segment_at(c, datetime.fromtimestamp(started + 1, UTC))
                          for c in (gate.id, yard.id)), 15.0, "recording did not start")
        time.sleep(RECORD_S)  # the footage the tests look back at has to be recorded first
        yield built
    finally:
        lookback.close()
        scheduler.close()
        hub.close()
        recording.close()
        engine.dispose()
        server.close()


def stamp(frame: Frame | None) -> int:
    assert frame is not None
    return decode_ms(frame.image)


def first_frame(handle: PlaybackHandle, timeout: float = 10.0) -> Frame:
    frame = wait_for_seq(handle, 1, timeout)
    assert frame is not None
    return frame


def test_the_recording_shares_the_tiles_connection_and_decodes_nothing_alone(
        station: Station) -> None:
    spec = station.scheduler.stream_for(station.gate.id or 0)
    assert spec is not None
    assert station.hub.decoding_count() == 0  # recorded only: demuxed, not decoded
    described = station.server.event_counts()["DESCRIBE /barcode"]
    tile = station.hub.subscribe(spec, (320, 180))
    try:
        live = wait_for_seq(tile, 1, 5.0)
        assert abs(stamp(live) - time.time() * 1000) < 1000  # it is the live picture
        assert station.server.event_counts()["DESCRIBE /barcode"] == described
        assert station.hub.reader_count() == 2  # gate and yard: one connection each
    finally:
        tile.release()


def test_instant_replay_shows_the_frame_from_30_s_before(station: Station) -> None:
    pressed = time.time()
    handle = station.lookback.replay(SYSTEM, station.gate, SIZE)
    try:
        frame = first_frame(handle)
        # The frame the station received nearest that moment (recorded times are the
        # station's clock at arrival) ...
        asked_ms = (pressed - 30.0) * 1000
        assert abs(frame.capture_time * 1000 - asked_ms) <= FRAME_MS / 2 + 5
        # ... which the camera made less than a frame interval before it arrived (encode
        # and network: ~20 ms here): the picture from 30 s before, by its own stamp.
        delay_ms = frame.capture_time * 1000 - stamp(frame)
        assert 0 <= delay_ms < FRAME_MS, delay_ms
        assert handle.replay_status().kind is FootageKind.LOCAL
        # Tagging on this tile records the frame's real time.
        got = handle.full_resolution(frame.seq)
        assert got is not None and abs(got[1].capture_time * 1000 - stamp(frame)) < FRAME_MS
        # And it plays on in real time.
        later = wait_for_seq(handle, frame.seq + 25, 5.0)
        assert stamp(later) - stamp(frame) >= 25 * FRAME_MS - 5
    finally:
        handle.release()


def test_seek_across_segment_boundaries_speed_pause_and_step(station: Station) -> None:
    index = station.recording.parts.index
    gate_id = station.gate.id or 0
    segments = index.segments(gate_id, datetime.now(UTC) - timedelta(minutes=5),
                              datetime.now(UTC))
    boundary = segments[1].start_at.timestamp()  # the first file ends here, the next begins
    handle = station.lookback.open_at(SYSTEM, station.gate, boundary - 0.5, SIZE)
    try:
        start = stamp(first_frame(handle))
        assert abs(start - (boundary - 0.5) * 1000) < FRAME_MS
        handle.set_speed(4.0)
        began = time.monotonic()
        _wait(lambda: stamp(handle.slot.latest()) > start + 4000, 5.0, "4x did not advance")
        rate = (stamp(handle.slot.latest()) - start) / 1000 / (time.monotonic() - began)
        assert 3.0 < rate < 5.0, rate  # the stamps advance 4x as fast as time
        handle.pause()
        time.sleep(0.3)  # let the clock stand
        shown = handle.slot.latest()
        assert shown is not None
        handle.step(1)
        stepped = wait_for_seq(handle, shown.seq + 1, 5.0)
        assert stamp(stepped) - stamp(shown) == pytest.approx(FRAME_MS, abs=3)
        handle.step(-1)
        back = wait_for_seq(handle, stepped.seq + 1, 5.0)
        assert stamp(back) == stamp(shown)
    finally:
        handle.release()


def test_two_cameras_replayed_together_show_the_same_moment(station: Station) -> None:
    moment = time.time() - 20.0
    handles = station.lookback.open_group(SYSTEM, [station.gate, station.yard], moment, SIZE)
    try:
        for handle in handles:
            first_frame(handle)
        differences: list[int] = []
        while len(differences) < 30:
            time.sleep(0.07)  # sampling both tiles as a painter would
            # A consistent pair: the first slot did not change while the second was read
            # (two slots read in turn can straddle the instant both publish a frame).
            first = handles[0].slot.latest()
            second = handles[1].slot.latest()
            if handles[0].slot.latest() is not first:
                continue
            differences.append(abs(stamp(first) - stamp(second)))
        # Each camera's frames come at its own phase: the two frames shown at one moment
        # are less than a frame apart. A sample may fall in the few milliseconds between
        # the two readers publishing the same tick: then one frame more, rarely.
        assert max(differences) < 2 * FRAME_MS, differences
        assert sum(d >= FRAME_MS for d in differences) <= 3, differences
    finally:
        for handle in handles:
            handle.release()


def test_a_moment_not_recorded_here_plays_from_the_nvr(station: Station) -> None:
    """A camera the station never recorded, whose NVR is the test server's Hikvision
    mount (everything recorded): the first frame shows the moment asked for."""
    nvr_cam = station.registry.add(SYSTEM, Camera(None, "Archive", "rtsp://127.0.0.1:1/x"))
    assert nvr_cam.id is not None
    station.sources.save(SYSTEM, nvr_cam.id, NvrSource(
        PlaybackKind.HIKVISION, "127.0.0.1", rtsp_port=station.server.port, channel=1))
    moment = datetime(2024, 3, 5, 10, 20, 30, 520_000, tzinfo=UTC).timestamp()
    handle = station.lookback.open_at(SYSTEM, nvr_cam, moment, SIZE)
    try:
        frame = first_frame(handle, 20.0)
        assert abs(stamp(frame) - moment * 1000) < FRAME_MS, stamp(frame) - moment * 1000
        assert handle.replay_status().kind is FootageKind.NVR
    finally:
        handle.release()
    timeline = station.lookback.timeline(SYSTEM, station.gate,
                                         datetime.now(UTC) - timedelta(minutes=2),
                                         datetime.now(UTC))
    assert SpanKind.LOCAL in {span.kind for span in timeline.spans}
