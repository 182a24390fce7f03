"""The camera dialog's event rows, typed as an officer does (keys where the focus is):
the source in words, the event address (its refusal worded like the other fields', its
credentials moved to the secret store), the NVR channel, local motion detection; and an
edited camera showing what it has. The GUI-thread database guard is on."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key
from tests.ui.keyboard import focused, press, type_keys
from ui.console.camera_dialog import CameraDialog


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[CameraRegistry]:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'reg.db'}")
    store = DatabaseSecretStore(sessions, load_or_create_key(tmp_path / "secret.key"))
    yield CameraRegistry(sessions, store, EventBus(), AuditTrail(sessions))
    engine.dispose()


def _off_gui(call: object) -> object:
    """The test's own reads, on a worker thread as the UI's are (the guard is on)."""
    assert callable(call)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result(timeout=10)


def _open(qtbot: QtBot, registry: CameraRegistry, camera: Camera | None) -> CameraDialog:
    dialog = CameraDialog(registry, SYSTEM, camera)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name)
    return dialog


def _tab_to(qtbot: QtBot, widget: QWidget, most: int = 20) -> list[QWidget]:
    """Tab until ``widget`` has the focus; the widgets passed on the way, in order."""
    passed: list[QWidget] = []
    while focused() is not widget:
        passed.append(focused())
        assert len(passed) < most, f"Tab never reached {widget!r}: {passed}"
        press(Qt.Key.Key_Tab)
    return passed


def test_event_rows_by_keyboard_refusal_worded_and_credentials_stored(
        qtbot: QtBot, registry: CameraRegistry) -> None:
    dialog = _open(qtbot, registry, None)
    events = dialog.events
    assert dialog.windowTitle() == "Add camera"
    type_keys("Gate 3")
    main = dialog.main_url
    _tab_to(qtbot, main)
    main.selectAll()
    type_keys("rtsp://127.0.0.1:8554/gate3")
    # The event rows come after the stream's and the ONVIF address, before "Enabled";
    # with no source, the address and channel are skipped.
    passed = _tab_to(qtbot, dialog.enabled)
    assert passed[-3:] == [dialog.ptz, events.source, events.motion]
    assert not events.url.isEnabled() and not events.channel.isEnabled()
    assert [events.source.itemText(i) for i in range(events.source.count())] == [
        "None", "ONVIF (PullPoint)", "Hikvision (ISAPI alert stream)", "Dahua (event manager)"]
    assert "CPU" in events.motion.text() and "5 fps" in events.motion.text()
    assert "ONVIF address" in events.url.placeholderText()

    # Hikvision through an NVR: source, then address, channel, motion in keyboard order.
    press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is events.source
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    assert events.source.currentData() == "isapi"
    press(Qt.Key.Key_Tab)
    assert focused() is events.url
    type_keys("ftp://admin:s3cret@127.0.0.1/events")
    press(Qt.Key.Key_Tab)
    assert focused() is events.channel
    events.channel.selectAll()
    type_keys("4")
    press(Qt.Key.Key_Tab)
    assert focused() is events.motion
    press(Qt.Key.Key_Space)
    assert events.motion.isChecked()

    type_keys("\n")  # Save: the registry refuses the scheme, worded like the other fields
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.saved is None and dialog.isVisible()
    assert dialog.error.text() == ("The event address must start with http:// or https://: "
                                   "ftp://admin:***@127.0.0.1/events")  # password masked
    assert events.url.text() == "ftp://admin:s3cret@127.0.0.1/events"  # nothing lost

    events.url.setFocus()
    events.url.selectAll()
    type_keys("http://admin:s3cret@127.0.0.1:8080\n")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    saved = dialog.saved
    assert saved is not None
    assert (saved.event_source, saved.event_url, saved.event_channel, saved.motion_detection
            ) == ("isapi", "http://127.0.0.1:8080", 4, True)
    assert _off_gui(lambda: registry.credentials(SYSTEM, saved)) == ("admin", "s3cret")


def test_edit_shows_the_stored_event_settings(qtbot: QtBot, registry: CameraRegistry) -> None:
    stored = _off_gui(lambda: registry.add(SYSTEM, Camera(
        id=None, name="Checkpoint", main_url="rtsp://127.0.0.1:8554/cp",
        event_source="dahua", event_url="http://127.0.0.1:8081", event_channel=7)))
    assert isinstance(stored, Camera)
    dialog = _open(qtbot, registry, stored)
    assert dialog.windowTitle() == "Edit camera"
    assert dialog.events.source.currentText() == "Dahua (event manager)"
    assert dialog.events.url.text() == "http://127.0.0.1:8081"
    assert dialog.events.channel.value() == 7 and dialog.events.channel.isEnabled()
    assert not dialog.events.motion.isChecked()
    dialog.reject()

    # A CSV may name local motion as the source: shown as the checkbox with no device.
    local = replace(stored, event_source="local_motion", event_url="")
    dialog = _open(qtbot, registry, local)
    assert dialog.events.source.currentData() == ""
    assert dialog.events.motion.isChecked()
    assert not dialog.events.url.isEnabled()
    dialog.reject()


def test_dialog_is_wide_enough_for_its_title(qtbot: QtBot, registry: CameraRegistry) -> None:
    dialog = _open(qtbot, registry, None)
    title = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())
    assert dialog.width() >= 620 > 3 * title
