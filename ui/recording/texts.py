"""Sentences for the recording core's codes (problems, the disk forecast, export errors)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from commandroom.recording.export import ExportError, ExportProblem
from commandroom.recording.forecast import DiskForecast
from commandroom.recording.status import RecorderProblem

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # how times are typed and shown (station time)


def problem_text(problem: RecorderProblem | None) -> str:
    """Why a camera's recording cannot write, in a few words (after its name)."""
    texts = {
        RecorderProblem.DISK_FULL: _tr("RecordingTexts", "disk full"),
        RecorderProblem.PERMISSION_DENIED: _tr("RecordingTexts", "no permission to write"),
        RecorderProblem.FOLDER_MISSING: _tr("RecordingTexts", "recordings folder missing"),
        RecorderProblem.READ_ONLY: _tr("RecordingTexts", "recordings folder is read-only"),
        RecorderProblem.IO_ERROR: _tr("RecordingTexts", "write error"),
        RecorderProblem.DATABASE_ERROR: _tr("RecordingTexts", "index database error"),
        RecorderProblem.QUEUE_OVERFLOW: _tr("RecordingTexts", "disk too slow, footage dropped"),
    }
    if problem is None:
        return _tr("RecordingTexts", "cannot write")
    return texts.get(problem, str(problem))


def duration_text(hours: float) -> str:
    if hours < 1:
        return _tr("RecordingTexts", "%1 min").replace("%1", str(max(1, round(hours * 60))))
    return _tr("RecordingTexts", "%1 h").replace("%1", f"{hours:.0f}" if hours >= 10
                                                 else f"{hours:.1f}")


def disk_warning_text(forecast: DiskForecast) -> str:
    hours = forecast.hours_to_full or 0.0
    return _tr("RecordingTexts", "Recording disk full in about %1").replace(
        "%1", duration_text(hours))


def disk_warning_tooltip(forecast: DiskForecast) -> str:
    return _tr("RecordingTexts",
               "At the current write rate (%3 MB/s). Free: %1 GB; recordings take %2 GB. "
               "Lower the keep days or set a quota (Recording settings), or free the "
               "disk.").replace(
        "%1", f"{forecast.free_bytes / 1e9:.1f}").replace(
        "%2", f"{forecast.stored_bytes / 1e9:.1f}").replace(
        "%3", f"{forecast.rate_bps / 1e6:.2f}")


def export_error_text(exc: ExportError) -> str:
    texts = {
        ExportProblem.BAD_RANGE: _tr("RecordingTexts",
                                     "Choose at least one camera and an end after the start."),
        ExportProblem.NO_FOOTAGE: _tr("RecordingTexts",
                                      "Nothing was recorded in that time for these cameras."),
        ExportProblem.WRITE_FAILED: _tr("RecordingTexts",
                                        "The export could not be written (%1); nothing was "
                                        "kept. Check the destination folder."),
        ExportProblem.READ_FAILED: _tr("RecordingTexts",
                                       "A recording could not be read (%1); nothing was "
                                       "kept."),
    }
    return texts.get(exc.problem, str(exc.problem)).replace("%1", exc.detail or "?")


def station_text(moment: datetime) -> str:
    """A UTC moment in the station's local time, as typed in the export dialog."""
    return moment.astimezone().strftime(TIME_FORMAT)


def start_note_text(early_s: float) -> str:
    """What the manifest's ``starts_before_requested_s`` means, said plainly."""
    if early_s > 0:
        return _tr("RecordingTexts",
                   "starts %1 s before the time you asked for: a cut without re-encoding "
                   "must begin on a keyframe, and this is the keyframe at or before it"
                   ).replace("%1", f"{early_s:.2f}")
    if early_s < 0:
        return _tr("RecordingTexts",
                   "starts %1 s after the time you asked for: the recording begins then"
                   ).replace("%1", f"{-early_s:.2f}")
    return _tr("RecordingTexts", "starts exactly at the time you asked for")
