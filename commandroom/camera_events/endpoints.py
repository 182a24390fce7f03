"""Which event connections the registry's cameras want, and how each is reached.

A camera's ``event_url`` says where its events are (scheme://host:port, or for ONVIF
the device service URL); empty, it is derived: ONVIF uses the camera's ONVIF address;
ISAPI and Dahua the host (and port) of that ONVIF address, else the host of the main
stream over http (the RTSP port is not the web port). Local motion watches the sub
stream (the main one when there is none). Credentials come from the registry's secret
store, like the stream's: never in a URL, never logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from commandroom.camera_events.model import EventEndpoint, EventSource
from commandroom.cameras.directory import Snapshot
from commandroom.cameras.registry import Camera


def event_sources(camera: Camera) -> list[EventSource]:
    """The camera's event connections: its device's source, and local motion if on."""
    sources: list[EventSource] = []
    try:
        source = EventSource(camera.event_source)
    except ValueError:
        source = EventSource.NONE
    if source is not EventSource.NONE:
        sources.append(source)
    if camera.motion_detection and EventSource.LOCAL_MOTION not in sources:
        sources.append(EventSource.LOCAL_MOTION)
    return sources


def base_url(camera: Camera, source: EventSource) -> str:
    if source is EventSource.LOCAL_MOTION:
        return camera.sub_url or camera.main_url
    if camera.event_url:
        return camera.event_url
    if source is EventSource.ONVIF:
        return camera.onvif_url
    for url, keep_port in ((camera.onvif_url, True), (camera.main_url, False)):
        parts = urlsplit(url)
        if parts.hostname:
            host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
            port = f":{parts.port}" if keep_port and parts.port else ""
            scheme = parts.scheme if parts.scheme in ("http", "https") else "http"
            return f"{scheme}://{host}{port}"
    return ""


def wanted_endpoints(snapshot: Snapshot, factories: Mapping[EventSource, object]
                     ) -> dict[tuple[int, EventSource], EventEndpoint]:
    """Every enabled camera's event connections that have an address and a client."""
    wanted: dict[tuple[int, EventSource], EventEndpoint] = {}
    for camera in snapshot.cameras:
        if camera.id is None or not camera.enabled:
            continue
        user, password = snapshot.credentials.get(camera.credential_ref, ("", "")) \
            if camera.credential_ref else ("", "")
        for source in event_sources(camera):
            url = base_url(camera, source)
            if not url or source not in factories:
                continue
            wanted[(camera.id, source)] = EventEndpoint(
                camera_id=camera.id, source=source, base_url=url, username=user,
                password=password, channel=max(1, camera.event_channel))
    return wanted
