"""An entry's timeline (oldest first, larger pictures) or one camera's sightings.

The loader (a service call) runs on the UI's background executor; the rows of the last
reload asked for are shown when it answers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from commandroom.sightings.records import SightingView
from ui.bridge import FutureBridge, background
from ui.common.entry_labels import EntryLabels
from ui.common.entry_texts import error_text
from ui.common.sighting_texts import local_time
from ui.common.thumbnails import ThumbnailCache
from ui.sightings.table_model import SightingTableModel
from ui.sightings.table_view import SightingOpener, SightingTable

Loader = Callable[[], list[SightingView]]


class SightingListWindow(QWidget):
    """``loader`` reads the sightings (service call); ``reload`` re-runs it."""

    def __init__(self, title: str, loader: Loader, labels: EntryLabels,
                 thumbnails: ThumbnailCache, data_dir: Path,
                 opener: SightingOpener, newest_first: bool, thumb_size: QSize,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 620)
        self._loader = loader
        self._bridge = FutureBridge(self)
        self._asked = 0  # reloads asked for; an older answer arriving late is dropped
        self.model = SightingTableModel(labels, thumbnails, data_dir, thumb_size,
                                        newest_first=newest_first, parent=self)
        self.table = SightingTable(self.model, opener, self)
        self.heading = QLabel(title)
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.summary = QLabel()
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        reload_button = QPushButton(self.tr("Reload"))
        reload_button.clicked.connect(self.reload)
        self.buttons.addWidget(reload_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)
        self.reload()

    def add_button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        return button

    @property
    def busy(self) -> bool:
        """A reload is on its way (tests wait on this)."""
        return self._bridge.pending > 0

    def reload(self) -> None:
        self._asked += 1
        asked = self._asked
        self._bridge.call(background().submit(self._loader),
                          lambda views: self._show(views) if asked == self._asked else None,
                          lambda exc: self._failed(exc) if asked == self._asked else None)

    def _failed(self, exc: BaseException) -> None:
        self.model.set_views([])
        self.summary.setText(error_text(exc))

    def _show(self, views: list[SightingView]) -> None:
        self.model.set_views(views)
        if not views:
            self.summary.setText(self.tr("No sightings."))
            return
        times = sorted(v.frame_time for v in views)
        self.summary.setText(
            self.tr("%1 sightings, %2 — %3").replace("%1", str(len(views)))
            .replace("%2", local_time(times[0])).replace("%3", local_time(times[-1])))
