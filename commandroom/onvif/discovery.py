"""WS-Discovery: a SOAP-over-UDP Probe, multicast and/or unicast, and its ProbeMatches.

Written on the stdlib (plus lxml for the reply): the message is a fixed 1 KB template and
the maintained Python WS-Discovery package starts its own threads and multicast listeners,
which we do not want inside the façade's event loop.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import uuid
from urllib.parse import unquote, urlsplit

from commandroom.notices import define
from commandroom.onvif.errors import OnvifError, OnvifInputError
from commandroom.onvif.models import DiscoveredDevice
from commandroom.onvif.xmlparse import Element, kid, kids, parse_document, text

MULTICAST_GROUP = "239.255.255.250"
PORT = 3702
MAX_TARGETS = 1024

RANGE_TOO_LARGE = define("onvif.range_too_large",
                         "The range {range} is too large (at most {max} addresses).")
RANGE_BACKWARDS = define("onvif.range_backwards", "The range {range} ends before it starts.")
BAD_TARGET = define("onvif.bad_target",
                    "'{part}' is not an address, a range like 192.168.1.10-20, or a network "
                    "like 192.168.1.0/24.")
TOO_MANY_TARGETS = define("onvif.too_many_targets", "Too many addresses (at most {max}).")

PROBE_TEMPLATE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"'
    ' xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"'
    ' xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"'
    ' xmlns:dn="http://www.onvif.org/ver10/network/wsdl">'
    "<s:Header>"
    "<a:Action s:mustUnderstand=\"1\">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe"
    "</a:Action>"
    "<a:MessageID>{message_id}</a:MessageID>"
    "<a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
    "</a:Address></a:ReplyTo>"
    '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>'
    "</s:Header>"
    "<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body>"
    "</s:Envelope>"
)


def build_probe(message_id: str) -> bytes:
    return PROBE_TEMPLATE.format(message_id=message_id).encode("utf-8")


def parse_targets(typed: str) -> list[str]:
    """"192.168.1.10-20", "10.0.0.5-10.0.0.9", "192.168.1.0/28", "a, b c" → addresses."""
    found: list[str] = []
    for part in typed.replace(",", " ").split():
        try:
            if "/" in part:
                net = ipaddress.ip_network(part, strict=False)
                if net.num_addresses > MAX_TARGETS:
                    raise OnvifInputError(RANGE_TOO_LARGE, range=part, max=MAX_TARGETS)
                hosts = list(net.hosts()) or [net.network_address]
                found.extend(str(h) for h in hosts)
            elif "-" in part:
                start_s, end_s = part.split("-", 1)
                start = ipaddress.IPv4Address(start_s)
                end = (ipaddress.IPv4Address(end_s) if "." in end_s
                       else ipaddress.IPv4Address(f"{start_s.rsplit('.', 1)[0]}.{int(end_s)}"))
                if end < start:
                    raise OnvifInputError(RANGE_BACKWARDS, range=part)
                if int(end) - int(start) + 1 > MAX_TARGETS:
                    raise OnvifInputError(RANGE_TOO_LARGE, range=part, max=MAX_TARGETS)
                found.extend(str(ipaddress.IPv4Address(i)) for i in range(int(start),
                                                                           int(end) + 1))
            else:
                found.append(str(ipaddress.ip_address(part)))
        except (ValueError, ipaddress.AddressValueError) as exc:
            raise OnvifInputError(BAD_TARGET, part=part) from exc
    if len(found) > MAX_TARGETS:
        raise OnvifInputError(TOO_MANY_TARGETS, max=MAX_TARGETS)
    return list(dict.fromkeys(found))


def _scope_value(scopes: list[str], kind: str) -> str:
    for scope in scopes:
        path = urlsplit(scope).path if scope.startswith("onvif://") else ""
        prefix = f"/{kind}/"
        if path.lower().startswith(prefix):
            return unquote(path[len(prefix):]).strip()
    return ""


def parse_probe_matches(data: bytes, sender: str,
                        message_id: str | None = None) -> list[DiscoveredDevice]:
    """ProbeMatches → devices; an answer to someone else's probe gives none."""
    try:
        root = parse_document(data)
    except OnvifError:
        return []
    header, body = kid(root, "Header"), kid(root, "Body")
    if message_id is not None and text(header, "RelatesTo") not in (message_id, None):
        return []
    matches = kid(body, "ProbeMatches")
    found = []
    match: Element
    for match in kids(matches, "ProbeMatch") if matches is not None else []:
        scopes = (text(match, "Scopes") or "").split()
        xaddrs = tuple((text(match, "XAddrs") or "").split())
        found.append(DiscoveredDevice(
            address=sender, xaddrs=xaddrs, scopes=tuple(scopes),
            endpoint_reference=text(match, "EndpointReference", "Address") or "",
            name=_scope_value(scopes, "name"), hardware=_scope_value(scopes, "hardware"),
            location=_scope_value(scopes, "location")))
    return found


class _Collector(asyncio.DatagramProtocol):
    def __init__(self, message_id: str) -> None:
        self.message_id = message_id
        self.devices: dict[str, DiscoveredDevice] = {}

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        sender = str(addr[0])
        for device in parse_probe_matches(data, sender, self.message_id):
            key = device.endpoint_reference or " ".join(device.xaddrs) or sender
            self.devices.setdefault(key, device)


async def discover(targets: list[str], *, multicast: bool, wait_s: float = 2.0,
                   port: int = PORT, multicast_interface: str | None = None,
                   ) -> list[DiscoveredDevice]:
    """Probe ``targets`` (unicast) and/or the multicast group; collect for ``wait_s``.

    Always the whole ``wait_s``: an NVR or encoder answers for each channel in its own
    datagram from one address, so a first answer from an address says nothing about
    whether more are coming.
    """
    loopback_only = bool(targets) and not multicast and all(
        ipaddress.ip_address(t).is_loopback for t in targets)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    try:
        sock.setblocking(False)
        sock.bind(("127.0.0.1" if loopback_only else "0.0.0.0", 0))
        if multicast:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
            if multicast_interface:
                sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                                socket.inet_aton(multicast_interface))
    except OSError:
        sock.close()
        raise
    loop = asyncio.get_running_loop()
    message_id = f"urn:uuid:{uuid.uuid4()}"
    transport, protocol = await loop.create_datagram_endpoint(
        lambda: _Collector(message_id), sock=sock)
    try:
        probe = build_probe(message_id)
        for target in targets:
            transport.sendto(probe, (target, port))
            await asyncio.sleep(0)  # let answers in while probing a long range
        if multicast:
            transport.sendto(probe, (MULTICAST_GROUP, port))
        if targets or multicast:
            await asyncio.sleep(wait_s)  # answers arrive through the protocol meanwhile
    finally:
        transport.close()
    return sorted(protocol.devices.values(), key=lambda d: (d.address, d.xaddrs))


__all__ = ["build_probe", "discover", "parse_probe_matches", "parse_targets"]
