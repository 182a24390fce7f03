"""The dark theme: Fusion style, a dark palette and the stylesheet in resources/."""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication


def apply_dark_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#15181c",
        QPalette.ColorRole.WindowText: "#d8dde3",
        QPalette.ColorRole.Base: "#0f1215",
        QPalette.ColorRole.AlternateBase: "#161a1e",
        QPalette.ColorRole.Text: "#e8ecf0",
        QPalette.ColorRole.Button: "#252a31",
        QPalette.ColorRole.ButtonText: "#d8dde3",
        QPalette.ColorRole.Highlight: "#2d5a8c",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#23282f",
        QPalette.ColorRole.ToolTipText: "#e8ecf0",
        QPalette.ColorRole.PlaceholderText: "#6c7480",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    qss = resources.files("resources").joinpath("styles/dark.qss").read_text(encoding="utf-8")
    app.setStyleSheet(qss)
