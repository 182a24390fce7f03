"""One time line for replaying tiles: a single tile's, or a synchronised group's (2-9).

The clock maps footage time (the wall-clock time things were recorded at) to this
computer's monotonic clock: ``now()`` is the footage time that should be on screen. Each
member (a replay reader) shows a frame recorded at W once ``now() >= W``, so the frames
the members of a group show at any moment were recorded within one frame interval of
each other. Seek, pause, speed and step act on the clock, hence on every member.

* After a seek the clock holds at the new time until every member has its first frame
  there (or ``start_timeout_s`` passed: a slow NVR must not freeze the others), then
  runs: all start together.
* A member waiting for a frame far ahead (a gap in its footage) does not hold the
  others; when EVERY member waits beyond ``GAP_JUMP_S`` the clock jumps to the nearest
  footage, so a single tile skips a gap at once and a group skips only what none has.
* Step: while paused, the clock moves by one frame interval (forward: members show
  their next frame; back: members reopen at the earlier time, see ReplayReader).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from enum import Enum

MIN_SPEED = 0.5
MAX_SPEED = 8.0
GAP_JUMP_S = 1.0
DEFAULT_FRAME_S = 0.04
# A frame is due this much before its time: float rounding must not hold it a turn.
DUE_EPSILON_S = 0.001


class Wake(Enum):
    DUE = "due"  # the frame waited for is due now
    MOVED = "moved"  # a seek or a step back: reopen at ``target()``
    STOPPED = "stopped"


class PlaybackClock:
    def __init__(self, start: float, *, speed: float = 1.0, start_timeout_s: float = 3.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._cond = threading.Condition()
        self._clock = clock
        self._anchor_media = start
        self._anchor_mono = clock()
        self._speed = _checked(speed)
        self._paused = False
        self._generation = 0
        self._target = start
        self._back = 0  # frames the last move stepped back (0: a seek)
        self._shown: float | None = None  # latest first frame members showed after a move
        self._start_timeout_s = start_timeout_s
        self._members: set[object] = set()
        self._not_ready: set[object] = set()
        self._hold_until: float | None = None  # holding at the target until then
        self._pending: dict[object, float] = {}  # member -> footage time it waits for
        self._on_move: list[Callable[[], None]] = []
        self.frame_s = DEFAULT_FRAME_S  # the step; members with a known rate set it

    # -- reading -----------------------------------------------------------------------------
    def now(self) -> float:
        """The footage time that should be on screen now."""
        with self._cond:
            return self._now(self._clock())

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def generation(self) -> int:
        return self._generation

    def target(self) -> tuple[int, float, int]:
        """(generation, footage time, frames back) members must show after the last move:
        a seek asks for the frame nearest the time, a step back for the frame that many
        before the member's own (the members' frames need not fall on the same times)."""
        with self._cond:
            return self._generation, self._target, self._back

    def holding(self) -> bool:
        """Waiting for members to be ready after a seek."""
        with self._cond:
            return self._holding(self._clock())

    # -- control -----------------------------------------------------------------------------
    def seek(self, moment: float) -> None:
        with self._cond:
            self._move(moment)
        self._moved()

    def skip(self, seconds: float) -> None:
        with self._cond:
            self._move(self._now(self._clock()) + seconds)
        self._moved()

    def on_move(self, callback: Callable[[], None]) -> Callable[[], None]:
        """``callback`` (from the seeking thread) whenever members must reopen: a reader
        blocked in a read or a wait for more footage gives up at once."""
        with self._cond:
            self._on_move.append(callback)

        def remove() -> None:
            with self._cond:
                if callback in self._on_move:
                    self._on_move.remove(callback)

        return remove

    def pause(self) -> None:
        with self._cond:
            if not self._paused:
                self._reanchor()
                self._paused = True
                self._cond.notify_all()

    def resume(self) -> None:
        with self._cond:
            if self._paused:
                self._anchor_mono = self._clock()
                self._paused = False
                self._cond.notify_all()

    def set_speed(self, speed: float) -> float:
        """0.5x to 8x; returns the speed set."""
        with self._cond:
            self._reanchor()
            self._speed = _checked(speed)
            self._cond.notify_all()
            return self._speed

    def step(self, frames: int = 1) -> None:
        """Pause and move by ``frames`` frame intervals (negative: back)."""
        with self._cond:
            if not self._paused:
                self._reanchor()
                self._paused = True
            moved = self._anchor_media + frames * self.frame_s
            back = frames < 0
            if back:
                self._move(moved, -frames)
            else:
                self._anchor_media = moved
                self._cond.notify_all()
        if back:
            self._moved()

    # -- for members (replay readers) --------------------------------------------------------
    def join(self, member: object) -> tuple[int, float, int]:
        with self._cond:
            self._members.add(member)
            self._not_ready.add(member)
            if self._hold_until is None:
                self._hold_until = self._clock() + self._start_timeout_s
            return self._generation, self._target, self._back

    def leave(self, member: object) -> None:
        with self._cond:
            self._members.discard(member)
            self._pending.pop(member, None)
            self._ready(member)
            self._cond.notify_all()

    def ready(self, member: object, generation: int, shown: float | None = None) -> None:
        """``member`` shows its first frame (recorded at ``shown``) after the move of
        ``generation``. The clock then starts from the latest such frame, so the next
        frame of every member is due one interval later (a step lands on it exactly)."""
        with self._cond:
            if generation == self._generation:
                if shown is not None:
                    self._shown = shown if self._shown is None else max(self._shown, shown)
                self._ready(member)
                self._cond.notify_all()

    def finished(self, member: object) -> None:
        """``member`` has no more footage: it holds nobody (not a seek, not a gap jump)."""
        with self._cond:
            self._ready(member)
            self._pending[member] = math.inf
            self._jump_gap()
            self._cond.notify_all()

    def wake(self) -> None:
        """Make every waiting member look again (a member is being stopped)."""
        with self._cond:
            self._cond.notify_all()

    def wait(self, member: object, due: float, generation: int,
             stop: threading.Event) -> Wake:
        """Block until footage time ``due`` is on (DUE), a seek moved the clock (MOVED),
        or ``stop`` is set."""
        with self._cond:
            self._pending[member] = due
            try:
                while True:
                    if stop.is_set():
                        return Wake.STOPPED
                    if generation != self._generation:
                        return Wake.MOVED
                    mono = self._clock()
                    if self._now(mono) >= due - DUE_EPSILON_S:
                        return Wake.DUE
                    self._jump_gap()
                    if self._now(mono) >= due - DUE_EPSILON_S:
                        return Wake.DUE
                    self._cond.wait(self._timeout(mono, due))
            finally:
                self._pending.pop(member, None)

    def _moved(self) -> None:
        with self._cond:
            callbacks = list(self._on_move)
        for callback in callbacks:
            callback()

    # -- inside the lock ---------------------------------------------------------------------
    def _holding(self, mono: float) -> bool:
        if self._hold_until is None:
            return False
        if self._not_ready and mono < self._hold_until:
            return True
        # Everyone is ready (or waited long enough): the footage time starts running now,
        # from the frame on screen.
        self._hold_until = None
        self._not_ready.clear()
        self._anchor_mono = mono
        if self._shown is not None:
            self._anchor_media, self._shown = self._shown, None
        return False

    def _now(self, mono: float) -> float:
        if self._paused or self._holding(mono):
            return self._anchor_media
        return self._anchor_media + (mono - self._anchor_mono) * self._speed

    def _reanchor(self) -> None:
        mono = self._clock()
        self._anchor_media = self._now(mono)
        self._anchor_mono = mono

    def _move(self, moment: float, back: int = 0) -> None:
        self._anchor_media = self._target = moment
        self._back = back
        self._shown = None
        self._anchor_mono = self._clock()
        self._generation += 1
        self._not_ready = set(self._members)
        self._hold_until = self._anchor_mono + self._start_timeout_s if self._members else None
        self._pending.clear()
        self._cond.notify_all()

    def _ready(self, member: object) -> None:
        self._not_ready.discard(member)
        if not self._not_ready and self._hold_until is not None:
            self._holding(self._clock())  # start running from now

    def _jump_gap(self) -> None:
        """Every member waits for footage far ahead: go there."""
        mono = self._clock()
        if self._paused or not self._members or self._holding(mono):
            return
        if any(m not in self._pending for m in self._members):
            return  # somebody is busy (decoding, opening): it may show something sooner
        nearest = min(self._pending[m] for m in self._members)
        if math.isfinite(nearest) and nearest - self._now(mono) > GAP_JUMP_S:
            self._anchor_media, self._anchor_mono = nearest, mono
            self._cond.notify_all()

    def _timeout(self, mono: float, due: float) -> float | None:
        if self._paused:
            return None
        if self._hold_until is not None:
            return max(0.001, self._hold_until - mono)
        if not math.isfinite(due):
            return None
        return max(0.001, (due - self._now(mono)) / self._speed)


def _checked(speed: float) -> float:
    if not math.isfinite(speed) or speed <= 0:
        raise ValueError(f"playback speed must be positive, not {speed}")
    return min(MAX_SPEED, max(MIN_SPEED, speed))
