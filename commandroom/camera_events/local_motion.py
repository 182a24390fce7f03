"""Local motion detection: an ``EventClient`` for a camera without analytics of its own.

It watches the camera's SUB stream through the video engine as one more viewer of the
stream hub (``StreamHub.subscribe``): when a tile, the wall or the recorder already has
that stream open, the detector shares their reader and connection (the hub keeps one
reader per distinct ``StreamSpec``); otherwise its subscription opens the one reader
the others will join. It takes the newest picture from the hub's latest-frame-wins slot at
most every 1/``max_fps`` seconds (5 per second by default; never a queue: a picture it
had no time for is simply replaced by a newer one), turns it grey and small and runs
``motion_detector.MotionDetector`` on it, all on the intake's thread for this camera
(never the GUI thread, never the reader's).

What the intake's factory passes:
- ``camera_id``: the camera the events are about;
- ``hub``: the app's one ``StreamHub`` (``Core``'s video part), the one the tiles use;
- ``spec``: the camera's sub stream exactly as the tiles ask for it,
  ``registry.stream_spec(actor, camera, main=False)`` (the main stream when the camera
  has no sub stream): equal specs share a reader, a different one would open a second
  connection to the camera;
- optionally ``tuning`` (``MotionTuning``: threshold, persistence, quiet period) and
  ``max_fps``.

Events: ``CameraEvent(source=LOCAL_MOTION, type=MOTION, state=START|STOP,
device_time=None, received_at=<now, UTC>, topic="local_motion")`` with ``details``
``fraction`` (share of the picture that changed, "0.0123") and ``box`` (where, as
"x,y,width,height" fractions 0..1 of the picture, for highlighting the tile). A STOP
carries the episode's largest fraction and the union of its boxes. When the pictures stop
for ``stale_after_s`` (the camera went away) or the client is stopped, an active motion
is STOPped (``details["ended"]`` says why) so no tile stays highlighted.

``run_once`` returns when ``stop`` is set or ``abort()`` is called (abort is final: a
client aborted once returns at once from any later ``run_once``); it raises
``EventClientError(UNREACHABLE)`` when the video engine has given up on the stream (the
intake's retry then subscribes again, which makes the hub try anew).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from commandroom.camera_events.model import (
    CameraEvent,
    EventClientError,
    EventProblem,
    EventSink,
    EventSource,
    EventState,
    EventType,
    ProblemCode,
    ProblemSink,
)
from commandroom.camera_events.motion_detector import (
    MotionChange,
    MotionDetector,
    MotionTransition,
    MotionTuning,
)
from commandroom.video.handles import StreamHandle
from commandroom.video.hub import StreamHub
from commandroom.video.state import OfflineReason, StreamState, StreamStatus
from commandroom.video.stream_spec import StreamSpec

log = logging.getLogger(__name__)

TOPIC = "local_motion"
DEFAULT_MAX_FPS = 5.0
# No new picture for this long: the camera is gone for now; an active motion ends, and
# the background is learned again when pictures return (the scene may have changed).
DEFAULT_STALE_AFTER_S = 5.0


def _no_pictures(camera_id: int, status: StreamStatus) -> EventProblem:
    """What to report when the pictures stopped (the video engine goes on trying)."""
    code = (ProblemCode.AUTH_FAILED if status.reason is OfflineReason.WRONG_CREDENTIALS
            else ProblemCode.DISCONNECTED)
    reason = f" ({status.state}: {status.reason})" if status.reason else f" ({status.state})"
    return EventProblem(camera_id, code, "no picture from the stream" + reason)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LocalMotionClient:
    """One camera's local motion detection, run by the intake on the camera's thread."""

    def __init__(
        self,
        camera_id: int,
        hub: StreamHub,
        spec: StreamSpec,
        *,
        tuning: MotionTuning | None = None,
        max_fps: float = DEFAULT_MAX_FPS,
        stale_after_s: float = DEFAULT_STALE_AFTER_S,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        if not 0.0 < max_fps <= 25.0:
            raise ValueError("max_fps must be above 0 and at most 25")
        self.camera_id = camera_id
        self._hub = hub
        self._spec = spec
        self._tuning = tuning or MotionTuning()
        self._interval_s = 1.0 / max_fps
        self._stale_after_s = stale_after_s
        self._clock = clock
        self._now = now
        self._aborted = threading.Event()
        # Pictures examined since construction (read by tests and the benchmark).
        self.examined = 0

    def __repr__(self) -> str:
        return f"<LocalMotionClient camera={self.camera_id} {self._spec!r}>"

    def abort(self) -> None:
        self._aborted.set()

    def run_once(self, sink: EventSink, problems: ProblemSink, stop: threading.Event) -> None:
        if self._aborted.is_set():
            return
        # A viewer like any tile, asking for pictures no larger than the detector needs:
        # the hub scales to the largest viewer, so a bigger tile is not made smaller.
        side = self._tuning.width
        try:
            handle = self._hub.subscribe(self._spec, (side, side))
        except RuntimeError as exc:  # the hub is closed: the app is shutting down
            raise EventClientError(ProblemCode.UNREACHABLE, str(exc)) from exc
        detector = MotionDetector(self._tuning)
        ended = "stream_lost"
        try:
            ended = self._watch(handle, detector, sink, problems, stop)
        finally:
            handle.release()
            # No tile stays highlighted for a motion nobody will see end.
            self._emit(sink, detector.end(), ended=ended)

    # ------------------------------------------------------------------ internals
    def _watch(self, handle: StreamHandle, detector: MotionDetector, sink: EventSink,
               problems: ProblemSink, stop: threading.Event) -> str:
        """Examine pictures until stopped; returns why it ended (for a last STOP)."""
        last_seq = 0
        last_picture_at = self._clock()
        stale_reported = False
        next_at = self._clock()
        while True:
            wait_s = next_at - self._clock()
            # abort() wakes this at once; ``stop`` alone is seen within one interval.
            if (wait_s > 0 and self._aborted.wait(wait_s)) or self._aborted.is_set():
                return "stopped"
            if stop.is_set():
                return "stopped"
            taken_at = self._clock()
            next_at = taken_at + self._interval_s  # at most max_fps, never faster
            frame = handle.slot.latest()
            if frame is not None and frame.seq != last_seq:
                last_seq, last_picture_at, stale_reported = frame.seq, taken_at, False
                transition = detector.examine(frame.image, taken_at)
                self.examined += 1
                self._emit(sink, transition)
                continue
            status = handle.status()
            if taken_at - last_picture_at >= self._stale_after_s and not stale_reported:
                stale_reported = True
                self._emit(sink, detector.end(), ended="no_pictures")
                problems(_no_pictures(self.camera_id, status))
            if status.state is StreamState.OFFLINE and not status.retrying:
                raise EventClientError(ProblemCode.UNREACHABLE, status.detail)

    def _emit(self, sink: EventSink, transition: MotionTransition | None, *,
              ended: str = "") -> None:
        if transition is None:
            return
        details = {"fraction": f"{transition.fraction:.4f}", "box": transition.box.as_text()}
        if ended:
            details["ended"] = ended
        state = EventState.START if transition.change is MotionChange.START else EventState.STOP
        log.debug("local motion %s on camera %d (%s)", state, self.camera_id, details)
        sink(CameraEvent(
            camera_id=self.camera_id,
            source=EventSource.LOCAL_MOTION,
            type=EventType.MOTION,
            state=state,
            device_time=None,
            received_at=self._now(),
            topic=TOPIC,
            details=details,
        ))
