"""ONVIF Profile G: what a recorder holds (search service) and how to play it (replay).

Searches are sessions on the device: FindRecordings / FindEvents start one and return a
token; Get*SearchResults pages through it until the device says ``Completed``. Devices
differ a lot in how long a search takes (an NVR with weeks on disk can take seconds),
so every search here has ONE bounded wait for all its pages together; a search cut
short says so (``complete=False``) and is ended on the device (EndSearch) so it does not
hold one of the few search sessions a recorder allows.

Recorded stretches come from the data-present history (``tns1:RecordingHistory/Track/
State``, IsDataPresent) that FindEvents returns; a device without it only tells each
recording's earliest and latest times, and the spans are then marked inexact.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from commandroom.notices import define
from commandroom.onvif.camera import CameraClient
from commandroom.onvif.errors import OnvifError, OnvifFaultError, OnvifProtocolError
from commandroom.onvif.models import StreamUri
from commandroom.onvif.recording_models import (
    DataPresence,
    RecordedSpan,
    Recording,
    RecordingSearch,
    RecordingSummary,
    SpanSearch,
    data_presence_events,
    format_time,
    recording_information_response,
    recording_results,
    recording_summary,
    replay_uri,
    search_state,
    search_token,
)
from commandroom.onvif.soap import x
from commandroom.onvif.uri_repair import repair_uri
from commandroom.onvif.xmlparse import Element

NO_SEARCH_TOKEN = define("onvif.no_search_token",
                         "The recorder answered {operation} without a search token.")
NO_RECORDING_INFO = define("onvif.no_recording_info",
                           "The recorder sent no information about the recording.")
NO_REPLAY_URI = define("onvif.no_replay_uri",
                       "The recorder gave no replay address for the recording.")

_log = logging.getLogger(__name__)
T = TypeVar("T")

SEARCH_WAIT_S = 10.0  # all pages of one search together
PAGE_SIZE = 50
POLL_WAIT_S = 1.0  # WaitTime asked of the device per page (below the HTTP timeout)
# A device that answers "Searching" at once, ignoring WaitTime, is asked again after a
# pause that doubles up to POLL_WAIT_S, instead of in a tight loop.
FIRST_PAUSE_S = 0.1
KEEP_ALIVE = "PT30S"
DATA_PRESENT_TOPIC = "tns1:RecordingHistory/Track/State"
_CONCRETE_SET = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"


def _duration(seconds: float) -> str:
    return f"PT{max(seconds, 0.0):.3f}S".replace(".000S", "S")


async def _collect(client: CameraClient, operation: str, token: str,
                   parse: Callable[[Element], list[T]], max_wait_s: float,
                   page_size: int) -> tuple[list[T], bool]:
    """Page through search ``token`` with ``operation`` until Completed or the wait ends."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_wait_s
    found: list[T] = []
    complete = False
    pause = FIRST_PAUSE_S
    try:
        while (remaining := deadline - loop.time()) > 0:
            wait = min(POLL_WAIT_S, remaining, client.timeout_s / 2)
            payload = await client.request(
                "search", "tse", operation,
                f"<tse:SearchToken>{x(token)}</tse:SearchToken>"
                f"<tse:MinResults>1</tse:MinResults><tse:MaxResults>{page_size}</tse:MaxResults>"
                f"<tse:WaitTime>{_duration(wait)}</tse:WaitTime>")
            page = parse(payload)
            found.extend(page)
            state = search_state(payload)
            if state == "Completed" or (state == "Unknown" and not page):
                complete = True
                break
            if not page:
                await asyncio.sleep(min(pause, max(deadline - loop.time(), 0.0)))
                pause = min(pause * 2, POLL_WAIT_S)
    finally:
        if not complete:
            # Free the device's search session; a failure here changes nothing for us.
            with contextlib.suppress(OnvifError, OSError, asyncio.TimeoutError):
                await client.request("search", "tse", "EndSearch",
                                     f"<tse:SearchToken>{x(token)}</tse:SearchToken>")
    return found, complete


def _token_or_fail(payload: Element, operation: str) -> str:
    token = search_token(payload)
    if not token:
        raise OnvifProtocolError(NO_SEARCH_TOKEN, operation=operation)
    return token


async def find_recordings(client: CameraClient, *, max_wait_s: float = SEARCH_WAIT_S,
                          page_size: int = PAGE_SIZE) -> RecordingSearch:
    """Every recording the device holds (FindRecordings → GetRecordingSearchResults)."""
    payload = await client.request("search", "tse", "FindRecordings",
                                   f"<tse:Scope/><tse:KeepAliveTime>{KEEP_ALIVE}"
                                   "</tse:KeepAliveTime>")
    token = _token_or_fail(payload, "FindRecordings")
    found, complete = await _collect(client, "GetRecordingSearchResults", token,
                                     recording_results, max_wait_s, page_size)
    unique: dict[str, Recording] = {}
    for recording in found:
        unique.setdefault(recording.token, recording)
    drift = client.clock_offset.total_seconds() if client.clock_offset is not None else None
    return RecordingSearch(recordings=tuple(unique.values()), complete=complete,
                           clock_drift_s=drift)


async def summary(client: CameraClient) -> RecordingSummary:
    return recording_summary(await client.request("search", "tse", "GetRecordingSummary"))


async def information(client: CameraClient, recording_token: str) -> Recording:
    payload = await client.request("search", "tse", "GetRecordingInformation",
                                   f"<tse:RecordingToken>{x(recording_token)}"
                                   "</tse:RecordingToken>")
    recording = recording_information_response(payload)
    if recording is None:
        raise OnvifProtocolError(NO_RECORDING_INFO)
    return recording


async def replay(client: CameraClient, recording_token: str) -> StreamUri:
    """GetReplayUri for RTP unicast over RTSP (interleaved; see playback.relay)."""
    payload = await client.request(
        "replay", "trp", "GetReplayUri",
        "<trp:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport>"
        "<tt:Protocol>RTSP</tt:Protocol></tt:Transport></trp:StreamSetup>"
        f"<trp:RecordingToken>{x(recording_token)}</trp:RecordingToken>")
    raw = replay_uri(payload)
    if not raw:
        raise OnvifProtocolError(NO_REPLAY_URI)
    return repair_uri(raw, client.endpoint.host, what="stream")


async def recorded_spans(client: CameraClient, recording: Recording, start: dt.datetime,
                         end: dt.datetime, *, max_wait_s: float = SEARCH_WAIT_S,
                         page_size: int = PAGE_SIZE) -> SpanSearch:
    """Where ``recording`` has data in [start, end) (device clock, UTC)."""
    try:
        payload = await client.request(
            "search", "tse", "FindEvents",
            f"<tse:StartPoint>{format_time(start)}</tse:StartPoint>"
            f"<tse:EndPoint>{format_time(end)}</tse:EndPoint>"
            f"<tse:Scope><tt:IncludedRecordings>{x(recording.token)}</tt:IncludedRecordings>"
            f'</tse:Scope><tse:SearchFilter><tt:TopicExpression Dialect="{_CONCRETE_SET}">'
            f"{DATA_PRESENT_TOPIC}</tt:TopicExpression></tse:SearchFilter>"
            "<tse:IncludeStartState>true</tse:IncludeStartState>"
            f"<tse:KeepAliveTime>{KEEP_ALIVE}</tse:KeepAliveTime>")
    except OnvifFaultError as exc:
        _log.info("FindEvents refused (%s); using the recording's earliest/latest", exc)
        return SpanSearch(_whole_recording(recording, start, end), exact=False, complete=True)
    token = _token_or_fail(payload, "FindEvents")
    events, complete = await _collect(client, "GetEventSearchResults", token,
                                      data_presence_events, max_wait_s, page_size)
    events = [e for e in events if e.recording_token in ("", recording.token)]
    if not events:
        # No history in the window: the recording's own bounds are all we know.
        return SpanSearch(_whole_recording(recording, start, end), exact=False,
                          complete=complete)
    return SpanSearch(spans_from_events(events, recording, start, end), exact=True,
                      complete=complete)


def _whole_recording(recording: Recording, start: dt.datetime,
                     end: dt.datetime) -> tuple[RecordedSpan, ...]:
    first = max(start, recording.earliest) if recording.earliest else start
    last = min(end, recording.latest) if recording.latest else end
    if (recording.earliest is None and recording.latest is None) or first >= last:
        return ()
    return (RecordedSpan(recording.token, first, last),)


def _video_tracks(recording: Recording, events: Sequence[DataPresence]) -> set[str]:
    video = {t.token for t in recording.tracks if t.kind.lower() == "video"}
    seen = {e.track_token for e in events}
    return video & seen or seen  # tracks unknown or unnamed: every track counts


def spans_from_events(events: Sequence[DataPresence], recording: Recording,
                      start: dt.datetime, end: dt.datetime) -> tuple[RecordedSpan, ...]:
    """Data-present transitions → merged spans within [start, end).

    A track whose first event says "data stops" had data from the window's start; one
    still open at the end lasts until the recording's latest time (or the window's end).
    """
    tracks = _video_tracks(recording, events)
    close_at = min(end, recording.latest) if recording.latest else end
    intervals: list[tuple[dt.datetime, dt.datetime]] = []
    for track in sorted(tracks):
        opened: dt.datetime | None = None
        first = True
        for event in sorted((e for e in events if e.track_token == track),
                            key=lambda e: e.time):
            if event.present and opened is None:
                opened = event.time
            elif not event.present:
                if opened is None and first:
                    opened = start
                if opened is not None:
                    intervals.append((opened, event.time))
                opened = None
            first = False
        if opened is not None:
            intervals.append((opened, max(close_at, opened)))
    return tuple(RecordedSpan(recording.token, a, b)
                 for a, b in merge_intervals(intervals, start, end))


def merge_intervals(intervals: Sequence[tuple[dt.datetime, dt.datetime]], start: dt.datetime,
                    end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """Clip to [start, end), drop empty ones, merge overlapping and touching ones."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in intervals)
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for a, b in clipped:
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged
