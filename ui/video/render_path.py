"""Which path paints video: the GPU (OpenGL, YUV → RGB in a shader) or the CPU (swscale
to BGRA, QPainter blit).

Automatic: OpenGL when a context of at least OpenGL 2.1 or OpenGL ES 2 can be created on
a GPU, else the CPU. A software renderer (Mesa llvmpipe, softpipe, swrast: a machine
without a GPU driver, Xvfb) gets the CPU too: there the shader and, above all, Qt's
composition of the whole window run on the processor, and an empty 1920×1080
QOpenGLWidget alone repaints only 13 times a second on the 2-core test machine under
Xvfb (110 at 960×540). ``COMMANDROOM_VIDEO_PATH=cpu|gl`` overrides (gl also on a software
renderer: the tests); the offscreen platform has no OpenGL and gets the CPU. A shader that does not
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
_GL_RENDERER = 0x1F01


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
    forced = wanted == VideoPath.GL.value
    if not forced and QGuiApplication.platformName() == "offscreen":
        return VideoPath.CPU
    usable, software = gl_available()
    if usable and software and not forced:
        log.info("video: software OpenGL renderer, painting on the CPU (%s=gl forces GL)",
                 ENV)
        return VideoPath.CPU
    return VideoPath.GL if usable else VideoPath.CPU


_SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swrast", "software rasterizer")


@cache
def gl_available() -> tuple[bool, bool]:
    """(a context of OpenGL ≥ 2.1 or OpenGL ES ≥ 2 can be made current, it renders in
    software)."""
    context = QOpenGLContext()
    if not context.create():
        log.info("video: no OpenGL context, painting on the CPU")
        return False, False
    surface = QOffscreenSurface()
    surface.setFormat(context.format())
    surface.create()
    try:
        if not context.makeCurrent(surface):
            log.info("video: OpenGL context cannot be made current, painting on the CPU")
            return False, False
        version = (context.format().majorVersion(), context.format().minorVersion())
        enough = version >= (2, 0) if context.isOpenGLES() else version >= (2, 1)
        renderer = str(context.functions().glGetString(_GL_RENDERER) or "")
        software = any(name in renderer.lower() for name in _SOFTWARE_RENDERERS)
        log.info("video: OpenGL%s %d.%d on %s%s", " ES" if context.isOpenGLES() else "",
                 *version, renderer, "" if enough else " (too old: CPU)")
        context.doneCurrent()
        return enough, software
    finally:
        surface.destroy()
