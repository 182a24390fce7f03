"""One replaying tile's thread: open footage at T, decode, pace by the clock, publish.

The first frame published after a seek is the one covering T (the last recorded at or
before T), not the keyframe the decoder had to start from: frames before it are decoded
and dropped. From there each frame recorded at W is published when the PlaybackClock
reaches W (real time x speed; paused: not at all). Published frames carry W as their
``capture_time``, so a sighting tagged on a replaying tile gets the time it was
recorded, and the frame goes through ``FramePublisher`` into the tile's ``FrameSlot``
exactly as live video does.

Falling behind (a high speed, a slow machine) skips the scaling of frames already late,
and past ``KEYS_ONLY_LATE_S`` the decoding of everything but keyframes until caught up.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

import av
import av.error
import numpy
import numpy.typing as npt

from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.hw_decode import SOFTWARE
from commandroom.video.publish import FramePublisher, TargetSize, WantsPlanes
from commandroom.video.replay_clock import PlaybackClock, Wake
from commandroom.video.replay_feed import (
    FeedFailed,
    FeedGap,
    FeedSegment,
    FeedUnavailable,
    FootageKind,
    ReplayFeed,
    ReplayOpener,
    ReplayState,
    ReplayStatus,
)
from commandroom.video.state import StreamStats
from commandroom.video.stats import StatsMeter

log = logging.getLogger(__name__)

# Frames this many frame intervals late are decoded but not scaled and shown.
LATE_SKIP_FRAMES = 2
# This late: only keyframes are decoded until a keyframe is on time again.
KEYS_ONLY_LATE_S = 1.0
# The frame on screen this far behind the clock while playing: waiting for footage.
WAITING_BEHIND_S = 1.0
# A first frame this far after the moment asked for is not shown at once: it waits for
# the clock like any frame (the footage has a gap there; the clock jumps it if all wait).
FIRST_FRAME_WITHIN_FRAMES = 1.5
# Reopening after a read failure, in a row without a frame shown in between.
MAX_RETRIES = 3

StatusListener = Callable[[ReplayStatus], None]


class ReplayReader:
    def __init__(self, opener: ReplayOpener, clock: PlaybackClock, slot: FrameSlot,
                 target_size: TargetSize, *, name: str = "",
                 on_status: StatusListener | None = None,
                 wants_planes: WantsPlanes = lambda: False) -> None:
        self.clock = clock
        self.slot = slot
        self.name = name
        self._opener = opener
        self._on_status = on_status
        self._stop = threading.Event()
        self._stats = StatsMeter(time.monotonic)
        self._stats.decoder = SOFTWARE  # recorded footage: a few tiles, software decoders
        self._publisher = FramePublisher(slot, self._stats, target_size, wants_planes)
        self._feed: ReplayFeed | None = None
        self._lock = threading.Lock()
        self._state = ReplayState.OPENING
        self._reason = ""
        self._gap: FeedGap | None = None
        self._kind: FootageKind | None = None
        self._position: float | None = None
        self._shown = 0  # frames published (to tell a failing feed from a dead one)
        self._thread = threading.Thread(target=self._run, name=f"replay {name}", daemon=True)
        self._remove_listener = clock.on_move(self._interrupt)

    # -- control (any thread) ----------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._remove_listener()
        self._interrupt()
        self.clock.wake()

    def join(self, timeout: float | None = None) -> None:
        if self._thread.ident is not None:
            self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def position(self) -> float | None:
        """Wall-clock time the frame on screen was recorded at."""
        return self._position

    def status(self) -> ReplayStatus:
        with self._lock:
            state, reason, gap, kind = self._state, self._reason, self._gap, self._kind
        position = self._position
        if state is ReplayState.PLAYING:
            if self.clock.paused:
                state = ReplayState.PAUSED
            elif position is not None and self.clock.now() - position > WAITING_BEHIND_S:
                state = ReplayState.WAITING
        return ReplayStatus(state, position, self.clock.speed, kind, gap, reason)

    def stats(self) -> StreamStats:
        return self._stats.snapshot()

    def full_resolution(self, seq: int | None
                        ) -> tuple[npt.NDArray[numpy.uint8], Frame] | None:
        return self._publisher.full_resolution(seq)

    def _interrupt(self) -> None:
        feed = self._feed
        if feed is not None:
            feed.abort()

    # -- the thread --------------------------------------------------------------------------
    def _run(self) -> None:
        clock = self.clock
        generation, target, back = clock.join(self)
        retries = 0
        try:
            while not self._stop.is_set():
                shown_before = self._shown
                moved = self._play(generation, target, back)
                if self._stop.is_set():
                    break
                if moved is None:
                    # Reading failed after frames were shown (an NVR ended a session left
                    # paused, a network hiccup): go on from the frame on screen.
                    retries = 0 if self._shown != shown_before else retries + 1
                    if retries < MAX_RETRIES and self._position is not None:
                        target, back = self._position + 0.001, 0
                        continue
                    moved = False
                if not moved:  # nothing (more) to play: hold nobody, wait for a seek
                    if self._state is not ReplayState.UNAVAILABLE:
                        self._set(ReplayState.ENDED)
                    clock.finished(self)
                    if clock.wait(self, math.inf, generation, self._stop) is Wake.STOPPED:
                        break
                generation, target, back = clock.target()
        except Exception:
            log.exception("replay reader %s crashed", self.name)
            self._set(ReplayState.UNAVAILABLE, reason="error")
        finally:
            clock.leave(self)
            self._publisher.clear()
            self._set(ReplayState.STOPPED)

    def _play(self, generation: int, target: float, back: int) -> bool | None:
        """Play from ``target`` (or ``back`` frames before the frame on screen); True when
        the clock moved (reopen), False at the end, None when reading failed after frames
        were shown (worth reopening)."""
        position = self._position
        if back and position is not None:
            target = position - back * self.clock.frame_s
        self._set(ReplayState.OPENING)
        opened = self._opener.open_at(target, self._stop)
        if self.clock.generation != generation:
            if not isinstance(opened, FeedUnavailable):
                opened.close()
            return True
        if isinstance(opened, FeedUnavailable):
            log.info("replay %s: nothing at %.3f (%s)", self.name, target, opened.reason)
            self._set(ReplayState.UNAVAILABLE, reason=opened.reason)
            return False
        self._feed = opened
        try:
            if self.clock.generation != generation:  # moved while we opened
                return True
            return self._play_feed(opened, generation, target, exact=bool(back))
        except (av.error.FFmpegError, OSError, FeedFailed) as exc:
            if self._stop.is_set() or self.clock.generation != generation:
                return True
            log.info("replay %s: reading failed (%s)", self.name, exc)
            reason = exc.reason if isinstance(exc, FeedFailed) else "read_failed"
            self._set(ReplayState.UNAVAILABLE, reason=reason)
            return None if self._shown else False
        finally:
            self._feed = None
            opened.close()

    def _play_feed(self, feed: ReplayFeed, generation: int, target: float,
                   exact: bool) -> bool:
        """``exact``: show the frame recorded at ``target`` (a step back), else the one
        nearest it (a seek: the station's clock and the frames' need not agree)."""
        clock = self.clock
        stop = self._stop
        decoder = None
        segment: FeedSegment | None = None
        candidate: tuple[av.VideoFrame, float, str] | None = None
        first = True
        keys_only = False
        for item in feed.items():
            if stop.is_set() or clock.generation != generation:
                return True
            if isinstance(item, FeedGap):
                with self._lock:
                    self._gap = item
                continue
            if item.segment is not segment:
                segment = item.segment
                if segment.decoder is not decoder:
                    decoder = segment.decoder
                    clock.frame_s = segment.frame_s
            if keys_only and not item.keyframe:
                continue
            self._stats.packet(item.packet.size)
            try:
                frames = segment.decoder.decode(item.packet)
            except av.error.InvalidDataError:
                continue  # a damaged frame: FFmpeg conceals the next ones
            limit = target + (0.001 if exact else segment.frame_s / 2)
            for frame in frames:
                wall = segment.wall(frame.pts, item.wall)
                if first:
                    if wall <= limit:
                        candidate = (frame, wall, segment.codec)  # the newest up to there
                        continue
                    first = False
                    shown = candidate
                    if shown is None and wall - target <= FIRST_FRAME_WITHIN_FRAMES * (
                            segment.frame_s):
                        shown = (frame, wall, segment.codec)
                    if shown is not None:
                        self._show(shown[0], shown[1], shown[2], feed.kind)
                    clock.ready(self, generation, shown[1] if shown is not None else None)
                    if shown is not None and shown[0] is frame:
                        continue
                    candidate = None
                if wall - clock.now() > WAITING_BEHIND_S:
                    self._set(ReplayState.GAP)
                wake = clock.wait(self, wall, generation, stop)
                if wake is not Wake.DUE:
                    return True
                late = clock.now() - wall
                if item.keyframe or not keys_only:
                    keys_only = late > KEYS_ONLY_LATE_S
                if late > LATE_SKIP_FRAMES * segment.frame_s:
                    continue  # the next one is due already: do not scale this one
                self._show(frame, wall, segment.codec, feed.kind)
        shown_at = None
        if first and candidate is not None:  # the footage ends at T: show its last frame
            self._show(candidate[0], candidate[1], candidate[2], feed.kind)
            shown_at = candidate[1]
        clock.ready(self, generation, shown_at)
        return False

    def _show(self, frame: av.VideoFrame, wall: float, codec: str, kind: FootageKind) -> None:
        self._publisher.publish(frame, wall, codec, latency_from=time.time())
        self._position = wall
        self._shown += 1
        if self._state is not ReplayState.PLAYING or self._kind is not kind:
            self._set(ReplayState.PLAYING, kind=kind)

    def _set(self, state: ReplayState, *, reason: str = "",
             kind: FootageKind | None = None) -> None:
        with self._lock:
            changed = state is not self._state or (kind is not None and kind is not self._kind)
            self._state, self._reason = state, reason
            if kind is not None:
                self._kind = kind
        if changed and self._on_status is not None:
            try:
                self._on_status(self.status())
            except Exception:
                log.exception("replay status listener failed for %s", self.name)
