"""What a grid preset is called in menus, the toolbar and the wall's layout box."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from commandroom.cameras.layouts import BIG_WALL

# A function, not a QObject: an explicit context lupdate and Qt agree on.
_tr = QCoreApplication.translate


def layout_label(name: str) -> str:
    """The label of preset ``name``: "4 tiles", "1 tile", "4 large + 20 small tiles"."""
    if name == "1":
        return _tr("LayoutLabels", "1 tile")
    if name == BIG_WALL:
        return _tr("LayoutLabels", "4 large + 20 small tiles")
    return _tr("LayoutLabels", "%1 tiles").replace("%1", name)
