"""Table model over a list of audit events (newest first, as the core returns them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from commandroom.audit.trail import AuditEvent, canonical_json
from ui.common.auth_texts import role_label
from ui.models.rows_model import AnyIndex, RowsTableModel

BROKEN_BACKGROUND = QColor("#5c1a1a")


class AuditTableModel(RowsTableModel[AuditEvent]):
    SEQ, TIME, ACTOR, ROLE, ACTION, SUBJECT, DETAILS = range(7)

    def __init__(self) -> None:
        super().__init__([self.tr("#"), self.tr("Time"), self.tr("Operator"), self.tr("Role"),
                          self.tr("Action"), self.tr("Subject"), self.tr("Details")])
        self._broken_seq: int | None = None

    def event_at(self, row: int) -> AuditEvent:
        return self.rows[row]

    def row_of_seq(self, seq: int) -> int | None:
        for row, event in enumerate(self.rows):
            if event.seq == seq:
                return row
        return None

    def mark_broken(self, seq: int | None) -> None:
        self._broken_seq = seq
        self.refresh_all()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        event = self.rows[index.row()]
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
