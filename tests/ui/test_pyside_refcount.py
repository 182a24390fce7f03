"""Guards the PySide6 pin: calling Qt methods must not eat references to None.

PySide6 6.12.0 on Python 3.11 decrements None's refcount on every void method call;
a long shift of repaints then kills the app with "deallocating None".
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def test_void_calls_keep_none_alive(qtbot: QtBot, qapp: QApplication) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(2000):
        widget.update()
        widget.resize(100, 100)
        qapp.processEvents()
    # other threads may hold a few None references more or less; 6000 calls would
    # have dropped 6000 with the broken build.
    assert abs(sys.getrefcount(None) - before) < 500
