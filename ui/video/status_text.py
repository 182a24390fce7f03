"""Translated words for stream states and reasons (the core speaks enums)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from commandroom.video.state import OfflineReason, StreamState, StreamStatus

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
        OfflineReason.ERROR: _tr("StreamStatus", "stream error"),
    }[reason]


def status_line(status: StreamStatus) -> str:
    """One line for a tile: state, reason, attempt and retry countdown."""
    text = state_text(status.state)
    if status.reason is not None:
        text += " — " + reason_text(status.reason)
    if status.state is StreamState.RECONNECTING:
        text += " " + _tr("StreamStatus", "(attempt %1)").replace("%1", str(status.attempt))
        if status.retry_in is not None:
            text += " " + _tr("StreamStatus", "retry in %1 s").replace(
                "%1", f"{status.retry_in:.0f}"
            )
    return text


STATE_COLOURS: dict[StreamState, QColor] = {
    StreamState.CONNECTING: QColor("#d0a030"),
    StreamState.LIVE: QColor("#3fbf5f"),
    StreamState.STALLED: QColor("#e08030"),
    StreamState.RECONNECTING: QColor("#e0b030"),
    StreamState.OFFLINE: QColor("#e04848"),
    StreamState.STOPPED: QColor("#808080"),
}
