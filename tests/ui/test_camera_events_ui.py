"""Camera events end to end, through the real Core (make_app): a plate read for a
watch-listed vehicle → a suggested-sighting card over the grid → Enter → a sighting with
its evidence → the alert preview; Esc → the reason → the dismissal recorded; the events
list and the tile flash. Keys go where the keyboard focus is; the GUI-thread database
guard is on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from commandroom.audit.trail import AuditFilter
from commandroom.auth.permissions import SYSTEM
from commandroom.camera_events.model import (
    CameraEvent,
    EventPicture,
    EventSource,
    EventState,
    EventType,
)
from commandroom.watchlist.records import Category, EntryInput, Kind, Risk
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import focused, press, type_keys
from ui.app import CommandRoomApp


def jpeg(colour: str = "#3060a0") -> bytes:
    image = QImage(320, 180, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG")
    return bytes(data.data())


def plate_event(camera_id: int, plate: str, *, picture: bool = True,
                event_type: EventType = EventType.PLATE,
                source: EventSource = EventSource.ISAPI) -> CameraEvent:
    now = datetime.now(UTC)
    return CameraEvent(
        camera_id=camera_id, source=source, type=event_type,
        state=EventState.PULSE if event_type == EventType.PLATE else EventState.START,
        device_time=now, received_at=now,
        topic="ANPR" if event_type == EventType.PLATE else "VMD",
        plate=plate, plate_colour="blue" if plate else "",
        picture=EventPicture(jpeg()) if picture else None)


def push(app: CommandRoomApp, *events: CameraEvent) -> None:
    """As a protocol client does: handed to the intake, whose writer thread stores them
    (never the GUI thread); waits until they are written."""
    for event in events:
        app.core.event_intake.hand_over(event)
    assert app.core.event_intake.wait_idle(30)


def vehicle(app: CommandRoomApp, plate: str, name: str, risk: str = Risk.HIGH) -> int:
    entry = app.watchlist.create(SYSTEM, EntryInput(
        kind=Kind.VEHICLE, name=name, plate=plate, colour="white", make_model="Wuling van",
        category=Category.WANTED, risk=risk, reason="seen at two break-ins"))
    assert entry.id is not None
    return entry.id


def live_console(qtbot: QtBot, make_app: AppFactory) -> tuple[CommandRoomApp, int]:
    app = make_app("--demo")
    grid = app.console.grid
    qtbot.waitUntil(lambda: grid.tiles[0].painted_seq > 0, timeout=20_000)
    grid.select(grid.tiles[0])
    app.console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.console)
    camera = grid.tiles[0].camera
    assert camera is not None and camera.id is not None
    return app, camera.id


@pytest.mark.integration
def test_plate_hit_card_enter_confirms_with_evidence_then_alert_preview(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app, camera_id = live_console(qtbot, make_app)
    entry_id = vehicle(app, "鄂G12345", "White Wuling van")
    card = app.camera_events_ui.card
    push(app, plate_event(camera_id, "鄂G1Z345"))  # a misread: 2 read as Z
    qtbot.waitUntil(card.isVisible, timeout=10_000)
    assert card.suggestion is not None and card.suggestion.entry_id == entry_id
    assert card.plate.text() == "鄂G1Z345"
    assert card.entry.text() == "White Wuling van"
    assert card.category.text() == "On file 鄂G12345 · Wanted · High risk"
    assert "90% match · one character misread 2→Z" in card.match.text()
    assert card.header.text() == "Suggested sighting · 1 of 1"
    qtbot.waitUntil(lambda: card.picture.pixmap() is not None
                    and not card.picture.pixmap().isNull(), timeout=5000)
    # high risk: the wall banner says so at once, not as an alert
    banner = app.wall.window.banner
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    assert banner.title.text().startswith("POSSIBLE SIGHTING: White Wuling van")
    assert focused() is card
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.alerts_ui.dialog is not None, timeout=15_000)
    assert not card.isVisible() and not banner.isVisible()
    sighting = app.alerts_ui.last_sighting
    assert sighting is not None and sighting.watch_entry_id == entry_id
    assert app.incidents_ui.last_sighting == sighting  # Ctrl+Shift+N: an incident of it
    assert sighting.camera_id == camera_id and sighting.snapshot_sha256
    assert sighting.clip_status in ("pending", "done")
    preview = app.alerts_ui.dialog.preview.toPlainText()
    assert "White Wuling van" in preview or "鄂G12345" in preview
    counts = app.core.suggestions.decided_counts(SYSTEM)
    assert counts["confirmed"] == 1
    audited = app.audit.query(SYSTEM, AuditFilter(action_prefix="suggestion."))
    assert [e.action for e in audited] == ["suggestion.confirm"]


@pytest.mark.integration
def test_esc_asks_the_reason_and_the_dismissal_is_recorded(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app, camera_id = live_console(qtbot, make_app)
    vehicle(app, "鄂A88888", "Grey tricycle", risk=Risk.MEDIUM)
    card = app.camera_events_ui.card
    push(app, plate_event(camera_id, "鄂A88888", picture=False))
    qtbot.waitUntil(card.isVisible, timeout=10_000)
    # No picture from the camera (as Dahua and ONVIF send them): the card shows our frame
    # of the camera it is on, taken when the read came.
    qtbot.waitUntil(lambda: card.picture.pixmap() is not None
                    and not card.picture.pixmap().isNull(), timeout=5000)
    event = app.core.camera_events.recent(SYSTEM, camera_id=camera_id)[0]
    assert app.core.camera_events.details(SYSTEM, event.id)["picture_origin"] == \
        "console_frame"
    assert focused() is card
    press(Qt.Key.Key_Escape)
    assert card.choosing_reason() and card.isAncestorOf(focused())
    type_keys("2")  # not this vehicle
    qtbot.waitUntil(lambda: not card.isVisible(), timeout=10_000)
    counts = app.core.suggestions.decided_counts(SYSTEM)
    assert counts["dismissed"] == 1 and counts["not_this_vehicle"] == 1
    audited = app.audit.query(SYSTEM, AuditFilter(action_prefix="suggestion."))
    assert [(e.action, e.details["reason"]) for e in audited] == \
        [("suggestion.dismiss", "not_this_vehicle")]
    assert app.alerts_ui.dialog is None  # nothing goes to the teams


@pytest.mark.integration
def test_cards_queue_without_piling_up_and_repeats_fold(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app, camera_id = live_console(qtbot, make_app)
    plates = [f"鄂B1234{i}" for i in range(5)]
    for i, plate in enumerate(plates):
        vehicle(app, plate, f"Van {i}", risk=Risk.MEDIUM)
    push(app, *(plate_event(camera_id, p, picture=False) for p in plates))
    card = app.camera_events_ui.card
    qtbot.waitUntil(lambda: card.header.text() == "Suggested sighting · 1 of 5",
                    timeout=10_000)
    shown = [w for w in app.console.grid.findChildren(QWidget, "suggestionCard")
             if w.isVisible()]
    assert shown == [card]
    first = card.suggestion
    assert first is not None and first.plate_read == plates[0]  # the oldest first
    # the same plate at the same camera again: folded into its card, not a sixth card
    push(app, plate_event(camera_id, plates[0], picture=False),
         plate_event(camera_id, plates[0], picture=False))
    qtbot.waitUntil(lambda: "seen 3 times" in card.where.text(), timeout=10_000)
    assert card.header.text() == "Suggested sighting · 1 of 5"


@pytest.mark.integration
def test_events_list_filters_by_camera_and_type(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app, camera_id = live_console(qtbot, make_app)
    other = app.console.grid.tiles[1].camera
    assert other is not None and other.id is not None
    push(app, plate_event(camera_id, "鄂C55555"),
         plate_event(other.id, "", picture=False, event_type=EventType.MOTION))
    press(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    window = app.camera_events_ui.windows.windows[("events", None)]
    qtbot.waitUntil(lambda: window.loaded, timeout=10_000)  # type: ignore[attr-defined]
    model = window.model  # type: ignore[attr-defined]
    assert len(model.rows) == 2
    window.camera_filter.setCurrentIndex(  # type: ignore[attr-defined]
        window.camera_filter.findData(other.id))  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: [r.camera_id for r in model.rows] == [other.id], timeout=5000)
    window.camera_filter.setCurrentIndex(0)  # type: ignore[attr-defined]
    window.type_filter.setCurrentIndex(  # type: ignore[attr-defined]
        window.type_filter.findData("plate"))  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: [r.plate for r in model.rows] == ["鄂C55555"], timeout=5000)
    assert model.data(model.index(0, 3)) == "Plate read"
    # a live event that passes the filter comes in at the top
    push(app, plate_event(other.id, "鄂C66666", picture=False))
    qtbot.waitUntil(lambda: [r.plate for r in model.rows] == ["鄂C66666", "鄂C55555"],
                    timeout=5000)
    assert "stored 3" in window.status.text()  # type: ignore[attr-defined]


@pytest.mark.integration
def test_a_tile_flashes_on_a_chosen_type_only(qtbot: QtBot, make_app: AppFactory) -> None:
    app, camera_id = live_console(qtbot, make_app)
    grid = app.console.grid
    other = grid.tiles[1]
    assert other.camera is not None and other.camera.id is not None
    flashes: list[int] = []
    app.camera_events_ui.flash_requested.connect(flashes.append)
    push(app, plate_event(other.camera.id, "", picture=False, event_type=EventType.MOTION))
    push(app, plate_event(camera_id, "鄂D00001", picture=False))  # plate: chosen
    qtbot.waitUntil(lambda: flashes == [camera_id], timeout=10_000)
    assert grid.tiles[0].flashing and not other.flashing
    # motion chosen in the menu: now its tile flashes too
    app.camera_events_ui.flash_actions["motion"].trigger()
    assert "motion" in app.settings.console.flash_event_types
    push(app, plate_event(other.camera.id, "", picture=False, event_type=EventType.MOTION))
    qtbot.waitUntil(lambda: other.flashing, timeout=10_000)


@pytest.mark.integration
def test_card_never_takes_the_keyboard_from_the_tag_dialog(
        qtbot: QtBot, make_app: AppFactory) -> None:
    app, camera_id = live_console(qtbot, make_app)
    vehicle(app, "鄂E24680", "Blue tricycle")
    dialog = app.tagging.start_tag()
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    typing_in = focused()
    assert dialog.isAncestorOf(typing_in)
    push(app, plate_event(camera_id, "鄂E24680", picture=False))
    card = app.camera_events_ui.card
    qtbot.waitUntil(card.isVisible, timeout=10_000)
    assert focused() is typing_in  # the officer goes on typing in the tag dialog
    assert "Ctrl+K" in card.keys.text()
    press(Qt.Key.Key_Escape)  # the tag dialog closes
    qtbot.waitUntil(lambda: app.tagging.dialog is None or not app.tagging.dialog.isVisible())
    app.console.activateWindow()  # the window manager's part (offscreen has none)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.console)
    assert focused() is not card
    press(Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert focused() is card
    press(Qt.Key.Key_Escape)
    type_keys("\n")  # the default reason: a false read
    qtbot.waitUntil(lambda: not card.isVisible(), timeout=10_000)
    assert app.core.suggestions.decided_counts(SYSTEM)["false_read"] == 1
