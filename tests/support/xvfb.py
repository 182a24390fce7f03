"""A private Xvfb for tests that need a real X server (GLX on llvmpipe, two screens)."""

from __future__ import annotations

import os
import shutil
import subprocess
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
