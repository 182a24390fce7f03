"""Acceptance (issue 18, build item 4): a 3840x2160 wall of 4 tiles of 1080p main streams and
16 tiles of sub streams. The real app runs in a child process (tests/support/xvfb_big_wall.py)
with its wall fullscreen on a 3840x2160 Xvfb screen, layout "4+20", the cameras on the RTSP
test server: each has a 1920x1080 main stream (/mainN) and a 640x360 sub stream (/clipN)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commandroom.config import VideoSettings
from tests.support.rtsp import RtspTestServer, ensure_main_clip, ensure_test_clip
from tests.support.xvfb import private_xvfb
from ui.video.render_path import ENV

ROOT = Path(__file__).resolve().parents[2]
CAMERAS = 20  # 4 on the big tiles, 16 on small ones; the 4 last small tiles stay empty
SECONDS = 4.0  # of streaming measured, after all 20 tiles show their chosen stream
# A big wall runs its readers in worker processes (VideoSettings.reader_processes, item 1):
# with 20 reader threads in the GUI process the 4K wall's GUI thread starves for the GIL
# (bench/README.md, "Big wall": < 1 painted fps on the shared 2-core box, 3 fps with 2
# workers; the same 20 streams on a 1920x1080 wall paint ~20 fps with threads).
READER_PROCESSES = 2
# "Frozen": no new picture for as long as the app itself takes to call a stream stalled.
FROZEN_S = VideoSettings().stall_after_s


@pytest.fixture(scope="module")
def big_wall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data = tmp_path_factory.mktemp("big-wall")
    server = RtspTestServer(live_mounts=0, clip=ensure_test_clip(), clip_mounts=CAMERAS,
                            main_clip=ensure_main_clip(), main_clip_mounts=CAMERAS)
    with server, private_xvfb("1280x720x24", "3840x2160x24") as display:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        env.pop(ENV, None)  # the path the app chooses itself (CPU on llvmpipe)
        env.pop("COMMANDROOM_READER_PROCESSES", None)
        result = subprocess.run(
            [sys.executable, "-m", "tests.support.xvfb_big_wall", str(data / "app"),
             str(server.port), str(CAMERAS), str(SECONDS), str(READER_PROCESSES)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
        assert result.returncode == 0, result.stderr[-3000:]
        seen: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        seen["port"] = server.port
        yield seen


@pytest.mark.integration
def test_big_tiles_play_the_main_stream_and_small_tiles_the_sub_stream(
        big_wall: dict[str, Any]) -> None:
    seen = big_wall
    base = f"rtsp://127.0.0.1:{seen['port']}"
    assert seen["screens"][1][1:] == [3840, 2160]
    assert seen["wall_fullscreen"] and seen["wall_size"] == [3840, 2160]
    assert seen["grid"] == "4+20" and seen["tile_count"] == 24
    assert seen["live"] and seen["steady"], seen
    tiles = seen["tiles"]
    assert [t["index"] for t in tiles] == list(range(CAMERAS))
    for tile in tiles[:4]:  # big: ~1280x700, wider than main_stream_min_width
        camera = tile["index"] + 1
        assert tile["size"][0] >= VideoSettings().main_stream_min_width, tile
        assert tile["url"] == f"{base}/main{camera}" and tile["stream"] == [1920, 1080], tile
    for tile in tiles[4:]:  # small: ~640x350
        camera = tile["index"] + 1
        assert tile["size"][0] < VideoSettings().main_stream_min_width, tile
        assert tile["url"] == f"{base}/clip{camera}" and tile["stream"] == [640, 360], tile
    assert not any(t["pending"] for t in tiles)
    # The hub runs exactly these 20 readers: no main stream behind a small tile, and the
    # sub streams the big tiles started on (before the wall had its size) were let go.
    expected = [f"{base}/main{i}" for i in range(1, 5)]
    expected += [f"{base}/clip{i}" for i in range(5, CAMERAS + 1)]
    assert seen["opened"] == sorted(expected)
    assert seen["readers"] == CAMERAS


@pytest.mark.integration
def test_every_tile_paints_and_nothing_freezes(big_wall: dict[str, Any]) -> None:
    tiles = big_wall["tiles"]
    figures = [(t["index"], round(t["paints_per_s"] * SECONDS), round(t["seq_fps"], 1),
                round(t["longest_gap_s"], 2)) for t in tiles]
    # Every tile shows new pictures in the window (the painted frame number advances, seen
    # by a 10 ms timer on the GUI thread: at least twice) ...
    assert all(round(t["paints_per_s"] * SECONDS) >= 2 for t in tiles), figures
    # ... none waits as long as a stalled stream for its next one, and the GUI thread
    # was never busy that long in one go.
    assert all(t["longest_gap_s"] < FROZEN_S for t in tiles), figures
    assert big_wall["lag_max_ms"] < FROZEN_S * 1000, big_wall["lag_max_ms"]
