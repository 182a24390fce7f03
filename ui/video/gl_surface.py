"""The GPU path: ONE OpenGL surface under a grid's tiles draws every tile's video.

Why ``QOpenGLWidget`` and not Qt RHI (``QRhiWidget``): PySide6 6.11 binds QRhi only
partly (no shader baking from Python, resource updates through raw pointers), while
QOpenGLWidget + QOpenGLShaderProgram + QOpenGLTexture are complete, run on OpenGL 2.1
and OpenGL ES 2, and on Mesa llvmpipe under Xvfb (the tests). One widget for the whole
grid: one context, one program, one composition, not one per tile.

The tiles stay on top as the input, focus and drag-and-drop widgets; on this path they
paint only what is not video (overlay, borders, flash, selection), with their own code
(ui/video/tile.py), and the surface shows through. Each tile's Y, U, V planes (or a
BGRA frame, when a CPU viewer shares the stream) go into textures kept per tile and
re-uploaded only when the tile's frame changed; FFmpeg's padded lines are uploaded as
they are (GL_UNPACK_ROW_LENGTH). The shader converts with the stream's own matrix and
range (commandroom/video/colour.py) and the texture sampler scales.
"""

from __future__ import annotations

import logging
import struct
import time
from typing import Any

import numpy
import numpy.typing as npt
from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QMatrix3x3
from PySide6.QtOpenGL import (
    QOpenGLBuffer,
    QOpenGLPixelTransferOptions,
    QOpenGLShader,
    QOpenGLShaderProgram,
    QOpenGLTexture,
)
from PySide6.QtOpenGLWidgets import QOpenGLWidget
from PySide6.QtWidgets import QWidget

from commandroom.video.colour import Colour, yuv_to_rgb
from commandroom.video.frames import Frame
from ui.video.tile import VideoTile
from ui.video.tile_geometry import BACKGROUND

log = logging.getLogger(__name__)

_GL_COLOR_BUFFER_BIT = 0x4000
_GL_FLOAT = 0x1406
_GL_TRIANGLE_STRIP = 0x0005

VERTEX_SHADER = """
attribute vec2 corner;
uniform vec4 rect;
varying vec2 texcoord;
void main() {
    texcoord = corner;
    gl_Position = vec4(mix(rect.xy, rect.zw, corner), 0.0, 1.0);
}
"""

FRAGMENT_SHADER = """
#ifdef GL_ES
precision mediump float;
#endif
varying vec2 texcoord;
uniform sampler2D plane_y;
uniform sampler2D plane_u;
uniform sampler2D plane_v;
uniform vec3 offset;
uniform mat3 yuv_to_rgb;
uniform float bgra;
void main() {
    vec3 rgb;
    if (bgra > 0.5) {
        rgb = texture2D(plane_y, texcoord).bgr;
    } else {
        vec3 yuv = vec3(texture2D(plane_y, texcoord).r, texture2D(plane_u, texcoord).r,
                        texture2D(plane_v, texcoord).r);
        rgb = yuv_to_rgb * (yuv - offset);
    }
    gl_FragColor = vec4(clamp(rgb, 0.0, 1.0), 1.0);
}
"""


_UNIFORMS = ("plane_y", "plane_u", "plane_v", "rect", "bgra", "offset", "yuv_to_rgb")


def fit_rect(box: QRect, size: tuple[int, int]) -> QRect:
    """The largest rectangle of ``size``'s aspect ratio centred in ``box`` (letterbox)."""
    width, height = size
    scale = min(box.width() / max(1, width), box.height() / max(1, height))
    w, h = max(1, round(width * scale)), max(1, round(height * scale))
    return QRect(box.x() + (box.width() - w) // 2, box.y() + (box.height() - h) // 2, w, h)


class _Textures:
    """One tile's textures: three planes, or plane 0 alone in RGBA for a BGRA frame."""

    def __init__(self, red_format: bool) -> None:
        self._red = red_format  # R8 (GL ≥ 3, GLES 3) or luminance (GL 2.1, GLES 2)
        self.textures: list[QOpenGLTexture | None] = [None, None, None]
        self.shapes: list[tuple[int, int, bool]] = [(0, 0, False)] * 3
        self.frame: Frame | None = None  # the frame uploaded (kept: its seq and colour)
        self._smooth_chroma = True

    def set_chroma_filter(self, smooth: bool) -> None:
        """Nearest chroma while the picture is shown at its own size: the same colours as
        swscale on the CPU path (which repeats 4:2:0 chroma); smooth chroma when the GPU
        scales, up (repeated chroma would show blocks) or down (nearest would drop
        chroma samples: 26.0 against 28.9 dB at three quarters, test_gl_path.py)."""
        if smooth == self._smooth_chroma:
            return
        self._smooth_chroma = smooth
        chroma = QOpenGLTexture.Filter.Linear if smooth else QOpenGLTexture.Filter.Nearest
        for texture in self.textures[1:]:
            if texture is not None:
                texture.setMinMagFilters(chroma, chroma)

    def upload(self, frame: Frame, row_length: bool) -> None:
        planes = frame.planes if frame.planes is not None else (frame.image,)
        for index, plane in enumerate(planes):
            self._upload_plane(index, plane, frame.planes is None, row_length)
        self.frame = frame

    def _upload_plane(self, index: int, plane: npt.NDArray[numpy.uint8], rgba: bool,
                      row_length: bool) -> None:
        height, width = plane.shape[0], plane.shape[1]
        texture = self.textures[index]
        if texture is None or self.shapes[index] != (width, height, rgba):
            if texture is not None:
                texture.destroy()
            texture = QOpenGLTexture(QOpenGLTexture.Target.Target2D)
            texture.setFormat(QOpenGLTexture.TextureFormat.RGBA8_UNorm if rgba else (
                QOpenGLTexture.TextureFormat.R8_UNorm if self._red
                else QOpenGLTexture.TextureFormat.LuminanceFormat))
            texture.setSize(width, height)
            texture.setMinMagFilters(QOpenGLTexture.Filter.Linear, QOpenGLTexture.Filter.Linear)
            texture.setWrapMode(QOpenGLTexture.WrapMode.ClampToEdge)
            texture.allocateStorage(self._pixel_format(rgba), QOpenGLTexture.PixelType.UInt8)
            self.textures[index] = texture
            self.shapes[index] = (width, height, rgba)
            if index > 0 and not self._smooth_chroma:
                texture.setMinMagFilters(QOpenGLTexture.Filter.Nearest,
                                         QOpenGLTexture.Filter.Nearest)
        options = QOpenGLPixelTransferOptions()
        options.setAlignment(1)
        pixel_bytes = 4 if rgba else 1
        if row_length:  # FFmpeg's padded lines as they are: no copy
            options.setRowLength(plane.strides[0] // pixel_bytes)
            # One contiguous run of bytes from the first pixel to the last (padding
            # between lines included): what the bindings accept as the void* data.
            data = numpy.lib.stride_tricks.as_strided(
                plane, shape=(plane.strides[0] * (height - 1) + width * pixel_bytes,),
                strides=(1,), writeable=False)
        else:  # OpenGL ES 2 has no row length: one contiguous copy
            data = numpy.ascontiguousarray(plane).reshape(-1)
        # The stubs say int (a pointer); the bindings take a buffer object.
        pixels: Any = data
        texture.setData(0, 0, 0, width, height, 1, self._pixel_format(rgba),
                        QOpenGLTexture.PixelType.UInt8, pixels, options)

    def _pixel_format(self, rgba: bool) -> QOpenGLTexture.PixelFormat:
        if rgba:
            return QOpenGLTexture.PixelFormat.RGBA
        return QOpenGLTexture.PixelFormat.Red if self._red \
            else QOpenGLTexture.PixelFormat.Luminance

    def destroy(self) -> None:
        for texture in self.textures:
            if texture is not None:
                texture.destroy()
        self.textures = [None, None, None]


class GlVideoSurface(QOpenGLWidget):
    """Under a grid's tiles; ``failed`` says why the GPU path cannot go on."""

    failed = Signal(str)

    def __init__(self, parent: QWidget, tiles: list[VideoTile]) -> None:
        super().__init__(parent)
        self._tiles = tiles  # the grid's own list: tiles come and go with the layout
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._program: QOpenGLShaderProgram | None = None
        self._corners: QOpenGLBuffer | None = None
        self._textures: dict[VideoTile, _Textures] = {}
        self._loc: dict[str, int] = {}
        self._red = True
        self._row_length = True
        self.broken = False
        self.draws = 0
        self.upload_draw_ms: list[float] = []  # per paintGL, the last few (bench)

    # -- OpenGL ------------------------------------------------------------------------
    def initializeGL(self) -> None:
        context = self.context()
        fmt = context.format()
        modern = (fmt.majorVersion(), fmt.minorVersion()) >= (3, 0)
        self._red = modern  # R8 textures from OpenGL 3 / ES 3; luminance before
        self._row_length = modern or not context.isOpenGLES()
        program = QOpenGLShaderProgram(self)
        ok = program.addShaderFromSourceCode(QOpenGLShader.ShaderTypeBit.Vertex,
                                             VERTEX_SHADER) and \
            program.addShaderFromSourceCode(QOpenGLShader.ShaderTypeBit.Fragment,
                                            FRAGMENT_SHADER)
        program.bindAttributeLocation("corner", 0)
        if not ok or not program.link():
            self._fail(f"shader: {program.log().strip() or 'does not compile'}")
            return
        self._program = program
        self._loc = {name: program.uniformLocation(name) for name in _UNIFORMS}
        corners = QOpenGLBuffer(QOpenGLBuffer.Type.VertexBuffer)
        corners.create()
        corners.bind()
        data = struct.pack("8f", 0, 0, 1, 0, 0, 1, 1, 1)
        corners.allocate(data, len(data))
        corners.release()
        self._corners = corners
        context.aboutToBeDestroyed.connect(self._release_gl)

    def paintGL(self) -> None:
        started = time.perf_counter()
        functions = self.context().functions()
        functions.glClearColor(BACKGROUND.redF(), BACKGROUND.greenF(), BACKGROUND.blueF(),
                               1.0)
        functions.glClear(_GL_COLOR_BUFFER_BIT)
        if self.broken or self._program is None or self._corners is None:
            return
        try:
            self._draw_tiles()
        except Exception as error:  # any GL failure: the CPU takes over
            log.exception("video: the OpenGL path failed")
            self._fail(f"draw: {error}")
            return
        self.draws += 1
        self.upload_draw_ms.append((time.perf_counter() - started) * 1000.0)
        del self.upload_draw_ms[:-200]

    def _draw_tiles(self) -> None:
        program, corners = self._program, self._corners
        assert program is not None and corners is not None
        program.bind()
        corners.bind()
        program.enableAttributeArray(0)
        program.setAttributeBuffer(0, _GL_FLOAT, 0, 2)
        program.setUniformValue1i(self._loc["plane_y"], 0)
        program.setUniformValue1i(self._loc["plane_u"], 1)
        program.setUniformValue1i(self._loc["plane_v"], 2)
        functions = self.context().functions()
        width, height = max(1, self.width()), max(1, self.height())
        visible = [tile for tile in self._tiles if tile.isVisible()]
        for gone in [t for t in self._textures if t not in visible]:
            self._textures.pop(gone).destroy()
        for tile in visible:
            frame = tile.current_frame()
            if frame is None:
                tile.painted_rect = QRect()
                continue
            textures = self._textures.get(tile)
            if textures is None:
                textures = self._textures[tile] = _Textures(self._red)
            if textures.frame is not frame:
                textures.upload(frame, self._row_length)
            rect = fit_rect(tile.rect(), frame.size)
            textures.set_chroma_filter(abs(rect.width() - frame.size[0]) > 1)
            tile.painted_rect, tile.painted_seq = rect, frame.seq
            area = rect.translated(tile.geometry().topLeft())
            program.setUniformValue(self._loc["rect"], area.x() / width * 2 - 1,
                                    1 - area.y() / height * 2,
                                    (area.x() + area.width()) / width * 2 - 1,
                                    1 - (area.y() + area.height()) / height * 2)
            self._set_colour(program, frame)
            for unit, texture in enumerate(textures.textures):
                if texture is not None:
                    texture.bind(unit)
            functions.glDrawArrays(_GL_TRIANGLE_STRIP, 0, 4)
        program.disableAttributeArray(0)
        corners.release()
        program.release()

    def _set_colour(self, program: QOpenGLShaderProgram, frame: Frame) -> None:
        program.setUniformValue1f(self._loc["bgra"], 1.0 if frame.planes is None else 0.0)
        offset, matrix = yuv_to_rgb(frame.colour or Colour())
        program.setUniformValue(self._loc["offset"], offset[0], offset[1], offset[2])
        # QMatrix3x3 takes its values row by row and hands GLSL the column-major form.
        program.setUniformValue(self._loc["yuv_to_rgb"],
                                QMatrix3x3([value for row in matrix for value in row]))

    def _fail(self, why: str) -> None:
        if not self.broken:
            self.broken = True
            log.warning("video: OpenGL path off (%s), painting on the CPU", why)
            self.failed.emit(why)

    def _release_gl(self) -> None:
        """The context goes (the widget moves to another window, or is closed)."""
        self.makeCurrent()
        for textures in self._textures.values():
            textures.destroy()
        self._textures.clear()
        if self._corners is not None:
            self._corners.destroy()
            self._corners = None
        self._program = None
        self.doneCurrent()
