"""Camera events on the console: the suggested-sighting cards over the grid, the events
list, and which events make a tile flash. ``ui/app.py`` wires what leaves this feature:
a confirmed sighting to the alert preview, high-risk suggestions to the wall banner,
flashes to the console and wall tiles."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from commandroom.auth.permissions import PermissionDenied
from commandroom.camera_events.api import EventLogApi, SuggestionDecidedAlready, SuggestionsApi
from commandroom.camera_events.model import EventSource, EventState, EventType
from commandroom.camera_events.views import (
    CameraEventStored,
    CameraEventView,
    DismissReason,
    EventIntakeStatus,
    SuggestionDecided,
    SuggestionRaised,
    SuggestionRepeated,
    SuggestionView,
)
from commandroom.cameras.registry import Camera
from commandroom.config import ConsoleSettings
from commandroom.events import EventBus
from commandroom.sightings.records import SightingView
from commandroom.wall import WallAlert
from ui.bridge import FutureBridge, GuiEvents
from ui.camera_events.card import SuggestionCard
from ui.camera_events.events_window import EventsWindow
from ui.camera_events.queue import SuggestionQueue, is_high_risk
from ui.camera_events.texts import reason_label
from ui.common.actor import ActorSource
from ui.common.event_types import type_label
from ui.common.notices import error_text
from ui.common.thumbnails import ThumbnailCache
from ui.common.windows import ToolWindows

log = logging.getLogger(__name__)

CARD_SHORTCUT = "Ctrl+K"  # Ctrl+E is the recording export
EVENTS_SHORTCUT = "Ctrl+Shift+V"
_TYPING = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


class CameraEventsUi(QObject):
    confirmed = Signal(object)  # SightingView: a suggestion the officer confirmed
    wall_alert = Signal(object)  # WallAlert: a high-risk suggestion for the wall banner
    wall_clear = Signal(int)  # the suggestion id answered: its banner may go
    flash_requested = Signal(int)  # camera id whose tiles flash

    def __init__(self, console: QMainWindow, grid: QWidget, suggestions: SuggestionsApi,
                 event_log: EventLogApi, events: EventBus, actor: ActorSource,
                 cameras: Callable[[], tuple[Camera, ...]], settings: ConsoleSettings,
                 save_settings: Callable[[], None], data_dir: Path) -> None:
        super().__init__(console)
        self._console = console
        self._grid = grid
        self._suggestions = suggestions
        self._log = event_log
        self._actor = actor
        self._cameras = cameras
        self._settings = settings
        self._save_settings = save_settings
        self._data_dir = data_dir
        self._bridge = FutureBridge(self)
        self.thumbnails = ThumbnailCache(self)
        self.queue = SuggestionQueue()
        self.card = SuggestionCard(grid, data_dir, self.thumbnails)
        self.card.confirm_requested.connect(self.confirm)
        self.card.dismiss_requested.connect(
            lambda sid, reason: self.dismiss(sid, DismissReason(reason)))
        self.windows = ToolWindows(console)
        self.statuses: dict[int, EventIntakeStatus] = {}
        self._build_menu()
        gui = GuiEvents(events)
        gui.subscribe(SuggestionRaised, lambda e: self._arrived(e.suggestion, True), self)
        gui.subscribe(SuggestionRepeated, lambda e: self._arrived(e.suggestion, False), self)
        gui.subscribe(SuggestionDecided, lambda e: self._decided(e.suggestion), self)
        gui.subscribe(CameraEventStored, lambda e: self._stored(e.event), self)
        gui.subscribe(EventIntakeStatus, self._intake_status, self)

    def _build_menu(self) -> None:
        menu = self._console.menuBar().addMenu(self.tr("Camera &events"))
        answer = QAction(self.tr("Answer suggested sighting"), self._console)
        answer.setShortcut(QKeySequence(CARD_SHORTCUT))
        answer.triggered.connect(lambda _c=False: self.focus_card())
        events = QAction(self.tr("Events list…"), self._console)
        events.setShortcut(QKeySequence(EVENTS_SHORTCUT))
        events.triggered.connect(lambda _c=False: self.open_events())
        for action in (answer, events):
            menu.addAction(action)
            self._console.addAction(action)
        flash = menu.addMenu(self.tr("Flash tiles on"))
        self.flash_actions: dict[str, QAction] = {}
        for event_type in EventType:
            action = QAction(type_label(event_type), self._console)
            action.setCheckable(True)
            action.setChecked(event_type.value in self._settings.flash_event_types)
            action.toggled.connect(lambda on, t=event_type.value: self.set_flash(t, on))
            flash.addAction(action)
            self.flash_actions[event_type.value] = action

    def start(self) -> None:
        """The suggestions left undecided (another seat, an earlier run): queued."""
        self._bridge.run(self._suggestions.pending, self._actor(),
                         on_ok=self._pending_loaded, on_error=self._say_error)

    def _pending_loaded(self, pending: list[SuggestionView]) -> None:
        for suggestion in pending:
            self._arrived(suggestion, False)

    # -- cards ---------------------------------------------------------------------
    def _arrived(self, suggestion: SuggestionView, new: bool) -> None:
        had_card = self.queue.current is not None
        self.queue.put(suggestion)
        self._show_card()
        if new and is_high_risk(suggestion):
            self.wall_alert.emit(self._wall_alert(suggestion))
        if not had_card and self.queue.current is not None and not officer_is_typing(
                self._console):
            self.card.setFocus(Qt.FocusReason.OtherFocusReason)

    def _wall_alert(self, suggestion: SuggestionView) -> WallAlert:
        picture = str(self._data_dir / suggestion.picture_path) \
            if suggestion.picture_path else None
        return WallAlert(camera_id=suggestion.camera_id, camera_name=suggestion.camera_name,
                         junction=suggestion.junction,
                         who=f"{suggestion.entry_label} {suggestion.plate_read}",
                         category=suggestion.entry_category, frame_time=suggestion.event_time,
                         snapshot_path=picture, priority="high",
                         suggestion_id=suggestion.id)

    def _decided(self, suggestion: SuggestionView) -> None:
        self._remove(suggestion.id)

    def _remove(self, suggestion_id: int) -> None:
        focus = QApplication.focusWidget()
        had_focus = focus is not None and (focus is self.card or self.card.isAncestorOf(focus))
        self.queue.remove(suggestion_id)
        self.wall_clear.emit(suggestion_id)
        self._show_card()
        if had_focus:
            if self.queue.current is not None:
                self.card.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self._grid.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_card(self) -> None:
        self.card.show_suggestion(self.queue.current, 1, len(self.queue),
                                  self.queue.urgent_waiting())

    def focus_card(self) -> None:
        """Ctrl+K: the card in front, with the keyboard."""
        if self.queue.current is None:
            self._say(self.tr("No suggested sighting is waiting."))
            return
        self._console.raise_()
        self._console.activateWindow()
        self.card.raise_()
        self.card.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def confirm(self, suggestion_id: int) -> None:
        self.card.set_busy(True)
        self._bridge.run(self._suggestions.confirm, self._actor(), suggestion_id,
                         on_ok=lambda view: self._confirmed(suggestion_id, view),
                         on_error=lambda exc: self._answer_failed(suggestion_id, exc))

    def _confirmed(self, suggestion_id: int, view: SightingView) -> None:
        self._say(self.tr("Sighting saved at %1; the evidence clip follows.")
                  .replace("%1", view.camera_name))
        self._remove(suggestion_id)
        self.confirmed.emit(view)

    def dismiss(self, suggestion_id: int, reason: DismissReason) -> None:
        self.card.set_busy(True)
        self._bridge.run(self._suggestions.dismiss, self._actor(), suggestion_id, reason,
                         on_ok=lambda _view: self._dismissed(suggestion_id, reason),
                         on_error=lambda exc: self._answer_failed(suggestion_id, exc))

    def _dismissed(self, suggestion_id: int, reason: DismissReason) -> None:
        self._say(self.tr("Suggestion dismissed: %1.").replace("%1", reason_label(reason)))
        self._remove(suggestion_id)

    def _answer_failed(self, suggestion_id: int, exc: BaseException) -> None:
        if isinstance(exc, SuggestionDecidedAlready):
            self._say(self.tr("Another seat answered this suggestion already."))
            self._remove(suggestion_id)
            return
        self.card.set_busy(False)
        if not isinstance(exc, PermissionDenied):
            log.error("suggestion %d: answer failed: %s", suggestion_id, type(exc).__name__)
        self._say_error(exc)

    # -- events ------------------------------------------------------------------------
    def _stored(self, event: CameraEventView) -> None:
        if event.state != EventState.STOP and (
                event.type in self._settings.flash_event_types
                or event.source == EventSource.LOCAL_MOTION):
            self.flash_requested.emit(event.camera_id)
        window = self.windows.windows.get(("events", None))
        if isinstance(window, EventsWindow):
            window.add(event)

    def _intake_status(self, status: EventIntakeStatus) -> None:
        self.statuses[status.camera_id] = status
        window = self.windows.windows.get(("events", None))
        if isinstance(window, EventsWindow):
            window.show_status()

    def set_flash(self, event_type: str, on: bool) -> None:
        chosen = [t for t in self._settings.flash_event_types if t != event_type]
        self._settings.flash_event_types = [*chosen, event_type] if on else chosen
        self._save_settings()

    def open_events(self) -> EventsWindow:
        existing = self.windows.existing(("events", None))
        if isinstance(existing, EventsWindow):
            return existing
        window = EventsWindow(self._log, self._actor, self._cameras, self.statuses,
                              self._data_dir, self.thumbnails)
        self.windows.show(("events", None), window)
        window.activateWindow()
        return window

    def _say(self, text: str) -> None:
        self._console.statusBar().showMessage(text, 10_000)

    def _say_error(self, exc: BaseException) -> None:
        self._say(error_text(exc))

    def shutdown(self) -> None:
        self._bridge.shut()
        self.windows.close_all()
        self.thumbnails.shutdown()


def officer_is_typing(console: QWidget) -> bool:
    """True when taking the keyboard would steal it: another window is in front (the tag
    dialog, the watch list) or the focus is in a field being typed in."""
    active = QApplication.activeWindow()
    if active is not None and active is not console:
        return True
    focus = QApplication.focusWidget()
    if isinstance(focus, _TYPING):
        return True
    return isinstance(focus, QComboBox) and focus.isEditable()
