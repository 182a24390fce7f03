"""Every ONVIF failure the caller sees: one subclass per cause, one English sentence each.

The message (``str(error)``) is meant for the officer's screen: no traceback, no password,
no XML. The original exception stays on ``__cause__`` for the log.
"""

from __future__ import annotations

import asyncio
import logging

from commandroom.redact import redact_text

_log = logging.getLogger(__name__)


class OnvifError(Exception):
    """Base class: ``str(error)`` is one clear sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


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


AUTH_MESSAGE = "The camera rejected the user name or password."


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
        return OnvifTimeoutError(f"The camera did not answer within {timeout_s:g} s.")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return OnvifUnreachableError(
            f"The camera at {where} could not be reached (connection refused or no route)."
        )
    if isinstance(exc, aiohttp.ClientError):
        return OnvifUnreachableError(f"The connection to the camera at {where} failed.")
    if isinstance(exc, zeep.exceptions.Fault):
        subcodes = " ".join(str(getattr(c, "text", c)) for c in (exc.subcodes or []))
        reason = scrub(str(exc.message or ""), password)
        if looks_like_auth_fault(f"{exc.code} {subcodes}", reason):
            return OnvifAuthError(AUTH_MESSAGE)
        return OnvifFaultError(f"The camera refused the request: {reason or 'no reason given'}.")
    if isinstance(exc, zeep.exceptions.TransportError):
        if exc.status_code == 401:
            return OnvifAuthError(AUTH_MESSAGE)
        return OnvifProtocolError(f"The camera answered with HTTP error {exc.status_code}.")
    if isinstance(exc, etree.XMLSyntaxError | zeep.exceptions.XMLParseError):
        return OnvifProtocolError("The camera sent a reply that is not valid ONVIF XML.")
    cause = exc.__cause__ or exc.__context__
    if cause is not None and cause is not exc and type(exc).__name__ == "ONVIFError":
        return translate(cause, where=where, timeout_s=timeout_s, password=password)
    _log.warning("Unexpected ONVIF failure at %s: %s", where,
                 scrub(f"{type(exc).__name__}: {exc}", password))
    return OnvifError(f"The camera request failed unexpectedly ({type(exc).__name__}).")
