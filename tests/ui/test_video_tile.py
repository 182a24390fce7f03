"""VideoTile paints frames straight from the reader's (padded, strided) buffers."""

from __future__ import annotations

import numpy
from pytestqt.qtbot import QtBot

from commandroom.cameras.registry import Camera
from commandroom.video.frames import Frame
from tests.support.still_feed import StillFeed
from ui.video.tile import VideoTile

WIDTH, HEIGHT, STRIDE = 382, 214, 1536  # FFmpeg pads 382 * 4 = 1528 bytes to 1536


def _padded_frame() -> Frame:
    """Left half red, right half blue, in BGRA, as a view into a padded buffer."""
    buffer = numpy.full(STRIDE * HEIGHT, 0x77, numpy.uint8)  # padding bytes: grey junk
    image = buffer.reshape(HEIGHT, STRIDE)[:, : WIDTH * 4].reshape(HEIGHT, WIDTH, 4)
    image[:, : WIDTH // 2] = (0, 0, 255, 255)
    image[:, WIDTH // 2 :] = (255, 0, 0, 255)
    assert not image.flags.c_contiguous
    return Frame(image, 1, 1000.0, (640, 360), "h264", buffer)


def _tile_showing(qtbot: QtBot, frame: Frame, width: int, height: int) -> VideoTile:
    tile = VideoTile(0)
    qtbot.addWidget(tile)
    tile.camera = Camera(id=1, name="North gate", main_url="demo://north")
    tile.resize(width, height)
    tile.frozen_frame = frame
    return tile


def _rgb(tile: VideoTile, x: int, y: int) -> tuple[int, int, int]:
    colour = tile.grab().toImage().pixelColor(x, y)
    return colour.red(), colour.green(), colour.blue()


def test_a_strided_frame_is_painted_without_a_copy_and_without_its_padding(
    qtbot: QtBot,
) -> None:
    tile = _tile_showing(qtbot, _padded_frame(), WIDTH, HEIGHT)
    assert _rgb(tile, 40, 40) == (255, 0, 0)
    assert _rgb(tile, WIDTH - 40, 40) == (0, 0, 255)
    # The padding would show up as a grey shear if the stride were wrong.
    assert _rgb(tile, WIDTH // 2 - 3, HEIGHT // 2) == (255, 0, 0)
    assert _rgb(tile, WIDTH // 2 + 3, HEIGHT // 2) == (0, 0, 255)
    # The cached info bar is blended over the bottom of the picture (black at alpha 160).
    red, green, blue = _rgb(tile, WIDTH // 4, HEIGHT - 3)
    assert 70 < red < 120 and green < 10 and blue < 10


def test_a_frame_smaller_than_the_tile_is_centred_on_the_dark_background(
    qtbot: QtBot,
) -> None:
    tile = _tile_showing(qtbot, _padded_frame(), WIDTH + 100, HEIGHT + 60)
    assert _rgb(tile, 20, 10) == (0x0B, 0x0D, 0x10)  # margin: background
    assert _rgb(tile, 50 + 40, 30 + 40) == (255, 0, 0)  # the frame, 50 px in, 30 down
    assert _rgb(tile, WIDTH + 100 - 10, 30 + 40) == (0x0B, 0x0D, 0x10)  # right margin


def test_a_flash_borders_the_tile_for_a_moment(qtbot: QtBot) -> None:
    tile = _tile_showing(qtbot, _padded_frame(), WIDTH, HEIGHT)
    assert _rgb(tile, 6, 40) == (255, 0, 0)  # the picture up to the edge
    tile.flash(0.3)
    assert tile.flashing
    assert _rgb(tile, 6, 40) == (0xFF, 0xC0, 0x40)  # the amber border
    qtbot.waitUntil(lambda: not tile.flashing, timeout=2000)
    assert _rgb(tile, 6, 40) == (255, 0, 0)


def test_the_frame_is_one_pixel_grey_and_two_pixels_blue_when_selected(
    qtbot: QtBot,
) -> None:
    """The outline drawn over the picture: exactly the edge pixels, nothing inside."""
    tile = _tile_showing(qtbot, _padded_frame(), WIDTH, HEIGHT)
    grey, blue, red = (0x22, 0x26, 0x2C), (0x4A, 0x9E, 0xFF), (255, 0, 0)
    for x, y in ((0, 0), (WIDTH - 1, 0), (0, HEIGHT // 2), (WIDTH - 1, HEIGHT // 2),
                 (40, 0), (WIDTH - 1, 40)):
        assert _rgb(tile, x, y) == grey, (x, y)
    assert _rgb(tile, 1, 40) == red and _rgb(tile, 40, 1) == red
    tile.set_selected(True)
    for x, y in ((0, 40), (1, 40), (40, 0), (40, 1), (WIDTH - 1, 40), (WIDTH - 2, 40)):
        assert _rgb(tile, x, y) == blue, (x, y)
    assert _rgb(tile, 2, 40) == red and _rgb(tile, 40, 2) == red
    assert _rgb(tile, 40, HEIGHT - 1) == blue and _rgb(tile, 40, HEIGHT - 2) == blue


def test_the_clock_ticks_without_rendering_the_overlay_again(qtbot: QtBot) -> None:
    """At 64 tiles, re-laying out every tile's footer each second took a third of the GUI
    thread (issue 18): the clock is drawn from a shared image, the rest stays cached."""
    first = _padded_frame()
    tile = _tile_showing(qtbot, first, WIDTH, HEIGHT)
    shots = []
    for second in (0, 1, 11):
        tile.frozen_frame = Frame(first.image, 1, 1000.0 + second, (640, 360), "h264",
                                  first.buffer)
        shots.append(tile.grab().toImage())
    assert tile.overlay_renders == 1
    footer_top = HEIGHT - 24
    changed = [
        [x for x in range(WIDTH) for y in range(footer_top, HEIGHT)
         if shot.pixel(x, y) != shots[0].pixel(x, y)]
        for shot in shots[1:]
    ]
    # Only the clock's digits changed, at the footer's right end; the picture above and
    # the name on the left did not.
    assert changed[0] and changed[1]
    assert min(changed[0] + changed[1]) > WIDTH // 2
    assert all(shot.copy(0, 0, WIDTH, footer_top) == shots[0].copy(0, 0, WIDTH, footer_top)
               for shot in shots)


def test_a_resize_moves_the_picture_and_its_margins(qtbot: QtBot) -> None:
    """Where the frame and the margins go is worked out once per size: a resize (the
    reader not yet caught up) must not paint at the old place."""
    tile = _tile_showing(qtbot, _padded_frame(), WIDTH, HEIGHT)
    assert _rgb(tile, 20, 10) == (255, 0, 0) and tile.painted_rect.topLeft().x() == 0
    tile.resize(WIDTH + 100, HEIGHT + 60)
    assert _rgb(tile, 20, 10) == (0x0B, 0x0D, 0x10)
    assert _rgb(tile, 50 + 40, 30 + 40) == (255, 0, 0)
    assert (tile.painted_rect.x(), tile.painted_rect.y()) == (50, 30)
    tile.resize(WIDTH // 2, HEIGHT // 2)  # smaller than the frame: scaled into the tile
    assert _rgb(tile, 20, 20) == (255, 0, 0) and _rgb(tile, WIDTH // 2 - 20, 20) == (0, 0, 255)
    assert tile.painted_rect.width() <= WIDTH // 2


def test_what_the_overlay_shows_follows_status_camera_and_recording_note(
    qtbot: QtBot,
) -> None:
    """A live tile skips working out its overlay while nothing it shows has changed; each
    of these changes must still reach the screen."""
    from commandroom.video.state import OfflineReason, StreamState, StreamStatus

    tile = _tile_showing(qtbot, _padded_frame(), WIDTH, HEIGHT)
    feed = StillFeed(_padded_frame())
    tile.frozen_frame = None
    tile.handle = feed  # type: ignore[assignment]
    tile.grab()
    assert tile.shown_badge != "" and tile.overlay_renders == 1
    tile.grab()
    assert tile.overlay_renders == 1  # same status, same camera: the cached overlay
    feed.state = StreamStatus(StreamState.RECONNECTING, OfflineReason.UNREACHABLE, "gone")
    tile.grab()
    assert tile.shown_badge == "" and tile.overlay_renders == 2
    feed.state = StreamStatus(StreamState.LIVE)  # equal to the first, a new object
    tile.grab()
    renders = tile.overlay_renders
    tile.camera = Camera(id=1, name="South gate", main_url="demo://north")
    before = tile.grab().toImage()
    assert tile.overlay_renders == renders + 1
    tile.recording_note = "REC ✕ disk full"
    after = tile.grab().toImage()
    assert tile.overlay_renders == renders + 2
    assert before.copy(0, HEIGHT - 24, WIDTH, 24) != after.copy(0, HEIGHT - 24, WIDTH, 24)
