"""Read back the wall-clock barcode that rtsp_server.py's /barcode mount draws into frames.

Layout (same constants as the server): 48 bits, most significant first, as 16 columns x 3
rows of square blocks filling the top third of a 640x360 picture (blocks are 40 px there);
white = 1, black = 0. Sampling block centres makes the reader independent of the size the
frame was scaled to, and big blocks survive H.264 compression.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

BITS = 48
COLUMNS = 16
ROWS = BITS // COLUMNS
# Block size as a fraction of the picture: 40/640 wide, 40/360 high.
BLOCK_W = 40 / 640
BLOCK_H = 40 / 360


def decode_ms(image: npt.NDArray[np.uint8]) -> int:
    """Milliseconds since the epoch written into ``image`` (H x W x C, any channel order).

    Uses the first channel only: the barcode is grey-scale, so B, G and R agree.
    """
    height, width = image.shape[:2]
    value = 0
    for row in range(ROWS):
        y = int((row + 0.5) * BLOCK_H * height)
        for col in range(COLUMNS):
            x = int((col + 0.5) * BLOCK_W * width)
            # Average a small patch at the centre: robust against ringing at block edges.
            patch = image[max(y - 1, 0) : y + 2, max(x - 1, 0) : x + 2, 0]
            value = (value << 1) | int(patch.mean() > 128)
    return value
