"""The snapshot as a robot may carry it: a JPEG or PNG of at most ``max_bytes``.

A full-resolution frame from a 4K camera can pass WeCom's 2 MB: it is scaled down
(and re-encoded as JPEG) until it fits, rather than refused. The evidence file itself
is never touched; the teams get a smaller copy, its SHA-256 in the text still names
the original.
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

log = logging.getLogger(__name__)

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_QUALITY = 85
_MIN_SIDE = 160  # smaller than this the picture no longer helps anyone


def image_kind(data: bytes) -> str:
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if data.startswith(PNG_MAGIC):
        return "png"
    return ""


def fit_image(data: bytes, max_bytes: int) -> bytes | None:
    """``data`` if it is a JPEG/PNG within ``max_bytes``; else a scaled-down JPEG that
    is; None if the picture cannot be read or not made small enough."""
    if image_kind(data) and len(data) <= max_bytes:
        return data
    picture = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if picture is None:
        log.warning("snapshot is not a picture OpenCV can read; not sent to the robot")
        return None
    height, width = picture.shape[:2]
    scale = 1.0  # a PNG often fits as a JPEG of the same size already
    while min(height, width) * scale >= _MIN_SIDE:
        size = (max(1, int(width * scale)), max(1, int(height * scale)))
        smaller = cv2.resize(picture, size, interpolation=cv2.INTER_AREA) if scale < 1 else picture
        ok, encoded = cv2.imencode(".jpg", smaller, [cv2.IMWRITE_JPEG_QUALITY, _QUALITY])
        if not ok:
            return None
        if len(encoded) <= max_bytes:
            log.info("snapshot %dx%d (%d bytes) sent as %dx%d JPEG (%d bytes)",
                     width, height, len(data), size[0], size[1], len(encoded))
            return bytes(encoded.tobytes())
        # JPEG size grows about with the pixel count: scale the sides by the root of
        # the excess, a little more to land below the limit, at least by 10 %.
        scale *= min(0.9, (max_bytes / len(encoded)) ** 0.5 * 0.95)
    return None
