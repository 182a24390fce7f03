"""SOAP reply reading by local name, robust to whatever prefixes a vendor chooses.

Why local names (lxml) and not zeep's typed deserialisation: recorded cameras use every
prefix under the sun (``trt2:``, ``SOAP-ENV:``, ``env:``), vendor namespaces (hikwsd,
tnshik), undeclared prefixes (``ter:``, ``wsrf-rw:``) and elements in the wrong namespace
(Media2 replies with ``tr2:Name`` instead of ``tt:Name``, GetServices entries carrying
another service's capabilities). Matching on the local name survives all of these;
a schema-driven parser rejects or silently drops them. The parser runs with ``recover``
so an undeclared prefix becomes part of the tag instead of an error, and never resolves
entities or fetches anything from the network.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree
from lxml.etree import _Element as Element

from commandroom.onvif.errors import (
    ACTION_NOT_SUPPORTED,
    AUTH_MESSAGE,
    EMPTY_REPLY,
    EMPTY_RESPONSE,
    INVALID_XML,
    NO_BODY,
    NOT_IMPLEMENTED,
    REFUSED,
    WRONG_RESPONSE,
    OnvifAuthError,
    OnvifFaultError,
    OnvifProtocolError,
    camera_reason,
    looks_like_auth_fault,
    scrub,
)

__all__ = [
    "Element",
    "attr_number",
    "fault_error",
    "find_body",
    "kid",
    "kids",
    "local",
    "number",
    "parse_document",
    "response_payload",
    "text",
]

_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                          remove_comments=True, huge_tree=False)


def local(el: Element) -> str:
    """Local name of an element; ``{ns}Name``, ``pfx:Name`` (undeclared) and ``Name`` alike."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].rpartition(":")[2]


def kids(el: Element, name: str) -> Iterator[Element]:
    """Direct children with local name ``name``."""
    return (c for c in el if local(c) == name)


def kid(el: Element | None, *path: str) -> Element | None:
    """First descendant following ``path`` of direct-child local names, or None."""
    for name in path:
        if el is None:
            return None
        el = next(kids(el, name), None)
    return el


def text(el: Element | None, *path: str) -> str | None:
    """Stripped text at ``path`` below ``el``; None when missing or empty."""
    found = kid(el, *path)
    if found is None or found.text is None:
        return None
    value = found.text.strip()
    return value or None


def number(el: Element | None, *path: str) -> float | None:
    value = text(el, *path)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def attr_number(el: Element | None, name: str) -> float | None:
    if el is None:
        return None
    for key, value in el.attrib.items():
        if str(key).rpartition("}")[2] == name:
            try:
                return float(value)
            except ValueError:
                return None
    return None


def parse_document(data: bytes) -> Element:
    if not data or not data.strip():
        raise OnvifProtocolError(EMPTY_REPLY)
    try:
        root: Element | None = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise OnvifProtocolError(INVALID_XML) from exc
    if root is None:
        raise OnvifProtocolError(INVALID_XML)
    return root


def fault_error(fault: Element, password: str | None = None) -> OnvifAuthError | OnvifFaultError:
    """Make the caller's error from a SOAP 1.1 or 1.2 Fault element."""
    codes = [c.text.strip() for c in fault.iter() if isinstance(c.tag, str)
             and local(c) in ("Value", "faultcode") and c.text]
    reason = (text(fault, "Reason", "Text") or text(fault, "faultstring")
              or text(fault, "Detail", "Text") or "")
    reason = scrub(reason, password).rstrip(".")
    if looks_like_auth_fault(" ".join(codes), reason):
        return OnvifAuthError(AUTH_MESSAGE)
    if any(c.rpartition(":")[2] in ("ActionNotSupported", "ActionNotImplemented") for c in codes):
        return OnvifFaultError(NOT_IMPLEMENTED,
                               reason=camera_reason(reason, ACTION_NOT_SUPPORTED))
    return OnvifFaultError(REFUSED, reason=camera_reason(reason))


def find_body(root: Element) -> Element | None:
    """The SOAP Body, wherever a broken header left it (lxml's recovery may nest it)."""
    return next((e for e in root.iter() if isinstance(e.tag, str) and local(e) == "Body"), None)


def response_payload(data: bytes, expected: str, password: str | None = None) -> Element:
    """The Body's response element named ``expected``; a Fault raises our error."""
    body = find_body(parse_document(data))
    if body is None:
        raise OnvifProtocolError(NO_BODY)
    payload = next((c for c in body if isinstance(c.tag, str)), None)
    if payload is None:
        raise OnvifProtocolError(EMPTY_RESPONSE, expected=expected)
    if local(payload) == "Fault":
        raise fault_error(payload, password)
    if local(payload) != expected:
        raise OnvifProtocolError(WRONG_RESPONSE, got=local(payload), expected=expected)
    return payload
