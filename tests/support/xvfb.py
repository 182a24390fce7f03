"""A private Xvfb for tests that need a real X server (GLX on llvmpipe, two screens)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def private_xvfb(*screens: str) -> Iterator[str]:
    """Start Xvfb with these screens ("1280x720x24", ...) on a display it picks itself
    (-displayfd: it writes the number once it is ready); yields ":N"."""
    xvfb = shutil.which("Xvfb")
    assert xvfb, "Xvfb is installed by scripts/install.sh --test"
    read_fd, write_fd = os.pipe()
    args = [xvfb, "-displayfd", str(write_fd)]
    for number, geometry in enumerate(screens):
        args += ["-screen", str(number), geometry]
    proc = subprocess.Popen([*args, "-nolisten", "tcp"], pass_fds=(write_fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as ready:
        display = ready.readline().strip()
    try:
        assert display, "Xvfb did not start"
        yield f":{display}"
    finally:
        proc.terminate()
        proc.wait(10)


@contextmanager
def running_openbox(display: str) -> Iterator[None]:
    """A real window manager on ``display`` (openbox, as on the walks): it decorates and
    places windows, which Xvfb alone and the offscreen platform never do. Ready once it
    has claimed the screen (_NET_SUPPORTING_WM_CHECK on the root window)."""
    openbox = shutil.which("openbox")
    assert openbox, "openbox is installed by scripts/install.sh --test"
    env = dict(os.environ, DISPLAY=display)
    proc = subprocess.Popen([openbox, "--sm-disable"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            probe = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env,
                                   capture_output=True, text=True, check=False)
            if "window id" in probe.stdout:
                break
            assert proc.poll() is None, "openbox exited"
            time.sleep(0.05)  # nothing to wait on but the root window: polled
        else:
            raise AssertionError("openbox did not take the screen")
        yield
    finally:
        proc.terminate()
        proc.wait(10)
