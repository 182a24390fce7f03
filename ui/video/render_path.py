"""Which path paints video: the GPU (OpenGL, YUV → RGB in a shader) or the CPU (swscale
to BGRA, QPainter blit).

Automatic: OpenGL when a context of at least OpenGL 2.1 or OpenGL ES 2 can be created,
else the CPU. ``COMMANDROOM_VIDEO_PATH=cpu|gl`` overrides; the offscreen platform (the
tests) has no OpenGL and gets the CPU unless a test asks for GL. A shader that does not
compile, or a context lost later, falls back to the CPU at run time (ui/video/grid.py).
"""

from __future__ import annotations

import enum
import logging
import os
from functools import cache

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication, QOffscreenSurface, QOpenGLContext

log = logging.getLogger(__name__)
ENV = "COMMANDROOM_VIDEO_PATH"
_tr = QCoreApplication.translate


class VideoPath(enum.Enum):
    CPU = "cpu"
    GL = "gl"


def path_text(path: VideoPath) -> str:
    """What the statistics overlay says about the path."""
    return {VideoPath.CPU: _tr("VideoPath", "CPU"), VideoPath.GL: _tr("VideoPath", "GL")}[path]


def chosen_path() -> VideoPath:
    wanted = os.environ.get(ENV, "").strip().lower()
    if wanted == VideoPath.CPU.value:
        return VideoPath.CPU
    if wanted != VideoPath.GL.value and QGuiApplication.platformName() == "offscreen":
        return VideoPath.CPU
    return VideoPath.GL if gl_available() else VideoPath.CPU


@cache
def gl_available() -> bool:
    """A context of OpenGL ≥ 2.1 or OpenGL ES ≥ 2 can be created and made current."""
    context = QOpenGLContext()
    if not context.create():
        log.info("video: no OpenGL context, painting on the CPU")
        return False
    surface = QOffscreenSurface()
    surface.setFormat(context.format())
    surface.create()
    try:
        if not context.makeCurrent(surface):
            log.info("video: OpenGL context cannot be made current, painting on the CPU")
            return False
        version = (context.format().majorVersion(), context.format().minorVersion())
        enough = version >= (2, 0) if context.isOpenGLES() else version >= (2, 1)
        log.info("video: OpenGL%s %d.%d, %s", " ES" if context.isOpenGLES() else "",
                 *version, "painting on the GPU" if enough else "too old, CPU")
        context.doneCurrent()
        return enough
    finally:
        surface.destroy()
