"""Discovered devices against the registry: "is this device already registered?", and
which host and port to offer the add-camera wizard for one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol
from urllib.parse import urlsplit

from commandroom.onvif.addresses import DEFAULT_PORT, parse_onvif_url
from commandroom.onvif.models import DiscoveredDevice


def url_host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


class RegisteredCamera(Protocol):
    """What matching needs of a registry camera (``commandroom.cameras.registry.Camera``).
    Named here, not imported: the camera registry builds ONVIF endpoints, so it sits
    above this package and ONVIF must not reach back up into it."""

    @property
    def name(self) -> str: ...
    @property
    def onvif_url(self) -> str: ...
    @property
    def main_url(self) -> str: ...
    @property
    def sub_url(self) -> str: ...


class RegisteredHosts:
    """Which registry camera, if any, a discovered device already is.

    A camera with an ONVIF address matches on host and port (several cameras may sit
    behind one address with port forwarding); one without matches on its stream host.
    """

    def __init__(self, cameras: Iterable[RegisteredCamera]) -> None:
        self._by_endpoint: dict[tuple[str, int], str] = {}
        self._by_host: dict[str, str] = {}
        for camera in cameras:
            where = parse_onvif_url(camera.onvif_url)
            if where is not None:
                self._by_endpoint.setdefault((where[0].lower(), where[1]), camera.name)
                continue
            for url in (camera.main_url, camera.sub_url):
                host = url_host(url)
                if host:
                    self._by_host.setdefault(host, camera.name)

    def match(self, device: DiscoveredDevice) -> str | None:
        for xaddr in device.xaddrs:
            where = parse_onvif_url(xaddr)
            if where is not None and (where[0].lower(), where[1]) in self._by_endpoint:
                return self._by_endpoint[(where[0].lower(), where[1])]
        return self._by_host.get(device.address.lower())


def endpoint_of_device(device: DiscoveredDevice) -> tuple[str, int]:
    """Host and port to offer the wizard for a discovered device (its first XAddr)."""
    for xaddr in device.xaddrs:
        where = parse_onvif_url(xaddr)
        if where is not None:
            return where
    return device.address, DEFAULT_PORT
