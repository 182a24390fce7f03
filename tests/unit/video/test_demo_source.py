from __future__ import annotations

import time

import numpy
import pytest

from commandroom.video.demo_source import DemoParams, JunctionScene, ascii_label


def test_params_from_url_with_encoded_chinese_label() -> None:
    params = DemoParams.parse("demo://north-gate?w=321&h=180&fps=10&label=%E5%8C%97%E9%97%A8")
    assert (params.name, params.width, params.height, params.fps) == ("north-gate", 320, 180, 10)
    assert params.label == "北门"
    assert DemoParams.parse("demo://x").width == 640


@pytest.mark.parametrize("query", ["w=abc", "fps=0", "h=99999"])
def test_bad_params_say_which(query: str) -> None:
    with pytest.raises(ValueError, match="demo source: "):
        DemoParams.parse(f"demo://x?{query}")


def test_ascii_fallback_for_burned_in_text() -> None:
    assert ascii_label("Gate 3") == "Gate 3"
    assert ascii_label("北门 Gate") == "?? Gate"
    assert ascii_label("北门") == "CAMERA"


def test_scene_moves_and_clock_ticks() -> None:
    scene = JunctionScene(DemoParams("t", 320, 180, 25))
    wall = time.time()
    first = scene.render(0, wall).copy()
    later = scene.render(12, wall + 0.48).copy()
    assert first.shape == (270, 320)  # I420: h * 3/2 rows
    y_first, y_later = first[:180], later[:180]
    bar = scene.bar_h
    assert not numpy.array_equal(y_first[bar:], y_later[bar:]), "nothing moved"
    assert not numpy.array_equal(y_first[:bar], y_later[:bar]), "the clock did not tick"


def test_a_frame_rendered_late_burns_in_the_time_it_is_due() -> None:
    """A busy machine renders a frame late; like a camera's capture time, its burned-in
    clock says when the frame belongs (its pts on the wall clock), which is the time the
    recording gives it. Replay compares burned-in clocks across tiles with this."""
    import threading

    from commandroom.video.demo_source import DemoSource

    stop = threading.Event()
    source = DemoSource("demo://late?w=160&h=96&fps=25", stop)
    burned: list[tuple[int, float]] = []
    render = source.scene.render

    def slow_render(n: int, wall: float) -> object:
        burned.append((n, wall))
        if len(burned) == 3:
            time.sleep(0.3)  # this frame takes 300 ms to make: the next ones are late
        return render(n, wall)

    source.scene.render = slow_render  # type: ignore[method-assign]
    for _ in source.packets():
        if len(burned) >= 8:
            break
    stop.set()
    n0, wall0 = burned[0]
    for n, wall in burned[1:]:
        assert wall - wall0 == pytest.approx((n - n0) / 25, abs=1e-6), burned


@pytest.mark.parametrize("main", [True, False], ids=["main", "sub"])
def test_burned_in_clock_and_label_do_not_overlap(main: bool) -> None:
    """Seen replaying the 1280x720 main stream: '14:43:21.257' ran into 'CAM-04'. The
    widest clock and each demo label keep a clear gap at both demo sizes."""
    import cv2

    from commandroom.cameras.demo_cameras import _DEMO, demo_url

    font = cv2.FONT_HERSHEY_SIMPLEX
    for index, (_name, _junction, label) in enumerate(_DEMO, start=1):
        scene = JunctionScene(DemoParams.parse(demo_url(index, label, main)))
        widest = "2026-12-28 20:08:08.888"
        (clock_w, _), _ = cv2.getTextSize(widest, font, scene.font_scale, scene.thickness)
        (label_w, _), _ = cv2.getTextSize(scene.label, font, scene.font_scale,
                                          scene.thickness)
        clock_end, label_start = 6 + clock_w, scene.w - 6 - label_w
        assert label_start - clock_end >= scene.bar_h // 4, (label, clock_end, label_start)
