"""Recorded video from NVRs on 127.0.0.1: the first frame shows the time asked for.

The RTSP test server's playback mounts stamp every frame with its recorded time as a
barcode (tests/support/rtsp_playback_mounts.py); we read it from the first frame the
project's own network source decodes. Hikvision and Dahua by URL; ONVIF Profile G by the
emulator's search and replay services, through the relay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import av.error
import pytest

from commandroom.auth.permissions import SYSTEM
from commandroom.config import VideoSettings
from commandroom.onvif import OnvifService
from commandroom.playback import (
    Gap,
    GapReason,
    NvrSource,
    PlaybackKind,
    PlaybackSession,
    PlaybackSource,
    Range,
    RangeKind,
)
from commandroom.video.errors import ExpectedFailure
from commandroom.video.packet_sources import NetworkSource
from commandroom.video.stream_spec import StreamSpec
from tests.support.barcode import decode_ms
from tests.support.onvif_emulator import EmulatorSettings, OnvifEmulator
from tests.support.onvif_emulator_recording import EmulatedRecording, RecordingSettings
from tests.support.playback_station import Station
from tests.support.rtsp import SECURE_PASSWORD, SECURE_USER, RtspTestServer, free_port

pytestmark = pytest.mark.integration

UTC = dt.UTC
BEIJING = dt.timezone(dt.timedelta(hours=8))
H = dt.timedelta(hours=1)
MIN = dt.timedelta(minutes=1)
DAY = dt.datetime(2024, 3, 5, tzinfo=UTC)
# What the recorder holds: 08:00-10:00 and 10:15-12:00 UTC (a 15-minute hole).
RECORDED = [(DAY + 8 * H, DAY + 10 * H), (DAY + 10.25 * H, DAY + 12 * H)]
GOP_MS = 2000  # the test server's keyframe interval (key-int-max=50 at 25 fps)
NVR_UTC_OFFSET_MIN = 480  # the Dahua mount's local time: Beijing


@pytest.fixture(scope="module")
def nvr_server() -> Iterator[RtspTestServer]:
    server = RtspTestServer(live_mounts=0, playback_digest=True,
                            nvr_utc_offset_min=NVR_UTC_OFFSET_MIN,
                            recorded=[(a.timestamp(), b.timestamp()) for a, b in RECORDED])
    server.start()
    yield server
    server.close()


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    built = Station(tmp_path)
    yield built
    built.close()


@pytest.fixture
def onvif() -> Iterator[OnvifService]:
    service = OnvifService(timeout_s=4.0)
    yield service
    service.close()


@pytest.fixture
def emulator(nvr_server: RtspTestServer) -> Iterator[OnvifEmulator]:
    recordings = [EmulatedRecording(f"Recording_{n}", f"Channel {n}", list(RECORDED))
                  for n in (1, 2, 3)]
    settings = EmulatorSettings(
        user=SECURE_USER, password=SECURE_PASSWORD,
        recording=RecordingSettings(recordings, rtsp_base=f"rtsp://127.0.0.1:{nvr_server.port}",
                                    page_size=2))
    with OnvifEmulator(settings) as emu:
        yield emu


def _configure(station: Station, source: NvrSource) -> None:
    assert station.camera.id is not None
    station.sources.save(SYSTEM, station.camera.id, source, user=SECURE_USER,
                         password=SECURE_PASSWORD)


def _session(result: PlaybackSession | Gap) -> PlaybackSession:
    assert isinstance(result, PlaybackSession), result
    return result


def first_frame_ms(spec: StreamSpec) -> int:
    """The barcode of the first picture the project's network source decodes."""
    settings = VideoSettings(open_timeout_s=10.0, read_timeout_s=8.0)
    source = NetworkSource(spec, settings)
    try:
        for packet in source.packets():
            if packet.decode is None:
                continue
            for frame in source.decoder.decode(packet.decode):
                return decode_ms(frame.to_ndarray(format="bgr24"))
    finally:
        source.close()
    raise AssertionError("no frame decoded")


def _ms(when: dt.datetime) -> int:
    return int(when.timestamp() * 1000)


def test_hikvision_plays_from_the_requested_time(
        nvr_server: RtspTestServer, station: Station) -> None:
    _configure(station, NvrSource(PlaybackKind.HIKVISION, "127.0.0.1",
                                  rtsp_port=nvr_server.port, channel=1))
    playback = PlaybackSource(station.sources)
    start = dt.datetime(2024, 3, 5, 18, 20, 30, 400_000, tzinfo=BEIJING)  # 10:20:30.4 UTC
    with _session(playback.open(SYSTEM, station.camera, start, start + 5 * MIN)) as session:
        assert "starttime=20240305T102030Z&endtime=20240305T102531Z" in session.spec.url
        stamp = first_frame_ms(session.spec)
    assert abs(stamp - _ms(start)) < GOP_MS, (stamp, _ms(start))
    assert f"PLAYBACK /Streaming/tracks/101 start_ms={_ms(DAY + 10 * H + 20.5 * MIN)}" \
        in nvr_server.events()


def test_dahua_plays_from_the_requested_time_in_device_local_time(
        nvr_server: RtspTestServer, station: Station) -> None:
    _configure(station, NvrSource(PlaybackKind.DAHUA, "127.0.0.1", rtsp_port=nvr_server.port,
                                  channel=1, utc_offset_min=NVR_UTC_OFFSET_MIN))
    playback = PlaybackSource(station.sources)
    start = DAY + 11 * H + 5 * MIN
    with _session(playback.open(SYSTEM, station.camera, start, start + MIN)) as session:
        assert "starttime=2024_03_05_19_05_00" in session.spec.url  # 11:05 UTC = 19:05 local
        stamp = first_frame_ms(session.spec)
    assert abs(stamp - _ms(start)) < GOP_MS, (stamp, _ms(start))


def test_a_time_the_nvr_does_not_hold_is_a_gap_asked_once(
        nvr_server: RtspTestServer, station: Station) -> None:
    # Dahua with the wrong offset asks 8 h too early: 02:05 UTC is not recorded -> 404.
    _configure(station, NvrSource(PlaybackKind.DAHUA, "127.0.0.1", rtsp_port=nvr_server.port,
                                  channel=1, utc_offset_min=0))
    playback = PlaybackSource(station.sources)
    start = DAY + 2 * H + 5 * MIN
    session = _session(playback.open(SYSTEM, station.camera, start, start + MIN))
    with pytest.raises(av.error.HTTPNotFoundError) as failure:
        first_frame_ms(session.spec)
    gap = playback.report_failure(session, failure.value)
    assert gap.reason is GapReason.NO_RECORDING and gap.retry_in_s is None
    describes = nvr_server.event_counts()["DESCRIBE /cam/playback"]
    # Scrubbing over the same minute again: the gap is known, the NVR is not asked.
    for seconds in (0, 10, 59):
        again = playback.open(SYSTEM, station.camera, start + dt.timedelta(seconds=seconds),
                              start + MIN)
        assert isinstance(again, Gap) and again.reason is GapReason.NO_RECORDING
    assert nvr_server.event_counts()["DESCRIBE /cam/playback"] == describes
    assert Range(start, start + MIN, RangeKind.GAP, GapReason.NO_RECORDING) in \
        playback.ranges(SYSTEM, station.camera, start - H, start + H)


def test_an_nvr_that_is_not_there_is_backed_off(station: Station) -> None:
    _configure(station, NvrSource(PlaybackKind.HIKVISION, "127.0.0.1", rtsp_port=free_port()))
    playback = PlaybackSource(station.sources)
    start = DAY + 9 * H
    session = _session(playback.open(SYSTEM, station.camera, start, start + MIN))
    with pytest.raises((OSError, ExpectedFailure, av.error.FFmpegError)) as failure:
        first_frame_ms(session.spec)
    gap = playback.report_failure(session, failure.value)
    assert gap.reason is GapReason.UNREACHABLE and gap.retry_in_s
    waiting = playback.open(SYSTEM, station.camera, start + H, start + H + MIN)
    assert isinstance(waiting, Gap) and waiting.reason is GapReason.BACKING_OFF


def test_onvif_profile_g_replays_from_the_requested_time(
        nvr_server: RtspTestServer, station: Station, emulator: OnvifEmulator,
        onvif: OnvifService) -> None:
    _configure(station, NvrSource(PlaybackKind.ONVIF_G, "127.0.0.1", onvif_port=emulator.port,
                                  channel=2))
    playback = PlaybackSource(station.sources, onvif)
    start = DAY + 9 * H + 42 * MIN + dt.timedelta(seconds=7)
    session = _session(playback.open(SYSTEM, station.camera, start, start + 10 * MIN))
    try:
        assert session.relay is not None and session.relay.running
        assert session.spec.url.startswith(f"rtsp://127.0.0.1:{session.relay.port}/onvif/replay")
        assert session.spec.url.endswith("?recording=Recording_2")  # channel 2
        assert session.spec.transport == "tcp" and session.spec.user == SECURE_USER
        stamp = first_frame_ms(session.spec)
    finally:
        session.close()
    assert not session.relay.running
    assert abs(stamp - _ms(start)) < GOP_MS, (stamp, _ms(start))
    assert ("PLAY /onvif/replay range=clock=20240305T094207.000Z-20240305T095207.000Z "
            "require=onvif-replay") in nvr_server.events()
    ops = [op for op, _ in emulator.calls]
    assert ops.count("GetRecordingSearchResults") >= 3  # "Searching", then pages of 2
    assert "GetReplayUri" in ops


def test_the_replay_mount_refuses_ffmpeg_alone(nvr_server: RtspTestServer) -> None:
    # What the relay is for: without Require: onvif-replay the device answers 551.
    spec = StreamSpec(f"rtsp://127.0.0.1:{nvr_server.port}/onvif/replay?recording=R1",
                      SECURE_USER, SECURE_PASSWORD)
    with pytest.raises(av.error.HTTPServerError, match="5XX"):
        first_frame_ms(spec)


def test_onvif_time_outside_the_recording_is_a_gap(
        station: Station, emulator: OnvifEmulator, onvif: OnvifService) -> None:
    _configure(station, NvrSource(PlaybackKind.ONVIF_G, "127.0.0.1", onvif_port=emulator.port))
    playback = PlaybackSource(station.sources, onvif)
    start = DAY + 10 * H + 5 * MIN  # in the 10:00-10:15 hole: the device answers 457
    session = _session(playback.open(SYSTEM, station.camera, start, start + MIN))
    with pytest.raises(av.error.HTTPOtherClientError) as failure:
        first_frame_ms(session.spec)
    gap = playback.report_failure(session, failure.value)
    assert gap.reason is GapReason.NO_RECORDING
    assert session.relay is not None and not session.relay.running
    assert [a.status for a in session.relay.answers][-1] == 457


def test_onvif_ranges_come_from_the_search_service(
        station: Station, emulator: OnvifEmulator, onvif: OnvifService) -> None:
    _configure(station, NvrSource(PlaybackKind.ONVIF_G, "127.0.0.1", onvif_port=emulator.port))
    playback = PlaybackSource(station.sources, onvif)
    got = playback.ranges(SYSTEM, station.camera, DAY + 7 * H, DAY + 13 * H)
    gap = GapReason.NO_RECORDING
    assert got == [
        Range(DAY + 7 * H, DAY + 8 * H, RangeKind.GAP, gap),
        Range(DAY + 8 * H, DAY + 10 * H, RangeKind.RECORDED),
        Range(DAY + 10 * H, DAY + 10.25 * H, RangeKind.GAP, gap),
        Range(DAY + 10.25 * H, DAY + 12 * H, RangeKind.RECORDED),
        Range(DAY + 12 * H, DAY + 13 * H, RangeKind.GAP, gap)]
    assert "FindEvents" in [op for op, _ in emulator.calls]


def test_a_failing_recorder_is_asked_once_then_left_alone(
        station: Station, emulator: OnvifEmulator, onvif: OnvifService) -> None:
    _configure(station, NvrSource(PlaybackKind.ONVIF_G, "127.0.0.1", onvif_port=emulator.port))
    emulator.settings.fault_ops = {"GetReplayUri", "FindEvents"}
    playback = PlaybackSource(station.sources, onvif)
    start = DAY + 9 * H
    gap = playback.open(SYSTEM, station.camera, start, start + MIN)
    assert isinstance(gap, Gap) and gap.reason is GapReason.ERROR and gap.retry_in_s
    calls = len(emulator.calls)
    for minutes in range(10):
        later = start + minutes * MIN
        assert playback.open(SYSTEM, station.camera, later, later + MIN).reason \
            is GapReason.BACKING_OFF  # type: ignore[union-attr]
        assert playback.ranges(SYSTEM, station.camera, later, later + H) == [
            Range(later, later + H, RangeKind.UNKNOWN, GapReason.BACKING_OFF)]
    assert len(emulator.calls) == calls  # no storm: the device was not asked again


def test_search_pages_until_completed_within_a_bounded_wait(
        emulator: OnvifEmulator, onvif: OnvifService) -> None:
    from tests.support.onvif_emulator import endpoint_for

    endpoint = endpoint_for(emulator)
    found = onvif.recordings(endpoint).result(30)
    assert found.complete and [r.token for r in found.recordings] == [
        "Recording_1", "Recording_2", "Recording_3"]
    assert found.recordings[0].earliest == RECORDED[0][0]
    assert emulator.settings.recording is not None
    assert emulator.settings.recording.ended == []  # completed searches end by themselves
    # A recorder still searching when our wait runs out: cut short, and its session freed.
    emulator.settings.recording.searching_polls = 10_000
    slow = onvif.recordings(endpoint, max_wait_s=1.5).result(30)
    assert not slow.complete and slow.recordings == ()
    assert len(emulator.settings.recording.ended) == 1


def test_spans_without_find_events_are_the_recordings_bounds(
        emulator: OnvifEmulator, onvif: OnvifService) -> None:
    from tests.support.onvif_emulator import endpoint_for

    assert emulator.settings.recording is not None
    emulator.settings.recording.find_events_supported = False
    endpoint = endpoint_for(emulator)
    recording = onvif.recordings(endpoint).result(30).recordings[0]
    spans = onvif.recorded_spans(endpoint, recording, DAY, DAY + 24 * H).result(30)
    assert not spans.exact and spans.complete
    assert [(s.start, s.end) for s in spans.spans] == [(DAY + 8 * H, DAY + 12 * H)]


def test_a_recorder_whose_clock_runs_fast_is_asked_in_its_own_time(
        nvr_server: RtspTestServer, station: Station, emulator: OnvifEmulator,
        onvif: OnvifService) -> None:
    # The recorder's clock is 5 min fast (measured by GetSystemDateAndTime): what happened
    # at 09:42:07 it labels 09:47:07, and its recordings end at 10:05 true time.
    emulator.settings.clock_skew_s = 300.0
    _configure(station, NvrSource(PlaybackKind.ONVIF_G, "127.0.0.1", onvif_port=emulator.port))
    playback = PlaybackSource(station.sources, onvif)
    start = DAY + 9 * H + 42 * MIN + dt.timedelta(seconds=7)
    with _session(playback.open(SYSTEM, station.camera, start, start + MIN)) as session:
        stamp = first_frame_ms(session.spec)
    labelled = start + 5 * MIN
    assert abs(stamp - _ms(labelled)) < GOP_MS, (stamp, _ms(labelled))
    got = playback.ranges(SYSTEM, station.camera, DAY + 9 * H, DAY + 11 * H)
    expected = [(DAY + 9 * H, DAY + 10 * H - 5 * MIN, RangeKind.RECORDED),
                (DAY + 10 * H - 5 * MIN, DAY + 10.25 * H - 5 * MIN, RangeKind.GAP),
                (DAY + 10.25 * H - 5 * MIN, DAY + 11 * H, RangeKind.RECORDED)]
    assert [r.kind for r in got] == [kind for _, _, kind in expected]
    # The device tells its time in whole seconds: the measured drift is good to ~1 s.
    for r, (start_at, end_at, _) in zip(got, expected, strict=True):
        assert abs((r.start - start_at).total_seconds()) < 1.5, (r, start_at)
        assert abs((r.end - end_at).total_seconds()) < 1.5, (r, end_at)
