"""Sending one SOAP request: envelope, WS-Security signature, HTTP (Digest) and timeouts.

onvif-zeep-async 4.3 ships no Media2 WSDL and parses replies with zeep's schema types,
which vendor replies break (see xmlparse). So data calls are sent here: our envelope,
signed by the library's own clock-offset UsernameToken (``UsernameDigestTokenDtDiff``),
over an aiohttp session that answers HTTP Digest challenges (the library only does that
for snapshots) and gives up after a few seconds (the library's defaults are 30-90 s).
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

import aiohttp
from lxml import etree
from onvif.client import UsernameDigestTokenDtDiff
from onvif.util import create_no_verify_ssl_context

from commandroom.onvif.errors import (
    AUTH_MESSAGE,
    HTTP_ERROR_OP,
    OnvifAuthError,
    OnvifProtocolError,
)
from commandroom.onvif.xmlparse import Element, response_payload

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
NAMESPACES = {
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tr2": "http://www.onvif.org/ver20/media/wsdl",
    "tptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
    # Profile G: search, replay and recording services; tns1 for recording-history topics.
    "tse": "http://www.onvif.org/ver10/search/wsdl",
    "trp": "http://www.onvif.org/ver10/replay/wsdl",
    "trc": "http://www.onvif.org/ver10/recording/wsdl",
    "tns1": "http://www.onvif.org/ver10/topics",
    # Events: the PullPoint operations (tev) and the subscription manager's (wsnt).
    "tev": "http://www.onvif.org/ver10/events/wsdl",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
}
_DECLS = " ".join(f'xmlns:{p}="{u}"' for p, u in NAMESPACES.items())


def x(value: object) -> str:
    """Escape a value for element text (profile tokens and preset names are free text)."""
    return escape(str(value), {'"': "&quot;"})


def new_session(user: str | None, password: str | None, timeout_s: float) -> aiohttp.ClientSession:
    """A session that never waits longer than ``timeout_s`` and answers Digest challenges."""
    middlewares: tuple[aiohttp.DigestAuthMiddleware, ...] = ()
    if user and password is not None and ":" not in user:
        middlewares = (aiohttp.DigestAuthMiddleware(user, password),)
    connector = aiohttp.TCPConnector(ssl=create_no_verify_ssl_context())
    timeout = aiohttp.ClientTimeout(total=timeout_s, connect=timeout_s, sock_read=timeout_s)
    return aiohttp.ClientSession(connector=connector, timeout=timeout, middlewares=middlewares)


def build_envelope(body_xml: str, user: str | None, password: str | None,
                   clock_offset: dt.timedelta | None, header_xml: str = "") -> bytes:
    """``header_xml``: more SOAP headers, e.g. the WS-Addressing ones a subscription
    manager needs to know which subscription a request is for (see camera_events)."""
    root = etree.fromstring(
        f'<s:Envelope xmlns:s="{SOAP12}" {_DECLS}><s:Header>{header_xml}</s:Header>'
        f"<s:Body>{body_xml}</s:Body></s:Envelope>")
    if user:
        token = UsernameDigestTokenDtDiff(user, password, dt_diff=clock_offset, use_digest=True)
        token.apply(root, {})
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


async def call(session: aiohttp.ClientSession, address: str, namespace_prefix: str,
               operation: str, inner_xml: str, *, user: str | None, password: str | None,
               clock_offset: dt.timedelta | None, header_xml: str = "") -> Element:
    """POST ``<pfx:operation>inner</pfx:operation>``; returns the ``operationResponse`` element.

    Faults, 401s and unreadable replies raise OnvifError subclasses; timeouts and
    connection errors propagate as aiohttp/asyncio errors for ``errors.translate``.
    """
    body = f"<{namespace_prefix}:{operation}>{inner_xml}</{namespace_prefix}:{operation}>"
    data = build_envelope(body, user, password, clock_offset, header_xml)
    action = f"{NAMESPACES[namespace_prefix]}/{operation}"
    headers = {"Content-Type": f'application/soap+xml; charset=utf-8; action="{action}"'}
    async with session.post(address, data=data, headers=headers) as response:
        content = await response.read()
        status = response.status
    if status == 401:
        raise OnvifAuthError(AUTH_MESSAGE)
    if status >= 400 and b"Envelope" not in content:
        raise OnvifProtocolError(HTTP_ERROR_OP, operation=operation, status=str(status))
    return response_payload(content, f"{operation}Response", password)
