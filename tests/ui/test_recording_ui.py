"""The Recording menu as an officer uses it: export with the keyboard (progress, the
manifest's summary, cancel leaving nothing), refusals in words, the settings window, and
the recording state on the status bar."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandroom.auth.permissions import Actor, Role
from commandroom.config import RecordingSettings
from commandroom.recording import export as export_module
from commandroom.recording.forecast import DiskForecast, DiskForecastChanged
from commandroom.recording.models import EvidenceLockRow
from commandroom.recording.policy import RecordingMode
from commandroom.recording.recorder import RecordedCamera, Recorder, RecorderTuning
from commandroom.recording.status import (
    RecorderProblem,
    RecorderState,
    RecorderStatus,
    RecorderStatusChanged,
)
from tests.support.recording import add_camera, clip_feed, feed, packets_in
from tests.support.rtsp import ensure_test_clip
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import focused, press, type_keys
from ui.app import CommandRoomApp
from ui.recording.export_dialog import ExportDialog, parse_station_time
from ui.recording.settings_window import RecordingSettingsWindow
from ui.recording.status_label import AMBER, RED
from ui.recording.texts import station_text

DUTY = Actor("li", Role.DUTY_OFFICER, 2)
VIEWER = Actor("guest", Role.VIEWER, 3)
CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture(scope="module")
def clip() -> Any:
    return clip_feed(ensure_test_clip(), 12.0)


@pytest.fixture
def station(make_app: AppFactory, clip: Any, qtbot: QtBot) -> Iterator[tuple[CommandRoomApp,
                                                                          int, float]]:
    """An app with one camera and 12 s of its footage recorded, ending 30 s ago."""
    app = make_app()
    camera_id = add_camera(app.core.sessions, "North gate")
    app.registry.directory.reload()
    t0 = math.floor(time.time()) - 42.0
    recorder = Recorder(RecordedCamera(camera_id, "North gate"),
                        app.core.recording.parts.index, app.core.recording.root,
                        RecordingSettings(segment_s=4.0, fragment_s=1.0),
                        tuning=RecorderTuning(sync_fragments=False),
                        wall_clock=lambda: t0 + 12.0).start()
    info, packets = clip
    feed(recorder, info, packets_in(packets, 0, 12.0), t0)
    recorder.end_segment()
    recorder.close()
    app.console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.console)
    yield app, camera_id, t0


def _open_export(app: CommandRoomApp, qtbot: QtBot) -> ExportDialog:
    app.console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.console)
    press(Qt.Key.Key_E, CTRL)
    dialog = app.recording_ui.export_dialog
    assert isinstance(dialog, ExportDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _type_range(start: float, end: float) -> None:
    """From the first field: the range, then tick the (only) camera."""
    press(Qt.Key.Key_A, CTRL)
    type_keys(station_text(datetime.fromtimestamp(start, UTC)) + "\t")
    press(Qt.Key.Key_A, CTRL)
    type_keys(station_text(datetime.fromtimestamp(end, UTC)) + "\t")


def test_a_duty_officer_exports_with_the_keyboard_and_sees_the_manifest_summary(
    station: tuple[CommandRoomApp, int, float], qtbot: QtBot, tmp_path: Path
) -> None:
    app, _camera_id, t0 = station
    app.actor = DUTY
    dialog = _open_export(app, qtbot)
    assert focused() is dialog.start_edit  # typing starts at once
    _type_range(t0 + 3.0, t0 + 9.0)  # 3 s in: between keyframes (every 2 s)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Space)  # tick the camera
    assert dialog.cameras.item(0).checkState() == Qt.CheckState.Checked
    dialog.destination.setText(str(tmp_path / "out"))
    press(Qt.Key.Key_E, ALT)
    qtbot.waitUntil(lambda: dialog.finished_with is not None, timeout=20_000)

    result = dialog.finished_with
    assert result is not None
    (exported,) = result.files
    assert exported.exists() and result.manifest.exists()
    manifest = json.loads(result.manifest.read_text())
    (entry,) = manifest["files"]
    assert entry["starts_before_requested_s"] == pytest.approx(1.0, abs=0.05)
    summary = dialog.summary.toPlainText()
    assert entry["sha256"] in summary and result.manifest_sha256 in summary
    assert "keyframe at or before" in summary and "recording.export" in summary
    assert dialog.progress.value() == 100
    with app.core.sessions() as session:
        kinds = list(session.scalars(select(EvidenceLockRow.kind)))
    assert kinds == ["export"]


def test_cancel_leaves_nothing_half_written(
    station: tuple[CommandRoomApp, int, float], qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _camera_id, t0 = station
    cutting, go_on = threading.Event(), threading.Event()
    real_cut = export_module.cut_camera

    def held_cut(*args: Any) -> Any:  # the export is mid-way when Esc comes
        cutting.set()
        go_on.wait(10)
        return real_cut(*args)

    monkeypatch.setattr(export_module, "cut_camera", held_cut)
    app.actor = DUTY
    dialog = _open_export(app, qtbot)
    _type_range(t0, t0 + 12.0)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Space)
    destination = tmp_path / "out"
    dialog.destination.setText(str(destination))
    press(Qt.Key.Key_E, ALT)
    qtbot.waitUntil(lambda: dialog.job is not None and cutting.is_set(), timeout=10_000)
    assert dialog.progress.isVisible() and dialog.cancel_button.isEnabled()
    press(Qt.Key.Key_Escape)  # stops the export, keeps the dialog
    go_on.set()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10_000)
    assert dialog.isVisible() and "nothing was written" in dialog.message.text()
    assert list(destination.iterdir()) == []  # not even the hidden work folder
    with app.core.sessions() as session:
        assert list(session.scalars(select(EvidenceLockRow))) == []


def test_a_viewer_is_refused_in_words_and_the_core_decides(
    station: tuple[CommandRoomApp, int, float], qtbot: QtBot
) -> None:
    app, _camera_id, _t0 = station
    app.actor = VIEWER
    dialog = _open_export(app, qtbot)
    assert "duty officer" in dialog.refusal.text() and dialog.refusal.isVisible()
    assert not dialog.start_button.isEnabled()
    dialog.close()
    # Opened by a duty officer, then the console changed hands: the core refuses.
    app.actor = DUTY
    dialog = _open_export(app, qtbot)
    app.actor = VIEWER
    press(Qt.Key.Key_Down)  # nothing typed wrong: the range is the default one
    dialog.cameras.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.start_export()
    qtbot.waitUntil(lambda: "may not do this" in dialog.message.text(), timeout=10_000)
    assert dialog.job is None


def _open_settings(app: CommandRoomApp, qtbot: QtBot) -> RecordingSettingsWindow:
    app.console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.console)
    press(Qt.Key.Key_R, CTRL | SHIFT)
    window = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, RecordingSettingsWindow) and w.isVisible())
    qtbot.waitUntil(lambda: window.folder.text() != "", timeout=10_000)
    return window


def test_an_administrator_changes_recording_settings_and_others_see_them_read_only(
    station: tuple[CommandRoomApp, int, float], qtbot: QtBot
) -> None:
    app, camera_id, _t0 = station
    window = _open_settings(app, qtbot)  # the app's actor: an administrator
    assert window.keep_days.isEnabled() and window.folder.text() == str(
        app.core.recording.root)
    window.keep_days.setFocus()
    press(Qt.Key.Key_A, CTRL)
    type_keys("7")
    mode = window.table.cellWidget(0, 1)
    assert isinstance(mode, QWidget)
    mode.setFocus()
    press(Qt.Key.Key_End)  # the last mode: while shown
    press(Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: window.message.text() == "Saved.", timeout=10_000)
    assert app.settings.recording.keep_days == 7
    assert "keep_days = 7" in app.paths.settings_file.read_text()
    assert app.core.recording.parts.policy.camera(camera_id).mode is RecordingMode.WHILE_SHOWN
    window.close()

    app.actor = DUTY
    window = _open_settings(app, qtbot)
    assert not window.keep_days.isEnabled() and not window.save_button.isEnabled()
    assert "Only an administrator" in window.note.text()
    window.close()


def test_tab_goes_through_each_cameras_settings_before_those_of_all_cameras(
    station: tuple[CommandRoomApp, int, float], qtbot: QtBot
) -> None:
    """Seen in a keyboard walk: the per-camera mode, stream and keep-days cells came
    after Save and Close in the Tab order."""
    app, _camera_id, _t0 = station
    window = _open_settings(app, qtbot)
    window.table.setFocus()
    qtbot.waitUntil(lambda: focused() is window.table)
    row = [window.table.cellWidget(0, column) for column in (1, 2, 3)]
    for cell in row:
        press(Qt.Key.Key_Tab)
        assert focused() is cell
    press(Qt.Key.Key_Tab)
    assert focused() is window.segment
    window.close()


def test_a_refusal_by_the_core_is_shown_in_words(
    station: tuple[CommandRoomApp, int, float], qtbot: QtBot
) -> None:
    app, _camera_id, _t0 = station
    window = _open_settings(app, qtbot)
    app.actor = DUTY  # the console changed hands while the window was open
    window.keep_days.setValue(3)
    window.save()
    qtbot.waitUntil(lambda: "may not do this" in window.message.text(), timeout=10_000)
    assert app.settings.recording.keep_days == 30


def test_the_status_bar_names_the_disk_warning_and_cameras_that_cannot_write(
    station: tuple[CommandRoomApp, int, float], qtbot: QtBot
) -> None:
    app, camera_id, _t0 = station
    label = app.recording_ui.status_label
    assert not label.isVisible()
    forecast = DiskForecast(5e6, 400 * 10**9, 10**9, None, 22.2, True)
    threading.Thread(target=app.events.publish, args=(DiskForecastChanged(forecast),)).start()
    qtbot.waitUntil(lambda: label.isVisible())
    assert "Recording disk full in about 22 h" in label.text() and label.colour == AMBER

    failing = RecorderStatus(RecorderState.FAILING, RecorderProblem.DISK_FULL, "ENOSPC", 2.0)
    app.events.publish(RecorderStatusChanged(camera_id, failing))
    qtbot.waitUntil(lambda: "North gate (disk full)" in label.text())
    assert label.colour == RED and "live view goes on" in label.toolTip()
    for other in (901, 902):  # a whole station failing: counted, each named in the tooltip
        app.events.publish(RecorderStatusChanged(other, failing))
    qtbot.waitUntil(lambda: "Not recording: 3 cameras (disk full)" in label.text())
    assert "camera 902: disk full" in label.toolTip()
    for each in (camera_id, 901, 902):
        app.events.publish(RecorderStatusChanged(each, RecorderStatus(RecorderState.RECORDING)))
    qtbot.waitUntil(lambda: "Not recording" not in label.text())
    assert label.colour == AMBER


def test_the_range_defaults_to_the_last_ten_minutes_or_around_the_replayed_moment(
    station: tuple[CommandRoomApp, int, float], qtbot: QtBot
) -> None:
    app, _camera_id, t0 = station
    app.actor = DUTY
    dialog = _open_export(app, qtbot)
    start, end = (parse_station_time(dialog.start_edit.text()),
                  parse_station_time(dialog.end_edit.text()))
    assert end - start == timedelta(minutes=10)
    assert abs((datetime.now(UTC) - end).total_seconds()) < 5
    dialog.close()
    replayed = datetime.fromtimestamp(t0 - 3600, UTC).replace(microsecond=0)
    app.recording_ui.replay_moment = lambda: replayed  # the focused tile replays an hour ago
    dialog = _open_export(app, qtbot)
    assert parse_station_time(dialog.start_edit.text()) == replayed - timedelta(minutes=5)
    assert parse_station_time(dialog.end_edit.text()) == replayed + timedelta(minutes=5)
