"""Make the addresses a camera reports usable from here, and say what was changed.

Cameras report addresses as they see themselves: 127.0.0.1, a LAN address behind NAT,
"host:8106:8106", a URI with CR/LF inside, two space-separated XAddrs. We rewrite the
host to the one the officer typed only when the reported one cannot be reached from
here, and every change comes back as a sentence the UI shows next to the URI.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

from onvif.util import normalize_url

from commandroom.onvif.models import StreamUri
from commandroom.redact import redact_url

# RFC 1918 / unique-local / link-local blocks. Two addresses in the same block are assumed
# to be on the same private network (reachable); anything else is not.
_PRIVATE_BLOCKS = [ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10",
    "fc00::/7", "fe80::/10")]


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _block(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> object | None:
    return next((b for b in _PRIVATE_BLOCKS if addr in b), None)


def unreachable_reason(reported_host: str, officer_host: str) -> str | None:
    """Why ``reported_host`` cannot be reached when the officer reached ``officer_host``."""
    if not reported_host or reported_host.lower() == officer_host.lower():
        return None
    reported = _ip(reported_host)
    if reported_host.lower() == "localhost" or (reported and reported.is_loopback):
        return "is the camera's own loopback address"
    if reported is None:
        return None  # a host name: trust the camera's DNS view
    if reported.is_unspecified:
        return "is not a real address"
    block = _block(reported)
    if block is None:
        return None  # a public address: reachable as far as we can tell
    officer = _ip(officer_host)
    if officer is not None and not officer.is_loopback and _block(officer) is block:
        return None  # same private network as the address the officer used
    return "is a private address behind NAT that this computer cannot reach"


def _netloc(host: str, port: int | None, userinfo: str) -> str:
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    hostport = f"{host}:{port}" if port else host
    return f"{userinfo}@{hostport}" if userinfo else hostport


def repair_uri(raw: str, officer_host: str, *, what: str = "stream",
               officer_port: int | None = None) -> StreamUri:
    """Clean ``raw`` and point it at ``officer_host`` when the reported host is unreachable.

    ``officer_port`` replaces the port as well (for SOAP XAddrs behind a single port
    forward); RTSP/snapshot URIs keep their own port.
    """
    warnings: list[str] = []
    reported = raw
    uri = raw.strip()
    if "\r" in uri or "\n" in uri:
        uri = "".join(uri.split("\r")).replace("\n", "").strip()
        warnings.append(f"The camera's {what} address contained line breaks; they were removed.")
    candidates = uri.split()
    if len(candidates) > 1:
        officer = [c for c in candidates if (urlsplit(c).hostname or "") == officer_host]
        uri = (officer or candidates)[0]
        warnings.append(
            f"The camera reported {len(candidates)} {what} addresses; using {redact_url(uri)}.")
    fixed = normalize_url(uri) or uri  # the library's fix for "host:8106:8106"
    if fixed != uri:
        warnings.append(f"The camera's {what} address repeated its port; the repeat was removed.")
        uri = fixed
    try:
        parts = urlsplit(uri)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        warnings.append(f"The camera's {what} address could not be read.")
        return StreamUri(uri=uri, reported=reported, warnings=tuple(warnings))
    reason = unreachable_reason(host, officer_host)
    if reason:
        userinfo = parts.netloc.rpartition("@")[0]
        new_port = officer_port if officer_port is not None else port
        uri = urlunsplit(parts._replace(netloc=_netloc(officer_host, new_port, userinfo)))
        warnings.append(
            f"The camera reported its {what} address at {host}, which {reason}; "
            f"using {officer_host} (the address you entered) instead.")
    return StreamUri(uri=uri, reported=reported, warnings=tuple(warnings))
