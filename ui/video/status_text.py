"""Translated words for stream states and reasons (the core speaks enums and figures).

What each state means and when it is entered: commandroom/video/lifecycle.py and
docs/video-states.md. Every line a tile shows says whether the engine is still trying
and when next.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from commandroom.video.state import (
    DelaySource,
    Health,
    HwFallback,
    OfflineReason,
    StreamState,
    StreamStats,
    StreamStatus,
)

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate


def state_text(state: StreamState) -> str:
    return {
        StreamState.CONNECTING: _tr("StreamStatus", "Connecting"),
        StreamState.LIVE: _tr("StreamStatus", "Live"),
        StreamState.STALLED: _tr("StreamStatus", "Stalled"),
        StreamState.RECONNECTING: _tr("StreamStatus", "Reconnecting"),
        StreamState.OFFLINE: _tr("StreamStatus", "Offline"),
        StreamState.STOPPED: _tr("StreamStatus", "Stopped"),
    }[state]


def reason_text(reason: OfflineReason) -> str:
    return {
        OfflineReason.UNREACHABLE: _tr("StreamStatus", "camera unreachable"),
        OfflineReason.REFUSED: _tr("StreamStatus", "connection refused"),
        OfflineReason.WRONG_CREDENTIALS: _tr("StreamStatus", "wrong user name or password"),
        OfflineReason.NOT_FOUND: _tr("StreamStatus", "stream not found"),
        OfflineReason.UNSUPPORTED_CODEC: _tr("StreamStatus", "unsupported codec"),
        OfflineReason.TIMEOUT: _tr("StreamStatus", "no answer (timeout)"),
        OfflineReason.NO_PICTURE: _tr("StreamStatus", "data but no picture"),
        OfflineReason.ERROR: _tr("StreamStatus", "stream error"),
    }[reason]


def duration_text(seconds: float) -> str:
    """A countdown as the tile shows it: whole seconds, minutes from two minutes on."""
    if seconds >= 120:
        return _tr("StreamStatus", "%1 min").replace("%1", str(math.ceil(seconds / 60)))
    return _tr("StreamStatus", "%1 s").replace("%1", str(math.ceil(max(0.0, seconds))))


def status_line(status: StreamStatus, retry_in: float | None = None) -> str:
    """One line for a stream that does not play: state, reason, and what comes next.

    ``retry_in``: the countdown now (the tile subtracts the time since the status came);
    defaults to the status's own figure.
    """
    wait = status.retry_in if retry_in is None else retry_in
    state = status.state
    reason = reason_text(status.reason) if status.reason is not None else ""
    if state is StreamState.STALLED:
        if status.reason is OfflineReason.NO_PICTURE:
            text = _tr("StreamStatus", "Stalled — data but no picture")
        elif status.reason is OfflineReason.TIMEOUT:
            text = _tr("StreamStatus", "Stalled — no data")
        else:
            text = state_text(state)
        if wait is not None:
            text += _tr("StreamStatus", ", reconnecting in %1").replace(
                "%1", duration_text(wait))
        return text
    if state is StreamState.RECONNECTING:
        text = state_text(state) + (" — " + reason if reason else "")
        if wait is None:
            return text + " " + _tr("StreamStatus", "(attempt %1, trying now)").replace(
                "%1", str(status.attempt))
        return text + " " + _tr("StreamStatus", "(attempt %1, retry in %2)").replace(
            "%1", str(status.attempt)).replace("%2", duration_text(wait))
    if state is StreamState.OFFLINE:
        text = state_text(state) + (" — " + reason if reason else "")
        if not status.retrying:
            return text + " — " + _tr("StreamStatus", "not retrying")
        if wait is None:
            return text + " — " + _tr("StreamStatus", "trying again now")
        return text + " — " + _tr("StreamStatus", "still trying, next in %1").replace(
            "%1", duration_text(wait))
    return state_text(state) + (" — " + reason if reason else "")


def health_lines(status: StreamStatus) -> list[str]:
    """What is wrong with a LIVE stream, most important first (nothing when healthy)."""
    health = status.health
    lines = []
    if Health.SLOW in health.flags:
        lines.append(_tr("StreamStatus", "Slow — %1 fps, %2 s behind")
                     .replace("%1", f"{health.fps:g}").replace("%2", f"{health.behind_s:g}"))
    if Health.DAMAGED in health.flags:
        lines.append(_tr("StreamStatus", "Damaged stream — errors concealed: %1")
                     .replace("%1", str(health.damaged_frames)))
    # A slow stream is late by its backlog: "x s behind" says it already.
    if Health.DELAYED in health.flags and health.delay_s is not None and (
        Health.SLOW not in health.flags
    ):
        lines.append(_tr("StreamStatus", "Delayed — %1 s after the camera")
                     .replace("%1", f"{health.delay_s:g}"))
    return lines


def status_lines(status: StreamStatus, retry_in: float | None = None) -> list[str]:
    """The lines a tile shows above its footer for this status."""
    if status.state is StreamState.LIVE:
        return health_lines(status)
    return [status_line(status, retry_in)]


def delay_text(stats: StreamStats) -> str:
    """The end-to-end delay figure, or why there is none."""
    if stats.delay_ms is not None:
        return _tr("StreamStatus", "delay %1 ms (camera clock)").replace(
            "%1", f"{stats.delay_ms:.0f}")
    return {
        DelaySource.NO_SENDER_REPORTS: _tr("StreamStatus", "delay unknown (no sender reports)"),
        DelaySource.SENDER_REPORTS: _tr("StreamStatus", "delay unknown (no sender reports)"),
        DelaySource.LOCAL: _tr("StreamStatus", "no network delay (rendered here)"),
        DelaySource.NOT_LIVE: _tr("StreamStatus", "no delay (a file)"),
    }[stats.delay_source]


def decoder_text(stats: StreamStats) -> str:
    """Which decoder runs: "sw" (software, translated) or the hardware device's name."""
    if stats.decoder == "sw":
        return _tr("StreamStatus", "sw")
    return stats.decoder


def fallback_text(reason: HwFallback) -> str:
    """Why software decodes although hardware decoding was asked for."""
    return {
        HwFallback.NO_DEVICE: _tr("StreamStatus", "no hardware decoder on this computer"),
        HwFallback.DEVICE_FAILED: _tr("StreamStatus", "hardware decoder did not open"),
        HwFallback.NO_HW_CONFIG: _tr("StreamStatus", "no hardware decoder for this codec"),
        HwFallback.DECODE_FAILED: _tr("StreamStatus", "hardware decoder failed, software now"),
    }[reason]


def stats_lines(stats: StreamStats, path: str = "") -> list[str]:
    """Ctrl+I: the stream's figures, in two lines; ``path`` says what paints (GL, CPU)."""
    decode = "–" if stats.latency_ms is None else f"{stats.latency_ms:.0f} ms"
    codec = stats.codec + (" · " + decoder_text(stats) if stats.decoder else "")
    first = (f"{stats.fps:.1f} fps · {stats.width}×{stats.height} · {codec} · "
             f"{stats.bitrate_kbps:.0f} kbit/s")
    if path:
        first += f" · {path}"
    second = delay_text(stats) + " · " + _tr("StreamStatus", "decode %1").replace("%1", decode)
    if stats.behind_s >= 0.5:
        second += " · " + _tr("StreamStatus", "%1 s behind").replace("%1", f"{stats.behind_s:.1f}")
    if stats.damaged_frames:
        second += " · " + _tr("StreamStatus", "damaged %1").replace(
            "%1", str(stats.damaged_frames))
    if stats.skipped_frames:
        second += " · " + _tr("StreamStatus", "skipped %1").replace(
            "%1", str(stats.skipped_frames))
    # "auto" on a machine without a GPU is no news; a device asked for or lost is.
    if stats.hw_fallback is not None and stats.hw_fallback is not HwFallback.NO_DEVICE:
        second += " · " + fallback_text(stats.hw_fallback)
    return [first, second]


STATE_COLOURS: dict[StreamState, QColor] = {
    StreamState.CONNECTING: QColor("#d0a030"),
    StreamState.LIVE: QColor("#3fbf5f"),
    StreamState.STALLED: QColor("#e08030"),
    StreamState.RECONNECTING: QColor("#e0b030"),
    StreamState.OFFLINE: QColor("#e04848"),
    StreamState.STOPPED: QColor("#808080"),
}
# LIVE with something the operator should know (slow, damaged, delayed): not green.
DEGRADED_COLOUR = QColor("#f0c020")


def dot_colour(status: StreamStatus | None) -> QColor:
    if status is None:
        return STATE_COLOURS[StreamState.CONNECTING]
    return DEGRADED_COLOUR if status.degraded else STATE_COLOURS[status.state]
