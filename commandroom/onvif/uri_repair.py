"""Make the addresses a camera reports usable from here, and say what was changed.

Cameras report addresses as they see themselves: 127.0.0.1, a LAN address behind NAT,
"host:8106:8106", a URI with CR/LF inside, two space-separated XAddrs. We rewrite the
host to the one the officer typed only when the reported one cannot be reached from
here, and every change comes back as a notice the UI shows next to the URI.

A reported host that is reachable but is not the device that answered (192.0.2.10 while
the camera answered at 10.1.2.3: a forwarding rule, a copy-pasted configuration, or a
device that sends viewers elsewhere) is kept, with a warning and the same URI pointed at
the device (``StreamUri.on_device_host``) for the officer to choose. Opening it unasked
would send the camera's password to that other host.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

from onvif.util import normalize_url

from commandroom.notices import Notice, define, notice
from commandroom.onvif.models import StreamUri
from commandroom.redact import redact_url

WHAT = {"stream": define("onvif.what.stream", "stream"),
        "snapshot": define("onvif.what.snapshot", "snapshot"),
        "service": define("onvif.what.service", "service")}
LINE_BREAKS = define("onvif.uri_line_breaks",
                     "The camera's {what} address contained line breaks; they were removed.")
SEVERAL = define("onvif.uri_several",
                 "The camera reported {count} {what} addresses; using {uri}.")
PORT_REPEATED = define("onvif.uri_port_repeated",
                       "The camera's {what} address repeated its port; the repeat was removed.")
UNREADABLE = define("onvif.uri_unreadable", "The camera's {what} address could not be read.")
REWRITTEN = define("onvif.uri_rewritten",
                   "The camera reported its {what} address at {host}, which {reason}; "
                   "using {officer_host} (the address you entered) instead.")
OTHER_HOST = define("onvif.uri_other_host",
                    "The camera's {what} address points at {host}, not at {device_host} where "
                    "the camera answered; check it, or use the camera's address.")
REASON_LOOPBACK = define("onvif.reason_loopback", "is the camera's own loopback address")
REASON_UNSPECIFIED = define("onvif.reason_unspecified", "is not a real address")
REASON_NAT = define("onvif.reason_nat",
                    "is a private address behind NAT that this computer cannot reach")

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


def _same_host(a: str, b: str) -> bool:
    ip_a, ip_b = _ip(a), _ip(b)
    if ip_a is not None and ip_b is not None:
        return ip_a == ip_b
    return a.strip("[]").lower() == b.strip("[]").lower()


def unreachable_reason(reported_host: str, officer_host: str) -> str | None:
    """Why ``reported_host`` cannot be reached when the officer reached ``officer_host``
    (a notice code), or None."""
    if not reported_host or _same_host(reported_host, officer_host):
        return None
    reported = _ip(reported_host)
    if reported_host.lower() == "localhost" or (reported and reported.is_loopback):
        return REASON_LOOPBACK
    if reported is None:
        return None  # a host name: trust the camera's DNS view
    if reported.is_unspecified:
        return REASON_UNSPECIFIED
    block = _block(reported)
    if block is None:
        return None  # a public address: reachable as far as we can tell
    officer = _ip(officer_host)
    if officer is not None and not officer.is_loopback and _block(officer) is block:
        return None  # same private network as the address the officer used
    return REASON_NAT


def _netloc(host: str, port: int | None, userinfo: str) -> str:
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    hostport = f"{host}:{port}" if port else host
    return f"{userinfo}@{hostport}" if userinfo else hostport


def uri_host(uri: str) -> str:
    try:
        return urlsplit(uri.strip()).hostname or ""
    except ValueError:
        return ""


def point_at_host(uri: str, host: str) -> str:
    """``uri`` with its host replaced by ``host`` (user info, port and path kept)."""
    parts = urlsplit(uri.strip())
    userinfo = parts.netloc.rpartition("@")[0]
    try:
        port = parts.port
    except ValueError:
        port = None
    return urlunsplit(parts._replace(netloc=_netloc(host, port, userinfo)))


def other_host_warning(uri: str, device_host: str, *, what: str = "stream") -> Notice | None:
    """A warning when ``uri`` names a host other than the device that answered."""
    host = uri_host(uri)
    if not host or not device_host or _same_host(host, device_host):
        return None
    return notice(OTHER_HOST, what=notice(WHAT[what]), host=host, device_host=device_host)


def repair_uri(raw: str, officer_host: str, *, what: str = "stream",
               officer_port: int | None = None) -> StreamUri:
    """Clean ``raw`` and point it at ``officer_host`` when the reported host is unreachable.

    ``officer_port`` replaces the port as well (for SOAP XAddrs behind a single port
    forward); RTSP/snapshot URIs keep their own port. A stream or snapshot URI on a
    reachable host that is not ``officer_host`` is kept, with a warning and
    ``on_device_host`` filled in.
    """
    warnings: list[Notice] = []
    kind = notice(WHAT[what])
    reported = raw
    uri = raw.strip()
    if "\r" in uri or "\n" in uri:
        uri = "".join(uri.split("\r")).replace("\n", "").strip()
        warnings.append(notice(LINE_BREAKS, what=kind))
    candidates = uri.split()
    if len(candidates) > 1:
        officer = [c for c in candidates if _same_host(uri_host(c), officer_host)]
        uri = (officer or candidates)[0]
        warnings.append(notice(SEVERAL, count=len(candidates), what=kind, uri=redact_url(uri)))
    fixed = normalize_url(uri) or uri  # the library's fix for "host:8106:8106"
    if fixed != uri:
        warnings.append(notice(PORT_REPEATED, what=kind))
        uri = fixed
    try:
        parts = urlsplit(uri)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        warnings.append(notice(UNREADABLE, what=kind))
        return StreamUri(uri=uri, reported=reported, warnings=tuple(warnings))
    reason = unreachable_reason(host, officer_host)
    if reason:
        userinfo = parts.netloc.rpartition("@")[0]
        new_port = officer_port if officer_port is not None else port
        uri = urlunsplit(parts._replace(netloc=_netloc(officer_host, new_port, userinfo)))
        warnings.append(notice(REWRITTEN, what=kind, host=host, reason=notice(reason),
                               officer_host=officer_host))
        return StreamUri(uri=uri, reported=reported, warnings=tuple(warnings))
    # Service addresses on another host are the camera's routing (kept as before); what
    # the officer will play or fetch with the camera's password is checked.
    elsewhere = other_host_warning(uri, officer_host, what=what) if what != "service" else None
    if elsewhere is None:
        return StreamUri(uri=uri, reported=reported, warnings=tuple(warnings))
    return StreamUri(uri=uri, reported=reported, warnings=(*warnings, elsewhere),
                     on_device_host=point_at_host(uri, officer_host))
