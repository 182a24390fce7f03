"""The evidence of a confirmed suggestion: a snapshot and a clip of the event's moment.

A confirmation becomes a sighting through ``SightingService.tag``, exactly like a tag by
hand; this module gives ``tag`` its ``EvidenceSource``:

- the snapshot: the live stream's newest frame when the camera's stream is open and
  that frame is of the event's moment (within ``LIVE_FRAME_TOLERANCE_S``: the decoded
  ring holds a fraction of a second, and an officer confirms seconds later); otherwise
  the picture the camera sent with the event (that is the plate read itself); otherwise
  the live frame of now (its own time is the sighting's); otherwise ``NoEvidence``.
- the clip: from the open stream's packet ring, reaching back to the event; otherwise
  cut from the recording around the event's time when the camera was recorded then;
  otherwise no clip, and the sighting says why (``clip_error``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import CameraRegistry
from commandroom.config import EvidenceSettings
from commandroom.files import private_dir
from commandroom.recording.cutter import cut_camera
from commandroom.recording.index import RecordingIndex
from commandroom.sightings.handle import EvidenceSource, FrameInfo
from commandroom.video.hub import StreamHub

log = logging.getLogger(__name__)

LIVE_FRAME_TOLERANCE_S = 2.0
RECORDING_GRACE_S = 3.0  # the recorder's last fragment reaches the disk within this
NO_CLIP_SOURCE = "no clip: the camera's stream is not open and it was not recorded then"

LiveLookup = Callable[[int], EvidenceSource | None]


class NoEvidence(LookupError):
    """Neither a live frame nor the event's picture: nothing to make a snapshot of."""


@dataclass(frozen=True)
class StillFrame:
    seq: int
    capture_time: float


class EventEvidence:
    """An ``EvidenceSource`` for one confirmation: the chosen frame and the clip maker."""

    def __init__(self, image: np.ndarray[Any, Any], frame: FrameInfo,
                 clip: Callable[[float, float, Path], Future[Any]], origin: str) -> None:
        self.image = image
        self.frame = frame
        self._clip = clip
        self.origin = origin  # "live", "picture" or "live_now" (for the audit and tests)

    def full_resolution(
        self, seq: int | None = None
    ) -> tuple[np.ndarray[Any, Any], FrameInfo] | None:
        return self.image, self.frame

    def clip(self, pre_s: float, post_s: float, dest: Path) -> Future[Any]:
        return self._clip(pre_s, post_s, dest)


@dataclass(frozen=True)
class RecordedFootage:
    """Where the recordings are: their index and folder (``RecordingSystem``'s)."""

    index: RecordingIndex
    root: Path


@dataclass(frozen=True)
class CutClip:
    path: Path
    sha256: str


class EvidenceFinder:
    def __init__(self, live: LiveLookup, recording: RecordedFootage | None,
                 evidence: EvidenceSettings, *, wall_clock: Callable[[], float] = time.time
                 ) -> None:
        self._live = live
        self._recording = recording
        self._evidence = evidence
        self._wall_clock = wall_clock
        self._stop = threading.Event()
        self._cutters: list[threading.Thread] = []

    def for_event(self, camera_id: int | None, moment: datetime,
                  picture: Path | None) -> EventEvidence:
        live = self._live(camera_id) if camera_id is not None else None
        live_frame = live.full_resolution(None) if live is not None else None
        at = moment.timestamp()
        clip = self._clip_maker(live, camera_id, moment)
        if live_frame is not None and abs(live_frame[1].capture_time - at) <= \
                LIVE_FRAME_TOLERANCE_S:
            return EventEvidence(live_frame[0], live_frame[1], clip, "live")
        image = _decode(picture) if picture is not None else None
        if image is not None:
            return EventEvidence(image, StillFrame(0, at), clip, "picture")
        if live_frame is not None:
            log.info("camera %s: no picture of the event; the snapshot is of now", camera_id)
            return EventEvidence(live_frame[0], live_frame[1], clip, "live_now")
        raise NoEvidence("no picture of the event and no live stream of the camera")

    def _clip_maker(self, live: EvidenceSource | None, camera_id: int | None,
                    moment: datetime) -> Callable[[float, float, Path], Future[Any]]:
        def from_ring(pre_s: float, post_s: float, dest: Path) -> Future[Any]:
            assert live is not None
            # Back to the event (the ring keeps what it keeps; it starts at its oldest).
            age = max(0.0, self._wall_clock() - moment.timestamp())
            return live.clip(pre_s + age, max(0.0, post_s - age), dest)

        def from_recording(pre_s: float, post_s: float, dest: Path) -> Future[Any]:
            assert camera_id is not None
            return self._cut(camera_id, moment - timedelta(seconds=pre_s),
                             moment + timedelta(seconds=post_s), dest)

        def none(pre_s: float, post_s: float, dest: Path) -> Future[Any]:
            failed: Future[Any] = Future()
            failed.set_exception(LookupError(NO_CLIP_SOURCE))
            return failed

        if live is not None:
            return from_ring
        if camera_id is not None and self._recorded(camera_id, moment):
            return from_recording
        return none

    def _recorded(self, camera_id: int, moment: datetime) -> bool:
        if self._recording is None:
            return False
        return bool(self._recording.index.segments(
            camera_id, moment - timedelta(seconds=1), moment + timedelta(seconds=1)))

    def _cut(self, camera_id: int, start: datetime, end: datetime, dest: Path) -> Future[Any]:
        assert self._recording is not None
        recording = self._recording
        result: Future[Any] = Future()

        def run() -> None:
            try:
                # The footage after the event may not be on disk yet: wait for it (or stop).
                wait = end.timestamp() + RECORDING_GRACE_S - self._wall_clock()
                if wait > 0 and self._stop.wait(wait):
                    raise LookupError("interrupted: the application stopped")
                index = recording.index
                segments = index.segments(camera_id, start, end)
                cut = cut_camera(recording.root, index, camera_id, segments, start, end,
                                 dest.parent, dest.stem, lambda _: None)
                if not cut.files:
                    raise LookupError("no recorded footage around the event")
                first = cut.files[0]
                result.set_result(CutClip(dest.parent / first.name, first.sha256))
            except BaseException as exc:
                result.set_exception(exc)

        private_dir(dest.parent)
        thread = threading.Thread(target=run, name=f"event-clip-{camera_id}", daemon=True)
        self._cutters = [t for t in self._cutters if t.is_alive()] + [thread]
        thread.start()
        return result

    def close(self) -> None:
        """Interrupt clips waiting for footage and join the cutters (at shutdown)."""
        self._stop.set()
        for thread in self._cutters:
            thread.join(10.0)
        self._cutters = []


def _decode(path: Path) -> np.ndarray[Any, Any] | None:
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError:
        log.warning("event picture %s could not be read", path)
        return None
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return None if image is None else np.ascontiguousarray(image)


def live_streams(registry: CameraRegistry, hub: StreamHub) -> LiveLookup:
    """The camera's stream if one is being read now (main first, then sub)."""

    def lookup(camera_id: int) -> EvidenceSource | None:
        camera = registry.directory.snapshot.by_id.get(camera_id)
        if camera is None:
            return None
        for main in (True, False):
            handle = hub.running(registry.stream_spec(SYSTEM, camera, main))
            if handle is not None:
                return handle
        return None

    return lookup
