"""The dark theme: Fusion style, a dark palette and the stylesheet in resources/."""

from __future__ import annotations

from enum import Enum
from importlib import resources

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

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


# Outlines of check boxes and radio buttons: 5.7:1 against the window (#15181c), as WCAG
# 1.4.11 asks 3:1 of a control's boundary; 2.9:1 when disabled, dimmer on purpose.
INDICATOR_OUTLINE = "#8a939e"
INDICATOR_OUTLINE_DISABLED = "#5a626c"


class ReadableIndicators(QProxyStyle):
    """Fusion, with check boxes and radio buttons one can see on a dark palette.

    Fusion outlines them a shade DARKER than the window (on this palette #27292d on
    #15181c, 1.3:1): an unticked team in the alert dialog was all but invisible. The
    outline is drawn again over Fusion's, in the same place; the tick, the dot and the
    keyboard-focus outline stay Fusion's. Item views' check boxes go through here too.
    """

    _ELEMENTS = (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
                 QStyle.PrimitiveElement.PE_IndicatorRadioButton)

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in self._ELEMENTS:
            return
        state = option.state
        focus = QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_KeyboardFocusChange
        if state & focus == focus:
            return  # Fusion's highlighted outline says where the keyboard is
        enabled = bool(state & QStyle.StateFlag.State_Enabled)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(INDICATOR_OUTLINE if enabled
                                   else INDICATOR_OUTLINE_DISABLED), 1.0))
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if element == QStyle.PrimitiveElement.PE_IndicatorCheckBox:
            painter.drawRect(rect)
        else:
            painter.drawEllipse(rect)
        painter.restore()


def apply_dark_theme(app: QApplication) -> None:
    style = ReadableIndicators(QStyleFactory.create("Fusion"))
    app.setStyle(style)
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
