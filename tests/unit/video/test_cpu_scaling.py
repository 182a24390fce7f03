"""The CPU path's scaling (FramePublisher._bgra): the picture a tile paints stays as close
to the camera's as swscale's one-step AREA scaling made it, in colour and in detail,
whether it is scaled in two steps (mild downscales, enlargements: cheaper) or one."""

from __future__ import annotations

import time

import av
import cv2
import numpy
import pytest
from av.video.reformatter import VideoReformatter

from commandroom.video.frames import FrameSlot
from commandroom.video.publish import TWO_STEP_MIN_SCALE, FramePublisher
from commandroom.video.stats import StatsMeter
from tests.support.rtsp import ensure_test_clip
from tests.unit.video.test_colour import BARS, CASES, HEIGHT, bar_colours, encoded_bars, publish

# The bench grids: 16 and 4 tiles of a 1920x1080 wall from 640x360, a 9-tile wall's
# 1080p camera, and a tile larger than its stream.
SIZES = [(478, 268), (318, 178), (158, 88), (960, 540)]


@pytest.mark.parametrize(("fmt", "space", "full", "colour"), CASES)
@pytest.mark.parametrize("box", [(192, 48), (512, 128)])  # scaled down (two steps), up
def test_scaled_cpu_frames_keep_the_colours(fmt, space, full, colour, box):
    assert box[0] / 256 >= TWO_STEP_MIN_SCALE
    published = publish(encoded_bars(fmt, space, full), planes=False, box=box)
    assert published.image.shape == (box[1], box[0], 4) and published.source_size == (
        256, HEIGHT)
    for want, seen in zip(BARS, bar_colours(published.image), strict=True):
        assert max(abs(a - b) for a, b in zip(want, seen, strict=True)) <= 3, (want, seen)


@pytest.fixture(scope="module")
def clip_frames() -> list[av.VideoFrame]:
    frames: list[av.VideoFrame] = []
    with av.open(str(ensure_test_clip())) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index % 25 == 0:
                frames.append(frame)
            if len(frames) == 6:
                break
    return frames


def _psnr(picture: numpy.ndarray, reference: numpy.ndarray) -> float:
    error = (picture.astype(numpy.float32) - reference) ** 2
    return float(10 * numpy.log10(255.0**2 / error.mean()))


@pytest.mark.parametrize("box", SIZES)
def test_the_painted_picture_is_as_faithful_as_one_step_area(clip_frames, box):
    """Against the exact area average (enlargements: bilinear) of the full-size picture
    in floating point: the published frame loses at most 0.5 dB to one-step AREA."""
    publisher = FramePublisher(FrameSlot(), StatsMeter(time.monotonic), lambda: box)
    ours, one_step = [], []
    for decoded in clip_frames:
        frame = publisher.publish(decoded, time.time(), "h264")
        assert frame is not None
        picture = numpy.ascontiguousarray(frame.image[..., :3])
        height, width = picture.shape[:2]
        full = VideoReformatter().reformat(decoded, format="bgr24").to_ndarray()
        enlarging = width > decoded.width
        reference = cv2.resize(full.astype(numpy.float32), (width, height),
                               interpolation=cv2.INTER_LINEAR if enlarging
                               else cv2.INTER_AREA)
        single = VideoReformatter().reformat(
            decoded, width=width, height=height, format="bgr24", interpolation="AREA"
        ).to_ndarray()
        ours.append(_psnr(picture, reference))
        one_step.append(_psnr(single, reference))
    assert numpy.mean(ours) >= numpy.mean(one_step) - 0.5, (ours, one_step)
    assert min(ours) >= min(one_step) - 1.0, (ours, one_step)
