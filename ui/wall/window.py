"""The wall window: no chrome, fullscreen on its own screen, large type, a clock."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.video.grid import VideoGrid
from ui.wall.banner import AlertBanner


class WallWindow(QWidget):
    closed_by_user = Signal()
    quit_requested = Signal()  # Ctrl+Q here quits the application, as on the console

    def __init__(self, grid: VideoGrid, font_scale: float, show_clock: bool) -> None:
        super().__init__(None)
        self.setObjectName("wall")
        self.setWindowTitle(self.tr("Wall"))  # + " — Command room" by the window system
        # Sizes go in the style sheet: the app's style sheet sets font-size on every widget,
        # which would override setFont().
        self.setStyleSheet(
            "#wall { background: #000000; } QLabel { color: #f2f2f2; background: transparent; }"
            f"QLabel#wallTitle, QLabel#wallClock {{ font-size: {int(18 * font_scale)}pt;"
            " font-weight: bold; }"
            f"QLabel#wallNote {{ font-size: {int(11 * font_scale)}pt; color: #ffb040; }}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        # The officer types on the console: showing the wall must not take the keyboard.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        quit_action = QAction(self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        quit_action.triggered.connect(lambda _c=False: self.quit_requested.emit())
        self.addAction(quit_action)
        self.grid = grid
        grid.setParent(self)
        self.title = QLabel(self.tr("Command room"))
        self.note = QLabel()  # e.g. "only one screen: shown as a window"
        self.clock = QLabel()
        self.title.setObjectName("wallTitle")
        self.clock.setObjectName("wallClock")
        self.note.setObjectName("wallNote")
        # The note wraps instead of setting the window's minimum width: with one screen
        # the wall is a window beside the console, narrower than the sentence.
        self.note.setWordWrap(True)
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header = QHBoxLayout()
        header.setContentsMargins(12, 6, 12, 6)
        header.addWidget(self.title)
        header.addSpacing(24)
        header.addWidget(self.note, 1)
        header.addWidget(self.clock)
        self.clock.setVisible(show_clock)
        self.banner = AlertBanner(font_scale, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(grid, 1)
        layout.addWidget(self.banner)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(1000)
        self._tick()
        self.shutting_down = False

    def _tick(self) -> None:
        self.clock.setText(datetime.now().strftime("%H:%M:%S"))

    def closeEvent(self, event: QCloseEvent) -> None:
        # The wall is driven from the console; closing it by hand (Alt+F4 on the wall
        # screen) only hides it, and the console can show it again.
        if not self.shutting_down:
            self.closed_by_user.emit()
        super().closeEvent(event)
