"""The trajectory window and the map editor window, both over the station's map image."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandroom.cameras.registry import Camera
from commandroom.sightings.trajectory import Hop, Stop
from ui.common.entry_texts import error_text
from ui.common.sighting_texts import local_time
from ui.map.editor import MapEditorCanvas, MoveCamera, UnplacedCameraList
from ui.map.map_store import MapImageStore
from ui.map.trajectory_view import TrajectoryView

IMAGE_FILTER = "*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp"


class MapWindow(QWidget):
    """A window over the station's map image; every one shows a newly loaded map."""

    map_changed = Signal(object)  # Path of the new map image

    def __init__(self, store: MapImageStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.load_button = QPushButton(self.tr("Load map image…"))
        self.load_button.clicked.connect(self.choose_map_image)

    def choose_map_image(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Map image of the area"), "",
            self.tr("Pictures (%1)").replace("%1", IMAGE_FILTER))
        if name:
            self.load_map_image(Path(name))

    def load_map_image(self, source: Path) -> Path | None:
        try:
            stored = self._store.load(source)
        except (ValueError, OSError) as exc:
            self.message.setText(error_text(exc))
            return None
        self.message.clear()
        self.map_changed.emit(stored)
        return stored

    def show_map(self, path: Path | None) -> None:
        raise NotImplementedError


class TrajectoryWindow(MapWindow):
    def __init__(self, title: str, store: MapImageStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.setWindowTitle(title)
        self.resize(1200, 760)
        self.view = TrajectoryView()
        self.view.set_map(store.path())
        self.heading = QLabel(title)
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.stop_list = QListWidget()
        self.stop_list.setMaximumWidth(320)
        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("Stops in time order:")))
        side.addWidget(self.stop_list, 1)
        side.addWidget(self.message)
        side.addWidget(self.load_button)
        body = QHBoxLayout()
        body.addWidget(self.view, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)

    def set_trajectory(self, stops: Sequence[Stop], hops: Sequence[Hop],
                       cameras: Sequence[Camera]) -> None:
        self.view.set_trajectory(stops, hops, cameras)
        self.stop_list.clear()
        for number, stop in enumerate(stops, start=1):
            when = local_time(stop.first_seen)
            if stop.last_seen != stop.first_seen:
                when += " – " + local_time(stop.last_seen, with_date=False)
            text = f"{number}. {stop.camera_name}\n    {when}"
            if stop.map_position is None:
                text += "\n    " + self.tr("(camera not placed on the map)")
            self.stop_list.addItem(text)
        if not stops:
            self.stop_list.addItem(self.tr("No sightings yet."))

    def show_map(self, path: Path | None) -> None:
        self.view.set_map(path)


class MapEditorWindow(MapWindow):
    def __init__(self, store: MapImageStore, cameras: Callable[[], list[Camera]],
                 move: MoveCamera, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.setWindowTitle(self.tr("Map editor — camera positions"))
        self.resize(1200, 760)
        self._cameras = cameras
        self.canvas = MapEditorCanvas(move, error_text)
        self.canvas.editable = editable
        self.canvas.set_map(store.path())
        self.canvas.moved.connect(lambda _c: self.reload())
        self.canvas.failed.connect(self.message.setText)
        self.unplaced = UnplacedCameraList()
        self.unplaced.setMaximumWidth(260)
        self.unplaced.setEnabled(editable)
        self.load_button.setEnabled(editable)
        hint = QLabel(self.tr("Drag a camera to its junction. Cameras not on the map yet "
                              "are listed below: drag them onto the map.") if editable else
                      self.tr("Only an administrator can move cameras."))
        hint.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(hint)
        side.addWidget(QLabel(self.tr("Not on the map:")))
        side.addWidget(self.unplaced, 1)
        side.addWidget(self.message)
        side.addWidget(self.load_button)
        layout = QHBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(side)
        self.reload()

    def reload(self) -> None:
        try:
            cameras = self._cameras()
        except Exception as exc:
            self.message.setText(error_text(exc))
            return
        self.canvas.set_cameras(cameras)
        self.unplaced.set_cameras(cameras)

    def show_map(self, path: Path | None) -> None:
        self.canvas.set_map(path)
