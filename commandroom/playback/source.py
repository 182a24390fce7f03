"""PlaybackSource: "play camera X from T1 to T2" and "what does its recorder hold?".

Blocking calls (ONVIF requests with bounded waits): call them from a worker thread.

``open`` answers with a PlaybackSession (a StreamSpec the video reader opens as it opens
a live camera, plus the relay for ONVIF replay, which lives as long as the session) or
with a Gap — never an exception for what a recorder does. Most failures only show when
the reader opens the spec; it hands them to ``report_failure``, which turns them into a
Gap with a reason code and remembers them:
* "nothing for that time" (RTSP 404/454/457, no video before the read timeout) is kept
  for that time range (``GAP_MEMORY_S``): asking again opens nothing, the timeline shows
  the gap;
* a sick device (unreachable, refused credentials, 5xx, no replay service) is left alone
  with a per-device backoff: every ``open``/``ranges`` meanwhile gets BACKING_OFF at
  once, so scrubbing a timeline over a dead NVR makes one request, not hundreds.

``ranges`` for Hikvision and Dahua: their recording search (ISAPI, Dahua's mediaFileFind)
is outside what this project speaks, and probing by playing is no cheaper: each probe
is a whole RTSP session (recorders allow a handful per channel) and many NVRs accept any
time and just send nothing. So their window is UNKNOWN, minus the gaps playback
attempts have learned. ONVIF Profile G devices are searched (recorded spans, exact when
the device keeps the data-present history).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from commandroom.auth.guard import open_access, requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.cameras.registry import Camera
from commandroom.onvif.models import CameraEndpoint
from commandroom.onvif.recording_models import Recording, RecordingSearch
from commandroom.onvif.service import OnvifService
from commandroom.playback.failures import classify_failure, classify_onvif
from commandroom.playback.nvr import (
    NvrSource,
    PlaybackKind,
    device_time,
    playback_origin,
    true_time,
    vendor_spec,
)
from commandroom.playback.ranges import (
    RANGE_REASONS,
    Gap,
    GapReason,
    Range,
    RangeKind,
    complement,
    merge,
    overlay,
)
from commandroom.playback.relay import RtspRelay
from commandroom.playback.rtsp_messages import ReplayRewrite
from commandroom.playback.store import PlaybackSources
from commandroom.video.backoff import BackoffPolicy
from commandroom.video.stream_spec import StreamSpec

_log = logging.getLogger(__name__)

GAP_MEMORY_S = 300.0  # how long "nothing recorded at T" is believed without asking again
RECORDINGS_MEMORY_S = 60.0  # an ONVIF device's list of recordings, reused meanwhile
# GetSystemDateAndTime has whole seconds plus a network round trip: a smaller measured
# drift is noise, and shifting the replay start by it would only add error.
DRIFT_DEADBAND_S = 2.0


@dataclass
class PlaybackSession:
    """What the reader opens (``spec``) and what must stop with it (the relay)."""

    camera_id: int
    start: dt.datetime
    end: dt.datetime
    kind: PlaybackKind
    spec: StreamSpec
    device: tuple[str, str, int]
    relay: RtspRelay | None = None
    # True time of the first frame the stream sends (None: ``start``): vendor URLs
    # start on a whole second of the device's clock.
    origin: dt.datetime | None = None

    def close(self) -> None:
        if self.relay is not None:
            self.relay.close()

    def __enter__(self) -> PlaybackSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class _Memory:
    """Learned gaps per camera and backoff per device; guarded by the facade's lock."""

    gaps: dict[int, list[tuple[Range, float]]] = field(default_factory=dict)
    backoff: dict[tuple[str, str, int], BackoffPolicy] = field(default_factory=dict)
    recordings: dict[tuple[str, int], tuple[RecordingSearch, float]] = field(
        default_factory=dict)


def _natural_key(token: str) -> list[object]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", token)]


def choose_recording(found: RecordingSearch, source: NvrSource) -> Recording | None:
    """The configured recording, else the channel-th video recording (natural order)."""
    if source.recording_token:
        return next((r for r in found.recordings if r.token == source.recording_token), None)
    video = sorted((r for r in found.recordings if r.has_video),
                   key=lambda r: _natural_key(r.token))
    return video[source.channel - 1] if source.channel <= len(video) else None


def clock_offset(source: NvrSource, measured_drift_s: float | None) -> float:
    """The device clock's lead over ours to apply: configured, else measured (ONVIF)."""
    if source.clock_offset_s is not None:
        return source.clock_offset_s
    drift = measured_drift_s or 0.0
    return drift if abs(drift) >= DRIFT_DEADBAND_S else 0.0


class PlaybackSource:
    def __init__(self, sources: PlaybackSources, onvif: OnvifService | None = None, *,
                 backoff_initial_s: float = 2.0, backoff_max_s: float = 60.0,
                 search_wait_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._sources = sources
        self._onvif = onvif
        self._backoff = (backoff_initial_s, backoff_max_s)
        self._search_wait_s = search_wait_s
        self._clock = clock
        self._lock = threading.Lock()
        self._memory = _Memory()

    # -- playing ---------------------------------------------------------------------------
    @requires(Permission.VIEW_VIDEO)
    def open(self, actor: Actor, camera: Camera, start_utc: dt.datetime,
             end_utc: dt.datetime) -> PlaybackSession | Gap:
        if not start_utc < end_utc:
            raise ValueError("the playback start must be before its end")
        source, user, password = self._resolve(actor, camera)
        if not source.enabled or camera.id is None:
            return Gap(start_utc, end_utc, GapReason.NOT_CONFIGURED)
        known = self._known_gap(camera.id, start_utc)
        if known is not None:
            return Gap(start_utc, end_utc, known, detail="remembered from an earlier attempt")
        device = _device_key(source)
        waiting = self._backing_off(device)
        if waiting is not None:
            return Gap(start_utc, end_utc, GapReason.BACKING_OFF, retry_in_s=waiting)
        if source.kind is not PlaybackKind.ONVIF_G:
            spec = vendor_spec(source, start_utc, end_utc, user, password)
            return PlaybackSession(camera.id, start_utc, end_utc, source.kind, spec, device,
                                   origin=playback_origin(source, start_utc))
        try:
            return self._open_replay(camera.id, source, user, password, start_utc, end_utc)
        except Exception as exc:
            return self._failed(device, camera.id, start_utc, end_utc, classify_onvif(exc),
                                exc)

    def _open_replay(self, camera_id: int, source: NvrSource, user: str | None,
                     password: str | None, start: dt.datetime,
                     end: dt.datetime) -> PlaybackSession | Gap:
        onvif = self._require_onvif()
        endpoint = CameraEndpoint(source.host, source.onvif_port, user, password)
        recording, drift = self._recording(endpoint, source)
        if recording is None:
            return Gap(start, end, GapReason.NO_RECORDING,
                       detail="the recorder holds no recording for this channel")
        target = onvif.replay_uri(endpoint, recording.token).result(self._wait_s())
        offset = clock_offset(source, target.clock_drift_s or drift)
        parts = urlsplit(target.uri.uri)
        relay = RtspRelay(parts.hostname or source.host, parts.port or 554,
                          ReplayRewrite(device_time(start, offset), device_time(end, offset)))
        spec = StreamSpec(relay.local_url(target.uri.uri), user or None, password or None,
                          transport="tcp")  # RTP interleaved: through the relay
        return PlaybackSession(camera_id, start, end, source.kind, spec,
                               _device_key(source), relay)

    @open_access("reports on a session that open() granted; reveals nothing new")
    def report_failure(self, session: PlaybackSession, exc: BaseException) -> Gap:
        """The reader could not play ``session``: the Gap to show (session closed)."""
        session.close()
        reason = classify_failure(exc, session.relay)
        return self._failed(session.device, session.camera_id, session.start, session.end,
                            reason, exc)

    @open_access("reports on a session that open() granted; reveals nothing new")
    def report_playing(self, session: PlaybackSession) -> None:
        """Frames arrived: the device is well and that time is recorded after all."""
        with self._lock:
            policy = self._memory.backoff.get(session.device)
            if policy is not None:
                policy.reset()
            gaps = self._memory.gaps.get(session.camera_id, [])
            self._memory.gaps[session.camera_id] = [
                (g, t) for g, t in gaps if not g.start <= session.start < g.end]

    # -- the timeline ----------------------------------------------------------------------
    @requires(Permission.VIEW_VIDEO)
    def ranges(self, actor: Actor, camera: Camera, start_utc: dt.datetime,
               end_utc: dt.datetime) -> list[Range]:
        """What the camera's recorder holds in [start, end): recorded, gaps, unknown."""
        if not start_utc < end_utc:
            return []
        source, user, password = self._resolve(actor, camera)
        if not source.enabled or camera.id is None:
            return []
        device = _device_key(source)
        waiting = self._backing_off(device)
        if waiting is not None:
            base = [Range(start_utc, end_utc, RangeKind.UNKNOWN, GapReason.BACKING_OFF)]
        elif source.kind is PlaybackKind.ONVIF_G:
            try:
                base = self._searched_ranges(source, user, password, start_utc, end_utc)
            except Exception as exc:
                reason = classify_onvif(exc)
                self._failed(device, camera.id, start_utc, end_utc, reason, exc)
                base = [Range(start_utc, end_utc, RangeKind.UNKNOWN, reason)]
        else:
            base = [Range(start_utc, end_utc, RangeKind.UNKNOWN, exact=False)]
        return overlay(base, self._learned(camera.id, start_utc, end_utc))

    def _searched_ranges(self, source: NvrSource, user: str | None, password: str | None,
                         start: dt.datetime, end: dt.datetime) -> list[Range]:
        onvif = self._require_onvif()
        endpoint = CameraEndpoint(source.host, source.onvif_port, user, password)
        recording, drift = self._recording(endpoint, source)
        if recording is None:
            return [Range(start, end, RangeKind.GAP, GapReason.NO_RECORDING)]
        offset = clock_offset(source, drift)
        found = onvif.recorded_spans(
            endpoint, recording, device_time(start, offset), device_time(end, offset),
            self._search_wait_s).result(self._wait_s())
        recorded = [(true_time(s.start, offset), true_time(s.end, offset))
                    for s in found.spans]
        holes = complement(recorded, start, end)
        hole_kind = RangeKind.GAP if found.complete else RangeKind.UNKNOWN
        return merge(
            [Range(a, b, RangeKind.RECORDED, exact=found.exact) for a, b in recorded]
            + [Range(a, b, hole_kind, GapReason.NO_RECORDING if found.complete else None,
                     exact=found.exact) for a, b in holes])

    # -- helpers ---------------------------------------------------------------------------
    def _resolve(self, actor: Actor, camera: Camera,
                 ) -> tuple[NvrSource, str | None, str | None]:
        if camera.id is None:
            return NvrSource(), None, None
        source = self._sources.get(actor, camera.id)
        creds = self._sources._credentials(source, camera) if source.enabled else None
        user, password = creds if creds else (None, None)
        return source, user or None, password

    def _require_onvif(self) -> OnvifService:
        if self._onvif is None:
            raise RuntimeError("no ONVIF service given to the playback source")
        return self._onvif

    def _wait_s(self) -> float:
        timeout = self._onvif.timeout_s if self._onvif is not None else 4.0
        return self._search_wait_s + 3 * timeout + 2.0

    def _recording(self, endpoint: CameraEndpoint,
                   source: NvrSource) -> tuple[Recording | None, float | None]:
        key = (endpoint.host, endpoint.port)
        now = self._clock()
        with self._lock:
            cached = self._memory.recordings.get(key)
        if cached is None or now - cached[1] > RECORDINGS_MEMORY_S:
            found = self._require_onvif().recordings(endpoint, self._search_wait_s).result(
                self._wait_s())
            with self._lock:
                self._memory.recordings[key] = (found, now)
        else:
            found = cached[0]
        return choose_recording(found, source), found.clock_drift_s

    def _failed(self, device: tuple[str, str, int], camera_id: int, start: dt.datetime,
                end: dt.datetime, reason: GapReason, exc: BaseException) -> Gap:
        detail = f"{type(exc).__name__}"
        now = self._clock()
        with self._lock:
            if reason in RANGE_REASONS:
                gaps = [(g, t) for g, t in self._memory.gaps.get(camera_id, []) if t > now]
                self._memory.gaps[camera_id] = gaps
                gaps.append((Range(start, end, RangeKind.GAP, reason), now + GAP_MEMORY_S))
                retry = None
            else:
                policy = self._memory.backoff.setdefault(device, BackoffPolicy(
                    initial_s=self._backoff[0], max_s=self._backoff[1], clock=self._clock))
                retry = policy.next_delay()
        _log.info("playback of camera %d at %s: %s (%s)", camera_id, start.isoformat(),
                  reason, detail)
        return Gap(start, end, reason, retry_in_s=retry, detail=detail)

    def _backing_off(self, device: tuple[str, str, int]) -> float | None:
        with self._lock:
            policy = self._memory.backoff.get(device)
            waiting = policy.retry_in() if policy is not None else None
        return waiting if waiting else None

    def _known_gap(self, camera_id: int, when: dt.datetime) -> GapReason | None:
        now = self._clock()
        with self._lock:
            for gap, expires in self._memory.gaps.get(camera_id, []):
                if expires > now and gap.start <= when < gap.end:
                    return gap.reason
        return None

    def _learned(self, camera_id: int, start: dt.datetime, end: dt.datetime) -> list[Range]:
        now = self._clock()
        with self._lock:
            kept = [(g, t) for g, t in self._memory.gaps.get(camera_id, []) if t > now]
            self._memory.gaps[camera_id] = kept
        return [g for g, _ in kept if g.start < end and g.end > start]


def _device_key(source: NvrSource) -> tuple[str, str, int]:
    port = source.onvif_port if source.kind is PlaybackKind.ONVIF_G else source.rtsp_port
    return str(source.kind), source.host.lower(), port


__all__ = ["Gap", "GapReason", "PlaybackSession", "PlaybackSource", "Range", "RangeKind",
           "choose_recording"]
