"""Profile G replies (recorded from real devices) and the recorded-span arithmetic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from commandroom.onvif import recording_models as rm
from commandroom.onvif.recording import merge_intervals, spans_from_events
from commandroom.onvif.recording_models import DataPresence, Recording, RecordingTrack
from commandroom.onvif.xmlparse import response_payload

EX = Path(__file__).parents[2] / "data" / "onvif" / "ex_onvif"
UTC = dt.UTC


def _payload(name: str, kind: str) -> rm.Element:
    return response_payload((EX / name).read_bytes(), kind)


def test_find_recordings_gives_the_search_token() -> None:
    payload = _payload("find_recordings.xml", "FindRecordingsResponse")
    assert rm.search_token(payload) == "RecordingSearchToken_1"
    assert rm.search_token(_payload("find_events.xml", "FindEventsResponse")) == "SearchToken[1]"


def test_recording_search_results_with_tracks_and_times() -> None:
    payload = _payload("get_recording_search_results.xml", "GetRecordingSearchResultsResponse")
    assert rm.search_state(payload) == "Completed"
    (recording,) = rm.recording_results(payload)
    assert recording.token == "OnvifRecordingToken_1"
    assert (recording.source_id, recording.source_name) == ("SourceId_1", "IpCamera_1")
    assert recording.earliest == dt.datetime(1970, 1, 1, 0, 3, 15, tzinfo=UTC)
    assert recording.latest == dt.datetime(2025, 3, 15, 16, 28, tzinfo=UTC)
    assert recording.status == "Stopped" and recording.has_video
    assert [(t.token, t.kind) for t in recording.tracks] == [
        ("videotracktoken_1", "Video"), ("audiotracktoken_1", "Audio"),
        ("metadatatracktoken_1", "Metadata")]
    assert recording.tracks[0].data_to == recording.latest


def test_replay_uri_and_summary() -> None:
    uri = rm.replay_uri(_payload("get_replay_uri.xml", "GetReplayUriResponse"))
    assert uri == ("rtsp://192.168.1.136/onvif-media/record/play.amp?onvifreplayid="
                   "SD_DISK_20200422_132655_67086B52&onvifreplayext=1&streamtype=unicast"
                   "&session_timeout=30")
    summary = rm.recording_summary(_payload("get_recording_summary.xml",
                                            "GetRecordingSummaryResponse"))
    assert summary == rm.RecordingSummary(dt.datetime(1970, 1, 1, tzinfo=UTC),
                                          dt.datetime(2024, 12, 13, 8, 8, 49, tzinfo=UTC), 8)


def test_times_in_every_shape_devices_send() -> None:
    assert rm.parse_time("2024-03-05T10:20:30Z") == dt.datetime(2024, 3, 5, 10, 20, 30,
                                                                tzinfo=UTC)
    assert rm.parse_time("2024-03-05T18:20:30.5+08:00") == dt.datetime(
        2024, 3, 5, 10, 20, 30, 500_000, tzinfo=UTC)
    assert rm.parse_time("2024-03-05T10:20:30") == dt.datetime(2024, 3, 5, 10, 20, 30,
                                                               tzinfo=UTC)
    assert rm.parse_time("yesterday") is None and rm.parse_time(None) is None
    assert rm.format_time(dt.datetime(2024, 3, 5, 10, 20, 30, tzinfo=UTC)) == (
        "2024-03-05T10:20:30Z")
    assert rm.format_time(dt.datetime(2024, 3, 5, 10, 20, 30, 250_000, tzinfo=UTC)) == (
        "2024-03-05T10:20:30.250Z")


T0 = dt.datetime(2024, 3, 5, 8, 0, tzinfo=UTC)
H = dt.timedelta(hours=1)
REC = Recording("Rec_1", latest=T0 + 10 * H,
                tracks=(RecordingTrack("V1", "Video"), RecordingTrack("A1", "Audio")))


def _event(hours: float, present: bool, track: str = "V1") -> DataPresence:
    return DataPresence("Rec_1", track, T0 + hours * H, present)


def test_spans_from_start_state_and_transitions_of_the_video_track() -> None:
    events = [_event(0, True), _event(2, False), _event(3, True), _event(5, False),
              _event(1, False, "A1"),  # audio stops: the video still counts
              _event(6, True)]
    spans = spans_from_events(events, REC, T0, T0 + 8 * H)
    assert [(s.start, s.end) for s in spans] == [
        (T0, T0 + 2 * H), (T0 + 3 * H, T0 + 5 * H), (T0 + 6 * H, T0 + 8 * H)]


def test_first_event_stop_means_data_since_the_window_start() -> None:
    spans = spans_from_events([_event(1, False)], REC, T0, T0 + 4 * H)
    assert [(s.start, s.end) for s in spans] == [(T0, T0 + H)]


def test_open_span_ends_at_the_recordings_latest_time() -> None:
    spans = spans_from_events([_event(9, True)], REC, T0, T0 + 24 * H)
    assert [(s.start, s.end) for s in spans] == [(T0 + 9 * H, T0 + 10 * H)]


def test_merge_clips_joins_and_drops_empty() -> None:
    got = merge_intervals([(T0 + 2 * H, T0 + 3 * H), (T0 - H, T0 + H), (T0 + H, T0 + 2 * H),
                           (T0 + 5 * H, T0 + 5 * H), (T0 + 7 * H, T0 + 9 * H)],
                          T0, T0 + 8 * H)
    assert got == [(T0, T0 + 3 * H), (T0 + 7 * H, T0 + 8 * H)]
