"""Child process of the GPU path tests: renders frames through the GL surface and the CPU
path on a real X server (Xvfb, Mesa llvmpipe) and prints what it measured as JSON.

Usage: python -m tests.support.gl_render_check CLIP  (DISPLAY set, QT_QPA_PLATFORM=xcb)
The offscreen platform of the test process has no OpenGL, hence a child process.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable

import av
import numpy
from av.video.reformatter import ColorRange, Colorspace
from PySide6.QtCore import QCoreApplication, QRect
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from commandroom.cameras.layouts import LayoutState
from commandroom.cameras.registry import Camera
from commandroom.video.frames import Frame, FrameSlot
from commandroom.video.publish import FramePublisher
from commandroom.video.stats import StatsMeter
from tests.unit.video.test_colour import BARS, bar_colours, encoded_bars
from ui.video import gl_surface
from ui.video.grid import VideoGrid
from ui.video.render_path import ENV, VideoPath, chosen_path


def pump_until(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.01)
    return False


def published(decoded: av.VideoFrame, size: tuple[int, int], planes: bool) -> Frame:
    publisher = FramePublisher(FrameSlot(), StatsMeter(time.monotonic), lambda: size,
                               wants_planes=lambda: planes)
    frame = publisher.publish(decoded, time.time(), "h264")
    assert frame is not None
    return frame


def one_tile_grid(path: VideoPath, size: tuple[int, int]) -> VideoGrid:
    def no_stream(*_: object) -> object:
        raise AssertionError("no stream in this check")

    grid = VideoGrid(no_stream, lambda _id: None, 10**6, video_path=path)  # type: ignore[arg-type]
    grid.apply_state(LayoutState(grid="1"))
    grid.resize(*size)
    grid.show()
    return grid


def to_rgb(image: QImage) -> numpy.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    ptr = image.constBits()
    rows = numpy.frombuffer(ptr, numpy.uint8, image.bytesPerLine() * image.height())
    return rows.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3] \
        .reshape(image.height(), image.width(), 3).copy()


def gl_render(grid: VideoGrid, frame: Frame) -> tuple[numpy.ndarray, QRect]:
    tile = grid.tiles[0]
    tile.frozen_frame = frame
    surface = grid.gl_surface
    assert surface is not None
    before = surface.draws
    surface.update()
    assert pump_until(lambda: surface.draws > before, 10), "the GL surface never drew"
    rect = tile.painted_rect.translated(tile.pos())
    rgb = to_rgb(surface.grabFramebuffer())
    return rgb[rect.top(): rect.bottom() + 1, rect.left(): rect.right() + 1], rect


def cpu_render(grid: VideoGrid, frame: Frame) -> numpy.ndarray:
    """The CPU path's own blit (VideoTile._blit) into an image of the tile's size."""
    tile = grid.tiles[0]
    image = QImage(tile.width(), tile.height(), QImage.Format.Format_RGB32)
    painter = QPainter(image)
    rect = tile._blit(painter, frame)
    painter.end()
    return to_rgb(image)[rect.top(): rect.bottom() + 1, rect.left(): rect.right() + 1]


def psnr(a: numpy.ndarray, b: numpy.ndarray) -> float:
    mse = float(numpy.mean((a.astype(numpy.float64) - b.astype(numpy.float64)) ** 2))
    return 99.0 if mse == 0 else 10 * numpy.log10(255.0**2 / mse)


def luma(rgb: numpy.ndarray) -> numpy.ndarray:
    """BT.601 luma of RGB pixels: a PSNR of it leaves chroma errors mostly out."""
    return rgb.astype(numpy.float64) @ numpy.array([0.299, 0.587, 0.114])


def clip_frame(clip: str, index: int = 30) -> av.VideoFrame:
    with av.open(clip) as container:
        for n, frame in enumerate(container.decode(video=0)):
            if n == index:
                return frame
    raise AssertionError("clip too short")


def main() -> None:
    QApplication(sys.argv[:1])
    result: dict[str, object] = {}
    # The automatic choice on Mesa llvmpipe (software): CPU; COMMANDROOM_VIDEO_PATH=gl: GL.
    os.environ.pop(ENV, None)
    result["auto_path"] = chosen_path().value
    os.environ[ENV] = "gl"
    result["forced_path"] = chosen_path().value
    del os.environ[ENV]
    decoded = clip_frame(sys.argv[1])
    source = (decoded.width, decoded.height)
    # 1. The test clip through both paths, at its own size, at 0.9, three quarters and
    # 0.65 (the shader scales the planes down) and at half size (swscale scales them first).
    comparisons = {}
    sizes = (("full", source), ("scale_0.9", (source[0] * 9 // 10, source[1] * 9 // 10)),
             ("three_quarters", (source[0] * 3 // 4, source[1] * 3 // 4)),
             ("scale_0.65", (source[0] * 65 // 100, source[1] * 65 // 100)),
             ("half", (source[0] // 2, source[1] // 2)))
    for name, size in sizes:
        gl_grid = one_tile_grid(VideoPath.GL, size)
        cpu_grid = one_tile_grid(VideoPath.CPU, size)
        pump_until(lambda g=gl_grid: g.gl_surface is not None and g.gl_surface.isValid(), 5)
        planes = published(decoded, size, planes=True)
        gl, _ = gl_render(gl_grid, planes)
        cpu = cpu_render(cpu_grid, published(decoded, size, planes=False))
        comparisons[name] = {"psnr": psnr(gl, cpu), "psnr_luma": psnr(luma(gl), luma(cpu)),
                             "gl_shape": gl.shape[:2],
                             "planes_size": planes.size,
                             "cpu_shape": cpu.shape[:2], "std": float(gl.std())}
        # a BGRA frame on the GL surface (a CPU viewer shares the stream)
        comparisons[name]["gl_bgra_psnr"] = psnr(
            gl_render(gl_grid, published(decoded, size, planes=False))[0], cpu)
        # the CPU path given a GL frame (a fallback's first frames) converts it
        comparisons[name]["cpu_from_planes_psnr"] = psnr(
            cpu_render(cpu_grid, planes), cpu)
        for grid in (gl_grid, cpu_grid):
            grid.close()
            grid.deleteLater()  # the GL context goes now, with the textures in it
        pump_until(lambda: False, 0.1)
    result["clip"] = comparisons
    # 2. Colour bars: BT.601 / BT.709, limited / full range, both paths against the RGB.
    bars = {}
    size = (256, 64)
    gl_grid = one_tile_grid(VideoPath.GL, size)
    cpu_grid = one_tile_grid(VideoPath.CPU, size)
    cases = {"bt601-limited": ("yuv420p", Colorspace.ITU601, False),
             "bt709-limited": ("yuv420p", Colorspace.ITU709, False),
             "bt601-full-yuvj": ("yuvj420p", Colorspace.ITU601, True),
             "bt709-full": ("yuv420p", Colorspace.ITU709, True)}
    for name, (fmt, space, full) in cases.items():
        frame = encoded_bars(fmt, space, full)
        gl, _ = gl_render(gl_grid, published(frame, size, planes=True))
        cpu = cpu_render(cpu_grid, published(frame, size, planes=False))
        # bar_colours reads BGRA: turn RGB crops into that channel order
        bgr = {k: numpy.ascontiguousarray(v[..., ::-1]) for k, v in (("gl", gl), ("cpu", cpu))}
        bars[name] = {
            path: max(abs(a - b) for want, seen in zip(BARS, bar_colours(img), strict=True)
                      for a, b in zip(want, seen, strict=True))
            for path, img in bgr.items()
        }
    gl_grid.close()
    cpu_grid.close()
    result["bars"] = bars
    result["colour_range_enum"] = int(ColorRange.JPEG)
    # 3. A shader that does not compile: the grid falls back to the CPU and says so.
    gl_surface.FRAGMENT_SHADER = "this is not GLSL"
    grid = one_tile_grid(VideoPath.GL, (640, 360))
    tile = grid.tiles[0]
    tile.camera = Camera(id=1, name="North gate", main_url="demo://north")
    fell_back = pump_until(lambda: grid.gl_surface is None, 10)
    tile.frozen_frame = published(decoded, (640, 360), planes=True)  # a GL frame, even
    tile.show_stats = True
    tile.update()
    pump_until(lambda: tile.painted_seq == tile.frozen_frame.seq, 5)  # type: ignore[union-attr]
    picture = to_rgb(tile.grab().toImage())
    result["fallback"] = {"fell_back": fell_back, "path": grid.video_path.value,
                          "label": tile.path_label, "painted": tile.painted_seq > 0,
                          "picture_std": float(picture[: picture.shape[0] // 2].std())}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
