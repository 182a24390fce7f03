"""``LookBack``: the calls behind the replay keys, the timeline and synchronised playback.

Wiring (the composition root)::

    lookback = LookBack(hub, recording, playback=playback_source, video=settings.video)
    handle = lookback.replay(actor, camera, size)            # instant replay: 30 s back
    handle = lookback.open_at(actor, camera, moment, size)   # any moment (wall clock, s)
    handles = lookback.open_group(actor, cameras, moment, size)   # 2-9, one clock
    lookback.timeline(actor, camera, start, end)             # local + NVR + gaps + locks
    lookback.close()

Each handle is a ``video.PlaybackHandle``: a tile paints its slot like a live one, and
its controls (seek, speed, pause, step, skip) act on its clock. Where the station has
recorded the moment, the local recording plays; otherwise the camera's NVR, if it has
one ("the officer does not need to know which one plays": ``replay_status().kind``
says, for whoever wants to show it).
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from commandroom.auth.guard import open_access, requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.cameras.registry import Camera
from commandroom.config import VideoSettings
from commandroom.lookback.timeline import CameraTimeline, merge_timeline
from commandroom.playback.nvr_footage import NvrFootage
from commandroom.playback.source import PlaybackSource
from commandroom.recording.cutter import cut_camera
from commandroom.recording.replay_source import LocalFeed, LocalFootage
from commandroom.recording.service import RecordingSystem
from commandroom.video.clips import ClipError, ClipResult
from commandroom.video.hub import StreamHub
from commandroom.video.replay_clock import PlaybackClock
from commandroom.video.replay_feed import FeedUnavailable, ReplayFeed
from commandroom.video.replay_handle import PlaybackHandle

log = logging.getLogger(__name__)

INSTANT_REPLAY_S = 30.0
MAX_GROUP = 9
_CLIP_WORKERS = 2


def _utc(moment: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(moment, dt.UTC)


class CameraFootage:
    """A camera's footage at a moment: the local recording if it holds the moment, else
    the NVR, else the local recording from where it resumes (or nothing)."""

    def __init__(self, local: LocalFootage, nvr: NvrFootage | None) -> None:
        self.local = local
        self.nvr = nvr

    def open_at(self, moment: float, stop: threading.Event) -> ReplayFeed | FeedUnavailable:
        local = self.local.open_at(moment, stop)
        if isinstance(local, LocalFeed) and local.lead_gap is None:
            return local
        if self.nvr is not None:
            remote = self.nvr.open_at(moment, stop)
            if not isinstance(remote, FeedUnavailable):
                if isinstance(local, LocalFeed):
                    local.close()
                return remote
            log.info("replay of camera %s at %.3f: NVR has nothing (%s)",
                     self.local.camera_id, moment, remote.reason)
        return local


class LookBack:
    def __init__(self, hub: StreamHub, recording: RecordingSystem, *,
                 playback: PlaybackSource | None = None, video: VideoSettings | None = None,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self._hub = hub
        self._recording = recording
        self._playback = playback
        self._video = video or VideoSettings()
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None

    @requires(Permission.VIEW_VIDEO)
    def footage(self, actor: Actor, camera: Camera) -> CameraFootage:
        """The opener ``StreamHub.play`` reads the camera's footage through."""
        if camera.id is None:
            raise ValueError("only a saved camera has recordings")
        parts = self._recording.parts
        local = LocalFootage(parts.index, self._recording.root, camera.id)
        nvr = (NvrFootage(self._playback, actor, camera, self._video)
               if self._playback is not None else None)
        return CameraFootage(local, nvr)

    @requires(Permission.VIEW_VIDEO)
    def open_at(self, actor: Actor, camera: Camera, moment: float, size: tuple[int, int], *,
                clock: PlaybackClock | None = None) -> PlaybackHandle:
        """Play ``camera`` from ``moment`` (wall clock, s) into a new slot; with ``clock``,
        as a member of that clock's group."""
        opener = self.footage(actor, camera)
        camera_id = opener.local.camera_id
        return self._hub.play(
            opener, size, start=None if clock is not None else moment, clock=clock,
            name=camera.name,
            clips=lambda at, pre, post, dest: self._clip(camera_id, at, pre, post, dest))

    @requires(Permission.VIEW_VIDEO)
    def replay(self, actor: Actor, camera: Camera, size: tuple[int, int],
               seconds_back: float = INSTANT_REPLAY_S) -> PlaybackHandle:
        """Instant replay: the camera as it was ``seconds_back`` ago, playing on."""
        return self.open_at(actor, camera, self._wall_clock() - seconds_back, size)

    @requires(Permission.VIEW_VIDEO)
    def open_group(self, actor: Actor, cameras: Sequence[Camera], moment: float,
                   size: tuple[int, int]) -> list[PlaybackHandle]:
        """2-9 cameras on one clock: they seek, pause and change speed together, and the
        frames they show at any moment were recorded within one frame of each other."""
        if not 2 <= len(cameras) <= MAX_GROUP:
            raise ValueError(f"a synchronised group has 2 to {MAX_GROUP} cameras")
        clock = PlaybackClock(moment)
        return [self.open_at(actor, camera, moment, size, clock=clock) for camera in cameras]

    @requires(Permission.VIEW_VIDEO)
    def timeline(self, actor: Actor, camera: Camera, start: dt.datetime,
                 end: dt.datetime) -> CameraTimeline:
        """What plays where in [start, end): local ranges, the NVR's, gaps, locks."""
        if camera.id is None:
            raise ValueError("only a saved camera has a timeline")
        local = self._recording.parts.catalog.timeline(actor, camera.id, start, end)
        nvr = (self._playback.ranges(actor, camera, start, end)
               if self._playback is not None else [])
        spans = merge_timeline(start, end, local.recorded, nvr, local.gaps)
        return CameraTimeline(camera.id, start, end, spans, local.recorded, nvr, local.gaps,
                              local.locks)

    @open_access("ends the worker that cuts clips; reveals nothing")
    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    def _clip(self, camera_id: int, moment: float, pre_s: float, post_s: float,
              dest: Path) -> concurrent.futures.Future[ClipResult]:
        """An evidence clip for a sighting tagged on a replaying tile, cut from the
        recording (no re-encode); the footage after ``moment`` is already there."""
        with self._lock:
            if self._executor is None:
                self._executor = concurrent.futures.ThreadPoolExecutor(
                    _CLIP_WORKERS, thread_name_prefix="replay-clip")
            executor = self._executor
        return executor.submit(self._cut, camera_id, moment - pre_s, moment + post_s, dest)

    def _cut(self, camera_id: int, start_s: float, end_s: float, dest: Path) -> ClipResult:
        index = self._recording.parts.index
        start, end = _utc(start_s), _utc(end_s)
        segments = index.segments(camera_id, start, end)
        if not segments:
            raise ClipError("No recorded video at this time")
        cut = cut_camera(self._recording.root, index, camera_id, segments, start, end,
                         dest.parent, dest.stem, lambda _bytes: None)
        if not cut.files:
            raise ClipError("No recorded video at this time")
        first = cut.files[0]
        path = dest.parent / first.name
        duration = (first.actual_end - first.actual_start).total_seconds()
        return ClipResult(path, first.sha256, duration, first.actual_start.timestamp())
