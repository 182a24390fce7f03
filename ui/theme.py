"""The dark theme: Fusion style, a dark palette and the stylesheet in resources/."""

from __future__ import annotations

import re
from enum import Enum
from importlib import resources
from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

# A status line's colours: green when something was done, orange when it went wrong; a
# line that only says what is happening keeps the palette's text colour.
OK_COLOUR = "#6fd08c"
ERROR_COLOUR = "#ff9a70"


class Tone(Enum):
    INFO = "info"
    OK = "ok"
    ERROR = "error"


def tone_style(tone: Tone) -> str:
    colour = {Tone.OK: OK_COLOUR, Tone.ERROR: ERROR_COLOUR}.get(tone)
    return f"color: {colour};" if colour else ""


def show_status(label: QLabel, text: str, tone: Tone) -> None:
    """``text`` on ``label`` in the colour that says whether it is good or bad news."""
    label.setStyleSheet(tone_style(tone))
    label.setText(text)


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
    styles = resources.files("resources").joinpath("styles")
    qss = styles.joinpath("dark.qss").read_text(encoding="utf-8")
    app.setStyleSheet(with_absolute_urls(qss, str(styles)))


def with_absolute_urls(qss: str, folder: str) -> str:
    """Qt resolves a stylesheet's url(name) against the working directory, not the
    sheet's folder: the theme's images (check.svg) are named from ``folder``."""
    return re.sub(r"url\(([\w.-]+)\)",
                  lambda m: f"url({Path(folder, m.group(1)).as_posix()})", qss)
