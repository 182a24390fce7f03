"""The incidents tool window: newest first, with state and times (to acknowledge per
team, to scene, to resolution); Enter opens an incident's timeline, Escape closes.
A new incident by hand (a call, a patrol's report) is typed in its title field."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandroom.auth.permissions import PermissionDenied
from commandroom.incidents import IncidentFilter, IncidentService, IncidentView
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.auth_texts import denied_text
from ui.common.sighting_texts import local_time
from ui.incidents.texts import duration, result_line, team_acks

log = logging.getLogger(__name__)

NEW_KEY = "Ctrl+N"


class IncidentListWindow(QWidget):
    open_requested = Signal(int)  # an incident's id: show its timeline

    def __init__(self, incidents: IncidentService, actor: ActorSource,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentList")
        self._incidents = incidents
        self._actor = actor
        self._bridge = FutureBridge(self)
        self.views: list[IncidentView] = []
        self.setWindowTitle(self.tr("Incidents"))
        self.resize(1200, 520)

        self.open_only = QCheckBox(self.tr("Open incidents only"))
        self.open_only.toggled.connect(lambda _on: self.reload())
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("Title of a new incident (a call, a report)"))
        self.title.returnPressed.connect(self.create_by_hand)
        create = QPushButton(self.tr("New incident"))
        create.clicked.connect(self.create_by_hand)
        new_action = QAction(self)
        new_action.setShortcut(QKeySequence(NEW_KEY))
        new_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        new_action.triggered.connect(lambda _c=False: self.title.setFocus())
        self.addAction(new_action)

        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setHeaderLabels([
            self.tr("Number"), self.tr("Opened"), self.tr("Title"), self.tr("Where"),
            self.tr("State"), self.tr("To acknowledge"), self.tr("To scene")])
        header = self.tree.header()
        # The title gets room of its own (it shrank to "Zhang Sa…" beside the team times);
        # the times take what is left.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 260)
        header.setStretchLastSection(True)
        self.tree.itemActivated.connect(self._activated)
        self.message = QLabel()
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.open_only)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.title, 1)
        bottom.addWidget(create)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self.tree.setFocus()
        self.reload()

    def reload(self) -> None:
        where = IncidentFilter(open_only=self.open_only.isChecked())
        self._bridge.run(self._incidents.list, self._actor(), where, on_ok=self._show,
                         on_error=self._failed)

    def _show(self, views: list[IncidentView]) -> None:
        current = self.current_id()
        self.views = views
        self.tree.clear()
        for view in views:
            row = QTreeWidgetItem([
                view.number, local_time(view.created_at), view.title, view.junction,
                result_line(view), team_acks(view) or "—",
                duration(view.scene_seconds) if view.scene_seconds is not None else "—"])
            row.setData(0, Qt.ItemDataRole.UserRole, view.id)
            self.tree.addTopLevelItem(row)
            if view.id == current:
                self.tree.setCurrentItem(row)
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        self.message.setText("" if views else self.tr("No incidents."))

    def current_id(self) -> int | None:
        item = self.tree.currentItem()
        return int(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else None

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.open_requested.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))

    def create_by_hand(self) -> None:
        title = self.title.text().strip()
        if not title:
            self.message.setText(self.tr("Type the new incident's title first."))
            self.title.setFocus()
            return
        self.title.clear()
        self._bridge.run(self._incidents.create, self._actor(), title,
                         on_ok=self._created, on_error=self._failed)

    def _created(self, view: IncidentView) -> None:
        self.reload()
        self.open_requested.emit(view.id)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PermissionDenied):
            self.message.setText(denied_text(exc))
        else:
            log.error("incidents list: %s", exc, exc_info=exc)
            self.message.setText(self.tr("The incidents could not be read (%1).")
                                 .replace("%1", type(exc).__name__))

    def closeEvent(self, event: object) -> None:
        self._bridge.shut()
        super().closeEvent(event)  # type: ignore[arg-type]


OpenIncident = Callable[[int], object]
