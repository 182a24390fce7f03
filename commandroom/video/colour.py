"""How a stream's YUV becomes RGB: the matrix (BT.601/BT.709) and the range (limited/full).

The GPU path converts in a shader and the CPU path in swscale; both take the colour
description from the decoded frame, so a camera that says BT.709 or full range looks the
same on either path. ``yuv_to_rgb`` gives the one set of coefficients the shader uses,
and ``planes_to_bgra`` applies them with numpy (tests' reference, and the rare frame the
CPU path receives in planes, e.g. while the GPU path falls back).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import av
import numpy
import numpy.typing as npt

# FFmpeg's AVColorSpace / AVColorRange numbers as PyAV reports them.
_BT709 = 1
_JPEG_RANGE = 2
FULL_RANGE_FORMATS = frozenset({"yuvj420p", "yuvj422p", "yuvj444p"})
# Codecs whose FFmpeg decoders site 4:2:0 chroma left (MPEG-2 style) unless the stream
# says otherwise (H.264 / HEVC: libavcodec/h2645_vui.c); others leave it unspecified,
# which swscale takes as centred. Measured with PyAV 18: h264, hevc, mpeg4 left; mjpeg,
# vp9 centred.
_LEFT_SITED_CODECS = frozenset({"h264", "hevc", "mpeg4"})

Planes = tuple[npt.NDArray[numpy.uint8], npt.NDArray[numpy.uint8], npt.NDArray[numpy.uint8]]


class Matrix(enum.Enum):
    BT601 = "bt601"
    BT709 = "bt709"


@dataclass(frozen=True, slots=True)
class Colour:
    matrix: Matrix = Matrix.BT601
    full_range: bool = False


def colour_of(frame: av.VideoFrame) -> Colour:
    """The frame's own description. Unspecified matrix is BT.601, as swscale assumes (the
    CPU path), so both paths agree on untagged streams; a yuvj format is full range."""
    matrix = Matrix.BT709 if int(frame.colorspace) == _BT709 else Matrix.BT601
    full = int(frame.color_range) == _JPEG_RANGE or frame.format.name in FULL_RANGE_FORMATS
    return Colour(matrix, full)


def chroma_left_sited(codec: str) -> bool:
    """Whether swscale (FFmpeg ≥ 8 reads the frame's chroma location) scales this codec's
    chroma as sited left of the pixel pair rather than centred. PyAV does not expose the
    frame's location, so the codec's default stands in: a stream that signals another
    siting is off by a fraction of a chroma sample in the shader's downscale, no more."""
    return codec in _LEFT_SITED_CODECS


def yuv_to_rgb(colour: Colour) -> tuple[tuple[float, float, float],
                                        tuple[tuple[float, float, float], ...]]:
    """``offset`` and row-major 3×3 ``matrix`` with rgb = matrix · (yuv − offset), all
    values normalised to 0..1 (texture samples)."""
    kr, kb = (0.2126, 0.0722) if colour.matrix is Matrix.BT709 else (0.299, 0.114)
    kg = 1.0 - kr - kb
    if colour.full_range:
        y_scale, c_scale, y_offset = 1.0, 1.0, 0.0
    else:
        y_scale, c_scale, y_offset = 255.0 / 219.0, 255.0 / 224.0, 16.0 / 255.0
    c_offset = 128.0 / 255.0
    cr_r = 2.0 * (1.0 - kr)
    cb_b = 2.0 * (1.0 - kb)
    cb_g = -2.0 * kb * (1.0 - kb) / kg
    cr_g = -2.0 * kr * (1.0 - kr) / kg
    matrix = (
        (y_scale, 0.0, cr_r * c_scale),
        (y_scale, cb_g * c_scale, cr_g * c_scale),
        (y_scale, cb_b * c_scale, 0.0),
    )
    return (y_offset, c_offset, c_offset), matrix


def planes_to_bgra(planes: Planes, colour: Colour, step: int = 1) -> npt.NDArray[numpy.uint8]:
    """BGRA (height, width, 4) from 4:2:0 or 4:4:4 planes; ``step`` 2 gives a half-size
    picture cheaply (a miniature)."""
    y_plane, u_plane, v_plane = planes
    height, width = y_plane.shape[0] // step * step, y_plane.shape[1] // step * step
    y = y_plane[:height:step, :width:step].astype(numpy.float32)
    # 4:2:0 chroma at half resolution: repeat it to the luma grid (nearest, as swscale).
    sub = 2 if u_plane.shape[1] * 2 <= y_plane.shape[1] + 1 else 1
    chroma_step = max(1, step // sub)
    repeat = sub // min(sub, step)
    u = u_plane[::chroma_step, ::chroma_step].astype(numpy.float32)
    v = v_plane[::chroma_step, ::chroma_step].astype(numpy.float32)
    if repeat > 1:
        u = u.repeat(repeat, 0).repeat(repeat, 1)
        v = v.repeat(repeat, 0).repeat(repeat, 1)
    u, v = u[: y.shape[0], : y.shape[1]], v[: y.shape[0], : y.shape[1]]
    offset, matrix = yuv_to_rgb(colour)
    yn = y / 255.0 - offset[0]
    un = u / 255.0 - offset[1]
    vn = v / 255.0 - offset[2]
    out = numpy.empty((y.shape[0], y.shape[1], 4), dtype=numpy.uint8)
    for channel, row in zip((2, 1, 0), matrix, strict=True):  # R, G, B into BGRA
        value = row[0] * yn + row[1] * un + row[2] * vn
        out[..., channel] = numpy.clip(value * 255.0 + 0.5, 0, 255).astype(numpy.uint8)
    out[..., 3] = 255
    return out
