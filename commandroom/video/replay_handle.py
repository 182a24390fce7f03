"""A replaying tile's hold: what a live tile's ``StreamHandle`` offers, plus the controls.

A tile paints ``slot`` the same way for live and recorded video. The transport controls
act on the handle's ``PlaybackClock``: for a tile in a synchronised group, on all of them.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy
import numpy.typing as npt

from commandroom.video.clips import ClipError, ClipResult
from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.replay_clock import PlaybackClock
from commandroom.video.replay_feed import ReplayState, ReplayStatus
from commandroom.video.replay_reader import ReplayReader
from commandroom.video.state import OfflineReason, StreamState, StreamStats, StreamStatus

if TYPE_CHECKING:
    from commandroom.video.hub import StreamHub

# (moment the clip is about, seconds before, seconds after, destination) -> the clip
ClipMaker = Callable[[float, float, float, Path], "concurrent.futures.Future[ClipResult]"]

_STATES = {
    ReplayState.OPENING: StreamState.CONNECTING,
    ReplayState.PLAYING: StreamState.LIVE,
    ReplayState.PAUSED: StreamState.LIVE,
    ReplayState.GAP: StreamState.LIVE,
    ReplayState.WAITING: StreamState.LIVE,
    ReplayState.ENDED: StreamState.LIVE,
    ReplayState.UNAVAILABLE: StreamState.OFFLINE,
    ReplayState.STOPPED: StreamState.STOPPED,
}


class PlaybackHandle:
    def __init__(self, hub: StreamHub, size: tuple[int, int], clock: PlaybackClock,
                 clips: ClipMaker | None) -> None:
        self.slot = FrameSlot()
        self.clock = clock
        self._hub = hub
        self._size = size
        self._paused = False
        self.planes = False  # the GPU path: the reader publishes YUV planes
        self._clips = clips
        self._released = False
        self.reader: ReplayReader | None = None  # set by the hub before it starts

    def __repr__(self) -> str:
        return f"<PlaybackHandle {self._reader().name!r} size={self._size}>"

    def _reader(self) -> ReplayReader:
        assert self.reader is not None
        return self.reader

    def wants_planes(self) -> bool:
        return self.planes

    def set_planes(self, planes: bool) -> None:
        self.planes = planes

    def target_size(self) -> tuple[int, int] | None:
        return None if self._paused else self._size

    # -- what a tile uses (as with StreamHandle) -------------------------------------------
    def status(self) -> StreamStatus:
        """The tile's view: LIVE while footage shows, OFFLINE (NOT_FOUND) when nothing
        can play here; ``replay_status`` says more."""
        replay = self.replay_status()
        state = _STATES[replay.state]
        if state is StreamState.OFFLINE:
            return StreamStatus(state, OfflineReason.NOT_FOUND, replay.reason, retrying=False)
        return StreamStatus(state)

    def replay_status(self) -> ReplayStatus:
        if self._released:
            return ReplayStatus(ReplayState.STOPPED, self.position(), self.clock.speed)
        return self._reader().status()

    def stats(self) -> StreamStats:
        return self._reader().stats()

    def set_size(self, size: tuple[int, int]) -> None:
        self._size = size

    def set_paused(self, paused: bool) -> None:
        """The tile is hidden: frames are decoded and timed, not scaled."""
        self._paused = paused

    def full_resolution(self, seq: int | None = None
                        ) -> tuple[npt.NDArray[numpy.uint8], Frame] | None:
        """The frame as recorded; its ``capture_time`` is when it was recorded."""
        if self._released:
            return None
        return self._reader().full_resolution(seq)

    def clip(self, pre_s: float, post_s: float, dest: Path
             ) -> concurrent.futures.Future[ClipResult]:
        """Evidence clip around the frame on screen, cut from the recording."""
        if pre_s < 0 or post_s < 0:
            raise ValueError("clip: pre_s and post_s must not be negative")
        moment = self.position()
        if self._clips is None or moment is None or self._released:
            failed: concurrent.futures.Future[ClipResult] = concurrent.futures.Future()
            failed.set_exception(ClipError("No recorded video to cut a clip from"))
            return failed
        return self._clips(moment, pre_s, post_s, dest)

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._hub._release_replay(self)

    # -- transport: act on the clock, so on every tile of a group ---------------------------
    def position(self) -> float | None:
        """Wall-clock time the frame on screen was recorded at (None: none yet)."""
        return self._reader().position()

    def seek(self, moment: float) -> None:
        self.clock.seek(moment)

    def skip(self, seconds: float) -> None:
        self.clock.skip(seconds)

    def set_speed(self, speed: float) -> float:
        return self.clock.set_speed(speed)

    def pause(self) -> None:
        self.clock.pause()

    def resume(self) -> None:
        self.clock.resume()

    def step(self, frames: int = 1) -> None:
        self.clock.step(frames)

    stop = release
