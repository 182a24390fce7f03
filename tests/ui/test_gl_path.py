"""The GPU video path (issue 18): the GL surface against the CPU path, pixel by pixel,
on a real X server with Mesa llvmpipe (the offscreen platform the UI tests use has no
OpenGL, so the rendering runs in a child process: tests/support/gl_render_check.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from commandroom.video.state import StreamStats
from tests.support.rtsp import ensure_test_clip
from tests.support.xvfb import private_xvfb
from ui.video.grid import VideoGrid
from ui.video.render_path import ENV, VideoPath, chosen_path
from ui.video.status_text import stats_lines

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gl_display() -> Iterator[str]:
    """A private Xvfb (GLX on llvmpipe)."""
    with private_xvfb("1280x720x24") as display:
        yield display


@pytest.fixture(scope="module")
def rendered(gl_display: str) -> dict[str, Any]:
    env = dict(os.environ, DISPLAY=gl_display, QT_QPA_PLATFORM="xcb")
    env.pop(ENV, None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.gl_render_check", str(ensure_test_clip())],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    seen: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return seen


def test_gl_matches_the_cpu_path_on_the_test_clip(rendered: dict[str, Any]) -> None:
    full = rendered["clip"]["full"]
    assert full["gl_shape"] == full["cpu_shape"] == [360, 640]
    assert full["std"] > 40  # a picture, not a flat failure colour
    assert full["psnr"] >= 40.0, full
    assert full["gl_bgra_psnr"] >= 48.0, full  # BGRA frames on the GL surface: 1:1
    assert full["cpu_from_planes_psnr"] >= 40.0, full  # planes on a CPU tile (fallback)
    # Scaled to half size the two paths scale differently (YUV then RGB, or straight to
    # RGB); swscale's own two ways differ as much on testsrc2's fine text (26-31 dB).
    half = rendered["clip"]["half"]
    assert half["gl_shape"] == half["cpu_shape"] == [180, 320]
    assert half["psnr"] >= 26.0, half
    # At three quarters the worker sends the planes as decoded and the shader scales them
    # with an area filter built to match the CPU path's swscale AREA: 47.9 dB measured
    # (28.9 dB with plain linear sampling; 48.7 dB is the two paths' own 1:1 figure).
    three = rendered["clip"]["three_quarters"]
    assert three["planes_size"] == [640, 360]
    assert three["gl_shape"] == three["cpu_shape"] == [270, 480]
    assert three["psnr"] >= 45.0, three


@pytest.mark.parametrize(("case", "shape"), [("scale_0.9", [324, 576]),
                                             ("scale_0.65", [234, 416])])
def test_the_shaders_downscale_matches_the_cpu_path_down_to_its_limit(
        rendered: dict[str, Any], case: str, shape: list[int]) -> None:
    # 0.65 is SHADER_MIN_SCALE: 48.1 and 48.3 dB measured (29.3 and 27.7 dB linear)
    scaled = rendered["clip"][case]
    assert scaled["planes_size"] == [640, 360]  # the shader scales, not the worker
    assert scaled["gl_shape"] == scaled["cpu_shape"] == shape
    assert scaled["psnr"] >= 45.0, scaled


@pytest.mark.parametrize("case", ["bt601-limited", "bt709-limited", "bt601-full-yuvj",
                                  "bt709-full"])
def test_colour_bars_come_out_as_encoded_on_both_paths(rendered: dict[str, Any],
                                                       case: str) -> None:
    worst = rendered["bars"][case]  # largest error of any channel of any bar, 0..255
    assert worst["gl"] <= 3 and worst["cpu"] <= 3, worst


def test_a_shader_that_does_not_compile_falls_back_to_the_cpu(
        rendered: dict[str, Any]) -> None:
    fallback = rendered["fallback"]
    assert fallback["fell_back"] and fallback["path"] == "cpu"
    assert fallback["label"] == "CPU"  # what the statistics overlay says
    assert fallback["painted"] and fallback["picture_std"] > 40  # video, not black


def test_a_software_renderer_gets_the_cpu_path_unless_gl_is_asked_for(
        rendered: dict[str, Any]) -> None:
    assert rendered["auto_path"] == "cpu"  # Mesa llvmpipe under Xvfb
    assert rendered["forced_path"] == "gl"


def test_offscreen_tests_get_the_cpu_path_unless_asked(qtbot: QtBot,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert chosen_path() is VideoPath.CPU
    monkeypatch.setenv(ENV, "cpu")
    assert chosen_path() is VideoPath.CPU
    grid = VideoGrid(lambda *_: None, lambda _id: None, 10**6)  # type: ignore[arg-type,return-value]
    qtbot.addWidget(grid)
    assert grid.gl_surface is None and grid.video_path is VideoPath.CPU


def test_the_statistics_line_names_the_path() -> None:
    stats = StreamStats(fps=25.0, latency_ms=3.0, width=1920, height=1080, codec="h264",
                        bitrate_kbps=2000.0)
    assert stats_lines(stats, "GL")[0].endswith("· h264 · 2000 kbit/s · GL")
    assert stats_lines(stats, "CPU")[0].endswith("· CPU")
