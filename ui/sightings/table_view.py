"""The table every sighting list uses, and what its context menu can open."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from commandroom.sightings.records import SightingView
from ui.sightings.table_model import CAMERA, CLIP, OPERATOR, PICTURE, TIME, WHO, SightingTableModel


class SightingOpener(Protocol):
    """What a sighting row leads to (implemented by ``ui.watch_and_sightings.SightingsUi``)."""

    def open_sighting(self, view: SightingView) -> object: ...

    def open_timeline(self, entry_id: int) -> object: ...

    def open_camera(self, camera_id: int | None, camera_name: str) -> object: ...

    def open_trajectory(self, entry_id: int) -> object: ...

    def play_at(self, view: SightingView) -> object: ...

    def new_incident(self, view: SightingView) -> object: ...


PLAY_KEY = "Ctrl+P"  # "Play at this moment", while a sightings list has the focus
INCIDENT_KEY = "Ctrl+Shift+N"  # "New incident from this sighting"


class SightingTable(QTableView):
    def __init__(self, model: SightingTableModel, opener: SightingOpener,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._opener = opener
        self.setModel(model)
        self.sighting_model = model
        self.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setIconSize(model.thumb_size)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(model.thumb_size.height() + 6)
        header = self.horizontalHeader()
        header.setSectionResizeMode(PICTURE, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(PICTURE, model.thumb_size.width() + 10)
        for column in (CAMERA, TIME, OPERATOR, CLIP):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WHO, QHeaderView.ResizeMode.Stretch)
        self.doubleClicked.connect(self._activated)
        self.activated.connect(self._activated)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.play_action = QAction(self.tr("Play at this moment"), self)
        self.play_action.setShortcut(QKeySequence(PLAY_KEY))
        self.play_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.play_action.triggered.connect(lambda _checked=False: self.play_current())
        self.addAction(self.play_action)
        self.new_incident_action = QAction(self.tr("New incident from this sighting"), self)
        self.new_incident_action.setShortcut(QKeySequence(INCIDENT_KEY))
        self.new_incident_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.new_incident_action.triggered.connect(lambda _checked=False: self.new_incident())
        self.addAction(self.new_incident_action)

    def hide_who(self) -> None:
        """One entry's list: its name is the title, the camera column takes the room."""
        self.hideColumn(WHO)
        self.horizontalHeader().setSectionResizeMode(CAMERA, QHeaderView.ResizeMode.Stretch)

    def current_view(self) -> SightingView | None:
        index = self.currentIndex()
        return self.sighting_model.view_at(index.row()) if index.isValid() else None

    def play_current(self) -> None:
        view = self.current_view()
        if view is not None:
            self._opener.play_at(view)

    def new_incident(self) -> None:
        view = self.current_view()
        if view is not None:
            self._opener.new_incident(view)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self._opener.open_sighting(self.sighting_model.view_at(index.row()))

    def _menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            return
        view = self.sighting_model.view_at(index.row())
        menu = QMenu(self)
        menu.addAction(self.tr("Open sighting…"), lambda: self._opener.open_sighting(view))
        play = menu.addAction(self.tr("Play at this moment"), lambda: self._opener.play_at(view))
        play.setShortcut(QKeySequence(PLAY_KEY))  # shown in the menu; the table's action acts
        incident = menu.addAction(self.tr("New incident from this sighting"),
                                  lambda: self._opener.new_incident(view))
        incident.setShortcut(QKeySequence(INCIDENT_KEY))
        entry_id = view.watch_entry_id
        if entry_id is not None:
            menu.addAction(self.tr("Timeline of this entry…"),
                           lambda: self._opener.open_timeline(entry_id))
            menu.addAction(self.tr("Trajectory on the map…"),
                           lambda: self._opener.open_trajectory(entry_id))
        menu.addAction(self.tr("Sightings at this camera…"),
                       lambda: self._opener.open_camera(view.camera_id, view.camera_name))
        menu.exec(self.viewport().mapToGlobal(pos))
