"""Translated words for stream states and reasons (the core speaks enums)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from commandroom.video.state import OfflineReason, StreamState, StreamStatus


def _t(text: str) -> str:
    return QCoreApplication.translate("StreamStatus", text)


def state_text(state: StreamState) -> str:
    return {
        StreamState.CONNECTING: _t("Connecting"),
        StreamState.LIVE: _t("Live"),
        StreamState.STALLED: _t("Stalled"),
        StreamState.RECONNECTING: _t("Reconnecting"),
        StreamState.OFFLINE: _t("Offline"),
        StreamState.STOPPED: _t("Stopped"),
    }[state]


def reason_text(reason: OfflineReason) -> str:
    return {
        OfflineReason.UNREACHABLE: _t("camera unreachable"),
        OfflineReason.REFUSED: _t("connection refused"),
        OfflineReason.WRONG_CREDENTIALS: _t("wrong user name or password"),
        OfflineReason.NOT_FOUND: _t("stream not found"),
        OfflineReason.UNSUPPORTED_CODEC: _t("unsupported codec"),
        OfflineReason.TIMEOUT: _t("no answer (timeout)"),
        OfflineReason.ERROR: _t("stream error"),
    }[reason]


def status_line(status: StreamStatus) -> str:
    """One line for a tile: state, reason, attempt and retry countdown."""
    text = state_text(status.state)
    if status.reason is not None:
        text += " — " + reason_text(status.reason)
    if status.state is StreamState.RECONNECTING:
        text += " " + _t("(attempt %1)").replace("%1", str(status.attempt))
        if status.retry_in is not None:
            text += " " + _t("retry in %1 s").replace("%1", f"{status.retry_in:.0f}")
    return text


STATE_COLOURS: dict[StreamState, QColor] = {
    StreamState.CONNECTING: QColor("#d0a030"),
    StreamState.LIVE: QColor("#3fbf5f"),
    StreamState.STALLED: QColor("#e08030"),
    StreamState.RECONNECTING: QColor("#e0b030"),
    StreamState.OFFLINE: QColor("#e04848"),
    StreamState.STOPPED: QColor("#808080"),
}
