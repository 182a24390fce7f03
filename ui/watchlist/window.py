"""The watch-list window: search as you type on the left, the entry's file on the right.

Search as you type asks the core's in-memory index on the GUI thread (no database once it
is warm: a keystroke must not wait for a worker). Everything else - opening a file,
saving, archiving, restoring, deleting, exporting, counting sightings - runs on the UI's
background executor; the window says "Saving…" meanwhile and the answer in words."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandroom.auth.permissions import Permission
from commandroom.watchlist.records import EntryView, Kind, Risk, SearchHit
from commandroom.watchlist.service import WatchlistService
from ui.bridge import FutureBridge
from ui.common.actor import ActorSource
from ui.common.entry_texts import category_label, error_text, kind_label, risk_label
from ui.common.thumbnails import ThumbnailCache
from ui.watchlist.entry_form import EntryForm
from ui.watchlist.fields import OK_COLOUR
from ui.watchlist.import_dialog import ImportDialog
from ui.watchlist.saving import SavedEntry, store_entry

log = logging.getLogger(__name__)

# Keys of the watch-list window (WindowShortcut: the console's own keys are not active
# while it has the focus, so Ctrl+N here is a new person, not a new camera).
FIND_KEY = "Ctrl+F"
NEW_PERSON_KEY = "Ctrl+N"
NEW_VEHICLE_KEY = "Ctrl+Shift+N"
SAVE_KEY = "Ctrl+S"
TIMELINE_KEY = "Ctrl+T"
TRAJECTORY_KEY = "Ctrl+M"

SEARCH_LIMIT = 300
_RISK_COLOURS = {Risk.HIGH: "#ff6b6b", Risk.MEDIUM: "#d9a441", Risk.LOW: "#8a929c"}
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class WatchlistWindow(QWidget):
    def __init__(self, watchlist: WatchlistService, actor: ActorSource,
                 thumbnails: ThumbnailCache,
                 sighting_count: Callable[[int], int] | None = None,
                 open_timeline: Callable[[int], object] | None = None,
                 open_trajectory: Callable[[int], object] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("watchlistWindow")
        self.setWindowTitle(self.tr("Watch list"))
        self.resize(1280, 820)
        self._watchlist = watchlist
        self._actor = actor
        self._sighting_count = sighting_count
        self._bridge = FutureBridge(self)
        self._warming = False
        self.hits: list[SearchHit] = []

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name, alias, ID number or plate…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh_list)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(self.tr("All"), None)
        self.kind_filter.addItem(self.tr("Persons"), Kind.PERSON)
        self.kind_filter.addItem(self.tr("Vehicles"), Kind.VEHICLE)
        self.kind_filter.currentIndexChanged.connect(self.refresh_list)
        self.show_archived = QCheckBox(self.tr("Show archived"))
        self.show_archived.toggled.connect(self.refresh_list)
        self.results = QTableWidget(0, 6)
        self.results.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.results.setHorizontalHeaderLabels(
            [self.tr("Name / plate"), self.tr("Kind"), self.tr("ID number / plate"),
             self.tr("Category"), self.tr("Risk"), self.tr("State")])
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.results.verticalHeader().setVisible(False)
        self.results.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.results.setAlternatingRowColors(True)
        self.results.itemSelectionChanged.connect(self._selection_changed)
        self.count_label = QLabel()
        self.new_person = QPushButton(self.tr("New person"))
        self.new_person.clicked.connect(lambda: self.start_new(Kind.PERSON))
        self.new_vehicle = QPushButton(self.tr("New vehicle"))
        self.new_vehicle.clicked.connect(lambda: self.start_new(Kind.VEHICLE))
        self.import_button = QPushButton(self.tr("Import CSV…"))
        self.import_button.clicked.connect(self.choose_import)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.clicked.connect(self.choose_export)

        filters = QHBoxLayout()
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.show_archived)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        new_row = QHBoxLayout()
        for button in (self.new_person, self.new_vehicle, self.import_button,
                       self.export_button):
            new_row.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.search)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.results, 1)
        left_layout.addLayout(new_row)

        self.form = EntryForm(thumbnails, watchlist.data_dir)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.archive_button = QPushButton(self.tr("Archive"))
        self.archive_button.clicked.connect(self.archive)
        self.restore_button = QPushButton(self.tr("Restore"))
        self.restore_button.clicked.connect(self.restore)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete)
        self.timeline_button = QPushButton(self.tr("Timeline…"))
        self.trajectory_button = QPushButton(self.tr("Trajectory…"))
        for button, opener in ((self.timeline_button, open_timeline),
                               (self.trajectory_button, open_trajectory)):
            button.setVisible(opener is not None)
            if opener is not None:
                button.clicked.connect(
                    lambda _c=False, o=opener: o(self.form.entry.id) if self.form.entry else None)
        self.status = QLabel()
        self.status.setStyleSheet(f"color: {OK_COLOUR};")
        actions = QHBoxLayout()
        for button in (self.save_button, self.archive_button, self.restore_button,
                       self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.timeline_button)
        actions.addWidget(self.trajectory_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(scroll, 1)
        right_layout.addWidget(self.status)
        right_layout.addLayout(actions)

        # The keys of the window (the console's are not active here): the frequent
        # buttons, named on them as the incident window does; Ctrl+F back to the search,
        # Down or Enter from the search into the results.
        for button, key in ((self.new_person, NEW_PERSON_KEY),
                            (self.new_vehicle, NEW_VEHICLE_KEY),
                            (self.save_button, SAVE_KEY),
                            (self.timeline_button, TIMELINE_KEY),
                            (self.trajectory_button, TRAJECTORY_KEY)):
            self._key_clicks(button, key)
        self._key(FIND_KEY, self.focus_search)
        for into in (Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(into), self.search, self.focus_results,
                      context=Qt.ShortcutContext.WidgetShortcut)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([640, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.refresh_list()
        self.update_actions()

    def _key_clicks(self, button: QPushButton, key: str) -> None:
        """``key`` anywhere in the window clicks ``button``: nothing while it is disabled
        (no permission, no file open), as a click would do."""
        native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        button.setText(f"{button.text()}  ({native})")
        self._key(key, button.click)

    def _key(self, key: str, slot: Callable[[], object]) -> None:
        action = QAction(self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_results(self) -> None:
        """From the search into the results, the first one opened unless one is."""
        if self.results.rowCount() == 0:
            return
        self.results.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.results.selectionModel().selectedRows():
            self.results.selectRow(0)

    # -- the list --------------------------------------------------------------------
    def refresh_list(self) -> None:
        """Search as you type: the core's index is in memory, so every keystroke asks it."""
        actor = self._actor()
        if not actor.can(Permission.VIEW_WATCHLIST):
            self.hits = []
            self.results.setRowCount(0)
            self.count_label.setText(self.tr("Your role cannot see the watch list."))
            return
        if not self._watchlist.index_ready:  # the first load reads the table: not here
            self._warm_then_refresh()
            return
        kind = self.kind_filter.currentData()
        self.hits = self._watchlist.search(actor, self.search.text(), kind=kind,
                                           include_archived=self.show_archived.isChecked(),
                                           limit=SEARCH_LIMIT)
        selected = self.form.entry.id if self.form.entry else None
        self.results.blockSignals(True)
        self.results.setRowCount(len(self.hits))
        for row, hit in enumerate(self.hits):
            label = QTableWidgetItem(hit.label)
            label.setData(ENTRY_ID_ROLE, hit.id)
            risk = QTableWidgetItem(risk_label(hit.risk))
            risk.setForeground(QColor(_RISK_COLOURS[hit.risk]))
            state = QTableWidgetItem(self.tr("archived") if hit.archived else self.tr("active"))
            if hit.archived:
                for item in (label, state):
                    item.setForeground(QColor("#6c7480"))
            cells = (label, QTableWidgetItem(kind_label(hit.kind)),
                     QTableWidgetItem(hit.id_number or hit.plate),
                     QTableWidgetItem(category_label(hit.category)), risk, state)
            for column, item in enumerate(cells):
                self.results.setItem(row, column, item)
            if hit.id == selected:
                self.results.selectRow(row)
        self.results.blockSignals(False)
        if not self.search.text().strip():
            self.count_label.setText(self.tr("Type a name, alias, ID number or plate."))
        else:
            self.count_label.setText(self.tr("%1 found").replace("%1", str(len(self.hits))))

    def _warm_then_refresh(self) -> None:
        if not self._warming:
            self._warming = True
            self.count_label.setText(self.tr("Loading the watch list…"))
            self._bridge.run(self._watchlist.warm_index, on_ok=self._warmed,
                             on_error=self._warm_failed)

    def _warmed(self, _none: None) -> None:
        self._warming = False
        self.refresh_list()

    def _warm_failed(self, exc: BaseException) -> None:
        self._warming = False
        self.count_label.setText(error_text(exc))

    @property
    def busy(self) -> bool:
        """A read or a change is on its way (tests wait on this)."""
        return self._bridge.pending > 0

    def _selection_changed(self) -> None:
        rows = self.results.selectionModel().selectedRows()
        if rows:
            self.open_entry(self.hits[rows[0].row()].id)

    def open_entry(self, entry_id: int) -> None:
        """Read the file off the GUI thread and show it in the form."""
        self._bridge.run(self._watchlist.get, self._actor(), entry_id,
                         on_ok=self._show_opened,
                         on_error=lambda exc: self.form.message.setText(error_text(exc)))

    def _show_opened(self, entry: EntryView) -> None:
        self.form.show_entry(entry)
        self.status.clear()
        self.update_actions()

    def start_new(self, kind: Kind) -> None:
        self.results.clearSelection()
        self.form.new_entry(kind)
        self.status.clear()
        self.update_actions()
        self.form.name.setFocus()

    def entries_changed(self, entry_ids: tuple[int, ...]) -> None:
        """Another window or workstation changed entries: refresh what is shown."""
        self.refresh_list()
        entry = self.form.entry
        if entry is not None and entry.id in entry_ids:
            self.open_entry(entry.id)

    # -- permissions -----------------------------------------------------------------
    def update_actions(self) -> None:
        actor = self._actor()
        edit = actor.can(Permission.EDIT_WATCHLIST)
        entry = self.form.entry
        self.form.set_editable(edit)
        for button in (self.new_person, self.new_vehicle, self.import_button, self.save_button):
            button.setEnabled(edit)
        self.export_button.setEnabled(actor.can(Permission.EXPORT_DATA))
        self.archive_button.setEnabled(edit and entry is not None and not entry.archived)
        self.restore_button.setEnabled(edit and entry is not None and entry.archived)
        self.timeline_button.setEnabled(entry is not None)
        self.trajectory_button.setEnabled(entry is not None)
        # Delete only a file without sightings: counted off the GUI thread, offered once
        # the count is in.
        self.delete_button.setEnabled(False)
        self.delete_button.setToolTip(self.tr("Delete a file entered by mistake."))
        if edit and entry is not None and self._sighting_count is None:
            self._show_sightings(entry.id, 0)
        elif edit and entry is not None and self._sighting_count is not None:
            count, entry_id = self._sighting_count, entry.id
            self._bridge.run(count, entry_id,
                             on_ok=lambda n: self._show_sightings(entry_id, n),
                             on_error=lambda exc: log.error(
                                 "could not count the sightings of entry %d", entry_id,
                                 exc_info=exc))

    def _show_sightings(self, entry_id: int, sightings: int) -> None:
        entry = self.form.entry
        if entry is None or entry.id != entry_id:  # another file is shown by now
            return
        edit = self._actor().can(Permission.EDIT_WATCHLIST)
        self.delete_button.setEnabled(edit and sightings == 0)
        self.delete_button.setToolTip(
            self.tr("This file has %1 sighting(s): it is evidence and can only be archived.")
            .replace("%1", str(sightings)) if sightings else
            self.tr("Delete a file entered by mistake."))

    def showEvent(self, event: QShowEvent) -> None:
        self.update_actions()  # the operator may have changed at a hand-over
        super().showEvent(event)

    # -- actions ---------------------------------------------------------------------
    def close_unless_unsaved(self) -> bool:
        """Escape: close, but ask first when the form holds typing not saved yet."""
        if self.form.has_unsaved_changes() and not self.confirm(
                self.tr("Close the watch list and lose the changes not saved?")):
            return False
        return self.close()

    def confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.windowTitle(), question)
        return answer == QMessageBox.StandardButton.Yes

    def _fail(self, exc: BaseException) -> None:
        self.status.clear()
        self.form.message.setText(error_text(exc))

    def _done(self, entry: EntryView, text: str) -> None:
        self.form.show_entry(entry)
        self.status.setText(text)
        if entry.id in {hit.id for hit in self.hits}:
            self.refresh_list()
        else:  # show the file just saved, whatever was searched before
            self.search.setText(entry.label)
        self.update_actions()

    def _working(self, text: str) -> None:
        """A change is on its way: say so; the answer replaces it."""
        self.form.message.clear()
        self.status.setText(text)

    def save(self) -> None:
        """Create or edit the file, then add the photos waiting in the form, off the GUI
        thread; the outcome shows in the status line, a refusal in the form."""
        if self.busy:
            return
        self.form.message.clear()
        try:
            data = self.form.entry_input()
        except Exception as exc:  # the form's own check: nothing was sent
            self._fail(exc)
            return
        actor, entry_id = self._actor(), self.form.entry.id if self.form.entry else None
        pending, self.form.pending_photos = list(self.form.pending_photos), []
        self._working(self.tr("Saving…"))

        def answered(saved: SavedEntry) -> None:
            if saved.photo_error is not None:
                self._done(saved.entry, "")
                self._fail(saved.photo_error)
                return
            self._done(saved.entry, self.tr("Saved %1.").replace("%1", saved.entry.label))

        def refused(exc: BaseException) -> None:
            self.form.pending_photos = pending + self.form.pending_photos  # nothing lost
            self._fail(exc)

        self._bridge.run(store_entry, self._watchlist, actor, entry_id, data, pending,
                         on_ok=answered, on_error=refused)

    def archive(self) -> None:
        entry = self.form.entry
        if entry is None or self.busy or not self.confirm(
                self.tr("Archive %1? It stays on file and can be restored.").replace(
                    "%1", entry.label)):
            return
        self._working(self.tr("Saving…"))
        self._bridge.run(self._watchlist.archive, self._actor(), entry.id,
                         on_ok=lambda view: self._done(view, self.tr("Archived.")),
                         on_error=self._fail)

    def restore(self) -> None:
        entry = self.form.entry
        if entry is None or self.busy:
            return
        self._working(self.tr("Saving…"))
        self._bridge.run(self._watchlist.restore, self._actor(), entry.id,
                         on_ok=lambda view: self._done(view, self.tr("Restored.")),
                         on_error=self._fail)

    def delete(self) -> None:
        entry = self.form.entry
        if entry is None or self.busy or not self.confirm(
                self.tr("Delete %1 for good? Only for a file entered by mistake.").replace(
                    "%1", entry.label)):
            return
        self._working(self.tr("Deleting…"))

        def deleted(_none: None) -> None:
            self.form.new_entry(entry.kind)
            self.status.setText(self.tr("Deleted."))
            self.refresh_list()
            self.update_actions()

        self._bridge.run(self._watchlist.delete, self._actor(), entry.id, on_ok=deleted,
                         on_error=self._fail)

    def choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Import watch list"), "",
                                              self.tr("CSV files (*.csv)"))
        if name:
            dialog = ImportDialog(self._watchlist, self._actor, Path(name), self)
            dialog.exec()
            self.refresh_list()
            self.focus_search()  # not the button: typing goes on into the search

    def choose_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export watch list"),
                                              "watchlist.csv", self.tr("CSV files (*.csv)"))
        if name:
            self.export_to(Path(name))

    def export_to(self, dest: Path) -> None:
        self._working(self.tr("Exporting…"))
        self._bridge.run(
            lambda actor, archived: self._watchlist.export_csv(actor, dest,
                                                               include_archived=archived),
            self._actor(), self.show_archived.isChecked(),
            on_ok=lambda count: self.status.setText(
                self.tr("%1 entries written to %2.").replace("%1", str(count))
                .replace("%2", str(dest))),
            on_error=self._fail)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._bridge.shut()  # answers arriving later find no window to fill
        super().closeEvent(event)
