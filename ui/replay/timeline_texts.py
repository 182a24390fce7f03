"""Sentences the timeline shows on hover: the core gives codes, these are the words."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from commandroom.lookback.marks import MarkKind
from ui.common.event_types import type_label
from ui.replay.timeline_data import LockBar, MarkDot, SpanBar

_tr = QCoreApplication.translate


def station_time(moment: float) -> str:
    """Station local time: the date too, unless it is today."""
    local = datetime.fromtimestamp(moment)
    if local.date() == datetime.now().date():
        return local.strftime("%H:%M:%S")
    return local.strftime("%Y-%m-%d %H:%M:%S")


def _between(start: float, end: float) -> str:
    return f"{station_time(start)} – {station_time(end)}"


def gap_reason(code: str) -> str:
    reasons = {
        # the station's own recording (commandroom.recording.status.GapReason)
        "stream_lost": _tr("Timeline", "the camera was offline (connection lost)"),
        "stalled": _tr("Timeline", "the camera sent no picture (stalled)"),
        "app_not_running": _tr("Timeline", "the command-room program was not running"),
        "write_failed": _tr("Timeline", "the recording could not be written (disk full, "
                                        "permission or folder missing)"),
        "queue_overflow": _tr("Timeline", "the disk could not keep up; video was dropped"),
        "recording_off": _tr("Timeline", "recording was off for this camera"),
        # the camera's NVR (commandroom.playback.ranges.GapReason)
        "not_configured": _tr("Timeline", "the camera has no recorder (NVR) set up"),
        "no_recording": _tr("Timeline", "the NVR holds nothing for this time"),
        "no_data": _tr("Timeline", "the NVR sent no video for this time"),
        "unreachable": _tr("Timeline", "the NVR could not be reached"),
        "timeout": _tr("Timeline", "the NVR did not answer in time"),
        "auth": _tr("Timeline", "the NVR refused the user name or password"),
        "unsupported": _tr("Timeline", "the NVR cannot search or replay"),
        "backing_off": _tr("Timeline", "the NVR failed recently and is not asked again yet"),
        "error": _tr("Timeline", "the NVR answered with an error"),
    }
    return reasons.get(code, _tr("Timeline", "nothing was recorded"))


def span_tip(span: SpanBar) -> str:
    if span.kind in ("local", "nvr"):
        if span.open:
            return _tr("Timeline", "Recorded from %1 (still recording)").replace(
                "%1", station_time(span.start))
        return _tr("Timeline", "Recorded %1").replace("%1", _between(span.start, span.end))
    if span.kind == "unknown":
        return _tr("Timeline", "%1: the NVR may hold video here (it cannot be searched); "
                               "playback will try").replace("%1", _between(span.start, span.end))
    return _tr("Timeline", "No recording %1: %2") \
        .replace("%1", _between(span.start, span.end)).replace("%2", gap_reason(span.reason))


def lock_tip(lock: LockBar) -> str:
    kinds = {
        "sighting": _tr("Timeline", "a sighting"),
        "alert": _tr("Timeline", "an alert"),
        "export": _tr("Timeline", "an export"),
        "manual": _tr("Timeline", "an officer"),
    }
    text = _tr("Timeline", "Evidence lock %1, kept for %2: retention never deletes it.") \
        .replace("%1", _between(lock.start, lock.end)) \
        .replace("%2", kinds.get(lock.kind, lock.kind))
    if lock.created_by:
        text += "\n" + _tr("Timeline", "Locked by %1").replace("%1", lock.created_by)
    return text


def mark_tip(mark: MarkDot) -> str:
    when = station_time(mark.moment)
    if mark.kind == MarkKind.EVENT:
        head = _tr("Timeline", "Camera event: %1").replace("%1", type_label(mark.event_type))
        if mark.plate:
            head += "\n" + _tr("Timeline", "Plate: %1").replace("%1", mark.plate)
        return head + "\n" + when
    if mark.kind == MarkKind.ALERT:
        head = (_tr("Timeline", "High-priority alert: %1") if mark.priority == "high"
                else _tr("Timeline", "Alert: %1")).replace("%1", mark.who)
        return head + "\n" + _tr("Timeline", "%1 · sent by %2").replace("%1", when) \
            .replace("%2", mark.operator)
    return _tr("Timeline", "Sighting: %1").replace("%1", mark.who) + "\n" + \
        _tr("Timeline", "%1 · tagged by %2").replace("%1", when).replace("%2", mark.operator)
