"""Collect the text a person sees on a window, and find the English words in it.

Used by tests/ui/test_zh_cn_screens.py: every visible label, button, title, menu entry,
tooltip, placeholder, list/table/tree header and cell, status bar message and video tile
text of a window, with where it was found, so a failure says what to translate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QTreeView,
    QWidget,
)

from commandroom.video.state import StreamState
from ui.video.status_text import status_line
from ui.video.tile import VideoTile

# Words allowed in a Chinese screen, lower case. Everything else in Latin letters fails.
ALLOWED = {
    # Units, as Chinese software prints them.
    "fps", "ms", "kb", "mb", "gb", "kbps", "mbps", "px", "dpi",
    # Codecs and file formats, named by their acronyms.
    "hevc", "mjpeg", "jpeg", "jpg", "png", "csv", "pdf", "utf", "toml", "mp", "aac",
    # Protocols and products, named as the vendors and the teams' phones name them.
    "onvif", "rtsp", "rtp", "mqtt", "smtp", "http", "https", "tcp", "udp", "tls", "url",
    "ip", "ptz", "hmac", "wecom", "dingtalk", "webhook",
    # Camera events: Hikvision's protocol and ONVIF's subscription kind by their names, the
    # recorder and the processor as Chinese installers write them.
    "isapi", "pullpoint", "nvr", "cpu",
    # Key names as printed on the keycaps.
    "ctrl", "alt", "shift", "enter", "esc", "tab", "delete", "del",
    # The program's name as typed in a terminal, and the file a warning points to.
    "commandroom", "readme",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")  # single letters: the "x" of 3x3, "s" of 30 s
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://\S*")
_PATH = re.compile(r"(?<![\w.])/[\w./-]+")  # file paths: the operator's own folders
_EMAIL = re.compile(r"\S+@\S+\.\w+")
# A settings key the administrator types as it is (alerts.ack_public_url): code, not words.
_SETTING = re.compile(r"\b[a-z]+(?:[._][a-z0-9]+)+\b")


@dataclass(frozen=True)
class Seen:
    window: str
    where: str
    text: str


def english_words(text: str, data_words: set[str]) -> list[str]:
    """Latin-letter words in ``text`` that are neither allowed nor user/demo data."""
    text = _SETTING.sub(" ", _EMAIL.sub(" ", _PATH.sub(" ", _URL.sub(" ", text))))
    return [w for w in _WORD.findall(text)
            if w.lower() not in ALLOWED and w.lower() not in data_words]


def _plain(text: str) -> str:
    if "<" in text and ">" in text:  # rich text: what shows is the text between the tags
        return QTextDocumentFragment.fromHtml(text).toPlainText()
    return text


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget is root or widget.isVisibleTo(root)


def _model_texts(model: QAbstractItemModel, parent: QModelIndex, verbatim: set[int],
                 depth: int = 0) -> Iterator[str]:
    rows = min(model.rowCount(parent), 200)
    for row in range(rows):
        for column in range(model.columnCount(parent) if not _is_list(model) else 1):
            if column in verbatim:
                continue
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if isinstance(value, str) and value:
                    yield value
            if column == 0 and depth < 4 and not _is_list(model) and model.rowCount(index):
                yield from _model_texts(model, index, verbatim, depth + 1)


def _is_list(model: QAbstractItemModel) -> bool:
    return isinstance(model, QAbstractListModel)


def _header_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None or _is_list(model):
        return
    if isinstance(view, QTableView) and view.horizontalHeader().isHidden():
        return
    if isinstance(view, QTreeView) and view.isHeaderHidden():
        return
    for section in range(model.columnCount(QModelIndex())):
        value = model.headerData(section, Qt.Orientation.Horizontal,
                                 Qt.ItemDataRole.DisplayRole)
        if isinstance(value, str):
            yield value


def _menu_texts(menu: QMenu, path: str) -> Iterator[tuple[str, str]]:
    menu.aboutToShow.emit()  # menus filled when opened (named layouts, screens)
    yield f"{path} menu", menu.title()
    for action in menu.actions():
        yield from _action_texts(action, f"{path}/{menu.title()}")


def _action_texts(action: QAction, path: str) -> Iterator[tuple[str, str]]:
    if action.isSeparator():
        return
    submenu = action.menu()
    if isinstance(submenu, QMenu):
        yield from _menu_texts(submenu, path)
        return
    if action.text():
        yield f"{path} entry", action.text()
    if action.toolTip() and action.toolTip() != action.text().replace("&", ""):
        yield f"{path} entry tooltip", action.toolTip()


def _tile_texts(tile: VideoTile) -> Iterator[str]:
    if tile.camera is None:
        yield tile.tr("Empty — drag a camera here")
        return
    yield tile.camera.name
    status = tile.handle.status() if tile.handle is not None else None
    if status is not None and status.state is not StreamState.LIVE:
        yield status_line(status)


def window_texts(root: QWidget, name: str, verbatim_columns: set[int] | None = None,
                 verbatim_widgets: tuple[QWidget, ...] = ()) -> list[Seen]:
    """Every text of ``root`` and its visible children a person can read.

    ``verbatim_columns`` (of the tables) and ``verbatim_widgets`` show records exactly as
    stored, in no language (the audit trail's actions and details: what is hashed)."""
    verbatim = verbatim_columns or set()
    found: list[tuple[str, str]] = [("title", root.windowTitle())]
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            found.extend(_action_texts(action, "menu bar"))
        found.append(("status bar", root.statusBar().currentMessage()))
    for widget in [root, *root.findChildren(QWidget)]:
        if not _shown(widget, root) or widget in verbatim_widgets:
            continue
        kind = type(widget).__name__
        if widget.toolTip():
            found.append((f"{kind} tooltip", widget.toolTip()))
        if isinstance(widget, QLabel | QAbstractButton):
            found.append((kind, widget.text()))
        elif isinstance(widget, QLineEdit):
            found.append((f"{kind} placeholder", widget.placeholderText()))
        elif isinstance(widget, QComboBox):
            found.extend((f"{kind} item", widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QGroupBox):
            found.append((kind, widget.title()))
        elif isinstance(widget, QDockWidget):
            found.append((f"{kind} title", widget.windowTitle()))
        elif isinstance(widget, QTabWidget):
            found.extend((f"{kind} tab", widget.tabText(i)) for i in range(widget.count()))
        elif isinstance(widget, QToolBar):
            for action in widget.actions():
                found.extend(_action_texts(action, "toolbar"))
        elif isinstance(widget, QTextEdit | QPlainTextEdit) and widget.isReadOnly():
            found.append((kind, widget.toPlainText()))  # editable ones hold user input
        elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            model = widget.model()
            found.extend((f"{kind} header", t) for t in _header_texts(widget))
            if model is not None:
                found.extend((f"{kind} cell", t)
                             for t in _model_texts(model, QModelIndex(), verbatim))
        elif isinstance(widget, VideoTile):
            found.extend((f"{kind} overlay", t) for t in _tile_texts(widget))
    return [Seen(name, where, _plain(text)) for where, text in found if text]


def tab_traps(root: QWidget, name: str) -> list[str]:
    """The tables of ``root`` that Tab walks cell by cell (Qt's default for a table):
    a keyboard user would need a Tab per cell to get past them."""
    return [f"{name} | {type(view).__name__} {view.objectName()!r}"
            for view in root.findChildren(QAbstractItemView)
            if view.tabKeyNavigation() and _shown(view, root)]


def english_on(seen: Iterable[Seen], data_words: set[str]) -> list[str]:
    """One line per text with English words in it: window, place, words, the text."""
    lines = []
    for item in seen:
        words = english_words(item.text, data_words)
        if words:
            lines.append(f"{item.window} | {item.where} | {' '.join(words)} | "
                         f"{item.text[:140]!r}")
    return sorted(set(lines))
