"""Table model over a list of audit events (newest first, as the core returns them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from commandroom.audit import AuditEvent, canonical_json
from ui.auth.texts import role_label

_Index = QModelIndex | QPersistentModelIndex
BROKEN_BACKGROUND = QColor("#5c1a1a")


class AuditTableModel(QAbstractTableModel):
    SEQ, TIME, ACTOR, ROLE, ACTION, SUBJECT, DETAILS = range(7)

    def __init__(self) -> None:
        super().__init__()
        self._events: list[AuditEvent] = []
        self._broken_seq: int | None = None
        self._headers = [self.tr("#"), self.tr("Time"), self.tr("Operator"), self.tr("Role"),
                         self.tr("Action"), self.tr("Subject"), self.tr("Details")]

    def set_events(self, events: list[AuditEvent]) -> None:
        self.beginResetModel()
        self._events = list(events)
        self.endResetModel()

    def event_at(self, row: int) -> AuditEvent:
        return self._events[row]

    def row_of_seq(self, seq: int) -> int | None:
        for row, event in enumerate(self._events):
            if event.seq == seq:
                return row
        return None

    def mark_broken(self, seq: int | None) -> None:
        self._broken_seq = seq
        if self._events:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._events) - 1, len(self._headers) - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        event = self._events[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(event, column, role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.BackgroundRole and event.seq == self._broken_seq:
            return QBrush(BROKEN_BACKGROUND)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.SEQ:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, event: AuditEvent, column: int, tooltip: bool) -> str:
        if column == self.SEQ:
            return str(event.seq)
        if column == self.TIME:
            # Stored in UTC; the officer reads local time.
            local = event.occurred_at.astimezone()
            return local.isoformat(sep=" ", timespec="seconds") if tooltip \
                else local.strftime("%Y-%m-%d %H:%M:%S")
        if column == self.ACTOR:
            return event.actor
        if column == self.ROLE:
            return role_label(event.actor_role)
        if column == self.ACTION:
            return event.action
        if column == self.SUBJECT:
            return event.subject
        if tooltip:
            return "\n".join(f"{k}: {v}" for k, v in event.details.items()) or ""
        return canonical_json(event.details) if event.details else ""
