"""Words and formats of the sighting views (local time on screen, UTC in storage)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from commandroom.sightings.evidence import FileCheck
from commandroom.sightings.records import ClipStatus


def _t(text: str) -> str:
    return QCoreApplication.translate("SightingTexts", text)


def local_time(when: datetime, with_date: bool = True) -> str:
    local = when.astimezone()
    return local.strftime("%Y-%m-%d %H:%M:%S" if with_date else "%H:%M:%S")


def clip_label(status: str) -> str:
    labels: dict[str, str] = {
        ClipStatus.PENDING: _t("clip being cut…"),
        ClipStatus.DONE: _t("clip ready"),
        ClipStatus.FAILED: _t("clip failed"),
    }
    return labels.get(status, status)


def check_label(check: str) -> str:
    labels: dict[str, str] = {
        FileCheck.VERIFIED: _t("verified"),
        FileCheck.ALTERED: _t("altered"),
        FileCheck.MISSING: _t("missing"),
        FileCheck.NONE: _t("not recorded"),
    }
    return labels.get(check, check)


def elapsed_label(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return _t("%1 s").replace("%1", str(seconds))
    if seconds < 3600:
        return _t("%1 min").replace("%1", str(seconds // 60))
    return _t("%1 h %2 min").replace("%1", str(seconds // 3600)).replace(
        "%2", str(seconds % 3600 // 60))
