"""The GPU path's frames: YUV planes with the stream's colour description, and the one
set of coefficients (commandroom/video/colour.py) that turns them back into the colours
the camera encoded, for BT.601/BT.709 and limited/full range."""

from __future__ import annotations

import time
from fractions import Fraction

import av
import numpy
import pytest
from av.video.reformatter import ColorRange, Colorspace, VideoReformatter

from commandroom.video.colour import (
    Colour,
    Matrix,
    chroma_left_sited,
    colour_of,
    planes_to_bgra,
)
from commandroom.video.frames import FrameSlot
from commandroom.video.publish import FramePublisher
from commandroom.video.shm_layout import bytes_needed
from commandroom.video.stats import StatsMeter

# Eight bars, 32 pixels wide each (4:2:0 chroma never straddles a bar), in RGB.
BARS = [(255, 255, 255), (255, 255, 0), (0, 255, 255), (0, 255, 0),
        (255, 0, 255), (255, 0, 0), (0, 0, 255), (16, 16, 16)]
BAR_W, HEIGHT = 32, 64


def bars_rgb() -> numpy.ndarray:
    row = numpy.concatenate([numpy.tile(numpy.array(c, numpy.uint8), (BAR_W, 1))
                             for c in BARS])
    return numpy.ascontiguousarray(numpy.broadcast_to(row, (HEIGHT, *row.shape)))


def encoded_bars(fmt: str, space: Colorspace, full: bool) -> av.VideoFrame:
    """The bars as a camera would send them: swscale's RGB → YUV, tagged accordingly."""
    rgb = av.VideoFrame.from_ndarray(bars_rgb(), format="rgb24")
    frame = VideoReformatter().reformat(
        rgb, format=fmt, dst_colorspace=space,
        dst_color_range=ColorRange.JPEG if full else ColorRange.MPEG)
    frame.colorspace = space
    frame.color_range = ColorRange.JPEG if full else ColorRange.MPEG
    return frame


CASES = [
    ("yuv420p", Colorspace.ITU601, False, Colour(Matrix.BT601, False)),
    ("yuv420p", Colorspace.ITU709, False, Colour(Matrix.BT709, False)),
    ("yuvj420p", Colorspace.ITU601, True, Colour(Matrix.BT601, True)),
    ("yuv420p", Colorspace.ITU709, True, Colour(Matrix.BT709, True)),
]


def publish(frame: av.VideoFrame, planes: bool, box: tuple[int, int] = (256, 64)):
    publisher = FramePublisher(FrameSlot(), StatsMeter(time.monotonic), lambda: box,
                               wants_planes=lambda: planes)
    published = publisher.publish(frame, time.time(), "h264")
    assert published is not None
    return published


def bar_colours(bgra: numpy.ndarray) -> list[tuple[int, int, int]]:
    """Each bar's colour measured at its centre, as RGB."""
    row = bgra[bgra.shape[0] // 2]
    width = bgra.shape[1] // len(BARS)
    return [tuple(int(row[i * width + width // 2][c]) for c in (2, 1, 0))
            for i in range(len(BARS))]


@pytest.mark.parametrize(("fmt", "space", "full", "colour"), CASES)
def test_planes_carry_the_colour_description_and_convert_back(fmt, space, full, colour):
    frame = encoded_bars(fmt, space, full)
    assert colour_of(frame) == colour
    published = publish(frame, planes=True)
    assert published.planes is not None and published.colour == colour
    assert published.image.shape == (HEIGHT, 256)  # the Y plane: the picture's size
    assert published.planes[1].shape == (HEIGHT // 2, 128)
    got = bar_colours(planes_to_bgra(published.planes, colour))
    for want, seen in zip(BARS, got, strict=True):
        assert max(abs(a - b) for a, b in zip(want, seen, strict=True)) <= 3, (want, seen)


@pytest.mark.parametrize(("fmt", "space", "full", "colour"), CASES)
def test_cpu_path_honours_the_same_description(fmt, space, full, colour):
    published = publish(encoded_bars(fmt, space, full), planes=False)
    assert published.planes is None and published.image.shape == (HEIGHT, 256, 4)
    for want, seen in zip(BARS, bar_colours(published.image), strict=True):
        assert max(abs(a - b) for a, b in zip(want, seen, strict=True)) <= 3, (want, seen)


def test_planes_are_scaled_down_to_the_tile_never_up():
    frame = encoded_bars("yuv420p", Colorspace.ITU709, False)
    assert publish(frame, True, box=(128, 128)).image.shape == (32, 128)
    assert publish(frame, True, box=(1024, 1024)).image.shape == (HEIGHT, 256)


def test_a_mild_downscale_is_left_to_the_shader_and_fits_the_tiles_buffer():
    frame = encoded_bars("yuv420p", Colorspace.ITU709, False)  # 256x64
    for box in ((192, 48), (168, 42)):  # 0.75 and 0.656 of the source
        published = publish(frame, True, box=box)
        assert published.image.shape == (HEIGHT, 256)  # as decoded: no swscale
        # A worker's shared-memory buffer is sized for the tile's BGRA picture.
        assert bytes_needed(published) <= box[0] * box[1] * 4
    assert publish(frame, True, box=(160, 40)).image.shape == (40, 160)  # 0.625: here
    assert publish(frame, False, box=(192, 48)).image.shape == (48, 192, 4)  # CPU path


def test_other_formats_arrive_as_420_planes_keeping_their_range():
    frame = encoded_bars("yuvj444p", Colorspace.ITU601, True)
    published = publish(frame, planes=True, box=(256, 64))
    assert published.colour == Colour(Matrix.BT601, True)
    assert published.planes is not None and published.planes[1].shape == (HEIGHT // 2, 128)
    got = bar_colours(planes_to_bgra(published.planes, published.colour))
    for want, seen in zip(BARS, got, strict=True):
        assert max(abs(a - b) for a, b in zip(want, seen, strict=True)) <= 3, (want, seen)


def test_a_planar_frame_converts_for_a_cpu_painter():
    published = publish(encoded_bars("yuv420p", Colorspace.ITU601, False), planes=True)
    bgra = published.as_bgra()
    assert bgra.planes is None and bgra.image.shape == (HEIGHT, 256, 4)
    assert bgra.seq == published.seq
    assert published.as_bgra(step=2).image.shape == (HEIGHT // 2, 128, 4)


def _area_weights(source: int, scaled: int, shift: float) -> numpy.ndarray:
    """swscale's AREA downscale of one axis (initFilter): each source sample weighed by
    the share of it the output sample's footprint covers, clamped at the edges; ``shift``
    moves the footprints (in source samples) from the centred grid."""
    step = source / scaled
    weights = numpy.zeros((scaled, source))
    edges = numpy.arange(source + 1)
    for out in range(scaled):
        low = (out + 0.5) * step + shift - step / 2
        high = low + step
        covered = numpy.clip(numpy.minimum(edges[1:], high) - numpy.maximum(edges[:-1], low),
                             0, None)
        covered[0] += max(0.0, min(high, 0.0) - low)
        covered[-1] += max(0.0, high - max(low, float(source)))
        weights[out] = covered / covered.sum()
    return weights


def _roundtrip(encoder: str, decoder: str, fmt: str) -> av.VideoFrame:
    frame = encoded_bars(fmt, Colorspace.ITU601, fmt == "yuvj420p")
    context = av.CodecContext.create(encoder, "w")
    context.width, context.height, context.pix_fmt = frame.width, frame.height, fmt
    context.time_base = Fraction(1, 25)
    packets = [*context.encode(frame), *context.encode(None)]
    decoding = av.CodecContext.create(decoder, "r")
    if context.extradata:
        decoding.extradata = context.extradata
    decoded = [f for packet in packets for f in decoding.decode(packet)]
    return decoded[0] if decoded else decoding.decode(None)[0]


@pytest.mark.parametrize(("encoder", "codec", "fmt"), [("libx264", "h264", "yuv420p"),
                                                       ("mjpeg", "mjpeg", "yuvj420p")])
def test_swscale_sites_the_chroma_where_chroma_left_sited_says(encoder, codec, fmt):
    """The GL path's area filter copies swscale's chroma siting (ui/video/gl_surface.py)
    from this guess: swscale reads it from the frame, which PyAV does not show."""
    frame = _roundtrip(encoder, codec, fmt)
    scaled = VideoReformatter().reformat(frame, width=192, height=48, format=fmt,
                                         interpolation="AREA", threads=1)
    source = _plane(frame, 1)
    seen = _plane(scaled, 1)
    errors = {}
    for left in (False, True):
        shift = (1 - 4 / 3) / 4 if left else 0.0  # a chroma step of 4/3 samples
        model = _area_weights(32, 24, 0.0) @ source @ _area_weights(128, 96, shift).T
        errors[left] = float(numpy.abs(model - seen).max())
    assert errors[chroma_left_sited(codec)] <= 1.0, errors  # swscale's rounding only
    assert errors[not chroma_left_sited(codec)] > 4.0, errors  # the other siting


def _plane(frame: av.VideoFrame, index: int) -> numpy.ndarray:
    plane = frame.planes[index]
    rows = numpy.frombuffer(memoryview(plane), numpy.uint8).reshape(plane.height, -1)
    return rows[:, : plane.width].astype(numpy.float64)
