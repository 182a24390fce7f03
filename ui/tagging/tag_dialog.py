"""The tag dialog over the frozen frame: box, who, note, Enter. Keyboard first:
T (opens it, focus in the search) → type a few letters → Enter saves the top match."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandroom.sightings.records import Box, NewUnknown
from commandroom.watchlist.records import Kind, SearchHit
from ui.common.entry_texts import category_label, risk_label
from ui.common.sighting_texts import local_time
from ui.tagging.frame_canvas import FrameCanvas

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
_OWN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Up, Qt.Key.Key_Down)


def candidate_text(hit: SearchHit) -> str:
    """One candidate: who, category and risk in the operator's language, then the ID
    number or plate unless the label already is it (a vehicle known by its plate only)."""
    detail = hit.id_number or hit.plate
    parts = [hit.label, category_label(hit.category), risk_label(hit.risk)]
    if detail and detail != hit.label:
        parts.append(detail)
    return "  ·  ".join(parts)


class TagDialog(QDialog):
    """Not modal: the console and the wall keep running while the officer tags."""

    save_requested = Signal(object, object, str)  # entry id | NewUnknown, Box | None, note
    cancelled = Signal()

    def __init__(
        self,
        image_bgr: np.ndarray[Any, Any],
        camera_name: str,
        junction: str,
        frame_time: datetime,
        search: Any,  # Callable[[str], list[SearchHit]]
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tagDialog")
        self.setWindowTitle(self.tr("Tag sighting — %1").replace("%1", camera_name))
        self.setModal(False)
        self._search = search
        self._camera_name = camera_name
        self._frame_time = frame_time
        self._done = False
        self._saving = False
        self.canvas = FrameCanvas(image_bgr, self)
        when = frame_time.astimezone().strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        header = QLabel(f"<b>{camera_name}</b> · {junction or '—'} · {when}")
        hint = QLabel(self.tr("Drag on the picture to mark the person or vehicle (optional)."))
        hint.setObjectName("hintLabel")
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Who is it? Name, alias, ID number or plate…"))
        self.results = QListWidget()
        self.results.setMinimumWidth(340)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Note (optional)"))
        self.alert_after = QCheckBox(self.tr("Then alert the teams (preview first)"))
        self.alert_after.setChecked(True)
        self.status = QLabel()
        self.status.setObjectName("errorLabel")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save (Enter)"))
        self.save_button.setDefault(True)
        cancel = QPushButton(self.tr("Cancel (Esc)"))
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)

        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("Watch list")))
        side.addWidget(self.query)
        side.addWidget(self.results, 1)
        side.addWidget(QLabel(self.tr("Note")))
        side.addWidget(self.note)
        side.addWidget(self.alert_after)
        side.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        side.addLayout(buttons)
        left = QVBoxLayout()
        left.addWidget(header)
        left.addWidget(self.canvas, 1)
        left.addWidget(hint)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(side, 1)
        self.resize(1400, 700)

        self.query.textChanged.connect(self.refresh)
        self.query.installEventFilter(self)
        self.note.returnPressed.connect(self.save)
        self.refresh("")
        self.query.setFocus()

    # -- the list ----------------------------------------------------------------------
    def refresh(self, text: str) -> None:
        self.results.clear()
        hits: list[SearchHit] = self._search(text) if text.strip() else []
        for hit in hits:
            label = candidate_text(hit)
            if hit.archived:
                label += "  " + self.tr("(archived)")
            item = QListWidgetItem(label)
            item.setData(ENTRY_ROLE, hit.id)
            self.results.addItem(item)
        for kind, text_ in ((Kind.PERSON, self.tr("Unknown person — open a new file")),
                            (Kind.VEHICLE, self.tr("Unknown vehicle — open a new file"))):
            item = QListWidgetItem(text_)
            item.setData(ENTRY_ROLE, NewUnknown(kind, self._unknown_label(kind)))
            self.results.addItem(item)
        self.results.setCurrentRow(0)

    def _unknown_label(self, kind: Kind) -> str:
        """The new file's name in the officer's language and local time (the core's own
        default is English and UTC, for the command line)."""
        when = local_time(self._frame_time)
        if kind == Kind.PERSON:
            text = self.tr("Unknown person (%1, %2)")
        else:
            text = self.tr("Unknown vehicle (%1, %2)")
        return text.replace("%1", self._camera_name).replace("%2", when)

    def chosen(self) -> int | NewUnknown | None:
        item = self.results.currentItem()
        value = item.data(ENTRY_ROLE) if item is not None else None
        return value if isinstance(value, int | NewUnknown) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up/Down in the search field move through the list, so hands stay on the keys.
        if watched is self.query and event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.key() in _OWN_KEYS:
                # These keys are ours while the officer types here, whatever window
                # shortcut (the console's Enter = maximise, arrows) would take them.
                event.accept()
                return True
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.results.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                self.results.setCurrentRow(max(0, min(self.results.count() - 1, row)))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.save()
                return True
        return super().eventFilter(watched, event)

    # -- outcome -----------------------------------------------------------------------
    def save(self) -> None:
        entry = self.chosen()
        if entry is None or self._done:
            return
        self.status.setText(self.tr("Saving…"))
        self._saving = True
        self.save_button.setEnabled(False)
        self.save_requested.emit(entry, self.canvas.box, self.note.text().strip())

    def saved(self) -> None:
        self._done = True
        self.accept()

    def failed(self, message: str) -> None:
        self._saving = False
        self.status.setText(message)
        self.save_button.setEnabled(True)

    def reject(self) -> None:
        if self._saving:  # the sighting is being written; it cannot be half-cancelled
            return
        if not self._done:
            self._done = True
            self.cancelled.emit()
        super().reject()

    def box(self) -> Box | None:
        return self.canvas.box
