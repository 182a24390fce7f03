"""Profile G (recording search and replay) replies → dataclasses (local-name matching).

Times in ONVIF replies are xs:dateTime in the device's clock, nearly always UTC with a
"Z"; a time without zone is read as UTC (what the standard prescribes for recordings).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commandroom.onvif.xmlparse import Element, kid, kids, local, text


@dataclass(frozen=True)
class RecordingTrack:
    token: str
    kind: str  # "Video" | "Audio" | "Metadata" | vendor extension
    description: str = ""
    data_from: dt.datetime | None = None
    data_to: dt.datetime | None = None


@dataclass(frozen=True)
class Recording:
    """One recording a device holds (usually one per camera channel)."""

    token: str
    source_id: str = ""
    source_name: str = ""
    earliest: dt.datetime | None = None
    latest: dt.datetime | None = None
    content: str = ""
    status: str = ""  # Initiated, Recording, Stopped, Removing, Removed, Unknown
    tracks: tuple[RecordingTrack, ...] = ()

    @property
    def has_video(self) -> bool:
        return not self.tracks or any(t.kind.lower() == "video" for t in self.tracks)


@dataclass(frozen=True)
class RecordingSearch:
    """What FindRecordings found. ``complete`` False: the bounded wait ran out first."""

    recordings: tuple[Recording, ...]
    complete: bool
    # The device's clock minus ours (s) when searched; its recordings are in its clock.
    clock_drift_s: float | None = None


@dataclass(frozen=True)
class RecordingSummary:
    data_from: dt.datetime | None
    data_until: dt.datetime | None
    count: int


@dataclass(frozen=True)
class RecordedSpan:
    """A stretch of a recording with data in it (device clock, UTC, end exclusive)."""

    recording_token: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class SpanSearch:
    """Recorded spans of one recording inside a window.

    ``exact``: from the device's data-present history (FindEvents); False when the
    device only told the recording's earliest and latest times.
    ``complete``: False when the bounded wait ran out before the device finished.
    """

    spans: tuple[RecordedSpan, ...]
    exact: bool
    complete: bool


@dataclass(frozen=True)
class DataPresence:
    """One ``RecordingHistory/Track/State`` event: data starts (True) or stops (False)."""

    recording_token: str
    track_token: str
    time: dt.datetime
    present: bool


def parse_time(value: str | None) -> dt.datetime | None:
    """xs:dateTime → aware UTC datetime; None when missing or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def format_time(when: dt.datetime) -> str:
    """Aware datetime → xs:dateTime in UTC (``2024-03-05T10:20:30Z``, ms when needed)."""
    utc = when.astimezone(dt.UTC)
    base = utc.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{base}.{utc.microsecond // 1000:03d}Z" if utc.microsecond else f"{base}Z"


def search_token(payload: Element) -> str | None:
    """FindRecordingsResponse / FindEventsResponse → the SearchToken."""
    return text(payload, "SearchToken")


def search_state(payload: Element) -> str:
    """SearchState of a Get*SearchResults reply ("Completed", "Searching", "Queued"...)."""
    return text(payload, "ResultList", "SearchState") or "Unknown"


def _track(el: Element) -> RecordingTrack:
    return RecordingTrack(
        token=text(el, "TrackToken") or "",
        kind=text(el, "TrackType") or "",
        description=text(el, "Description") or "",
        data_from=parse_time(text(el, "DataFrom")),
        data_to=parse_time(text(el, "DataTo")),
    )


def recording_information(el: Element) -> Recording:
    """A tt:RecordingInformation element (search results, GetRecordingInformation)."""
    source = kid(el, "Source")
    return Recording(
        token=text(el, "RecordingToken") or "",
        source_id=text(source, "SourceId") or "",
        source_name=text(source, "Name") or "",
        earliest=parse_time(text(el, "EarliestRecording")),
        latest=parse_time(text(el, "LatestRecording")),
        content=text(el, "Content") or "",
        status=text(el, "RecordingStatus") or "",
        tracks=tuple(_track(t) for t in kids(el, "Track")),
    )


def recording_results(payload: Element) -> list[Recording]:
    """GetRecordingSearchResultsResponse → its recordings (those with a token)."""
    results = kid(payload, "ResultList")
    if results is None:
        return []
    found = [recording_information(r) for r in kids(results, "RecordingInformation")]
    return [r for r in found if r.token]


def recording_information_response(payload: Element) -> Recording | None:
    info = kid(payload, "RecordingInformation")
    return recording_information(info) if info is not None else None


def recording_summary(payload: Element) -> RecordingSummary:
    summary = kid(payload, "Summary")
    count = text(summary, "NumberRecordings")
    return RecordingSummary(
        data_from=parse_time(text(summary, "DataFrom")),
        data_until=parse_time(text(summary, "DataUntil")),
        count=int(count) if count and count.isdigit() else 0,
    )


def replay_uri(payload: Element) -> str | None:
    """GetReplayUriResponse → Uri (None when absent)."""
    return text(payload, "Uri")


def _simple_items(event: Element) -> dict[str, str]:
    items: dict[str, str] = {}
    for el in event.iter():
        if isinstance(el.tag, str) and local(el) == "SimpleItem":
            name, value = el.get("Name"), el.get("Value")
            if name is not None and value is not None:
                items[name] = value
    return items


def _topic(event: Element) -> str:
    for el in event.iter():
        if isinstance(el.tag, str) and local(el) == "Topic" and el.text:
            return str(el.text).strip()
    return ""


def data_presence_events(payload: Element) -> list[DataPresence]:
    """GetEventSearchResultsResponse → the track data-present events, in reply order.

    Only ``RecordingHistory/Track/State`` events with an ``IsDataPresent`` item count;
    other topics a device adds (recording state, motion) are skipped.
    """
    results = kid(payload, "ResultList")
    found: list[DataPresence] = []
    for result in kids(results, "Result") if results is not None else ():
        when = parse_time(text(result, "Time"))
        event = kid(result, "Event")
        if when is None or event is None:
            continue
        topic = _topic(event).rpartition(":")[2]
        present = _simple_items(event).get("IsDataPresent")
        if not topic.endswith("RecordingHistory/Track/State") or present is None:
            continue
        found.append(DataPresence(
            recording_token=text(result, "RecordingToken") or "",
            track_token=text(result, "TrackToken") or "",
            time=when,
            present=present.strip().lower() in ("true", "1"),
        ))
    return found
