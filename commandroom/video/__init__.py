"""Headless video engine: stream readers shared by viewers, frame slots, evidence clips."""

from commandroom.video.evidence import ClipError, ClipResult
from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.hub import StreamHandle, StreamHub
from commandroom.video.source import StreamSpec
from commandroom.video.state import OfflineReason, StreamState, StreamStats, StreamStatus

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
