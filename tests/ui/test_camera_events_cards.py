"""The suggested-sighting card, the events list and the flash choice, driven by the views
the core publishes (in-memory stand-ins for the core APIs, which fail on the GUI thread).
The end-to-end path through the real core is in test_camera_events_ui.py."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from commandroom.auth.permissions import SYSTEM, Actor
from commandroom.camera_events.model import EventSource, EventType
from commandroom.camera_events.views import (
    CameraEventStored,
    CameraEventView,
    DismissReason,
    EventIntakeStatus,
    SuggestionDecided,
    SuggestionRaised,
    SuggestionRepeated,
    SuggestionStatus,
)
from commandroom.cameras.registry import Camera
from commandroom.config import ConsoleSettings
from commandroom.events import EventBus
from commandroom.watchlist.plate_match import Edit, MatchRule
from tests.ui.camera_events_support import (
    FakeEventLog,
    FakeSuggestions,
    event_view,
    suggestion,
)
from tests.ui.keyboard import focused, press, type_keys
from ui.camera_events.install import CameraEventsUi
from ui.camera_events.texts import rules_text


@dataclass
class Seat:
    console: QMainWindow
    grid: QWidget
    bus: EventBus
    core: FakeSuggestions
    log: FakeEventLog
    ui: CameraEventsUi
    settings: ConsoleSettings
    saves: list[list[str]]
    console_keys: list[str]  # the console's own Return / Escape / arrow actions fired


@pytest.fixture
def seat(qtbot: QtBot, tmp_path: Path) -> Iterator[Seat]:
    console = QMainWindow()
    grid = QWidget()
    grid.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    box = QWidget()
    layout = QVBoxLayout(box)
    search = QLineEdit()
    search.setObjectName("search")
    layout.addWidget(search)
    layout.addWidget(grid, 1)
    console.setCentralWidget(box)
    console.resize(1400, 800)
    # The real console has window shortcuts on these keys (maximise, restore grid, move
    # the selection): the card must keep them while it has the keyboard.
    console_keys: list[str] = []
    for key in ("Return", "Escape", "Up", "Down", "1", "2", "3"):
        action = QAction(console)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _c=False, k=key: console_keys.append(k))
        console.addAction(action)
    bus = EventBus()
    core = FakeSuggestions()
    log = FakeEventLog([event_view(1, camera_id=1, plate="鄂A12345"),
                        event_view(2, camera_id=2, type_=EventType.MOTION),
                        event_view(3, camera_id=2, type_=EventType.PLATE, plate="鄂B99999")])
    settings = ConsoleSettings()
    saves: list[list[str]] = []
    cameras = (Camera(id=1, name="Camera 1", main_url=""),
               Camera(id=2, name="Camera 2", main_url=""))
    ui = CameraEventsUi(console, grid, core, log, bus, lambda: SYSTEM, lambda: cameras,
                        settings, lambda: saves.append(list(settings.flash_event_types)),
                        tmp_path)
    console.show()
    console.activateWindow()
    grid.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    yield Seat(console, grid, bus, core, log, ui, settings, saves, console_keys)
    ui.shutdown()
    console.close()
    console.deleteLater()


def raise_(seat: Seat, qtbot: QtBot, *views: object) -> None:
    for view in views:
        seat.bus.publish(SuggestionRaised(view))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: seat.ui.card.isVisible() and len(seat.ui.queue) == len(views))


def test_card_shows_entry_score_rule_and_takes_focus(seat: Seat, qtbot: QtBot) -> None:
    raise_(seat, qtbot, suggestion(1, plate="鄂G1Z345", on_file="鄂G12345", score=0.9,
                                   rules=("confusable",), risk="high"))
    card = seat.ui.card
    assert card.plate.text() == "鄂G1Z345"
    assert card.entry.text() == "Zhang San"
    assert card.category.text() == "On file 鄂G12345 · Wanted · High risk"
    assert "90% match" in card.match.text()
    assert "one character misread 2→Z" in card.match.text()
    assert "Camera 1 · East gate" in card.where.text()
    assert card.picture.text() == "no picture"
    assert card.header.text() == "Suggested sighting · 1 of 1"
    assert focused() is card  # the officer was not typing: the card has the keyboard
    # over the grid, inside it, at the top right
    assert card.parentWidget() is seat.grid
    assert card.geometry().right() <= seat.grid.width()


def test_rules_in_words() -> None:
    assert rules_text(suggestion(1)) == "exact read"
    assert rules_text(suggestion(1, plate="A12345", on_file="鄂A12345")) == \
        "province character not read"
    assert rules_text(suggestion(1, plate="鄂A1234", on_file="鄂A12345")) == \
        "one character missing (5)"
    assert rules_text(suggestion(1, plate="鄂A12845", on_file="鄂A12345")) == \
        "one character different (3 read as 8)"
    assert rules_text(suggestion(1, plate="鄂A1I3D5", on_file="鄂A11305")) == \
        "2 characters misread 1→I, 0→D"


def test_the_words_are_the_stored_matchs_not_worked_out_again() -> None:
    """The card says the edits the core's match stored, even where the two plates on the
    card would compare otherwise now (the file was edited after the read)."""
    stored = replace(suggestion(1, plate="鄂G1Z345", on_file="鄂G98765"),
                     edits=(Edit(MatchRule.CONFUSABLE, 3, "Z", "2"),))
    assert rules_text(stored) == "one character misread 2→Z"
    # A card raised before the edits were stored: the rules the core sent, in words.
    older = replace(suggestion(1, plate="鄂G1Z345", on_file="鄂G12345",
                               rules=("confusable",)), edits=None)
    assert rules_text(older) == "look-alike character misread"


def test_enter_confirms_off_the_gui_thread_and_hands_the_sighting_on(
        seat: Seat, qtbot: QtBot) -> None:
    raise_(seat, qtbot, suggestion(1), suggestion(2, seconds=5))
    card = seat.ui.card
    assert card.header.text() == "Suggested sighting · 1 of 2"
    with qtbot.waitSignal(seat.ui.confirmed, timeout=5000) as confirmed:
        press(Qt.Key.Key_Return)
    assert seat.core.confirmed == [1]
    assert confirmed.args[0].id == 501
    # the next card, still with the keyboard
    assert card.suggestion is not None and card.suggestion.id == 2
    assert card.header.text() == "Suggested sighting · 1 of 1"
    assert focused() is card
    assert seat.console_keys == []


def test_keys_wait_while_the_answer_is_on_its_way(seat: Seat, qtbot: QtBot) -> None:
    raise_(seat, qtbot, suggestion(1), suggestion(2, seconds=5))
    seat.core.release.clear()  # the core is slow to answer
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: seat.ui.card.busy)
    press(Qt.Key.Key_Return)  # a second Enter must not confirm the next card unseen
    assert seat.ui.card.keys.text() == "Saving…"
    seat.core.release.set()
    qtbot.waitUntil(lambda: not seat.ui.card.busy)
    assert seat.core.confirmed == [1]


@pytest.mark.parametrize(("keys", "reason"), [
    ("\n", DismissReason.FALSE_READ),
    ("2", DismissReason.NOT_THIS_VEHICLE),
    ("3", DismissReason.OTHER),
])
def test_esc_opens_the_reason_chooser(seat: Seat, qtbot: QtBot, keys: str,
                                      reason: DismissReason) -> None:
    raise_(seat, qtbot, suggestion(7))
    press(Qt.Key.Key_Escape)
    card = seat.ui.card
    assert card.choosing_reason()
    assert card.isAncestorOf(focused())  # the chooser has the keyboard, in the card
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Up)  # arrows move the choice, not the grid's selection
    type_keys(keys)
    qtbot.waitUntil(lambda: seat.core.dismissed == [(7, reason)])
    assert seat.console_keys == []
    qtbot.waitUntil(lambda: not card.isVisible())
    assert seat.console.statusBar().currentMessage().startswith("Suggestion dismissed")
    assert focused() is seat.grid  # the keyboard goes back to the grid


def test_esc_twice_goes_back_to_the_card(seat: Seat, qtbot: QtBot) -> None:
    raise_(seat, qtbot, suggestion(7))
    press(Qt.Key.Key_Escape)
    press(Qt.Key.Key_Escape)
    assert not seat.ui.card.choosing_reason() and focused() is seat.ui.card
    assert seat.core.dismissed == []


def test_cards_queue_one_visible_high_risk_next(seat: Seat, qtbot: QtBot) -> None:
    views = [suggestion(i, risk="low", seconds=i) for i in range(1, 6)]
    raise_(seat, qtbot, *views)
    card = seat.ui.card
    cards = [w for w in seat.grid.findChildren(QWidget, "suggestionCard") if w.isVisible()]
    assert cards == [card]
    assert card.header.text() == "Suggested sighting · 1 of 5"
    assert card.suggestion is not None and card.suggestion.id == 1  # the oldest first
    # a high-risk one arrives: the card on screen stays, a note says one is waiting
    seat.bus.publish(SuggestionRaised(suggestion(9, risk="high", seconds=99)))
    qtbot.waitUntil(lambda: len(seat.ui.queue) == 6)
    assert card.suggestion.id == 1 and card.waiting.text() == "high-risk waiting"
    seat.bus.publish(SuggestionDecided(replace(suggestion(1),
                                               status=SuggestionStatus.CONFIRMED)))
    qtbot.waitUntil(lambda: card.suggestion is not None and card.suggestion.id == 9)
    assert card.header.text() == "Suggested sighting · 1 of 5" and not card.waiting.text()


def test_same_plate_folded_shows_repeats(seat: Seat, qtbot: QtBot) -> None:
    raise_(seat, qtbot, suggestion(1))
    seat.bus.publish(SuggestionRepeated(suggestion(1, repeats=2)))
    qtbot.waitUntil(lambda: "seen 3 times" in seat.ui.card.where.text())
    assert len(seat.ui.queue) == 1


def test_card_does_not_steal_the_keyboard_from_typing(seat: Seat, qtbot: QtBot) -> None:
    search = seat.console.findChild(QLineEdit, "search")
    search.setFocus()
    qtbot.waitUntil(lambda: focused() is search)
    raise_(seat, qtbot, suggestion(1))
    assert focused() is search
    assert "Ctrl+K" in seat.ui.card.keys.text()
    type_keys("abc\n")  # Enter in the field confirms nothing
    assert search.text() == "abc" and seat.core.confirmed == []
    press(Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert focused() is seat.ui.card
    with qtbot.waitSignal(seat.ui.confirmed, timeout=5000):
        press(Qt.Key.Key_Enter)


def test_card_does_not_steal_the_keyboard_from_another_window(
        seat: Seat, qtbot: QtBot) -> None:
    other = QLineEdit()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    raise_(seat, qtbot, suggestion(1))
    assert QApplication.activeWindow() is other and focused() is other


def test_pending_suggestions_are_queued_at_start(seat: Seat, qtbot: QtBot) -> None:
    seat.core._pending = [suggestion(3), suggestion(4, seconds=1)]
    seat.ui.start()
    qtbot.waitUntil(lambda: len(seat.ui.queue) == 2)
    assert seat.ui.card.header.text() == "Suggested sighting · 1 of 2"


def test_high_risk_goes_to_the_wall_and_leaves_when_answered(
        seat: Seat, qtbot: QtBot) -> None:
    walls: list[object] = []
    cleared: list[int] = []
    seat.ui.wall_alert.connect(walls.append)
    seat.ui.wall_clear.connect(cleared.append)
    raise_(seat, qtbot, suggestion(1, risk="low"), suggestion(2, risk="high"))
    assert [w.suggestion_id for w in walls] == [2]  # type: ignore[attr-defined]
    seat.bus.publish(SuggestionDecided(replace(suggestion(2),
                                               status=SuggestionStatus.DISMISSED)))
    qtbot.waitUntil(lambda: 2 in cleared)


def test_events_list_filters_and_follows_live_events(seat: Seat, qtbot: QtBot) -> None:
    press(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    window = seat.ui.windows.windows[("events", None)]
    qtbot.waitUntil(lambda: window.loaded)  # type: ignore[attr-defined]
    model = window.model  # type: ignore[attr-defined]
    assert [r.id for r in model.rows] == [3, 2, 1]
    assert model.data(model.index(0, 3)) == "Plate read"
    assert model.data(model.index(1, 3)) == "Motion"
    window.camera_filter.setCurrentIndex(window.camera_filter.findData(2))  # type: ignore
    qtbot.waitUntil(lambda: [r.id for r in model.rows] == [3, 2])
    window.type_filter.setCurrentIndex(  # type: ignore[attr-defined]
        window.type_filter.findData("plate"))  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: [r.id for r in model.rows] == [3])
    # live: a plate at camera 2 shows; a motion at camera 2 and a plate at 1 do not
    for event in (event_view(4, camera_id=2, plate="鄂C1"),
                  event_view(5, camera_id=2, type_=EventType.MOTION),
                  event_view(6, camera_id=1)):
        seat.bus.publish(CameraEventStored(event))
    seat.bus.publish(EventIntakeStatus(2, False, "unreachable"))
    qtbot.waitUntil(lambda: "Camera 2: unreachable" in window.status.text())  # type: ignore
    qtbot.waitUntil(lambda: [r.id for r in model.rows] == [4, 3])  # with the next batch
    # the counters follow the live events at once (3 read, 3 more stored since)
    assert window.status.text().startswith("2 shown · received 6, stored 6")  # type: ignore
    press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: ("events", None) not in seat.ui.windows.windows)


def test_tiles_flash_on_chosen_types_only(seat: Seat, qtbot: QtBot) -> None:
    flashed: list[int] = []
    seat.ui.flash_requested.connect(flashed.append)
    assert "plate" in seat.settings.flash_event_types
    assert "motion" not in seat.settings.flash_event_types
    seat.bus.publish(CameraEventStored(event_view(1, camera_id=1)))
    seat.bus.publish(CameraEventStored(event_view(2, camera_id=2, type_=EventType.MOTION)))
    # local motion detection highlights its tile whatever the choice
    seat.bus.publish(CameraEventStored(event_view(
        3, camera_id=3, type_=EventType.MOTION, source=EventSource.LOCAL_MOTION)))
    qtbot.waitUntil(lambda: flashed == [1, 3])
    # the officer turns motion on: remembered in the settings, saved
    seat.ui.flash_actions["motion"].trigger()
    assert "motion" in seat.settings.flash_event_types and "motion" in seat.saves[-1]
    seat.bus.publish(CameraEventStored(event_view(4, camera_id=2, type_=EventType.MOTION)))
    qtbot.waitUntil(lambda: flashed == [1, 3, 2])


def test_card_fits_a_narrow_grid(seat: Seat, qtbot: QtBot) -> None:
    raise_(seat, qtbot, suggestion(1))
    card = seat.ui.card
    assert card.width() == 620
    seat.console.resize(500, 800)  # the wall window beside the console on one screen
    qtbot.waitUntil(lambda: card.width() < 620)
    assert card.geometry().left() >= 0 and card.geometry().right() < seat.grid.width()
    assert card.picture.width() == 160
    seat.console.resize(1400, 800)
    qtbot.waitUntil(lambda: card.width() == 620 and card.picture.width() == 256)


def test_events_list_shows_the_last_filter_asked_whatever_answers_first(
        seat: Seat, qtbot: QtBot) -> None:
    window = seat.ui.open_events()
    qtbot.waitUntil(lambda: window.loaded)
    slow = threading.Event()
    read = seat.log.recent

    def recent_all_slow(actor: Actor, **kwargs: Any) -> list[CameraEventView]:
        if kwargs.get("camera_id") is None and kwargs.get("types") is None:
            slow.wait(10)  # the "all events" read answers last
        return read(actor, **kwargs)

    seat.log.recent = recent_all_slow  # type: ignore[method-assign]
    window.reload()  # all cameras, all types: slow
    window.type_filter.setCurrentIndex(window.type_filter.findData("motion"))
    qtbot.waitUntil(lambda: [r.id for r in window.model.rows] == [2])
    slow.set()
    qtbot.waitUntil(lambda: window._bridge.pending == 0)
    assert [r.id for r in window.model.rows] == [2]  # the stale answer did not show
