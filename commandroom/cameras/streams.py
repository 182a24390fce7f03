"""From a registry camera to the stream spec the video engine opens.

The one way the video layer gets a camera's credentials: inside the ``StreamSpec`` it
opens (its ``repr`` masks the password). ``CameraRegistry.credentials`` itself is for
administrators only.
"""

from __future__ import annotations

from commandroom.auth.permissions import Actor
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.video.stream_spec import StreamSpec


def stream_spec(registry: CameraRegistry, actor: Actor, camera: Camera, main: bool) -> StreamSpec:
    """Main stream for large tiles, sub stream (when the camera has one) for small ones."""
    return registry.stream_spec(actor, camera, main)
