"""The tool windows the console opens (watch list, timelines, map...): one per key, raised
again when asked twice, closed with Escape, forgotten when closed. Shared by the
watch-list, sightings and map features, which each open their own."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

WindowKey = tuple[str, object]


class ToolWindows(QObject):
    def __init__(self, console: QWidget) -> None:
        super().__init__(console)
        self._console = console
        self.windows: dict[WindowKey, QWidget] = {}

    def show(self, key: WindowKey, window: QWidget) -> QWidget:
        window.setParent(self._console, Qt.WindowType.Window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if not isinstance(window, QDialog):  # a dialog closes on Escape by itself
            escape = QAction(window)
            escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
            escape.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            escape.triggered.connect(lambda _c=False, w=window: _escape(w))
            window.addAction(escape)
        window.destroyed.connect(lambda _o=None, k=key: self.windows.pop(k, None))
        self.windows[key] = window
        window.show()
        return window

    def existing(self, key: WindowKey) -> QWidget | None:
        """The open window for ``key``, shown and raised; None when there is none."""
        window = self.windows.get(key)
        if window is not None:
            window.show()
            window.raise_()
            window.activateWindow()
        return window

    def items(self) -> Iterator[tuple[WindowKey, QWidget]]:
        return iter(list(self.windows.items()))

    def close_all(self) -> None:
        for window in list(self.windows.values()):
            window.close()
        self.windows.clear()


def _escape(window: QWidget) -> None:
    # A window holding typing not saved yet asks first (the watch list's form).
    ask_first = getattr(window, "close_unless_unsaved", None)
    if callable(ask_first):
        ask_first()
    else:
        window.close()
