"""Turn FFmpeg/PyAV failures into a reason a tile can show, with a short clean sentence."""

from __future__ import annotations

import errno
from dataclasses import dataclass

import av.error

from commandroom.redact import redact_text
from commandroom.video.state import OfflineReason


class ExpectedFailure(Exception):
    """A failure of the source itself (not a bug here): no traceback in the log."""


class UnsupportedCodecError(ExpectedFailure):
    """The stream opened but nothing here can decode its video."""


class StreamEndedError(ExpectedFailure):
    """The server ended the stream (end of file on a live source)."""


class NoVideoError(ExpectedFailure):
    """The source has no video stream at all."""


class NoPictureError(ExpectedFailure):
    """Data kept arriving, yet no picture decoded from it for the stall timeout."""


class PictureTimeoutError(ExpectedFailure):
    """No picture for the stall timeout, and the read had to be aborted (the demuxer
    neither returned data nor timed out by itself)."""


@dataclass(frozen=True)
class Failure:
    reason: OfflineReason
    detail: str


_UNREACHABLE_ERRNOS = {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN}


def classify(exc: BaseException, *, timed_out: bool = False) -> Failure:
    """Map an exception from opening or reading a stream to (reason, detail).

    ``timed_out``: the call ran into our own open/read deadline; FFmpeg then reports an
    "exit requested" or even "invalid data" error, which says nothing useful.
    """
    if isinstance(exc, UnsupportedCodecError):
        return Failure(OfflineReason.UNSUPPORTED_CODEC, _clean(exc) or "Unsupported video codec")
    if isinstance(exc, av.error.DecoderNotFoundError):
        return Failure(OfflineReason.UNSUPPORTED_CODEC, "No decoder for this video codec")
    if isinstance(exc, av.error.HTTPUnauthorizedError | av.error.HTTPForbiddenError):
        return Failure(
            OfflineReason.WRONG_CREDENTIALS, "The camera refused the user name or password"
        )
    if isinstance(exc, av.error.HTTPNotFoundError):
        return Failure(OfflineReason.NOT_FOUND, "The camera has no stream at this path")
    if isinstance(exc, FileNotFoundError):
        return Failure(OfflineReason.NOT_FOUND, "The file does not exist")
    if isinstance(exc, ConnectionRefusedError):
        return Failure(OfflineReason.REFUSED, "The camera refused the connection (wrong port?)")
    if isinstance(exc, NoVideoError):
        return Failure(OfflineReason.UNSUPPORTED_CODEC, "The source has no video stream")
    if isinstance(exc, StreamEndedError):
        return Failure(OfflineReason.ERROR, "The camera ended the stream")
    if isinstance(exc, NoPictureError):
        return Failure(OfflineReason.NO_PICTURE, _clean(exc) or "Data arrives but no picture")
    if isinstance(exc, PictureTimeoutError):
        return Failure(OfflineReason.TIMEOUT, _clean(exc) or "No picture in time")
    if timed_out or isinstance(exc, TimeoutError | av.error.ExitError):
        return Failure(OfflineReason.TIMEOUT, "The camera did not answer in time")
    if isinstance(exc, OSError) and exc.errno in _UNREACHABLE_ERRNOS:
        return Failure(OfflineReason.UNREACHABLE, "No route to the camera (network down?)")
    if isinstance(exc, OSError) and exc.errno == errno.ETIMEDOUT:
        return Failure(OfflineReason.TIMEOUT, "The camera did not answer in time")
    if isinstance(exc, av.error.HTTPError):
        return Failure(OfflineReason.ERROR, f"The camera answered with an error ({_clean(exc)})")
    return Failure(OfflineReason.ERROR, _clean(exc) or type(exc).__name__)


def _clean(exc: BaseException) -> str:
    """The error's own words, without the URL FFmpeg appends (it may hold credentials)."""
    text = (exc.strerror or "") if isinstance(exc, av.error.FFmpegError) else str(exc)
    return redact_text(text)[:200]
