"""The motion detector on synthetic pictures: a still scene, a moving block, noise and
brightness flicker (pictures at 5 per second, as the local motion client examines them)."""

from __future__ import annotations

import numpy
import numpy.typing as npt
import pytest

from commandroom.camera_events.motion_detector import (
    Box,
    MotionChange,
    MotionDetector,
    MotionTransition,
    MotionTuning,
    to_small_grey,
)

WIDTH, HEIGHT = 640, 360
STEP_S = 0.2  # 5 pictures a second
BLOCK = 60  # px at 640 wide: 30 px at the detector's 320, ~1.6 % of the picture


def _scene(seed: int = 1) -> npt.NDArray[numpy.int16]:
    """A textured still background (a street is not a flat colour)."""
    rng = numpy.random.default_rng(seed)
    coarse = rng.integers(40, 200, size=(HEIGHT // 20, WIDTH // 20), dtype=numpy.int16)
    return numpy.kron(coarse, numpy.ones((20, 20), dtype=numpy.int16))


def _picture(base: npt.NDArray[numpy.int16], rng: numpy.random.Generator, *,
             noise: float = 2.0, brightness: float = 0.0,
             block_at: tuple[int, int] | None = None) -> npt.NDArray[numpy.uint8]:
    grey = base.astype(numpy.float32) + brightness
    grey += rng.normal(0.0, noise, size=grey.shape).astype(numpy.float32)
    if block_at is not None:
        x, y = block_at
        grey[y:y + BLOCK, x:x + BLOCK] = 250.0
    bgr = numpy.repeat(numpy.clip(grey, 0, 255).astype(numpy.uint8)[:, :, None], 3, axis=2)
    # BGRA like the hub's frames
    return numpy.concatenate([bgr, numpy.full((HEIGHT, WIDTH, 1), 255, numpy.uint8)], axis=2)


def _run(detector: MotionDetector, pictures: list[npt.NDArray[numpy.uint8]],
         start_at: float = 0.0) -> list[tuple[int, MotionTransition]]:
    found = []
    for index, picture in enumerate(pictures):
        transition = detector.examine(picture, start_at + index * STEP_S)
        if transition is not None:
            found.append((index, transition))
    return found


def _still(count: int, rng: numpy.random.Generator, base: npt.NDArray[numpy.int16], *,
           noise: float = 2.0, brightness: float = 0.0) -> list[npt.NDArray[numpy.uint8]]:
    return [_picture(base, rng, noise=noise, brightness=brightness) for _ in range(count)]


def test_a_still_scene_with_sensor_noise_gives_nothing() -> None:
    rng = numpy.random.default_rng(7)
    detector = MotionDetector()
    assert _run(detector, _still(100, rng, _scene(), noise=3.0)) == []
    assert detector.examined == 100
    assert not detector.active


def test_a_moving_block_starts_within_a_few_pictures_then_stops_after_the_quiet_period(
) -> None:
    tuning = MotionTuning()
    rng = numpy.random.default_rng(3)
    base = _scene()
    warm = _still(tuning.warmup_frames + 5, rng, base)
    moving = [_picture(base, rng, block_at=(40 + 25 * i, 100 + 5 * i)) for i in range(20)]
    still_after = _still(40, rng, base)
    found = _run(MotionDetector(tuning), warm + moving + still_after)

    assert [t.change for _, t in found] == [MotionChange.START, MotionChange.STOP]
    (start_index, start), (stop_index, stop) = found
    first_moving = len(warm)
    assert first_moving <= start_index < first_moving + tuning.start_frames + 1
    assert start.fraction >= tuning.min_area_fraction
    # The box is where the block was (normalised to the picture), not the whole picture.
    assert start.box.width < 0.35 and start.box.height < 0.4
    block_x = (40 + 25 * (start_index - first_moving)) / WIDTH
    assert start.box.x <= block_x + 0.02 and start.box.x + start.box.width >= block_x
    # STOP after quiet_s with no movement: not before, and not long after.
    last_moving = first_moving + len(moving) - 1
    quiet_pictures = round(tuning.quiet_s / STEP_S)
    assert last_moving + quiet_pictures <= stop_index <= last_moving + quiet_pictures + 2
    # STOP covers the whole path the block took.
    assert stop.box.width > start.box.width and stop.fraction >= start.fraction


def test_a_pause_shorter_than_the_quiet_period_is_one_event_not_two() -> None:
    tuning = MotionTuning(quiet_s=3.0)
    rng = numpy.random.default_rng(5)
    base = _scene()
    warm = _still(tuning.warmup_frames + 5, rng, base)

    def moves(offset: int) -> list[npt.NDArray[numpy.uint8]]:
        return [_picture(base, rng, block_at=(offset + 30 * i, 150)) for i in range(6)]

    pause = _still(round(tuning.quiet_s / STEP_S) - 3, rng, base)  # 2.4 s < 3 s
    pictures = warm + moves(20) + pause + moves(300) + _still(30, rng, base)
    found = _run(MotionDetector(tuning), pictures)
    assert [t.change for _, t in found] == [MotionChange.START, MotionChange.STOP]


@pytest.mark.parametrize("amplitude", [4.0, 12.0, 30.0])
def test_brightness_flicker_and_noise_give_nothing(amplitude: float) -> None:
    """Auto exposure pumping the whole picture up and down at random after a steady
    warm-up, on a noisy sensor: the whole picture changes, nothing moves."""
    rng = numpy.random.default_rng(11)
    base = _scene()
    tuning = MotionTuning()
    pictures = _still(tuning.warmup_frames + 5, rng, base, noise=3.0)
    pictures += [_picture(base, rng, noise=3.0,
                          brightness=float(rng.uniform(-amplitude, amplitude)))
                 for _ in range(60)]
    detector = MotionDetector(tuning)
    assert _run(detector, pictures) == []
    assert detector.last_fraction < tuning.min_area_fraction


def test_lights_coming_on_are_not_motion() -> None:
    """One sudden step of the whole picture's brightness (street lights, IR cut filter)."""
    rng = numpy.random.default_rng(29)
    base = _scene()
    tuning = MotionTuning()
    pictures = _still(tuning.warmup_frames + 5, rng, base)
    pictures += _still(40, rng, base, brightness=35.0)
    assert _run(MotionDetector(tuning), pictures) == []


def test_a_change_smaller_than_the_threshold_gives_nothing() -> None:
    """A few pixels blinking (a clock's digits, a tiny far-away leaf) are not motion."""
    rng = numpy.random.default_rng(13)
    base = _scene()
    tuning = MotionTuning()
    pictures = []
    for i in range(tuning.warmup_frames + 40):
        picture = _picture(base, rng)
        if i % 2:
            picture[10:18, 10:40, :3] = 255  # 8x30 px of 640x360: 0.1 % of the picture
        pictures.append(picture)
    assert _run(MotionDetector(tuning), pictures) == []


def test_warm_up_pictures_are_never_reported_even_when_they_differ() -> None:
    rng = numpy.random.default_rng(17)
    base = _scene()
    tuning = MotionTuning(warmup_frames=10)
    pictures = [_picture(base, rng, block_at=(30 * i, 50)) for i in range(tuning.warmup_frames)]
    detector = MotionDetector(tuning)
    assert _run(detector, pictures) == []
    assert detector.examined == tuning.warmup_frames


def test_end_stops_an_active_motion_and_warms_up_again() -> None:
    rng = numpy.random.default_rng(19)
    base = _scene()
    tuning = MotionTuning()
    detector = MotionDetector(tuning)
    warm = _still(tuning.warmup_frames + 3, rng, base)
    moving = [_picture(base, rng, block_at=(40 + 30 * i, 120)) for i in range(5)]
    assert [t.change for _, t in _run(detector, warm + moving)] == [MotionChange.START]
    stop = detector.end()
    assert stop is not None and stop.change is MotionChange.STOP
    assert not detector.active and detector.examined == 0
    assert detector.end() is None  # nothing active: nothing to stop


def test_small_grey_scales_down_keeping_the_aspect_and_never_up() -> None:
    rng = numpy.random.default_rng(23)
    picture = _picture(_scene(), rng)
    assert to_small_grey(picture, 320).shape == (180, 320)
    assert to_small_grey(picture[:, :, :3], 320).shape == (180, 320)
    assert to_small_grey(picture[:100, :200], 320).shape == (100, 200)


def test_box_text_and_union() -> None:
    box = Box(0.1, 0.2, 0.3, 0.1).union(Box(0.35, 0.25, 0.1, 0.2))
    assert box.as_text() == "0.1000,0.2000,0.3500,0.2500"


def test_tuning_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        MotionTuning(min_area_fraction=0.0)
    with pytest.raises(ValueError):
        MotionTuning(start_frames=0)
