"""What a replaying tile plays from: recorded footage as packets stamped with real time.

Recorded video (the station's own segments, or an NVR's playback stream) reaches the
replay reader as a ``ReplayFeed``: compressed packets, each with the wall-clock time it
was recorded at, the decoder for it, and marks where the footage has a gap. A
``ReplayOpener`` opens a camera's footage at a moment. The recording and NVR packages
implement both; the video layer decodes, paces and publishes through the same
``FramePublisher`` and ``FrameSlot`` as live video (one rendering path).

Why not the live ``PacketSource`` protocol: its packets carry their arrival time and one
decoder per connection; recorded footage needs the recorded time of every packet, a
decoder that may change at a segment boundary, and gaps to jump.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

import av
from av.video.codeccontext import VideoCodecContext


class FootageKind(StrEnum):
    LOCAL = "local"  # the station's own recording
    NVR = "nvr"  # the camera's NVR or Profile G device


@dataclass(frozen=True, eq=False)
class FeedSegment:
    """One stretch decoded by one decoder (a segment file, an NVR session)."""

    decoder: VideoCodecContext
    codec: str
    origin: float  # wall clock (s) of the packet with pts ``origin_pts``
    origin_pts: int
    time_base: float
    frame_s: float  # one frame's duration (0.04 at 25 fps)

    def wall(self, pts: int | None, fallback: float) -> float:
        if pts is None:
            return fallback
        return self.origin + (pts - self.origin_pts) * self.time_base


@dataclass(frozen=True, slots=True)
class FeedPacket:
    packet: av.Packet[Any]
    segment: FeedSegment
    wall: float  # recorded at (wall clock, s)
    keyframe: bool


@dataclass(frozen=True)
class FeedGap:
    """Nothing recorded in [start, end); ``reason`` is a code (a recording GapReason or an
    NVR GapReason value), ``end`` is where the footage resumes."""

    start: float
    end: float
    reason: str = ""


@dataclass(frozen=True)
class FeedUnavailable:
    """Nothing plays at or after the moment asked for; ``reason`` is a code."""

    reason: str
    detail: str = ""  # one English sentence for the log
    retry_in_s: float | None = None


class FeedFailed(Exception):
    """Reading the footage failed; ``reason`` is a code (e.g. an NVR GapReason value)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class ReplayFeed(Protocol):
    kind: FootageKind

    def items(self) -> Iterator[FeedPacket | FeedGap]:
        """Packets from the keyframe at or before the moment asked for, on through the
        footage (segment boundaries, gaps); ends where the footage ends."""

    def abort(self) -> None:
        """From any thread: a blocked read returns now."""

    def close(self) -> None: ...


class ReplayOpener(Protocol):
    def open_at(self, moment: float, stop: threading.Event) -> ReplayFeed | FeedUnavailable:
        """A feed of the footage at ``moment`` (wall clock, s); blocking (file, network)."""


class ReplayState(StrEnum):
    OPENING = "opening"  # finding and decoding up to the moment asked for
    PLAYING = "playing"
    PAUSED = "paused"
    GAP = "gap"  # nothing recorded here: waiting until the footage resumes (``gap``)
    WAITING = "waiting"  # at the newest footage written so far: more comes in a moment
    ENDED = "ended"  # no footage after this moment
    UNAVAILABLE = "unavailable"  # nothing to play here (``reason``)
    STOPPED = "stopped"


@dataclass(frozen=True)
class ReplayStatus:
    state: ReplayState
    position: float | None = None  # wall clock of the frame on screen
    speed: float = 1.0
    kind: FootageKind | None = None  # where the frame on screen comes from
    gap: FeedGap | None = None  # the last gap met (GAP: the one being waited through)
    reason: str = ""  # UNAVAILABLE: a code (a recording or NVR GapReason value)
