"""What a stream is doing, why, and how well: plain values the UI shows on a tile.

The states and when each is entered are decided in one place, ``lifecycle.StreamLifecycle``;
its docstring (and docs/video-states.md) is the table of the model.
"""

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
    TIMEOUT = "timeout"  # nothing arrives
    NO_PICTURE = "no_picture"  # data arrives, yet no picture decodes from it
    ERROR = "error"


class Health(StrEnum):
    """What is wrong with a stream that still plays (LIVE)."""

    SLOW = "slow"  # the picture falls behind real time: the link carries less than the stream
    DAMAGED = "damaged"  # frames arrive broken; FFmpeg conceals the errors, they are counted
    DELAYED = "delayed"  # the sender's clock says the picture is late (VideoSettings.delay_warn_s)


class HwFallback(StrEnum):
    """Why a stream is decoded in software although hardware decoding was asked for."""

    NO_DEVICE = "no_device"  # "auto": no device type opened on this machine
    DEVICE_FAILED = "device_failed"  # the device asked for is absent or did not open
    NO_HW_CONFIG = "no_hw_config"  # the device has no decoder for this stream's codec
    DECODE_FAILED = "decode_failed"  # failed mid-stream: software from the next keyframe


class DelaySource(StrEnum):
    """Where the end-to-end delay figure comes from, or why there is none."""

    SENDER_REPORTS = "sender_reports"  # RTCP sender reports: the camera's own wall clock
    LOCAL = "local"  # rendered on this computer (demo cameras): our clock is the sender's
    NO_SENDER_REPORTS = "no_sender_reports"  # a network stream without them (yet)
    NOT_LIVE = "not_live"  # a file played at its own pace: it has no sender


@dataclass(frozen=True)
class StreamHealth:
    """Figures of a LIVE stream, rounded so the status changes only when the tile would."""

    flags: frozenset[Health] = frozenset()
    fps: float = 0.0
    behind_s: float = 0.0  # how much further behind real time than at its best moment
    delay_s: float | None = None  # end to end, by the sender's clock (None: unknown)
    damaged_frames: int = 0  # frames concealed or lost to errors in this episode of damage


HEALTHY = StreamHealth()


@dataclass(frozen=True)
class StreamStatus:
    state: StreamState
    reason: OfflineReason | None = None
    # Short English sentence (the UI translates the enums); never contains credentials.
    detail: str = ""
    # Failed attempts in a row (RECONNECTING / OFFLINE).
    attempt: int = 0
    # Seconds, when the status was issued, until the next attempt (RECONNECTING, OFFLINE)
    # or until a stalled connection is given up and reconnected (STALLED). None while an
    # attempt is under way ("trying now"), or when no attempt will come (not retrying).
    retry_in: float | None = None
    # False only when the engine has given up on this stream: OFFLINE without a retry.
    retrying: bool = True
    health: StreamHealth = HEALTHY

    @property
    def degraded(self) -> bool:
        """LIVE, with something the operator should know (slow, damaged, delayed)."""
        return self.state is StreamState.LIVE and bool(self.health.flags)


@dataclass(frozen=True)
class StreamStats:
    fps: float
    # Arrival of a frame's last byte to its picture in the slot (decode + scale), ms: the
    # part this computer adds. The network's share is in ``delay_ms``.
    latency_ms: float | None
    width: int
    height: int
    codec: str
    bitrate_kbps: float
    # RTSP H.264 decoded as each frame's last slice arrives, without FFmpeg's parser
    # (see rtp_units and VideoSettings.low_latency_max_streams).
    skips_parser: bool = False
    # End to end: capture (by the sender's clock) to arrival here, ms; None when unknown,
    # and ``delay_source`` says why.
    delay_ms: float | None = None
    delay_source: DelaySource = DelaySource.NO_SENDER_REPORTS
    behind_s: float = 0.0
    damaged_frames: int = 0  # concealed or lost to errors, this connection
    skipped_frames: int = 0  # backlog dropped to jump back to live, this connection
    # Which decoder runs: "sw" (software) or the hardware device type ("cuda", "vaapi"...);
    # "" before a connection is open.
    decoder: str = ""
    # Software although hardware was asked for, and why (None: as asked).
    hw_fallback: HwFallback | None = None
    decoder_fallbacks: int = 0  # decoders that failed mid-stream, this connection


STOPPED = StreamStatus(StreamState.STOPPED)
