"""The protocol clients the Core gives the intake, imported when a camera first needs one.

Each client lives in its own module (ONVIF PullPoint, Hikvision ISAPI, Dahua, local
motion) and is imported only when a camera uses that source: a station without Dahua
cameras never loads the Dahua code, and a client module that fails to import costs its
cameras their events (reported as ``UNSUPPORTED``, retried with backoff), not the app.
"""

from __future__ import annotations

import importlib
from typing import Any

from commandroom.auth.permissions import SYSTEM
from commandroom.camera_events.intake import ClientFactory
from commandroom.camera_events.model import EventClient, EventEndpoint, EventSource
from commandroom.cameras.registry import CameraRegistry
from commandroom.video.hub import StreamHub

# source -> (module, class); each class takes the EventEndpoint as its one argument.
DEVICE_CLIENTS = {
    EventSource.ONVIF: ("commandroom.camera_events.onvif_pullpoint", "OnvifPullPointClient"),
    EventSource.ISAPI: ("commandroom.camera_events.isapi_stream", "IsapiAlertStreamClient"),
    EventSource.DAHUA: ("commandroom.camera_events.dahua_stream", "DahuaEventManagerClient"),
}
LOCAL_MOTION_CLIENT = ("commandroom.camera_events.local_motion", "LocalMotionClient")


def _load(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def device_client(source: EventSource) -> ClientFactory:
    module, name = DEVICE_CLIENTS[source]

    def make(endpoint: EventEndpoint) -> EventClient:
        client: EventClient = _load(module, name)(endpoint)
        return client

    return make


def local_motion_client(registry: CameraRegistry, hub: StreamHub) -> ClientFactory:
    """Local motion reads the camera's sub stream through the hub (shared with tiles)."""

    def make(endpoint: EventEndpoint) -> EventClient:
        camera = registry.directory.snapshot.by_id.get(endpoint.camera_id)
        if camera is None:
            raise LookupError(f"camera {endpoint.camera_id} is gone")
        spec = registry.stream_spec(SYSTEM, camera, main=False)
        client: EventClient = _load(*LOCAL_MOTION_CLIENT)(endpoint.camera_id, hub, spec)
        return client

    return make


def default_factories(registry: CameraRegistry, hub: StreamHub
                      ) -> dict[EventSource, ClientFactory]:
    factories = {source: device_client(source) for source in DEVICE_CLIENTS}
    factories[EventSource.LOCAL_MOTION] = local_motion_client(registry, hub)
    return factories
