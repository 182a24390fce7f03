"""Which base URL the acknowledgement links in messages may use, if any.

A link is only worth sending if a team member's phone can open it: an address that is
loopback (127.0.0.1, localhost), unspecified (0.0.0.0) or link-local means the phone
itself or nothing at all, and a plain-http page would carry a signed token in clear over
the mobile network. Without a usable base the messages carry no link and ask the team
to acknowledge by phone to the command room; the console warns the administrator.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from commandroom.config import AlertSettings


class AckLinkProblem(StrEnum):
    """Why messages go out without a link (the UI turns these into sentences)."""

    NOT_CONFIGURED = "not_configured"  # no public URL, and the endpoint is not reachable
    NOT_HTTPS = "not_https"  # ack_public_url is http://
    NOT_REACHABLE = "not_reachable"  # ack_public_url names loopback/unspecified/link-local
    MALFORMED = "malformed"  # ack_public_url is not an http(s) URL with a host
    ENDPOINT_DOWN = "endpoint_down"  # the endpoint could not listen (port taken)


@dataclass(frozen=True)
class AckLinkBase:
    url: str  # "" when messages must not carry a link
    problem: AckLinkProblem | None = None

    @property
    def usable(self) -> bool:
        return bool(self.url)


def unreachable_from_phones(host: str) -> bool:
    """True for a host a phone on the mobile network can never reach as this station."""
    host = host.strip().strip("[]").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: the administrator's DNS knows best
    return address.is_loopback or address.is_unspecified or address.is_link_local


def choose_ack_base(settings: AlertSettings, endpoint_running: bool, endpoint_tls: bool,
                    endpoint_port: int) -> AckLinkBase:
    """The base URL for ack links, or none and why.

    ``ack_public_url`` wins when set (a reverse proxy); it must be https and name a host
    phones can reach. Without it, an endpoint serving HTTPS itself on a reachable bind
    address is used as it is.
    """
    if not endpoint_running:
        return AckLinkBase("", AckLinkProblem.ENDPOINT_DOWN)
    public = settings.ack_public_url.strip()
    if public:
        try:
            parts = urlsplit(public)
            host = parts.hostname or ""
        except ValueError:
            return AckLinkBase("", AckLinkProblem.MALFORMED)
        if parts.scheme not in ("http", "https") or not host:
            return AckLinkBase("", AckLinkProblem.MALFORMED)
        if unreachable_from_phones(host):
            return AckLinkBase("", AckLinkProblem.NOT_REACHABLE)
        if parts.scheme != "https":
            return AckLinkBase("", AckLinkProblem.NOT_HTTPS)
        return AckLinkBase(public.rstrip("/"))
    if endpoint_tls and not unreachable_from_phones(settings.ack_bind):
        host = settings.ack_bind
        if ":" in host:  # an IPv6 literal goes in brackets
            host = f"[{host}]"
        return AckLinkBase(f"https://{host}:{endpoint_port}")
    return AckLinkBase("", AckLinkProblem.NOT_CONFIGURED)
