"""Translated words for replaying tiles and recorders (the core speaks codes and figures).

A tile says plainly LIVE or REPLAY 10:41:07 (the station's local time of the frame on
screen), with ‖ when paused and the speed when not 1×; below that, lines for what a
replay waits for (a gap, the newest footage, nothing recorded).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from commandroom.playback.ranges import GapReason as NvrGapReason
from commandroom.recording.status import GapReason, RecorderProblem, RecorderState, RecorderStatus
from commandroom.video.replay_feed import ReplayState, ReplayStatus

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate

PAUSED_MARK = "‖"  # U+2016: the fonts a station has draw it (⏸ often is a box)


def local_clock(moment: float) -> str:
    """Wall-clock seconds as the station reads them (this computer's local time)."""
    return datetime.fromtimestamp(moment).strftime("%H:%M:%S")


def speed_text(speed: float) -> str:
    return _tr("Replay", "%1×").replace("%1", f"{speed:g}")


def live_badge() -> str:
    return _tr("Replay", "LIVE")


def replay_badge(status: ReplayStatus, paused: bool = False) -> str:
    """REPLAY 10:41:07 [‖] [2×]: what a replaying tile's badge says. ``paused``: its
    clock is paused (a tile waiting in a hole of its footage is paused all the same)."""
    when = local_clock(status.position) if status.position is not None else "…"
    text = _tr("Replay", "REPLAY %1").replace("%1", when)
    if paused or status.state is ReplayState.PAUSED:
        text += " " + PAUSED_MARK
    if abs(status.speed - 1.0) > 1e-9:
        text += " " + speed_text(status.speed)
    return text


def gap_reason_text(code: str) -> str:
    """Why nothing is recorded (a recording or NVR gap code)."""
    texts: dict[str, str] = {
        GapReason.STREAM_LOST: _tr("Replay", "camera offline"),
        GapReason.STALLED: _tr("Replay", "camera sent nothing"),
        GapReason.APP_NOT_RUNNING: _tr("Replay", "the console was not running"),
        GapReason.WRITE_FAILED: _tr("Replay", "the recording could not be written"),
        GapReason.QUEUE_OVERFLOW: _tr("Replay", "the disk was too slow"),
        GapReason.RECORDING_OFF: _tr("Replay", "recording off"),
        NvrGapReason.NOT_CONFIGURED: _tr("Replay", "not recorded"),
        NvrGapReason.NO_RECORDING: _tr("Replay", "not recorded"),
        NvrGapReason.NO_DATA: _tr("Replay", "the recorder sent no video"),
        NvrGapReason.UNREACHABLE: _tr("Replay", "the recorder cannot be reached"),
        NvrGapReason.TIMEOUT: _tr("Replay", "the recorder did not answer"),
        NvrGapReason.AUTH: _tr("Replay", "the recorder refused the password"),
        NvrGapReason.UNSUPPORTED: _tr("Replay", "the recorder cannot replay"),
        NvrGapReason.BACKING_OFF: _tr("Replay", "the recorder failed a moment ago"),
        NvrGapReason.ERROR: _tr("Replay", "recorder error"),
    }
    return texts.get(code) or _tr("Replay", "not recorded")


def replay_lines(status: ReplayStatus) -> list[str]:
    """Lines above a replaying tile's footer: what it waits for (nothing when playing)."""
    state = status.state
    if state is ReplayState.OPENING:
        return [_tr("Replay", "Finding the recording…")]
    if state is ReplayState.GAP and status.gap is not None:
        return [_tr("Replay", "Nothing recorded (%1) — plays on at %2")
                .replace("%1", gap_reason_text(status.gap.reason))
                .replace("%2", local_clock(status.gap.end))]
    if state is ReplayState.WAITING:
        return [_tr("Replay", "At the newest recorded second — more in a moment")]
    if state is ReplayState.ENDED:
        return [_tr("Replay", "End of the recording — Esc returns to live")]
    if state is ReplayState.UNAVAILABLE:
        return [_tr("Replay", "Nothing recorded at this time (%1) — Esc returns to live")
                .replace("%1", gap_reason_text(status.reason))]
    return []


def recorder_note(status: RecorderStatus) -> str:
    """Short footer text for a recorder that cannot write (it retries; live goes on);
    "" while it records or waits for the stream."""
    if status.state is not RecorderState.FAILING:
        return ""
    why = {
        RecorderProblem.DISK_FULL: _tr("Replay", "disk full"),
        RecorderProblem.PERMISSION_DENIED: _tr("Replay", "no permission"),
        RecorderProblem.FOLDER_MISSING: _tr("Replay", "folder missing"),
        RecorderProblem.READ_ONLY: _tr("Replay", "read-only"),
        RecorderProblem.DATABASE_ERROR: _tr("Replay", "index error"),
        RecorderProblem.QUEUE_OVERFLOW: _tr("Replay", "disk too slow"),
    }.get(status.problem) if status.problem is not None else None
    return _tr("Replay", "REC ✕ %1").replace("%1", why or _tr("Replay", "write error"))
