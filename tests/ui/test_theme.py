"""The dark theme (ui/theme.py, resources/styles/dark.qss): check boxes and radio
buttons one can see on it.

Measured on the widgets as painted, with the WCAG contrast ratio: plain Fusion outlines an
unticked box a shade darker than this palette's window (1.3:1), and an unticked team in
the alert dialog could not be told from empty space.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui.theme import apply_dark_theme


def _luminance(colour: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
    return (0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF())
            + 0.0722 * linear(colour.blueF()))


def _contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _edge_contrast(image: QImage, rect: QRect, background: QColor) -> float:
    """The best contrast against ``background`` along the left edge of ``rect`` (the
    outline, not the tick inside)."""
    x = rect.left()
    return max(_contrast(QColor(image.pixel(x, y)), background)
               for y in range(rect.top() + 2, rect.bottom() - 1))


@pytest.fixture
def dark(qapp: QApplication) -> Iterator[QApplication]:
    """The product's theme, then the test session's look back."""
    style, palette, sheet = qapp.style().name(), qapp.palette(), qapp.styleSheet()
    apply_dark_theme(qapp)
    try:
        yield qapp
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)
        qapp.setStyle(style)


def _indicator(button: QAbstractButton) -> QRect:
    option = QStyleOptionButton()
    option.initFrom(button)
    element = (QStyle.SubElement.SE_RadioButtonIndicator if isinstance(button, QRadioButton)
               else QStyle.SubElement.SE_CheckBoxIndicator)
    return button.style().subElementRect(element, option, button)


def _painted(qtbot: QtBot, button: QAbstractButton) -> tuple[QImage, QRect]:
    qtbot.addWidget(button)
    button.resize(160, 24)
    button.show()
    qtbot.waitExposed(button)
    return button.grab().toImage(), _indicator(button)


Make = Callable[[], QAbstractButton]


def _unticked() -> QAbstractButton:
    return QCheckBox("Case-handling team")


def _ticked() -> QAbstractButton:
    box = QCheckBox("Community policing team")
    box.setChecked(True)
    return box


def _radio() -> QAbstractButton:
    return QRadioButton("Caught")


def _checked_radio() -> QAbstractButton:
    radio = QRadioButton("Cleared")
    radio.setChecked(True)
    return radio


@pytest.mark.parametrize("make", [_unticked, _ticked, _radio], ids=["unticked", "ticked",
                                                                     "radio"])
def test_indicator_outline_stands_out_from_the_window(dark: QApplication, qtbot: QtBot,
                                                       make: Make) -> None:
    image, rect = _painted(qtbot, make())
    window = dark.palette().color(dark.palette().ColorRole.Window)
    # 3:1 is WCAG's floor for a control's boundary; the theme draws 5.7:1.
    assert _edge_contrast(image, rect, window) >= 4.5


@pytest.mark.parametrize(("make", "marked"), [(_unticked, False), (_ticked, True),
                                             (_radio, False), (_checked_radio, True)],
                         ids=["unticked", "ticked", "radio", "checked-radio"])
def test_the_tick_and_the_dot_show_inside(dark: QApplication, qtbot: QtBot, make: Make,
                                         marked: bool) -> None:
    """The tick is the theme's own image (check.svg, found wherever the app is installed,
    not in the working directory), the dot a gradient: light inside the box when on."""
    image, rect = _painted(qtbot, make())
    inside = rect.adjusted(3, 3, -3, -3)
    brightest = max(QColor(image.pixel(x, y)).lightness()
                    for x in range(inside.left(), inside.right() + 1)
                    for y in range(inside.top(), inside.bottom() + 1))
    assert (brightest > 180) is marked, brightest


def test_a_disabled_box_is_seen_and_looks_disabled(dark: QApplication, qtbot: QtBot) -> None:
    enabled_image, rect = _painted(qtbot, _unticked())
    disabled = _unticked()
    disabled.setEnabled(False)
    disabled_image, _ = _painted(qtbot, disabled)
    window = dark.palette().color(dark.palette().ColorRole.Window)
    dim = _edge_contrast(disabled_image, rect, window)
    assert 2.5 <= dim < _edge_contrast(enabled_image, rect, window) - 1.5


@pytest.mark.parametrize("by_tab", [True, False], ids=["tabbed", "set-by-the-code"])
def test_the_focused_box_shows_it(dark: QApplication, qtbot: QtBot, by_tab: bool) -> None:
    """Its outline turns blue, whether the officer tabbed there or a dialog put the focus
    there (the send dialog does, so that Space ticks the first team: in the walk nothing
    showed which box that was)."""
    form = QWidget()
    qtbot.addWidget(form)
    layout = QVBoxLayout(form)
    before, box = QLineEdit(), _unticked()
    layout.addWidget(before)
    layout.addWidget(box)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    rect = _indicator(box)
    plain = QColor(box.grab().toImage().pixel(rect.left(), rect.center().y()))
    if by_tab:
        QTest.keyClick(before, Qt.Key.Key_Tab)
    else:
        box.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(box.hasFocus)
    focused = QColor(box.grab().toImage().pixel(rect.left(), rect.center().y()))
    assert plain.blue() - plain.red() < 30  # the grey outline
    assert focused.blue() > focused.red() + 80  # the focus blue of the line edits


def test_item_view_check_boxes_are_outlined_too(dark: QApplication, qtbot: QtBot) -> None:
    """Teams and routing rules are ticked in lists: their unticked boxes show as well."""
    view = QListWidget()
    qtbot.addWidget(view)
    item = QListWidgetItem("Case-handling team")
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    view.addItem(item)
    view.resize(240, 80)
    view.show()
    qtbot.waitExposed(view)
    image = view.viewport().grab().toImage()
    row = view.visualItemRect(item)
    background = QColor(image.pixel(row.right() - 2, row.center().y()))
    best = max(_contrast(QColor(image.pixel(x, row.center().y())), background)
               for x in range(0, 24))
    assert best >= 4.5
