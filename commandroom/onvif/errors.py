"""Every ONVIF failure the caller sees: one subclass per cause, one ``Notice`` each.

The notice is meant for the officer's screen (``ui/`` translates it; ``str(error)`` is
its English sentence): no traceback, no password, no XML. The original exception stays
on ``__cause__`` for the log.
"""

from __future__ import annotations

import asyncio
import logging

from commandroom.notices import Notice, NoticeError, define, notice
from commandroom.redact import redact_text

_log = logging.getLogger(__name__)

AUTH = define("onvif.auth", "The camera rejected the user name or password.")
TIMEOUT = define("onvif.timeout", "The camera did not answer within {seconds} s.")
UNREACHABLE = define(
    "onvif.unreachable",
    "The camera at {where} could not be reached (connection refused or no route).")
CONNECTION_FAILED = define("onvif.connection_failed",
                           "The connection to the camera at {where} failed.")
REFUSED = define("onvif.refused", "The camera refused the request: {reason}.")
NOT_IMPLEMENTED = define("onvif.not_implemented",
                         "The camera does not implement this request ({reason}).")
NO_REASON = define("onvif.no_reason", "no reason given")
ACTION_NOT_SUPPORTED = define("onvif.action_not_supported", "action not supported")
HTTP_ERROR = define("onvif.http_error", "The camera answered with HTTP error {status}.")
HTTP_ERROR_OP = define("onvif.http_error_operation",
                       "The camera answered {operation} with HTTP error {status}.")
INVALID_XML = define("onvif.invalid_xml", "The camera sent a reply that is not valid ONVIF XML.")
EMPTY_REPLY = define("onvif.empty_reply", "The camera sent an empty reply.")
NO_BODY = define("onvif.no_body", "The camera's reply has no SOAP body.")
EMPTY_RESPONSE = define("onvif.empty_response", "The camera sent an empty {expected}.")
WRONG_RESPONSE = define("onvif.wrong_response",
                        "The camera answered with {got} where {expected} was expected.")
UNEXPECTED = define("onvif.unexpected", "The camera request failed unexpectedly ({kind}).")
SHUT_DOWN = define("onvif.shut_down", "The ONVIF service has been shut down.")
EMPTY_ADDRESS = define("onvif.empty_address", "The camera address is empty.")
NO_SERVICE = define("onvif.no_service", "The camera has no {service} service.")
NO_MEDIA = define("onvif.no_media",
                  "The camera has no media service, so it offers no video profiles.")
NO_STREAM_URI = define("onvif.no_stream_uri",
                       "The camera gave no stream address for profile '{profile}'.")
NO_SNAPSHOT_URI = define("onvif.no_snapshot_uri",
                         "The camera gave no snapshot address for profile '{profile}'.")
SNAPSHOT_HTTP_ERROR = define(
    "onvif.snapshot_http_error",
    "The camera answered the snapshot request with HTTP error {status}.")
NO_UTC_TIME = define("onvif.no_utc_time",
                     "The camera did not tell its UTC time; its clock drift is unknown.")
NO_MODEL = define("onvif.no_model", "The camera would not tell its model: {problem}")
SNAPSHOT_NOT_HTTP = define(
    "onvif.snapshot_not_http",
    "The camera's snapshot address is not an HTTP address; snapshots may fail.")


class OnvifError(NoticeError):
    """Base class: ``notice`` is one clear message (``str(error)`` its English)."""

    def __init__(self, message: Notice | str, /, **params: str | int | Notice) -> None:
        super().__init__(message if isinstance(message, Notice) else notice(message, **params))


class OnvifAuthError(OnvifError):
    """User name or password refused (WS-Security fault or HTTP 401)."""


class OnvifTimeoutError(OnvifError):
    """The camera did not answer in time."""


class OnvifUnreachableError(OnvifError):
    """No connection could be made (refused, no route, DNS)."""


class OnvifFaultError(OnvifError):
    """The camera answered with a SOAP fault other than an authentication one."""


class OnvifProtocolError(OnvifError):
    """The camera answered something we cannot understand."""


class OnvifNotSupportedError(OnvifError):
    """The camera lacks the service asked for (no PTZ, no media service)."""


class OnvifInputError(OnvifError):
    """What the officer typed cannot be used (bad address range, empty host)."""


AUTH_MESSAGE = notice(AUTH)


def camera_reason(reason: str, fallback: str = NO_REASON) -> str | Notice:
    """What the camera said (its own words, not translated), or our words for nothing."""
    return reason or notice(fallback)


def scrub(text: str, secret: str | None) -> str:
    """Camera-supplied text may echo what we sent; never let the password through."""
    text = redact_text(text)
    if secret:
        text = text.replace(secret, "***")
    return " ".join(text.split())


def looks_like_auth_fault(code_text: str, reason: str) -> bool:
    """Cameras signal auth failures inconsistently; subcode or wording both count."""
    low = f"{code_text} {reason}".lower()
    return any(k in low for k in ("notauthorized", "not authorized", "unauthorized", "password",
                                  "authentication", "authority failure", "failedauthentication"))


def translate(exc: BaseException, *, where: str, timeout_s: float,
              password: str | None) -> OnvifError:
    """Turn anything the library stack raises into one of our errors with a clear sentence."""
    import aiohttp
    import zeep.exceptions
    from lxml import etree

    if isinstance(exc, OnvifError):
        return exc
    if isinstance(exc, TimeoutError | asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return OnvifTimeoutError(TIMEOUT, seconds=f"{timeout_s:g}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return OnvifUnreachableError(UNREACHABLE, where=where)
    if isinstance(exc, aiohttp.ClientError):
        return OnvifUnreachableError(CONNECTION_FAILED, where=where)
    if isinstance(exc, zeep.exceptions.Fault):
        subcodes = " ".join(str(getattr(c, "text", c)) for c in (exc.subcodes or []))
        reason = scrub(str(exc.message or ""), password)
        if looks_like_auth_fault(f"{exc.code} {subcodes}", reason):
            return OnvifAuthError(AUTH_MESSAGE)
        return OnvifFaultError(REFUSED, reason=camera_reason(reason.rstrip(".")))
    if isinstance(exc, zeep.exceptions.TransportError):
        if exc.status_code == 401:
            return OnvifAuthError(AUTH_MESSAGE)
        return OnvifProtocolError(HTTP_ERROR, status=str(exc.status_code))
    if isinstance(exc, etree.XMLSyntaxError | zeep.exceptions.XMLParseError):
        return OnvifProtocolError(INVALID_XML)
    cause = exc.__cause__ or exc.__context__
    if cause is not None and cause is not exc and type(exc).__name__ == "ONVIFError":
        return translate(cause, where=where, timeout_s=timeout_s, password=password)
    _log.warning("Unexpected ONVIF failure at %s: %s", where,
                 scrub(f"{type(exc).__name__}: {exc}", password))
    return OnvifError(UNEXPECTED, kind=type(exc).__name__)
