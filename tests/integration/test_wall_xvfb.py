"""Acceptance: the real app on a real X server with two screens (Xvfb), screenshots of both."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.support.xvfb import private_xvfb

ROOT = Path(__file__).resolve().parents[2]
SIZE = (1280, 720)


@pytest.fixture
def two_screen_display() -> Iterator[str]:
    geometry = f"{SIZE[0]}x{SIZE[1]}x24"
    with private_xvfb(geometry, geometry) as display:
        yield display


@pytest.mark.integration
def test_console_and_wall_on_two_x_screens(two_screen_display: str, tmp_path: Path) -> None:
    env = dict(os.environ, DISPLAY=two_screen_display, QT_QPA_PLATFORM="xcb")
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.xvfb_wall_shot", str(tmp_path / "data"),
         str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(seen["screens"]) == 2
    assert seen["wall_screen"] == seen["screens"][1] and seen["wall_fullscreen"]
    assert seen["live"] and seen["banner"]
    assert seen["readers"] == seen["cameras_shown"] == 4  # one reader per distinct camera
    console = cv2.imread(str(tmp_path / "console.png"))
    wall = cv2.imread(str(tmp_path / "wall.png"))
    assert console.shape[1::-1] == wall.shape[1::-1] == SIZE
    # the banner's dark red (#8b0000) fills a band of the wall picture
    red = (wall[:, :, 2] > 110) & (wall[:, :, 1] < 30) & (wall[:, :, 0] < 30)
    assert red.mean() > 0.05
    # both screens show moving video, not a blank desktop
    assert np.std(console) > 20 and np.std(wall) > 20
