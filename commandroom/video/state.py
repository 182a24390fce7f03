"""What a stream is doing, why, and how well: plain values the UI shows on a tile."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StreamState(StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"
    STALLED = "stalled"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"
    STOPPED = "stopped"


class OfflineReason(StrEnum):
    UNREACHABLE = "unreachable"
    REFUSED = "refused"
    WRONG_CREDENTIALS = "wrong_credentials"
    NOT_FOUND = "not_found"
    UNSUPPORTED_CODEC = "unsupported_codec"
    TIMEOUT = "timeout"
    ERROR = "error"


@dataclass(frozen=True)
class StreamStatus:
    state: StreamState
    reason: OfflineReason | None = None
    # Short English sentence (the UI translates the enums); never contains credentials.
    detail: str = ""
    attempt: int = 0
    retry_in: float | None = None


@dataclass(frozen=True)
class StreamStats:
    fps: float
    latency_ms: float | None
    width: int
    height: int
    codec: str
    bitrate_kbps: float
    # RTSP H.264 decoded as each frame's last slice arrives, without FFmpeg's parser
    # (see rtp_units and VideoSettings.low_latency_max_streams).
    skips_parser: bool = False


STOPPED = StreamStatus(StreamState.STOPPED)
