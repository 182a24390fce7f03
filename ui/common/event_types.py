"""Camera event types in words: shared by the events list, the tile flashes' menu and the
timeline's event marks (features that may not import one another).

The context stays "CameraEventTexts", where these strings were first translated."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from commandroom.camera_events.model import EventType

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate


def type_label(event_type: str) -> str:
    labels: dict[str, str] = {
        EventType.MOTION: _tr("CameraEventTexts", "Motion"),
        EventType.LINE_CROSSING: _tr("CameraEventTexts", "Line crossed"),
        EventType.INTRUSION: _tr("CameraEventTexts", "Intrusion"),
        EventType.TAMPER: _tr("CameraEventTexts", "Tampering"),
        EventType.PLATE: _tr("CameraEventTexts", "Plate read"),
        EventType.VIDEO_LOSS: _tr("CameraEventTexts", "Video lost"),
        EventType.OTHER: _tr("CameraEventTexts", "Other"),
    }
    return labels.get(event_type, event_type)
