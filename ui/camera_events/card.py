"""The suggested-sighting card: floats over the top right of the console grid (never a
modal dialog), one card at a time with "1 of N". Enter confirms; Esc opens the small
reason chooser in the card itself (1/2/3, Enter on the first, Esc back)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from commandroom.camera_events.views import DismissReason, SuggestionView
from ui.camera_events.queue import is_high_risk
from ui.camera_events.texts import reason_label, repeats_text, rules_text, score_text
from ui.common.entry_texts import category_label, risk_label
from ui.common.sighting_texts import local_time
from ui.common.thumbnails import ThumbnailCache

PICTURE_SIZE = QSize(256, 144)
SMALL_PICTURE_SIZE = QSize(160, 90)  # a narrow grid (the wall window beside the console)
CARD_WIDTH = 620
NARROW_WIDTH = 540  # below this the picture shrinks
MIN_WIDTH = 360
MARGIN = 12
REASONS = (DismissReason.FALSE_READ, DismissReason.NOT_THIS_VEHICLE, DismissReason.OTHER)
_REASON_KEYS = {Qt.Key.Key_1: 0, Qt.Key.Key_2: 1, Qt.Key.Key_3: 2}
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# The console has window shortcuts on Return (maximise), Escape (restore grid), the arrows
# (move the selection) and digits (layouts): while the card has the keyboard they are
# the card's, so it claims them at ShortcutOverride, before the shortcut map sees them.
_CARD_KEYS = (*_ENTER, Qt.Key.Key_Escape)
_REASON_LIST_KEYS = (*_CARD_KEYS, *_REASON_KEYS, Qt.Key.Key_Up, Qt.Key.Key_Down)

_STYLE = """
#suggestionCard { background: #1b2027; border: 2px solid #d9a030; border-radius: 6px; }
#suggestionCard[risk="high"] { border: 3px solid #ff4040; }
#suggestionCard:focus { background: #202833; }
#suggestionCard QLabel, #suggestionCard QStackedWidget, QWidget#cardPage {
    background: transparent; color: #e8ecf0; }
QLabel#cardHeader { color: #d9a030; font-weight: bold; }
QLabel#cardHeader[risk="high"] { color: #ff6060; }
QLabel#cardPlate { font-size: 20pt; font-weight: bold; }
QLabel#cardEntry { font-size: 13pt; font-weight: bold; }
QLabel#cardPicture { background: #0f1215; color: #6c7480; border: 1px solid #2c333c; }
QLabel#cardKeys, QLabel#cardWaiting { color: #9aa4b0; }
QLabel#cardWaiting[urgent="true"] { color: #ff6060; font-weight: bold; }
"""


class SuggestionCard(QFrame):
    confirm_requested = Signal(int)  # suggestion id
    dismiss_requested = Signal(int, str)  # suggestion id, DismissReason value
    painted = Signal(int)  # the suggestion id now on screen (the benchmark's mark)

    def __init__(self, grid: QWidget, data_dir: Path, thumbnails: ThumbnailCache) -> None:
        super().__init__(grid)
        self.setObjectName("suggestionCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(_STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFixedWidth(CARD_WIDTH)
        self._grid = grid
        self._data_dir = data_dir
        self._thumbnails = thumbnails
        self.suggestion: SuggestionView | None = None
        self.busy = False  # an answer is on its way to the core: keys wait
        self.header = self._label("cardHeader")
        self.waiting = self._label("cardWaiting")
        self.picture = self._label("cardPicture")
        self.picture.setFixedSize(PICTURE_SIZE)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.plate = self._label("cardPlate")
        self.entry = self._label("cardEntry")
        self.category = self._label("cardCategory")
        self.match = self._label("cardMatch")
        self.where = self._label("cardWhere")
        self.keys = self._label("cardKeys")
        for label in (self.entry, self.match, self.where, self.keys):
            label.setWordWrap(True)
        self.reasons = QListWidget()
        self.reasons.setObjectName("reasonList")
        self.reasons.installEventFilter(self)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._details_page())
        self.stack.addWidget(self._reasons_page())
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.waiting)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.stack)
        layout.addWidget(self.keys)
        thumbnails.ready.connect(self._picture_ready)
        grid.installEventFilter(self)
        self.hide()

    def _label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        return label

    def _details_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("cardPage")
        text = QVBoxLayout()
        text.setSpacing(2)
        for label in (self.plate, self.entry, self.category, self.match, self.where):
            text.addWidget(label)
        text.addStretch(1)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 4, 0, 4)
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        return page

    def _reasons_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("cardPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(QLabel(self.tr("Why dismiss this suggestion?")))
        for number, reason in enumerate(REASONS, start=1):
            item = QListWidgetItem(f"{number}  {reason_label(reason)}")
            item.setData(Qt.ItemDataRole.UserRole, reason.value)
            self.reasons.addItem(item)
        self.reasons.setFixedHeight(self.reasons.sizeHintForRow(0) * 3 + 8)
        layout.addWidget(self.reasons)
        layout.addStretch(1)
        return page

    # -- what the card shows -------------------------------------------------------------
    def show_suggestion(self, suggestion: SuggestionView | None, position: int, total: int,
                        urgent_waiting: bool) -> None:
        """``suggestion`` as card ``position`` of ``total`` (None: hide the card)."""
        changed = self.suggestion is None or suggestion is None \
            or suggestion.id != self.suggestion.id
        self.suggestion = suggestion
        if suggestion is None:
            self.busy = False
            self.hide()
            return
        if changed:
            self.busy = False
            self.stack.setCurrentIndex(0)
        high = is_high_risk(suggestion)
        self.setProperty("risk", "high" if high else "")
        self.header.setProperty("risk", "high" if high else "")
        self.header.setText(self.tr("Suggested sighting · %1 of %2")
                            .replace("%1", str(position)).replace("%2", str(total)))
        self.waiting.setProperty("urgent", "true" if urgent_waiting else "false")
        self.waiting.setText(self.tr("high-risk waiting") if urgent_waiting else "")
        self.plate.setText(suggestion.plate_read)
        self.entry.setText(suggestion.entry_label)
        self.category.setText(self.tr("On file %1 · %2 · %3 risk")
                              .replace("%1", suggestion.entry_plate)
                              .replace("%2", category_label(suggestion.entry_category))
                              .replace("%3", risk_label(suggestion.entry_risk)))
        self.match.setText(f"{score_text(suggestion.score)} · {rules_text(suggestion)}")
        where = [suggestion.camera_name, suggestion.junction or "—",
                 local_time(suggestion.event_time)]
        if suggestion.repeats:
            where.append(repeats_text(suggestion.repeats))
        self.where.setText(" · ".join(where))
        self._show_keys()
        self.place()  # the width for the grid as it is now, then the height for the text
        self._show_picture()
        for widget in (self, self.header, self.waiting):  # the risk and urgent properties
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.adjustSize()
        self.show()
        self.raise_()
        self.update()

    def _show_keys(self) -> None:
        if self.busy:
            self.keys.setText(self.tr("Saving…"))
        elif self.stack.currentIndex() == 1:
            self.keys.setText(self.tr("1/2/3 or Enter: dismiss with that reason · Esc: back"))
        elif self.hasFocus():
            self.keys.setText(self.tr("Enter: confirm sighting · Esc: dismiss"))
        else:
            self.keys.setText(self.tr("Ctrl+K: answer this card (Enter confirms, Esc "
                                      "dismisses)"))

    def _show_picture(self) -> None:
        suggestion = self.suggestion
        if suggestion is None or not suggestion.picture_path:
            self.picture.setPixmap(QPixmap())
            self.picture.setText(self.tr("no picture"))
            return
        pixmap = self._thumbnails.pixmap(self._data_dir / suggestion.picture_path,
                                         self.picture.size())
        if pixmap is None:
            self.picture.setText(self.tr("loading picture…"))
        elif pixmap.isNull():
            self.picture.setPixmap(QPixmap())
            self.picture.setText(self.tr("picture unreadable"))
        else:
            self.picture.setPixmap(pixmap)

    def _picture_ready(self, path: str) -> None:
        if self.suggestion is not None and self.suggestion.picture_path \
                and path == str(self._data_dir / self.suggestion.picture_path):
            self._show_picture()

    def place(self) -> None:
        """Top right of the grid, over the tiles, never wider than the grid."""
        width = max(MIN_WIDTH, min(CARD_WIDTH, self._grid.width() - 2 * MARGIN))
        picture = PICTURE_SIZE if width >= NARROW_WIDTH else SMALL_PICTURE_SIZE
        if width != self.width() or picture != self.picture.size():
            self.setFixedWidth(width)
            self.picture.setFixedSize(picture)
            self._show_picture()
            if self.isVisible():
                self.adjustSize()
        self.move(max(0, self._grid.width() - self.width() - MARGIN), MARGIN)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._show_keys()

    def choosing_reason(self) -> bool:
        return self.isVisible() and self.stack.currentIndex() == 1

    # -- keys ------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _plain(event, _CARD_KEYS):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.suggestion is None or self.busy:
            event.accept()
            return
        if _plain(event, _ENTER):
            self.confirm_requested.emit(self.suggestion.id)
        elif event.key() == Qt.Key.Key_Escape:
            self.open_reasons()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def open_reasons(self) -> None:
        self.stack.setCurrentIndex(1)
        self.reasons.setCurrentRow(0)  # Enter on the default: the camera misread it
        self.reasons.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_keys()

    def close_reasons(self) -> None:
        self.stack.setCurrentIndex(0)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_keys()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._grid and event.type() == QEvent.Type.Resize:
            self.place()
        elif watched is self.reasons and event.type() == QEvent.Type.ShortcutOverride \
                and _plain(event, _REASON_LIST_KEYS):
            event.accept()
            return True
        elif watched is self.reasons and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._reason_key(event)
        return False

    def _reason_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if self.suggestion is None or self.busy:
            return True
        if key == Qt.Key.Key_Escape:
            self.close_reasons()
            return True
        row = _REASON_KEYS.get(Qt.Key(key))
        if row is None and key in _ENTER:
            row = max(0, self.reasons.currentRow())
        if row is None:
            return False  # arrows move the choice
        self.dismiss_requested.emit(self.suggestion.id, REASONS[row].value)
        return True

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._show_keys()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._show_keys()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.suggestion is not None:
            self.painted.emit(self.suggestion.id)



def _plain(event: QEvent, keys: tuple[Qt.Key, ...]) -> bool:
    """A key of ``keys`` without Ctrl/Alt/Shift (the keypad's Enter has a modifier)."""
    if not isinstance(event, QKeyEvent):
        return False
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() in keys and modifiers == Qt.KeyboardModifier.NoModifier
