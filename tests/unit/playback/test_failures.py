"""What the device answered through the relay decides the reason, not FFmpeg's summary."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

import av.error

from commandroom.playback.failures import classify_failure, classify_onvif
from commandroom.playback.ranges import GapReason
from commandroom.playback.relay import Answer


@dataclass
class RelayRecord:
    """What classify_failure reads from a relay."""

    answers: list[Answer] = field(default_factory=list)
    connect_errors: list[OSError] = field(default_factory=list)


DIGEST_LOGIN = [Answer("OPTIONS", 200), Answer("DESCRIBE", 401), Answer("DESCRIBE", 200),
                Answer("SETUP", 200)]


def _classify(exc: BaseException, record: RelayRecord) -> GapReason:
    return classify_failure(exc, record)  # type: ignore[arg-type]


def test_the_401_of_a_successful_digest_login_is_not_a_refusal() -> None:
    record = RelayRecord([*DIGEST_LOGIN, Answer("PLAY", 200)])
    assert _classify(TimeoutError("no data"), record) is GapReason.NO_DATA


def test_the_last_refusal_counts() -> None:
    invalid_range = RelayRecord([*DIGEST_LOGIN, Answer("PLAY", 457)])
    other_4xx = av.error.HTTPOtherClientError(-1, "4XX")
    assert _classify(other_4xx, invalid_range) is GapReason.NO_RECORDING
    refused = RelayRecord([Answer("DESCRIBE", 401), Answer("DESCRIBE", 401)])
    assert _classify(av.error.HTTPUnauthorizedError(-1, "401"), refused) is GapReason.AUTH
    no_option = RelayRecord([Answer("DESCRIBE", 551)])
    assert _classify(av.error.HTTPServerError(-1, "5XX"), no_option) is GapReason.UNSUPPORTED


def test_a_refused_connection_behind_the_relay_is_unreachable() -> None:
    # FFmpeg only sees the relay close the connection: "invalid data".
    record = RelayRecord(connect_errors=[ConnectionRefusedError(111, "refused")])
    assert _classify(av.error.InvalidDataError(-1, "invalid"), record) is GapReason.UNREACHABLE


def test_onvif_errors() -> None:
    from commandroom.onvif.errors import (
        AUTH,
        OnvifAuthError,
        OnvifFaultError,
        OnvifNotSupportedError,
        OnvifTimeoutError,
        OnvifUnreachableError,
    )

    assert classify_onvif(OnvifAuthError(AUTH)) is GapReason.AUTH
    assert classify_onvif(OnvifUnreachableError(AUTH)) is GapReason.UNREACHABLE
    assert classify_onvif(OnvifTimeoutError(AUTH)) is GapReason.TIMEOUT
    assert classify_onvif(OnvifNotSupportedError(AUTH)) is GapReason.UNSUPPORTED
    assert classify_onvif(OnvifFaultError(AUTH)) is GapReason.ERROR
    unknown_host = socket.gaierror(-2, "Name or service not known")
    assert classify_onvif(unknown_host) is GapReason.UNREACHABLE
