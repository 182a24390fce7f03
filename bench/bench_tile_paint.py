"""What one tile paint costs the GUI thread: the app's VideoTile against a bare blit.

64 tiles (8 × 8 on a 3840×1080 window, as `bench_wall --mode grid64`) each get a new
frame, the pump's check and one paint, ``--frames`` times; the process's CPU time per
tile paint is printed for the app's ``VideoTile`` (live status, footer, clock, border,
margins) and for the reference measured in the same run: a widget whose paint is only
``QPainter`` + one ``drawImage`` of the same frame, the least a widget per tile costs.
No streams, no workers: this isolates the GUI thread's share, which at 64 tiles is what
a single Python thread must do 1,600 times a second.

    xvfb-run -s "-screen 0 3840x1080x24" .venv/bin/python -m bench.bench_tile_paint \
        --platform xcb --runs 3
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable

import numpy
import numpy.typing as npt
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

from commandroom.cameras.registry import Camera
from commandroom.video.frames import Frame
from commandroom.video.publish import fit_size
from tests.support.still_feed import StillFeed
from ui.video.tile import VideoTile

COLUMNS, ROWS = 8, 8
WINDOW = (3840, 1080)
SOURCE = (640, 360)


class _BareTile(QWidget):
    """The reference: one QPainter and one blit of the newest frame, nothing else."""

    def __init__(self, feed: StillFeed) -> None:
        super().__init__()
        self.feed = feed
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def paintEvent(self, event: QPaintEvent) -> None:
        frame = self.feed.frame
        if frame is None:
            return
        image = frame.image
        painter = QPainter(self)
        painter.drawImage(QPoint(0, 0), QImage(image.data, image.shape[1], image.shape[0],
                                               image.strides[0], QImage.Format.Format_RGB32))
        painter.end()


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measure(app: QApplication, make: Callable[[int, StillFeed], QWidget],
             repaint: Callable[[QWidget], bool], frames: int) -> tuple[float, str]:
    """CPU µs per tile paint over ``frames`` rounds of new frame, check and paint."""
    window = QWidget()
    window.resize(*WINDOW)
    layout = QGridLayout(window)
    layout.setSpacing(0)
    layout.setContentsMargins(0, 0, 0, 0)
    feeds = [StillFeed() for _ in range(COLUMNS * ROWS)]
    tiles = [make(i, feed) for i, feed in enumerate(feeds)]
    for i, tile in enumerate(tiles):
        layout.addWidget(tile, i // COLUMNS, i % COLUMNS)
    window.show()
    for _ in range(20):
        app.processEvents()
    ratio = tiles[0].devicePixelRatioF()
    box = (int(tiles[0].width() * ratio), int(tiles[0].height() * ratio))
    width, height = fit_size(SOURCE, box)
    rng = numpy.random.default_rng(18)
    image: npt.NDArray[numpy.uint8] = rng.integers(0, 255, (height, width, 4), numpy.uint8)

    def one_round() -> None:
        now = time.time()
        for feed in feeds:
            feed.frame = Frame(image, feed.seq + 1, now, SOURCE, "h264")
        for tile in tiles:
            if repaint(tile):
                tile.update()
        app.processEvents()

    for _ in range(30):  # first paints: overlays rendered, caches filled
        one_round()
    started = _cpu_s()
    for _ in range(frames):
        one_round()
    spent = _cpu_s() - started
    window.close()
    window.deleteLater()
    app.processEvents()
    return spent / frames / len(tiles) * 1e6, f"{box[0]}×{box[1]} tile, {width}×{height} frame"


def _video_tile(index: int, feed: StillFeed) -> QWidget:
    tile = VideoTile(index)
    tile.camera = Camera(index + 1, f"Junction camera {index + 1}", "demo://bench",
                         junction=f"X{index + 1} / Main road")
    tile.handle = feed  # type: ignore[assignment]  # what the tile reads of a handle
    return tile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--platform", default="", help="Qt platform (xcb under Xvfb)")
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    qt_argv = [sys.argv[0]] + (["-platform", args.platform] if args.platform else [])
    existing = QApplication.instance()  # the tests' (pytest-qt)
    app = existing if isinstance(existing, QApplication) else QApplication(qt_argv)
    for run in range(1, args.runs + 1):
        app_us, shape = _measure(app, _video_tile,
                                 lambda t: t.isVisible() and t.needs_repaint(),  # type: ignore[attr-defined]
                                 args.frames)
        bare_us, _ = _measure(app, lambda _i, feed: _BareTile(feed), lambda _t: True,
                              args.frames)
        print(f"run {run}: {COLUMNS * ROWS} tiles ({shape}): VideoTile {app_us:.0f} us "
              f"a paint, bare blit {bare_us:.0f} us: {app_us / bare_us:.2f}×", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
