"""The GPU path fed by a reader in a worker process (issue 18): the worker publishes 4:2:0
planes into the shared-memory slot, and the GL tile paints the same picture as the CPU
path and as an in-process frame would. GL runs in a child process on a private Xvfb
(llvmpipe), as in test_gl_path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.xvfb import private_xvfb
from ui.video.render_path import ENV

ROOT = Path(__file__).resolve().parents[2]


def test_a_worker_fed_gl_tile_paints_what_the_cpu_path_paints() -> None:
    with private_xvfb("1280x720x24") as display:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        env.pop(ENV, None)
        env.pop("COMMANDROOM_READER_PROCESSES", None)
        result = subprocess.run(
            [sys.executable, "-m", "tests.support.gl_worker_check"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"worker-fed GL tile: PSNR {seen['psnr_vs_cpu']:.1f} dB against the CPU path")
    assert seen["shared"], seen  # the planes view the shared segment: no copy here
    assert seen["strides"][0] >= 640 and seen["strides"][1] >= 320, seen
    assert seen["gl_shape"] == seen["cpu_shape"] == [360, 640]
    assert seen["std"] > 20, seen  # a picture, not a flat failure colour
    assert seen["psnr_vs_cpu"] >= 40.0, seen
    assert seen["psnr_vs_in_process"] >= 48.0, seen  # the same planes, the same pixels
