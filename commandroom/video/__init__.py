"""Headless video engine: stream readers shared by viewers and recorders, frame slots,
evidence clips, and replay of recorded footage through the same slots (replay_*.py)."""

from commandroom.video.clips import ClipError, ClipResult
from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.hub import PlaybackHandle, RecordingHandle, StreamHandle, StreamHub
from commandroom.video.replay_clock import PlaybackClock
from commandroom.video.replay_feed import FootageKind, ReplayState, ReplayStatus
from commandroom.video.state import OfflineReason, StreamState, StreamStats, StreamStatus
from commandroom.video.stream_spec import StreamSpec

__all__ = [
    "ClipError",
    "ClipResult",
    "FootageKind",
    "Frame",
    "FrameSlot",
    "OfflineReason",
    "PlaybackClock",
    "PlaybackHandle",
    "RecordingHandle",
    "ReplayState",
    "ReplayStatus",
    "StreamHandle",
    "StreamHub",
    "StreamSpec",
    "StreamState",
    "StreamStats",
    "StreamStatus",
]
