"""From a registry camera to the stream spec the video engine opens."""

from __future__ import annotations

from commandroom.auth.permissions import Actor
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.video.source import StreamSpec


def stream_spec(registry: CameraRegistry, actor: Actor, camera: Camera, main: bool) -> StreamSpec:
    """Main stream for large tiles, sub stream (when the camera has one) for small ones."""
    url = camera.main_url if main or not camera.sub_url else camera.sub_url
    creds = registry.credentials(actor, camera)
    user, password = creds if creds else (None, None)
    return StreamSpec(url=url, user=user or None, password=password or None,
                      transport=camera.transport)
