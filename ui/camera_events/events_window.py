"""The events list: stored camera events, newest first, filtered by camera and type, kept
current from ``CameraEventStored``; a status line with the counts and each camera's
event connection. Everything is read on the UI's background executor."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commandroom.camera_events.api import EventLogApi
from commandroom.camera_events.model import EventType
from commandroom.camera_events.views import CameraEventView, EventIntakeStatus
from commandroom.cameras.registry import Camera
from ui.bridge import FutureBridge
from ui.camera_events.texts import problem_label, state_label
from ui.common.actor import ActorSource
from ui.common.event_types import type_label
from ui.common.notices import error_text
from ui.common.sighting_texts import local_time
from ui.common.thumbnails import ThumbnailCache
from ui.models.rows_model import AnyIndex, RowsTableModel

THUMB_SIZE = QSize(64, 36)
MAX_ROWS = 2000  # a burst keeps the newest; older ones are a filter change away
COUNTS_EVERY_MS = 2000
# Live rows are added in batches: a burst of a hundred events a second inserted one by
# one kept the view re-laying out and the GUI event loop late by hundreds of ms.
LIVE_BATCH_MS = 250

_Loaded = tuple[list[CameraEventView], dict[str, int]]


class EventsModel(RowsTableModel[CameraEventView]):
    def __init__(self, data_dir: Path, thumbnails: ThumbnailCache,
                 parent: QObject | None = None) -> None:
        super().__init__([self.tr("Time"), self.tr("Camera"), self.tr("Junction"),
                          self.tr("Event"), self.tr("State"), self.tr("Plate"),
                          self.tr("Picture")], parent)
        self._data_dir = data_dir
        self._thumbnails = thumbnails
        thumbnails.ready.connect(lambda _p: self._pictures_changed())

    def prepend(self, events: list[CameraEventView]) -> None:
        """Newer events at the top (``events`` newest first), in one insertion."""
        if not events:
            return
        self.beginInsertRows(QModelIndex(), 0, len(events) - 1)
        self.rows[0:0] = events
        self.endInsertRows()
        if len(self.rows) > MAX_ROWS:
            self.beginRemoveRows(QModelIndex(), MAX_ROWS, len(self.rows) - 1)
            del self.rows[MAX_ROWS:]
            self.endRemoveRows()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        event = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (local_time(event.time), event.camera_name, event.junction,
                      type_label(event.type), state_label(event.state), event.plate,
                      "" if event.picture_path else "—")
            return values[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 6 and event.picture_path:
            return self._thumbnails.pixmap(self._data_dir / event.picture_path, THUMB_SIZE)
        if role == Qt.ItemDataRole.UserRole:
            return event.id
        return None

    def _pictures_changed(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 6), self.index(len(self.rows) - 1, 6),
                                  [Qt.ItemDataRole.DecorationRole])


class EventsWindow(QWidget):
    def __init__(self, event_log: EventLogApi, actor: ActorSource,
                 cameras: Callable[[], tuple[Camera, ...]],
                 statuses: Mapping[int, EventIntakeStatus], data_dir: Path,
                 thumbnails: ThumbnailCache) -> None:
        super().__init__()
        self.setObjectName("eventsWindow")
        self.setWindowTitle(self.tr("Camera events"))
        self.resize(1000, 620)
        self._log = event_log
        self._actor = actor
        self._cameras = cameras
        self._statuses = statuses
        self._counts: dict[str, int] = {}
        self._bridge = FutureBridge(self)
        self.loaded = False  # the first answer came (tests wait on it)
        self._generation = 0  # the reload whose rows may show
        self.camera_filter = QComboBox()
        self.camera_filter.addItem(self.tr("All cameras"), None)
        for camera in cameras():
            self.camera_filter.addItem(camera.name, camera.id)
        self.type_filter = QComboBox()
        self.type_filter.addItem(self.tr("All types"), None)
        for event_type in EventType:
            self.type_filter.addItem(type_label(event_type), event_type.value)
        self.model = EventsModel(data_dir, thumbnails, self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(THUMB_SIZE.height() + 6)
        self.table.setIconSize(THUMB_SIZE)
        header = self.table.horizontalHeader()
        # Sized to the rows once per load, not on every row (ResizeToContents measures
        # every row again on each insertion).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.status = QLabel()
        self.status.setObjectName("eventsStatus")
        self.status.setWordWrap(True)
        filters = QHBoxLayout()
        for text, combo in ((self.tr("&Camera:"), self.camera_filter),
                            (self.tr("&Type:"), self.type_filter)):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.camera_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.type_filter.currentIndexChanged.connect(lambda _i: self.reload())
        # Counters move with every event: read again now and then, not per event.
        self._counts_timer = QTimer(self)
        self._counts_timer.timeout.connect(self._read_counts)
        self._counts_timer.start(COUNTS_EVERY_MS)
        self._live: list[CameraEventView] = []  # stored since the last batch, oldest first
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_BATCH_MS)
        self._live_timer.timeout.connect(self._add_live)
        self.table.setFocus()
        self.reload()

    def _filters(self) -> tuple[int | None, str | None]:
        return self.camera_filter.currentData(), self.type_filter.currentData()

    def reload(self) -> None:
        camera_id, event_type = self._filters()
        types = [EventType(event_type)] if event_type else None
        # Two filter changes in a row read on two workers: the answers may come back in
        # either order, and only the last asked for may show.
        self._generation += 1
        generation = self._generation
        self._bridge.run(self._read, self._actor(), camera_id, types,
                         on_ok=lambda loaded: self._show(generation, loaded),
                         on_error=self._failed)

    def _read(self, actor: Any, camera_id: int | None,
              types: list[EventType] | None) -> _Loaded:
        """On the executor: the rows and the counters in one trip."""
        rows = self._log.recent(actor, camera_id=camera_id, types=types)
        return rows, self._log.counts(actor)

    def _show(self, generation: int, loaded: _Loaded) -> None:
        if generation != self._generation:
            return  # a later filter's rows are on their way
        rows, counts = loaded
        self._live.clear()  # the rows just read include them
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self._counts = counts
        self.loaded = True
        self.show_status()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(error_text(exc))

    def _read_counts(self) -> None:
        if self.isVisible() and self._bridge.pending == 0:
            self._bridge.run(self._log.counts, self._actor(), on_ok=self._counts_read)

    def _counts_read(self, counts: dict[str, int]) -> None:
        self._counts = counts
        self.show_status()

    def matches(self, event: CameraEventView) -> bool:
        camera_id, event_type = self._filters()
        return (camera_id is None or event.camera_id == camera_id) and \
            (event_type is None or event.type == event_type)

    def add(self, event: CameraEventView) -> None:
        """A stored event (live): shown at the top, with the next batch, when the filters
        let it through; the counters follow (read again every COUNTS_EVERY_MS)."""
        if not self.loaded:
            return
        stored = self._counts.get("stored", 0) + 1
        self._counts["stored"] = stored
        self._counts["received"] = max(stored, self._counts.get("received", 0))
        if self.matches(event):
            self._live.append(event)
        if not self._live_timer.isActive():
            self._live_timer.start()

    def _add_live(self) -> None:
        known = {row.id for row in self.model.rows[:100]}
        fresh = [e for e in reversed(self._live) if e.id not in known]
        self._live.clear()
        self.model.prepend(fresh[:MAX_ROWS])
        self.show_status()

    def show_status(self) -> None:
        counts = self._counts
        parts = [self.tr("%1 shown · received %2, stored %3, problems %4")
                 .replace("%1", str(len(self.model.rows)))
                 .replace("%2", str(counts.get("received", 0)))
                 .replace("%3", str(counts.get("stored", 0)))
                 .replace("%4", str(counts.get("problems", 0)))]
        names = {c.id: c.name for c in self._cameras()}
        if not self._statuses:
            parts.append(self.tr("no camera event connection yet"))
        for camera_id, status in sorted(self._statuses.items()):
            name = names.get(camera_id, str(camera_id))
            state = self.tr("connected") if status.connected else \
                problem_label(status.problem) if status.problem else self.tr("not connected")
            parts.append(f"{name}: {state}")
        self.status.setText(" · ".join(parts))

    def closeEvent(self, event: Any) -> None:
        self._counts_timer.stop()
        self._live_timer.stop()
        self._bridge.shut()
        super().closeEvent(event)
