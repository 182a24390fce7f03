"""The snapshot made to fit WeCom's 2 MB: kept when it fits, else a smaller JPEG."""

from __future__ import annotations

import cv2
import numpy as np

from commandroom.alerts.channels.robot_image import fit_image, image_kind


def _png(width: int, height: int) -> bytes:
    noise = np.random.default_rng(3).integers(0, 255, (height, width, 3), dtype=np.uint8)
    ok, data = cv2.imencode(".png", noise)
    assert ok
    return bytes(data.tobytes())


def test_a_picture_within_the_limit_is_sent_as_it_is() -> None:
    small = _png(64, 48)
    assert fit_image(small, 2 * 1024 * 1024) is small


def test_a_large_png_becomes_a_jpeg_within_the_limit_with_its_proportions() -> None:
    big = _png(1600, 1200)
    limit = 300_000
    assert len(big) > limit
    fitted = fit_image(big, limit)
    assert fitted is not None and len(fitted) <= limit and image_kind(fitted) == "jpeg"
    picture = cv2.imdecode(np.frombuffer(fitted, np.uint8), cv2.IMREAD_COLOR)
    height, width = picture.shape[:2]
    assert abs(width / height - 4 / 3) < 0.01 and width >= 160


def test_what_is_not_a_picture_gives_none() -> None:
    assert fit_image(b"not an image at all", 10) is None
