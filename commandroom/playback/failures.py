"""Why a recorder gave nothing: exceptions (FFmpeg, ONVIF, sockets) → a GapReason."""

from __future__ import annotations

import concurrent.futures
import errno
import socket

import av.error

from commandroom.onvif.errors import (
    OnvifAuthError,
    OnvifNotSupportedError,
    OnvifTimeoutError,
    OnvifUnreachableError,
)
from commandroom.playback.ranges import GapReason
from commandroom.playback.relay import RtspRelay
from commandroom.video.errors import NoVideoError, StreamEndedError

# RTSP answers that mean "nothing recorded at that time" on real recorders: 404 Not Found
# (Hikvision/Dahua outside any recording), 454 Session Not Found, 457 Invalid Range
# (Profile G replay outside the recording).
NOTHING_THERE = frozenset({404, 454, 457})
AUTH_REFUSED = frozenset({401, 403})
NOT_SUPPORTED = frozenset({405, 501, 551})
_UNREACHABLE_ERRNOS = {errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH,
                       errno.EHOSTDOWN, errno.ENETDOWN}


def from_status(status: int) -> GapReason:
    if status in NOTHING_THERE:
        return GapReason.NO_RECORDING
    if status in AUTH_REFUSED:
        return GapReason.AUTH
    if status in NOT_SUPPORTED:
        return GapReason.UNSUPPORTED
    return GapReason.ERROR


def classify_failure(exc: BaseException, relay: RtspRelay | None = None) -> GapReason:
    """The reason a playback stream failed to open or play.

    With a relay, what the device really answered wins: FFmpeg folds 454, 457 and 551
    into "4XX/5XX error" and a refused connection into "invalid data".
    """
    if relay is not None:
        if relay.connect_errors:
            return GapReason.UNREACHABLE
        answers = relay.answers
        # Only the LAST answer: a 401 followed by success is an ordinary Digest login.
        if answers and answers[-1].status >= 400:
            return from_status(answers[-1].status)
    if isinstance(exc, av.error.HTTPNotFoundError):
        return GapReason.NO_RECORDING
    if isinstance(exc, av.error.HTTPUnauthorizedError | av.error.HTTPForbiddenError):
        return GapReason.AUTH
    if isinstance(exc, av.error.HTTPOtherClientError):  # 4xx but 400/401/403/404
        return GapReason.NO_RECORDING
    if isinstance(exc, av.error.HTTPError):
        return GapReason.ERROR
    if isinstance(exc, ConnectionRefusedError):
        return GapReason.UNREACHABLE
    if isinstance(exc, StreamEndedError | NoVideoError | TimeoutError | av.error.ExitError):
        # Accepted, then silence or an empty stream: the recorder has nothing there.
        return GapReason.NO_DATA
    if isinstance(exc, OSError) and exc.errno in _UNREACHABLE_ERRNOS:
        return GapReason.UNREACHABLE
    return GapReason.ERROR


def classify_onvif(exc: BaseException) -> GapReason:
    """The reason an ONVIF search or GetReplayUri failed."""
    if isinstance(exc, OnvifAuthError):
        return GapReason.AUTH
    if isinstance(exc, OnvifUnreachableError):
        return GapReason.UNREACHABLE
    if isinstance(exc, OnvifTimeoutError | concurrent.futures.TimeoutError | TimeoutError):
        return GapReason.TIMEOUT
    if isinstance(exc, OnvifNotSupportedError):
        return GapReason.UNSUPPORTED
    if isinstance(exc, socket.gaierror):  # the replay URI's host does not resolve
        return GapReason.UNREACHABLE
    return GapReason.ERROR
