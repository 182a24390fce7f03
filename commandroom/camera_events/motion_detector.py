"""Motion in a stream of pictures, for cameras without analytics of their own (pure: no
threads, no clock, no video engine; ``local_motion`` feeds it).

OpenCV's MOG2 background subtractor (no shadow detection: a shadow that moves is motion
to an officer watching a junction) on small grey pictures. A picture counts as "moving"
when the share of its area that differs from the learned background is at least
``min_area_fraction`` after a small opening (which removes sensor speckle and the thin
strokes of a camera's clock overlay). Motion STARTs after ``start_frames`` moving pictures
in a row and STOPs once no picture has moved for ``quiet_s``, so a lingering movement is
one event, not a flapping series. The first ``warmup_frames`` only teach the model.

A uniform brightness step (auto exposure, a cloud, street lights coming on) would
otherwise light up the whole picture: each picture is shifted so its median grey matches
a slowly following reference before the subtractor sees it (the median, not the mean,
so an object covering less than half the picture does not move it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy
import numpy.typing as npt

GreyImage = npt.NDArray[numpy.uint8]


class MotionChange(StrEnum):
    START = "start"
    STOP = "stop"


@dataclass(frozen=True)
class Box:
    """Where the picture changed, as fractions 0..1 of its width and height."""

    x: float
    y: float
    width: float
    height: float

    def union(self, other: Box) -> Box:
        left, top = min(self.x, other.x), min(self.y, other.y)
        right = max(self.x + self.width, other.x + other.width)
        bottom = max(self.y + self.height, other.y + other.height)
        return Box(left, top, right - left, bottom - top)

    def as_text(self) -> str:
        """``x,y,width,height`` with 4 decimals (event details are short strings)."""
        return ",".join(f"{v:.4f}" for v in (self.x, self.y, self.width, self.height))


@dataclass(frozen=True)
class MotionTransition:
    """START: the changed fraction and box of the picture that confirmed the motion.
    STOP: the largest fraction seen during the episode and the union of its boxes (the
    whole area that moved, for the event log and the tile highlight)."""

    change: MotionChange
    fraction: float
    box: Box


@dataclass(frozen=True)
class MotionTuning:
    width: int = 320  # pictures are scaled down to this width (grey) before detection
    # Of the picture's area, after the opening. The RTSP test server's 20 px ball is
    # 0.55 % of its 640x360 picture; its clock overlay, after the opening, at most 0.06 %.
    min_area_fraction: float = 0.002
    start_frames: int = 2  # moving pictures in a row before START
    quiet_s: float = 3.0  # no moving picture for this long before STOP
    warmup_frames: int = 10  # the first pictures only teach the background
    history: int = 150  # pictures the background remembers (30 s at 5 fps)
    var_threshold: float = 16.0  # MOG2's squared distance threshold
    opening_px: int = 3  # side of the square that opens the foreground mask
    # How fast the brightness reference follows the pictures' median (per picture).
    brightness_follow: float = 0.05

    def __post_init__(self) -> None:
        if self.width < 16:
            raise ValueError("motion width must be at least 16 pixels")
        if not 0.0 < self.min_area_fraction < 1.0:
            raise ValueError("min_area_fraction must be between 0 and 1")
        if self.start_frames < 1 or self.warmup_frames < 0 or self.history < 1:
            raise ValueError("start_frames and history must be positive, warmup_frames >= 0")
        if self.quiet_s < 0:
            raise ValueError("quiet_s must not be negative")


def to_small_grey(image: npt.NDArray[numpy.uint8], width: int) -> GreyImage:
    """A BGRA, BGR or grey picture → grey, scaled down to ``width`` (never up)."""
    if image.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        grey = _u8(cv2.cvtColor(image, code))
    else:
        grey = image
    height, source_width = grey.shape[:2]
    if source_width <= width:
        return grey
    new_height = max(1, round(height * width / source_width))
    return _u8(cv2.resize(grey, (width, new_height), interpolation=cv2.INTER_AREA))


class MotionDetector:
    """Feed it pictures in order with their time (seconds, any monotonic origin)."""

    def __init__(self, tuning: MotionTuning | None = None) -> None:
        self.tuning = tuning or MotionTuning()
        self.examined = 0  # pictures seen since the last reset
        self.last_fraction = 0.0
        self._kernel = cv2.getStructuringElement(
            cv2.MORPH_RECT, (self.tuning.opening_px, self.tuning.opening_px))
        self.reset()

    @property
    def active(self) -> bool:
        return self._active

    def reset(self) -> None:
        """Forget the background (a new connection may show another scene): warm up again."""
        self._subtractor = cv2.createBackgroundSubtractorMOG2(
            history=self.tuning.history, varThreshold=self.tuning.var_threshold,
            detectShadows=False)
        self._reference: float | None = None
        self._size: tuple[int, int] | None = None
        self.examined = 0
        self._active = False
        self._moving_run = 0
        self._last_moving_at = 0.0
        self._episode_peak = 0.0
        self._episode_box: Box | None = None

    def end(self) -> MotionTransition | None:
        """The pictures stop (the stream or the client ends): STOP an active motion, then
        start afresh with the next picture."""
        stop = self._stop() if self._active else None
        self.reset()
        return stop

    def examine(self, image: npt.NDArray[numpy.uint8], at: float) -> MotionTransition | None:
        grey = to_small_grey(image, self.tuning.width)
        if self._size is not None and grey.shape[:2] != self._size:
            self.reset()  # the stream changed resolution: a new scene for the model
        self._size = (grey.shape[0], grey.shape[1])
        grey = self._level_brightness(grey)
        mask = _u8(self._subtractor.apply(grey))
        self.examined += 1
        if self.examined <= self.tuning.warmup_frames:
            return None
        if self.tuning.opening_px > 1:
            mask = _u8(cv2.morphologyEx(mask, cv2.MORPH_OPEN, self._kernel))
        changed = int(cv2.countNonZero(mask))
        fraction = changed / float(mask.shape[0] * mask.shape[1])
        self.last_fraction = fraction
        if fraction >= self.tuning.min_area_fraction:
            return self._moving(fraction, _box_of(mask), at)
        self._moving_run = 0
        if self._active and at - self._last_moving_at >= self.tuning.quiet_s:
            return self._stop()
        return None

    # ------------------------------------------------------------------ internals
    def _moving(self, fraction: float, box: Box, at: float) -> MotionTransition | None:
        self._moving_run += 1
        self._last_moving_at = at
        if self._active:
            self._episode_peak = max(self._episode_peak, fraction)
            self._episode_box = box if self._episode_box is None else self._episode_box.union(box)
            return None
        if self._moving_run < self.tuning.start_frames:
            return None
        self._active = True
        self._episode_peak, self._episode_box = fraction, box
        return MotionTransition(MotionChange.START, fraction, box)

    def _stop(self) -> MotionTransition:
        box = self._episode_box or Box(0.0, 0.0, 0.0, 0.0)
        transition = MotionTransition(MotionChange.STOP, self._episode_peak, box)
        self._active = False
        self._moving_run = 0
        self._episode_peak, self._episode_box = 0.0, None
        return transition

    def _level_brightness(self, grey: GreyImage) -> GreyImage:
        median = float(numpy.median(grey))
        if self._reference is None:
            self._reference = median
            return grey
        shift = self._reference - median
        self._reference += (median - self._reference) * self.tuning.brightness_follow
        if abs(shift) < 0.5:
            return grey
        return _u8(cv2.add(grey, numpy.array([shift]), dtype=cv2.CV_8U))


def _u8(array: npt.NDArray[numpy.generic]) -> GreyImage:
    """OpenCV's stubs type every result loosely; these are uint8 already (no copy)."""
    return numpy.asarray(array, dtype=numpy.uint8)


def _box_of(mask: GreyImage) -> Box:
    x, y, w, h = cv2.boundingRect(mask)
    height, width = mask.shape[:2]
    return Box(x / width, y / height, w / width, h / height)
