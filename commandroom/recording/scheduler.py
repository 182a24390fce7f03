"""Recording applied: a recording subscription on the stream hub per camera the policy says.

For every enabled camera: ``must_record(mode, shown)`` (policy.py) decides whether its
recorder runs; the recorder is fed by ``StreamHub.record`` through the reader viewers
share, so a recorded camera costs one connection (per stream: see ``record_stream`` in
policy.py) and no decoding unless a tile shows it.

The UI says which cameras are on screen (``set_shown``: console tiles and the wall); a
"while shown" camera keeps recording ``linger_s`` after it leaves the screen, so a tour
or a tile swapped back and forth does not cut a file and a gap every few seconds. The
registry's ``CamerasChanged`` (a camera added, edited, disabled, deleted) and the
policy's ``RecordingPolicyChanged`` are applied at once; an edited URL or password moves
the recorder to the new stream without closing it (one STREAM_LOST gap for the switch).

Gaps from the stream: the reader's end of a connection ends the recorder's segment
(STREAM_LOST: failure, reconnection, camera offline); a STALLED stream (connected, no
data for ``stall_after_s``) ends the file at its last frame with a STALLED gap.

All of it runs on one worker thread: ``set_shown`` and the events only mark the plan
dirty, so the GUI thread never waits for a file to be closed and synced.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from commandroom.auth.permissions import SYSTEM, Actor
from commandroom.cameras.registry import CameraRegistry, CamerasChanged
from commandroom.events import EventBus
from commandroom.recording.policy import RecordingPolicyChanged, RecordStream, must_record
from commandroom.recording.recorder import Recorder
from commandroom.recording.service import RecordingSystem
from commandroom.recording.status import GapReason
from commandroom.video.handles import RecordingHandle
from commandroom.video.hub import StreamHub
from commandroom.video.state import OfflineReason, StreamState, StreamStatus
from commandroom.video.stream_spec import StreamSpec

log = logging.getLogger(__name__)

DEFAULT_LINGER_S = 10.0
_JOIN_TIMEOUT_S = 35.0  # a recorder's close may sync a file: RecordingSystem waits 30 s


@dataclass
class _Active:
    spec: StreamSpec
    recorder: Recorder
    handle: RecordingHandle


def stream_gap(recorder: Recorder) -> Callable[[StreamStatus], None]:
    """The recording side of the reader's state changes (see the module docstring)."""

    def on_status(status: StreamStatus) -> None:
        if status.state is StreamState.STALLED and status.reason is OfflineReason.TIMEOUT:
            recorder.note_stalled(status.reason.value)

    return on_status


class RecordingScheduler:
    def __init__(self, system: RecordingSystem, hub: StreamHub, registry: CameraRegistry,
                 bus: EventBus, *, actor: Actor = SYSTEM, linger_s: float = DEFAULT_LINGER_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._system = system
        self._hub = hub
        self._registry = registry
        self._bus = bus
        self._actor = actor
        self._linger_s = linger_s
        self._clock = clock
        self._cond = threading.Condition()
        self._shown: frozenset[int] = frozenset()
        self._shown_until: dict[int, float] = {}  # left the screen: recorded until then
        self._requested = 0
        self._applied = 0
        self._stopping = False
        self._active: dict[int, _Active] = {}  # worker thread only
        self._unsubscribe: list[Callable[[], None]] = []
        self._thread = threading.Thread(target=self._run, name="recording-scheduler",
                                        daemon=True)

    # -- control (any thread) -------------------------------------------------------------
    def start(self) -> RecordingScheduler:
        self._unsubscribe = [
            self._bus.subscribe(CamerasChanged, lambda _e: self.refresh()),
            self._bus.subscribe(RecordingPolicyChanged, lambda _e: self.refresh()),
        ]
        self._thread.start()
        self.refresh()
        return self

    def set_shown(self, camera_ids: Iterable[int]) -> None:
        """The cameras some tile or the wall shows now (replaces the previous set)."""
        shown = frozenset(camera_ids)
        with self._cond:
            now = self._clock()
            for camera_id in self._shown - shown:
                self._shown_until[camera_id] = now + self._linger_s
            for camera_id in shown:
                self._shown_until.pop(camera_id, None)
            self._shown = shown
        self.refresh()

    def refresh(self) -> None:
        """Read cameras and policy again and apply them (on the worker thread)."""
        with self._cond:
            self._requested += 1
            self._cond.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every change asked for so far is applied."""
        with self._cond:
            target = self._requested
            return self._cond.wait_for(lambda: self._applied >= target or self._stopping,
                                       timeout)

    def recorded(self) -> dict[int, StreamSpec]:
        """Camera id → the stream its recorder is fed from, now."""
        with self._cond:
            return {camera_id: active.spec for camera_id, active in self._active.items()}

    def stream_for(self, camera_id: int) -> StreamSpec | None:
        """The stream recorded for ``camera_id`` (a tile may open this one to share the
        connection with a camera that allows a single session); None: not recorded."""
        with self._cond:
            active = self._active.get(camera_id)
            return active.spec if active is not None else None

    def close(self) -> None:
        """Stop every recording this scheduler started (the app is closing)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread.ident is not None:
            self._thread.join(_JOIN_TIMEOUT_S)

    # -- the worker thread ----------------------------------------------------------------
    def _run(self) -> None:
        seen = 0
        wake_at: float | None = None
        try:
            while True:
                with self._cond:
                    while not self._stopping and self._requested == seen and (
                            wake_at is None or self._clock() < wake_at):
                        self._cond.wait(None if wake_at is None
                                        else max(0.01, wake_at - self._clock()))
                    if self._stopping:
                        break
                    seen = self._requested
                try:
                    wake_at = self._apply()
                except Exception:
                    log.exception("recording scheduler: could not apply the recording plan")
                    wake_at = self._clock() + 5.0  # the database may be back by then
                with self._cond:
                    self._applied = seen
                    self._cond.notify_all()
        finally:
            for camera_id in list(self._active):
                self._stop(camera_id, GapReason.APP_NOT_RUNNING)
            with self._cond:
                self._applied = self._requested
                self._cond.notify_all()

    def _plan(self) -> tuple[dict[int, tuple[str, StreamSpec]], float | None]:
        """Camera id → (name, stream) that must be recorded now; when to look again."""
        with self._cond:
            now = self._clock()
            self._shown_until = {c: t for c, t in self._shown_until.items() if t > now}
            recently = set(self._shown) | set(self._shown_until)
            wake_at = min(self._shown_until.values(), default=None)
        policy = self._system.parts.policy.all_cameras()
        wanted: dict[int, tuple[str, StreamSpec]] = {}
        for camera in self._registry.cameras(self._actor, enabled_only=True):
            choice = policy.get(camera.id) if camera.id is not None else None
            if camera.id is None or choice is None:
                continue
            if must_record(choice.mode, camera.id in recently):
                main = choice.record_stream is RecordStream.MAIN
                spec = self._registry.stream_spec(self._actor, camera, main)
                wanted[camera.id] = (camera.name, spec)
        return wanted, wake_at

    def _apply(self) -> float | None:
        wanted, wake_at = self._plan()
        for camera_id in [c for c in self._active if c not in wanted]:
            self._stop(camera_id, GapReason.RECORDING_OFF)
        with self._hub.batch():  # readers start together: each sees how many there are
            self._start(wanted)
        return wake_at

    def _start(self, wanted: dict[int, tuple[str, StreamSpec]]) -> None:
        for camera_id, (name, spec) in wanted.items():
            active = self._active.get(camera_id)
            if active is None:
                recorder = self._system.recorder_for(camera_id, name)
                handle = self._hub.record(spec, recorder, on_status=stream_gap(recorder))
                log.info("recording camera %d from %s", camera_id, spec.display_url)
                with self._cond:
                    self._active[camera_id] = _Active(spec, recorder, handle)
            elif active.spec != spec:
                # Same recorder, new stream: the old connection's end is a short gap.
                active.handle.release()
                handle = self._hub.record(spec, active.recorder,
                                          on_status=stream_gap(active.recorder))
                log.info("recording camera %d now from %s", camera_id, spec.display_url)
                with self._cond:
                    self._active[camera_id] = _Active(spec, active.recorder, handle)

    def _stop(self, camera_id: int, reason: GapReason) -> None:
        with self._cond:
            active = self._active.pop(camera_id, None)
        if active is None:
            return
        active.handle.release()  # out of the fan-out first: no packet after the close
        self._system.stop(camera_id, reason)
        log.info("recording camera %d stopped (%s)", camera_id, reason)
