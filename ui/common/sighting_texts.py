"""Words and formats of the sighting views (local time on screen, UTC in storage)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from commandroom.files import FileCheck
from commandroom.sightings.records import ClipStatus

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate


def local_time(when: datetime, with_date: bool = True) -> str:
    local = when.astimezone()
    return local.strftime("%Y-%m-%d %H:%M:%S" if with_date else "%H:%M:%S")


def clip_label(status: str) -> str:
    labels: dict[str, str] = {
        ClipStatus.PENDING: _tr("SightingTexts", "clip being cut…"),
        ClipStatus.DONE: _tr("SightingTexts", "clip ready"),
        ClipStatus.FAILED: _tr("SightingTexts", "clip failed"),
    }
    return labels.get(status, status)


def check_label(check: str) -> str:
    labels: dict[str, str] = {
        FileCheck.VERIFIED: _tr("SightingTexts", "verified"),
        FileCheck.ALTERED: _tr("SightingTexts", "altered"),
        FileCheck.MISSING: _tr("SightingTexts", "missing"),
        FileCheck.NONE: _tr("SightingTexts", "not recorded"),
    }
    return labels.get(check, check)


def elapsed_label(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return _tr("SightingTexts", "%1 s").replace("%1", str(seconds))
    if seconds < 3600:
        return _tr("SightingTexts", "%1 min").replace("%1", str(seconds // 60))
    return (
        _tr("SightingTexts", "%1 h %2 min")
        .replace("%1", str(seconds // 3600))
        .replace("%2", str(seconds % 3600 // 60))
    )
