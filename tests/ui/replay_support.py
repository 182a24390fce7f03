"""Helpers for the replay UI tests and the replay UI benchmark: footage recorded into the
app's own recording system, and the barcode read back from the PAINTED tile.

Every picture of the footage carries the wall-clock time it was recorded at as a barcode
(tests/support/barcode.py); the live cameras are the test RTSP server's /barcode mounts,
which draw the same barcode. So what a tile shows is read from the pixels it painted,
never from the app's own label.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtGui import QImage

from commandroom.recording.recorder import RecordedCamera, Recorder, RecorderTuning
from commandroom.runtime import Core
from tests.support.barcode import decode_ms
from tests.support.barcode_feed import barcode_packets, record
from ui.video.tile import REPLAY_COLOUR, VideoTile

FRAME_MS = 40


def record_footage(core: Core, camera_ids: list[int], start: float, seconds: float) -> None:
    """``seconds`` of barcode footage from ``start`` (wall clock), recorded for each camera
    through the app's recording system (index + segment files), as if it had been live."""
    info, packets = barcode_packets(start, seconds)
    recording = core.recording
    for camera_id in camera_ids:
        recorder = Recorder(RecordedCamera(camera_id, f"camera {camera_id}"),
                            recording.parts.index, recording.root, recording.settings,
                            tuning=RecorderTuning(sync_fragments=False),
                            wall_clock=lambda: start + seconds).start()
        record(recorder, info, packets)
        recorder.close()


def painted_image(tile: VideoTile) -> np.ndarray:
    """The tile as it paints now (H x W x 4, BGRA)."""
    image = tile.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    return data.reshape(height, image.bytesPerLine() // 4, 4)[:, :width].copy()


def painted_stamp(tile: VideoTile) -> int:
    """Milliseconds written into the frame the tile painted (its barcode)."""
    pixels = painted_image(tile)
    rect = tile.painted_rect
    assert not rect.isEmpty(), "the tile painted no frame"
    return decode_ms(pixels[rect.top():rect.bottom() + 1, rect.left():rect.right() + 1])


def border_is_amber(tile: VideoTile) -> bool:
    pixels = painted_image(tile)
    b, g, r = (int(v) for v in pixels[pixels.shape[0] // 2, 2, :3])
    return (r, g, b) == (REPLAY_COLOUR.red(), REPLAY_COLOUR.green(), REPLAY_COLOUR.blue())


def shows_replay_frame(tile: VideoTile) -> bool:
    """The tile has painted a frame of its replay (not the live one it had before)."""
    return tile.replay is not None and tile.replay.slot.seq > 0 \
        and tile.painted_seq == tile.replay.slot.seq


def shows_live_frame(tile: VideoTile) -> bool:
    return tile.replay is None and tile.handle is not None and tile.handle.slot.seq > 0 \
        and tile.painted_seq == tile.handle.slot.seq


def now_ms() -> int:
    return round(time.time() * 1000)
