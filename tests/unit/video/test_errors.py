from __future__ import annotations

import errno

import av.error
import pytest

from commandroom.video.errors import UnsupportedCodecError, classify
from commandroom.video.state import OfflineReason

URL = "rtsp://admin:hunter2@10.0.0.5/s"


def _ffmpeg(cls: type[av.error.FFmpegError], message: str) -> av.error.FFmpegError:
    return cls(-1, message, URL)


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (_ffmpeg(av.error.HTTPUnauthorizedError, "401"), OfflineReason.WRONG_CREDENTIALS),
        (_ffmpeg(av.error.HTTPForbiddenError, "403"), OfflineReason.WRONG_CREDENTIALS),
        (_ffmpeg(av.error.HTTPNotFoundError, "404"), OfflineReason.NOT_FOUND),
        (av.error.ConnectionRefusedError(errno.ECONNREFUSED, "refused", URL),
         OfflineReason.REFUSED),
        (av.error.FileNotFoundError(errno.ENOENT, "No such file", URL), OfflineReason.NOT_FOUND),
        (OSError(errno.EHOSTUNREACH, "No route to host"), OfflineReason.UNREACHABLE),
        (OSError(errno.ETIMEDOUT, "timed out"), OfflineReason.TIMEOUT),
        (_ffmpeg(av.error.ExitError, "Immediate exit requested"), OfflineReason.TIMEOUT),
        (TimeoutError("no data for 3 s"), OfflineReason.TIMEOUT),
        (UnsupportedCodecError("No decoder for this video codec"),
         OfflineReason.UNSUPPORTED_CODEC),
        (_ffmpeg(av.error.InvalidDataError, "Invalid data"), OfflineReason.ERROR),
    ],
)
def test_classification(exc: BaseException, reason: OfflineReason) -> None:
    failure = classify(exc)
    assert failure.reason is reason
    assert failure.detail
    assert "hunter2" not in failure.detail


def test_an_interrupted_read_counts_as_timeout_whatever_ffmpeg_says() -> None:
    exc = _ffmpeg(av.error.InvalidDataError, "Invalid data")
    assert classify(exc, timed_out=True).reason is OfflineReason.TIMEOUT
    # ...but a clear answer from the camera still wins over the clock.
    refused = av.error.ConnectionRefusedError(errno.ECONNREFUSED, "refused", URL)
    assert classify(refused, timed_out=True).reason is OfflineReason.REFUSED


def test_unknown_errors_keep_their_words_without_credentials() -> None:
    failure = classify(RuntimeError(f"weird thing at {URL}"))
    assert failure.reason is OfflineReason.ERROR
    assert "weird thing" in failure.detail and "hunter2" not in failure.detail
