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
range (commandroom/video/colour.py) and scales: an enlargement with the texture
sampler's linear filter, a mild downscale with an area filter of four bilinear taps a
plane that gives the CPU path's swscale AREA picture (AREA_FRAGMENT_SHADER).
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

from commandroom.video.colour import Colour, chroma_left_sited, yuv_to_rgb
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


# The program for a downscale the shader does (the tile smaller than the planes, from
# SHADER_MIN_SCALE up, commandroom/video/publish.py): a program of its own, not a branch
# in FRAGMENT_SHADER, as a software rasteriser (llvmpipe) runs both sides of a branch
# for every pixel. ``shrink`` holds the luma plane's size and the picture's size in
# device pixels, and each plane is filtered as the CPU path's swscale AREA filters it,
# so both paths show the same picture:
# - AREA (initFilter in libswscale/utils.c) weighs each source texel by how much of it
#   the output pixel's footprint covers ([c - s/2, c + s/2], s source texels per output
#   pixel, c the pixel's centre, both grids spanning the same picture): a box over
#   nearest-neighbour texels. Split in two halves of s/2 ≤ 1 texel, each half covers at
#   most two texels, and its integral is ONE bilinear tap placed where the two weights
#   are the half's shares (half_tap): 2 taps an axis, 4 a plane, exact from half size up.
# - Chroma is scaled on its own grid: the CPU path scales the 4:2:0 planes first (a
#   ceil(w/2) × ceil(h/2) chroma plane) and then repeats each chroma sample over 2 × 2
#   pixels, so each pixel takes its pair's chroma sample, area-filtered on that grid.
# - swscale places the chroma samples where the frame says (FFmpeg ≥ 8): H.264's and
#   HEVC's left siting (``chroma_left``, see chroma_left_sited) moves each output chroma
#   sample's footprint left by (s - 1)/4 texels; vertically they stay centred.
# - Texel positions are highp where OpenGL ES has it (TEXEL): mediump's 10-bit mantissa
#   would misplace the taps by texels on a 1080p plane.
AREA_FRAGMENT_SHADER = """
#ifdef GL_ES
precision mediump float;
#ifdef GL_FRAGMENT_PRECISION_HIGH
#define TEXEL highp
#else
#define TEXEL mediump
#endif
#else
#define TEXEL
#endif
varying TEXEL vec2 texcoord;
uniform sampler2D plane_y;
uniform sampler2D plane_u;
uniform sampler2D plane_v;
uniform vec3 offset;
uniform mat3 yuv_to_rgb;
uniform TEXEL vec4 shrink;
uniform float chroma_left;

TEXEL vec2 half_tap(TEXEL vec2 end, TEXEL vec2 half_width) {
    return floor(end) - 0.5 + min(fract(end) / half_width, 1.0);
}

float area(sampler2D plane, TEXEL vec2 centre, TEXEL vec2 half_width, TEXEL vec2 size) {
    TEXEL vec2 a = half_tap(centre, half_width) / size;
    TEXEL vec2 b = half_tap(centre + half_width, half_width) / size;
    return 0.25 * (texture2D(plane, a).r + texture2D(plane, vec2(b.x, a.y)).r +
                   texture2D(plane, vec2(a.x, b.y)).r + texture2D(plane, b).r);
}

void main() {
    TEXEL vec2 size_y = shrink.xy;
    TEXEL vec2 size_c = floor(size_y * 0.5 + 0.5);
    TEXEL vec2 out_c = floor(shrink.zw * 0.5 + 0.5);
    TEXEL vec2 step_c = size_c / out_c;
    TEXEL vec2 centre_c = (floor(texcoord * shrink.zw * 0.5) + 0.5) * step_c;
    centre_c.x += chroma_left * 0.25 * (1.0 - step_c.x);
    vec3 yuv = vec3(area(plane_y, texcoord * size_y, size_y / shrink.zw * 0.5, size_y),
                    area(plane_u, centre_c, step_c * 0.5, size_c),
                    area(plane_v, centre_c, step_c * 0.5, size_c));
    vec3 rgb = yuv_to_rgb * (yuv - offset);
    gl_FragColor = vec4(clamp(rgb, 0.0, 1.0), 1.0);
}
"""


_UNIFORMS = ("plane_y", "plane_u", "plane_v", "rect", "bgra", "offset", "yuv_to_rgb",
             "shrink", "chroma_left")


class _Program:
    """A linked program and where its uniforms are: -1 for one it has not, which OpenGL
    ignores when set (the area program has no ``bgra``, the other no ``shrink``)."""

    def __init__(self, program: QOpenGLShaderProgram) -> None:
        self.program = program
        self.loc = {name: program.uniformLocation(name) for name in _UNIFORMS}


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
        swscale on the CPU path (which repeats 4:2:0 chroma); linear chroma when the GPU
        scales, up (repeated chroma would show blocks) or down (the area filter's taps
        each blend two texels, chroma's as luma's: see AREA_FRAGMENT_SHADER)."""
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
        # FRAGMENT_SHADER's, then AREA_FRAGMENT_SHADER's
        self._programs: tuple[_Program, _Program] | None = None
        self._corners: QOpenGLBuffer | None = None
        self._textures: dict[VideoTile, _Textures] = {}
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
        plain = self._link(FRAGMENT_SHADER)
        area = self._link(AREA_FRAGMENT_SHADER) if plain is not None else None
        if plain is None or area is None:
            return
        self._programs = (_Program(plain), _Program(area))
        corners = QOpenGLBuffer(QOpenGLBuffer.Type.VertexBuffer)
        corners.create()
        corners.bind()
        data = struct.pack("8f", 0, 0, 1, 0, 0, 1, 1, 1)
        corners.allocate(data, len(data))
        corners.release()
        self._corners = corners
        context.aboutToBeDestroyed.connect(self._release_gl)

    def _link(self, fragment_shader: str) -> QOpenGLShaderProgram | None:
        program = QOpenGLShaderProgram(self)
        ok = program.addShaderFromSourceCode(QOpenGLShader.ShaderTypeBit.Vertex,
                                             VERTEX_SHADER) and \
            program.addShaderFromSourceCode(QOpenGLShader.ShaderTypeBit.Fragment,
                                            fragment_shader)
        program.bindAttributeLocation("corner", 0)
        if not ok or not program.link():
            self._fail(f"shader: {program.log().strip() or 'does not compile'}")
            return None
        return program

    def paintGL(self) -> None:
        started = time.perf_counter()
        functions = self.context().functions()
        functions.glClearColor(BACKGROUND.redF(), BACKGROUND.greenF(), BACKGROUND.blueF(),
                               1.0)
        functions.glClear(_GL_COLOR_BUFFER_BIT)
        if self.broken or self._programs is None or self._corners is None:
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
        programs, corners = self._programs, self._corners
        assert programs is not None and corners is not None
        corners.bind()
        bound: _Program | None = None
        functions = self.context().functions()
        width, height = max(1, self.width()), max(1, self.height())
        ratio = self.devicePixelRatioF()  # a footprint is a device pixel's, as drawn
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
            scaled = abs(rect.width() - frame.size[0]) > 1
            textures.set_chroma_filter(scaled)
            shrink = _shrink(textures, rect, scaled, ratio)
            chosen = programs[0 if shrink is None else 1]
            if chosen is not bound:  # a wall's tiles mostly share one: few switches
                if bound is not None:
                    bound.program.release()
                self._bind(chosen)
                bound = chosen
            program, loc = chosen.program, chosen.loc
            if shrink is not None:
                program.setUniformValue(loc["shrink"], *shrink)
                program.setUniformValue1f(loc["chroma_left"],
                                          1.0 if chroma_left_sited(frame.codec) else 0.0)
            tile.painted_rect, tile.painted_seq = rect, frame.seq
            area = rect.translated(tile.geometry().topLeft())
            program.setUniformValue(loc["rect"], area.x() / width * 2 - 1,
                                    1 - area.y() / height * 2,
                                    (area.x() + area.width()) / width * 2 - 1,
                                    1 - (area.y() + area.height()) / height * 2)
            self._set_colour(chosen, frame)
            for unit, texture in enumerate(textures.textures):
                if texture is not None:
                    texture.bind(unit)
            functions.glDrawArrays(_GL_TRIANGLE_STRIP, 0, 4)
        if bound is not None:
            bound.program.disableAttributeArray(0)
            bound.program.release()
        corners.release()

    @staticmethod
    def _bind(chosen: _Program) -> None:
        program, loc = chosen.program, chosen.loc
        program.bind()
        program.enableAttributeArray(0)
        program.setAttributeBuffer(0, _GL_FLOAT, 0, 2)
        program.setUniformValue1i(loc["plane_y"], 0)
        program.setUniformValue1i(loc["plane_u"], 1)
        program.setUniformValue1i(loc["plane_v"], 2)

    def _set_colour(self, chosen: _Program, frame: Frame) -> None:
        program, loc = chosen.program, chosen.loc
        program.setUniformValue1f(loc["bgra"], 1.0 if frame.planes is None else 0.0)
        offset, matrix = yuv_to_rgb(frame.colour or Colour())
        program.setUniformValue(loc["offset"], offset[0], offset[1], offset[2])
        # QMatrix3x3 takes its values row by row and hands GLSL the column-major form.
        program.setUniformValue(loc["yuv_to_rgb"],
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
        self._programs = None
        self.doneCurrent()


def _shrink(textures: _Textures, rect: QRect, scaled: bool, ratio: float
            ) -> tuple[float, float, float, float] | None:
    """The area program's ``shrink`` when the shader draws the planes smaller than they
    are (see AREA_FRAGMENT_SHADER); None at their own size and enlarged, where
    FRAGMENT_SHADER samples once. ``ratio``: device pixels per logical pixel."""
    plane_w, plane_h, rgba = textures.shapes[0]
    out_w, out_h = rect.width() * ratio, rect.height() * ratio
    if scaled and not rgba and out_w < plane_w:
        return float(plane_w), float(plane_h), out_w, out_h
    return None
