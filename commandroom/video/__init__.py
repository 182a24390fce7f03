"""Headless video engine: stream readers shared by viewers, frame slots, evidence clips."""

from commandroom.video.clips import ClipError, ClipResult
from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.hub import StreamHandle, StreamHub
from commandroom.video.state import OfflineReason, StreamState, StreamStats, StreamStatus
from commandroom.video.stream_spec import StreamSpec

__all__ = [
    "ClipError",
    "ClipResult",
    "Frame",
    "FrameSlot",
    "OfflineReason",
    "StreamHandle",
    "StreamHub",
    "StreamSpec",
    "StreamState",
    "StreamStats",
    "StreamStatus",
]
