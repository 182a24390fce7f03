"""Profile G for the ONVIF emulator: search service (recordings, data-present history)
and replay service (GetReplayUri to the RTSP test server's /onvif/replay mount).

Off unless ``EmulatorSettings.recording`` is set. Searches behave like a recorder's: a
token per search, results in pages of ``page_size``, ``searching_polls`` first pages
that are still "Searching" with nothing in them, EndSearch frees the session, and an
unknown token faults. Reply shapes follow tests/data/onvif/ex_onvif (find_recordings,
get_recording_search_results, get_replay_uri, get_recording_summary).
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    from tests.support.onvif_emulator import OnvifEmulator

NAMESPACES = {
    "search": "http://www.onvif.org/ver10/search/wsdl",
    "replay": "http://www.onvif.org/ver10/replay/wsdl",
    "recording": "http://www.onvif.org/ver10/recording/wsdl",
}
_DECLS = ('xmlns:tse="http://www.onvif.org/ver10/search/wsdl" '
          'xmlns:trp="http://www.onvif.org/ver10/replay/wsdl" '
          'xmlns:tt="http://www.onvif.org/ver10/schema" '
          'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" '
          'xmlns:tns1="http://www.onvif.org/ver10/topics"')
_SEARCH_OPS = {"FindRecordings", "GetRecordingSearchResults", "EndSearch",
               "GetRecordingSummary", "GetRecordingInformation", "FindEvents",
               "GetEventSearchResults"}

Window = tuple[dt.datetime, dt.datetime]


@dataclass
class EmulatedRecording:
    token: str
    source_name: str
    windows: list[Window]  # where data is present (UTC, end exclusive)
    status: str = "Recording"


@dataclass
class RecordingSettings:
    recordings: list[EmulatedRecording]
    rtsp_base: str = "rtsp://127.0.0.1:8554"  # the RTSP test server with the replay mount
    page_size: int = 2
    searching_polls: int = 1  # first GetXSearchResults of each search: Searching, empty
    find_events_supported: bool = True
    _searches: dict[str, _Search] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _ids: itertools.count[int] = field(default_factory=itertools.count, repr=False)
    ended: list[str] = field(default_factory=list)  # tokens EndSearch was called for


@dataclass
class _Search:
    items: list[str]  # XML of each result, in order
    polls: int = 0
    cursor: int = 0


def _time(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def xaddrs(base: str, settings: Any) -> dict[str, str]:
    """Service addresses to add to the emulator's (none when Profile G is off)."""
    if getattr(settings, "recording", None) is None:
        return {}
    return {"search": f"{base}/search_service", "replay": f"{base}/replay_service",
            "recording": f"{base}/recording_service"}


def capabilities_extension(xaddrs_: dict[str, str]) -> str:
    """Entries inside GetCapabilities' tt:Extension (where Profile G services sit)."""
    names = {"recording": "Recording", "search": "Search", "replay": "Replay"}
    return "".join(f"<tt:{tag}><tt:XAddr>{xaddrs_[key]}</tt:XAddr></tt:{tag}>"
                   for key, tag in names.items() if key in xaddrs_)


def _span(rec: EmulatedRecording) -> Window:
    return min(a for a, _ in rec.windows), max(b for _, b in rec.windows)


def _recording_information(rec: EmulatedRecording) -> str:
    first, last = _span(rec)
    tracks = "".join(
        f"<tt:Track><tt:TrackToken>{token}</tt:TrackToken><tt:TrackType>{kind}</tt:TrackType>"
        f"<tt:Description>{kind}Track</tt:Description><tt:DataFrom>{_time(first)}"
        f"</tt:DataFrom><tt:DataTo>{_time(last)}</tt:DataTo></tt:Track>"
        for token, kind in ((f"VIDEO_{rec.token}", "Video"), (f"META_{rec.token}", "Metadata")))
    return (
        f"<tt:RecordingInformation><tt:RecordingToken>{escape(rec.token)}</tt:RecordingToken>"
        f"<tt:Source><tt:SourceId>{escape(rec.source_name)}</tt:SourceId>"
        f"<tt:Name>{escape(rec.source_name)}</tt:Name><tt:Location>Location</tt:Location>"
        "<tt:Description>Description of source</tt:Description>"
        "<tt:Address>http://www.onvif.org/ver10/schema/Profile</tt:Address></tt:Source>"
        f"<tt:EarliestRecording>{_time(first)}</tt:EarliestRecording>"
        f"<tt:LatestRecording>{_time(last)}</tt:LatestRecording>"
        f"<tt:Content>RecordContent</tt:Content>{tracks}"
        f"<tt:RecordingStatus>{rec.status}</tt:RecordingStatus></tt:RecordingInformation>")


def _presence_event(rec: EmulatedRecording, when: dt.datetime, present: bool,
                    start_state: bool) -> str:
    value = "true" if present else "false"
    return (
        f"<tt:Result><tt:RecordingToken>{escape(rec.token)}</tt:RecordingToken>"
        f"<tt:TrackToken>VIDEO_{escape(rec.token)}</tt:TrackToken>"
        f"<tt:Time>{_time(when)}</tt:Time><tt:Event><wsnt:Topic "
        'Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">'
        "tns1:RecordingHistory/Track/State</wsnt:Topic><wsnt:Message><tt:Message "
        f'UtcTime="{_time(when)}"><tt:Source><tt:SimpleItem Name="Track" '
        f"Value={quoteattr('VIDEO_' + rec.token)}/></tt:Source><tt:Data>"
        f'<tt:SimpleItem Name="IsDataPresent" Value="{value}"/></tt:Data></tt:Message>'
        f"</wsnt:Message></tt:Event><tt:StartStateEvent>{str(start_state).lower()}"
        "</tt:StartStateEvent></tt:Result>")


def _events(rec: EmulatedRecording, start: dt.datetime, end: dt.datetime,
            include_start_state: bool) -> list[tuple[dt.datetime, str]]:
    found: list[tuple[dt.datetime, str]] = []
    if include_start_state:
        inside = any(a <= start < b for a, b in rec.windows)
        found.append((start, _presence_event(rec, start, inside, True)))
    for a, b in rec.windows:
        if start < a < end:
            found.append((a, _presence_event(rec, a, True, False)))
        if start < b < end:
            found.append((b, _presence_event(rec, b, False, False)))
    return found


def _text(req: Any, name: str) -> str | None:
    for el in req.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.rpartition("}")[2].rpartition(":")[2] == name and el.text:
            return str(el.text).strip()
    return None


def _texts(req: Any, name: str) -> list[str]:
    return [str(el.text).strip() for el in req.iter()
            if isinstance(el.tag, str) and el.text
            and el.tag.rpartition("}")[2].rpartition(":")[2] == name]


def answer(emu: OnvifEmulator, service: str, op: str, req: Any) -> tuple[int, bytes] | None:
    """The reply to a Profile G operation, or None when ``op`` is not one of them."""
    settings: RecordingSettings | None = getattr(emu.settings, "recording", None)
    if settings is None or service not in ("search_service", "replay_service",
                                           "recording_service"):
        return None
    from tests.support import onvif_emulator_bodies as bodies

    vendor = emu.settings.vendor_namespaces

    def ok(body: str) -> tuple[int, bytes]:
        # Declare the Profile G prefixes on the body element (the envelope lacks them).
        first_close = body.index(">")
        return 200, bodies.envelope(f"{body[:first_close]} {_DECLS}{body[first_close:]}",
                                    vendor)

    def fault(sub: str, reason: str) -> tuple[int, bytes]:
        return 500, bodies.fault("Sender", sub, reason, vendor)

    by_token = {r.token: r for r in settings.recordings}
    if op == "GetReplayUri":
        token = _text(req, "RecordingToken") or ""
        if token not in by_token:
            return fault("InvalidArgVal", "No such recording")
        uri = f"{settings.rtsp_base.rstrip('/')}/onvif/replay?recording={token}"
        return ok(f"<trp:GetReplayUriResponse><trp:Uri>{escape(uri)}</trp:Uri>"
                  "</trp:GetReplayUriResponse>")
    if op not in _SEARCH_OPS:
        return None
    if op == "GetRecordingSummary":
        spans = [_span(r) for r in settings.recordings]
        return ok(f"<tse:GetRecordingSummaryResponse><tse:Summary><tt:DataFrom>"
                  f"{_time(min(a for a, _ in spans))}</tt:DataFrom><tt:DataUntil>"
                  f"{_time(max(b for _, b in spans))}</tt:DataUntil><tt:NumberRecordings>"
                  f"{len(spans)}</tt:NumberRecordings></tse:Summary>"
                  "</tse:GetRecordingSummaryResponse>")
    if op == "GetRecordingInformation":
        rec = by_token.get(_text(req, "RecordingToken") or "")
        if rec is None:
            return fault("InvalidArgVal", "No such recording")
        return ok(f"<tse:GetRecordingInformationResponse>{_recording_information(rec)}"
                  "</tse:GetRecordingInformationResponse>")
    if op in ("FindRecordings", "FindEvents"):
        if op == "FindEvents" and not settings.find_events_supported:
            return 500, bodies.fault("Receiver", "ActionNotSupported",
                                     "Optional Action Not Implemented", vendor)
        items = (_find_recordings(settings, req) if op == "FindRecordings"
                 else _find_events(settings, req))
        with settings._lock:
            token = f"SearchToken_{next(settings._ids)}"
            settings._searches[token] = _Search(items)
        return ok(f"<tse:{op}Response><tse:SearchToken>{token}</tse:SearchToken>"
                  f"</tse:{op}Response>")
    token = _text(req, "SearchToken") or ""
    with settings._lock:
        search = settings._searches.get(token)
        if search is None:
            return fault("InvalidToken", "No such search session")
        if op == "EndSearch":
            del settings._searches[token]
            settings.ended.append(token)
            return ok("<tse:EndSearchResponse><tse:Endpoint>"
                      f"{_time(dt.datetime.now(dt.UTC))}</tse:Endpoint></tse:EndSearchResponse>")
        search.polls += 1
        page: list[str] = []
        if search.polls > settings.searching_polls:
            size = min(settings.page_size, int(_text(req, "MaxResults") or settings.page_size))
            page = search.items[search.cursor:search.cursor + size]
            search.cursor += len(page)
        done = search.polls > settings.searching_polls and search.cursor >= len(search.items)
        if done:
            del settings._searches[token]  # a completed search ends by itself
    state = "Completed" if done else "Searching"
    return ok(f"<tse:{op}Response><tse:ResultList><tt:SearchState>{state}</tt:SearchState>"
              f"{''.join(page)}</tse:ResultList></tse:{op}Response>")


def _find_recordings(settings: RecordingSettings, req: Any) -> list[str]:
    wanted = set(_texts(req, "IncludedRecordings"))
    return [_recording_information(r) for r in settings.recordings
            if not wanted or r.token in wanted]


def _find_events(settings: RecordingSettings, req: Any) -> list[str]:
    start, end = _parse(_text(req, "StartPoint")), _parse(_text(req, "EndPoint"))
    if start is None or end is None:
        return []
    wanted = set(_texts(req, "IncludedRecordings"))
    include = (_text(req, "IncludeStartState") or "false").lower() == "true"
    found: list[tuple[dt.datetime, str]] = []
    for rec in settings.recordings:
        if not wanted or rec.token in wanted:
            found.extend(_events(rec, start, end, include))
    return [xml for _, xml in sorted(found, key=lambda item: item[0])]
