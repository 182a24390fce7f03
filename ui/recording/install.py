"""The console's recording features: the Recording menu (settings window, export dialog)
and the recording state on the status bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from commandroom.runtime import Core
from ui.common.actor import ActorSource
from ui.common.windows import ToolWindows
from ui.recording.export_dialog import ExportDialog, ReplayMoment
from ui.recording.settings_window import RecordingSettingsWindow
from ui.recording.status_label import RecordingStatusLabel
from ui.video.grid import VideoGrid

SETTINGS_SHORTCUT = "Ctrl+Shift+R"
EXPORT_SHORTCUT = "Ctrl+E"


class RecordingUi(QObject):
    def __init__(self, console: QMainWindow, grid: VideoGrid, core: Core,
                 actor: ActorSource) -> None:
        super().__init__(console)
        self._console = console
        self._grid = grid
        self._core = core
        self._actor = actor
        self._windows = ToolWindows(console)
        self.export_dialog: ExportDialog | None = None
        # Set by the replay feature: the moment the focused tile replays (None: live).
        self.replay_moment: ReplayMoment = lambda: None
        self.status_label = RecordingStatusLabel(core.events, self._camera_name,
                                                 core.recording.forecast)
        console.statusBar().addPermanentWidget(self.status_label)
        menu = console.menuBar().addMenu(self.tr("Recor&ding"))
        self.export_action = self._action(self.tr("Export video…"), EXPORT_SHORTCUT,
                                          self.open_export, menu)
        self.settings_action = self._action(self.tr("Recording settings…"),
                                            SETTINGS_SHORTCUT, self.open_settings, menu)

    def _action(self, text: str, shortcut: str, slot: Callable[[], object],
                menu: QMenu) -> QAction:
        action = QAction(text, self._console)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _c=False: slot())
        menu.addAction(action)
        self._console.addAction(action)
        return action

    def _cameras(self) -> list[tuple[int, str]]:
        """From the registry's in-memory copy: no database on the GUI thread."""
        return [(c.id, c.name) for c in self._core.registry.directory.snapshot.cameras
                if c.id is not None]

    def _camera_name(self, camera_id: int) -> str:
        camera = self._core.registry.directory.snapshot.by_id.get(camera_id)
        return camera.name if camera is not None else self.tr("camera %1").replace(
            "%1", str(camera_id))

    def open_settings(self) -> RecordingSettingsWindow:
        existing = self._windows.existing(("recording-settings", None))
        if isinstance(existing, RecordingSettingsWindow):
            return existing
        window = RecordingSettingsWindow(self._core.recording_config,
                                         self._core.recording.parts.policy, self._cameras(),
                                         self._actor)
        self._windows.show(("recording-settings", None), window)
        return window

    def open_export(self) -> ExportDialog:
        existing = self._windows.existing(("export", None))
        if isinstance(existing, ExportDialog):
            return existing
        tile = self._grid.selected
        selected = {tile.camera.id} if tile is not None and tile.camera is not None \
            and tile.camera.id is not None else set()
        dialog = ExportDialog(self._core.recording.parts.export, self._cameras(), self._actor,
                              self._core.paths.data_dir / "exports", selected,
                              self.replay_moment())
        self.export_dialog = dialog
        self._windows.show(("export", None), dialog)
        dialog.start_edit.setFocus()
        return dialog

    def shutdown(self) -> None:
        """Closing the export dialog cancels an export still running (nothing is kept)."""
        self._windows.close_all()
