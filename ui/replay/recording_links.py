"""What the tiles tell the recorders, and what the recorders tell the tiles.

* ``ShownCameras``: the cameras the console's tiles and the wall show, handed to
  ``RecordingScheduler.set_shown`` whenever the set changes ("record while shown"
  cameras). The call only marks the plan dirty; it still goes to the UI's executor,
  because it takes the scheduler's lock and the GUI thread waits for nobody.
* ``RecorderNotes``: a recorder that cannot write (``RecorderStatusChanged``: disk full,
  no permission, folder gone...) says so on the footer of every tile showing that camera
  ("REC ✕ disk full") while live view goes on; the note goes when it records again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QObject, QTimer

from commandroom.events import EventBus
from commandroom.recording.status import RecorderStatusChanged
from ui.bridge import GuiEvents, background
from ui.video.grid import VideoGrid
from ui.video.replay_texts import recorder_note

# Tours and a few grid paths change cameras without a layout signal: look again this often.
_RECHECK_MS = 1000


def _camera_ids(grids: Iterable[VideoGrid]) -> frozenset[int]:
    return frozenset(tile.camera.id for grid in grids for tile in grid.tiles
                     if tile.camera is not None and tile.camera.id is not None
                     and tile.camera.id > 0)


class ShownCameras(QObject):
    def __init__(self, grids: Sequence[VideoGrid], set_shown: Callable[[Iterable[int]], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._grids = list(grids)
        self._set_shown = set_shown
        self.shown: frozenset[int] | None = None  # the last set handed over
        for grid in self._grids:
            grid.layout_changed.connect(self.check)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(_RECHECK_MS)

    def check(self) -> None:
        shown = _camera_ids(self._grids)
        if shown != self.shown:
            self.shown = shown
            set_shown = self._set_shown
            background().latest(("recorders", "shown"), lambda: set_shown(shown))

    def stop(self) -> None:
        self._timer.stop()


class RecorderNotes(QObject):
    def __init__(self, grids: Sequence[VideoGrid], events: EventBus,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._grids = list(grids)
        self.notes: dict[int, str] = {}  # camera id -> its footer note ("" none)
        self._unsubscribe = GuiEvents(events).subscribe(RecorderStatusChanged,
                                                        self._changed, self)
        for grid in self._grids:
            grid.layout_changed.connect(self.apply)

    def _changed(self, event: RecorderStatusChanged) -> None:
        note = recorder_note(event.status)
        if self.notes.get(event.camera_id, "") != note:
            self.notes[event.camera_id] = note
            self.apply()

    def apply(self) -> None:
        for grid in self._grids:
            for tile in grid.tiles:
                camera_id = tile.camera.id if tile.camera is not None else None
                note = self.notes.get(camera_id, "") if camera_id is not None else ""
                if tile.recording_note != note:
                    tile.recording_note = note
                    tile.update()

    def stop(self) -> None:
        self._unsubscribe()
