"""The console's first show on a screen that may be no bigger than its default size."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room a window manager takes around a window (title bar, borders), which Qt learns only
# once the window is shown.
FRAME_ALLOWANCE = 40


def show_fitting(window: QWidget) -> None:
    """At its size where that leaves room for the frame, else maximized: on a 1600 x 900
    screen the console's 1600 x 900 and its title bar ran past the bottom of the screen,
    and the status bar (the one-screen hint, the clock check, the operator) with it."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    if window.width() + FRAME_ALLOWANCE > area.width() \
            or window.height() + FRAME_ALLOWANCE > area.height():
        window.showMaximized()
    else:
        window.show()
