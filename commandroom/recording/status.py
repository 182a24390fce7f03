"""Codes the recording core reports; the UI turns them into translated sentences.

Events are published on ``commandroom.events.EventBus`` from the recorder's writer thread
(the UI re-posts them to the GUI thread).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class RecorderState(StrEnum):
    WAITING = "waiting"  # no connection yet, or waiting for a keyframe to start a file
    RECORDING = "recording"
    FAILING = "failing"  # cannot write; retrying (``problem`` says why)
    STOPPED = "stopped"


class RecorderProblem(StrEnum):
    DISK_FULL = "disk_full"
    PERMISSION_DENIED = "permission_denied"
    FOLDER_MISSING = "folder_missing"
    READ_ONLY = "read_only"
    IO_ERROR = "io_error"
    DATABASE_ERROR = "database_error"
    # The writer fell behind (slow disk): packets were dropped up to the next keyframe.
    QUEUE_OVERFLOW = "queue_overflow"


class GapReason(StrEnum):
    STREAM_LOST = "stream_lost"  # camera offline, connection failed
    STALLED = "stalled"  # connected, but no video came for a while
    APP_NOT_RUNNING = "app_not_running"
    WRITE_FAILED = "write_failed"
    QUEUE_OVERFLOW = "queue_overflow"
    RECORDING_OFF = "recording_off"  # mode off, or "while shown" and not shown


_PROBLEMS_BY_ERRNO = {
    errno.ENOSPC: RecorderProblem.DISK_FULL,
    errno.EDQUOT: RecorderProblem.DISK_FULL,
    errno.EACCES: RecorderProblem.PERMISSION_DENIED,
    errno.EPERM: RecorderProblem.PERMISSION_DENIED,
    errno.ENOENT: RecorderProblem.FOLDER_MISSING,
    errno.ENOTDIR: RecorderProblem.FOLDER_MISSING,
    errno.EROFS: RecorderProblem.READ_ONLY,
}


def problem_for(exc: BaseException) -> RecorderProblem:
    code = getattr(exc, "errno", None)
    if isinstance(code, int):
        return _PROBLEMS_BY_ERRNO.get(code, RecorderProblem.IO_ERROR)
    return RecorderProblem.IO_ERROR


def errno_name(exc: BaseException) -> str:
    code = getattr(exc, "errno", None)
    return errno.errorcode.get(code, "") if isinstance(code, int) else type(exc).__name__


@dataclass(frozen=True)
class RecorderStatus:
    state: RecorderState
    problem: RecorderProblem | None = None
    detail: str = ""  # a code (errno name), never a sentence
    retry_in_s: float | None = None
    dropped_packets: int = 0


@dataclass(frozen=True)
class RecorderStatusChanged:
    """Domain event: a camera's recorder changed state (the tile shows a problem)."""

    camera_id: int
    status: RecorderStatus


@dataclass(frozen=True)
class SegmentClosed:
    """Domain event: a segment file is complete and indexed (the timeline extends)."""

    camera_id: int
    segment_id: int
    start_at: datetime
    end_at: datetime
    bytes: int
