"""Sighting views on a real SQLite database, the real services and a fake stream handle."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow
from pytestqt.qtbot import QtBot

from commandroom.auth.permissions import SYSTEM, Actor, Role
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.config import EvidenceSettings, Paths, Settings
from commandroom.runtime import Core, CoreHooks
from commandroom.sightings.records import Box, CameraRef, SightingView
from commandroom.sightings.service import SightingService
from commandroom.watchlist.records import EntryInput, Kind
from commandroom.watchlist.service import WatchlistService
from tests.ui.conftest import AppFactory
from tests.unit.sightings.fakes import FakeHandle
from ui.sightings.player import ClipPlayer
from ui.sightings.table_model import CLIP, PICTURE, TIME, WHO
from ui.theme import apply_dark_theme
from ui.watch_and_sightings import SightingsUi, install_watch_and_sightings

DUTY = Actor("dan", Role.DUTY_OFFICER)
T0 = 1_717_000_000.0  # a fixed wall-clock time for the frames
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass
class Env:
    watchlist: WatchlistService
    sightings: SightingService
    registry: CameraRegistry
    ui: SightingsUi
    console: QMainWindow
    cameras: list[Camera]

    def tag(self, handle: FakeHandle, seq: int, camera: Camera, entry_id: int,
            box: Box | None = None) -> SightingView:
        assert camera.id is not None
        return self.sightings.tag(DUTY, handle, seq, CameraRef(camera.id, camera.name,
                                                               camera.junction), entry_id, box)


@pytest.fixture
def env(qtbot: QtBot, tmp_path: Path, data_dir: Path) -> Iterator[Env]:
    paths = Paths(tmp_path, data_dir, tmp_path / "logs")
    core = Core(paths, Settings(evidence=EvidenceSettings(pre_seconds=2.0, post_seconds=2.0)),
                hooks=CoreHooks(keyring=None))
    registry, watchlist, sightings, bus = (core.registry, core.watchlist, core.sightings,
                                           core.events)
    cameras = [registry.add(SYSTEM, Camera(None, name, f"demo://{i}", junction=junction,
                                           map_x=x, map_y=y))
               for i, (name, junction, x, y) in enumerate((
                   ("North Gate", "Xinhua Rd / Station Rd", 0.2, 0.2),
                   ("Market Bridge", "Market St", 0.7, 0.3),
                   ("School Gate", "School Rd", 0.5, 0.8)))]
    console = QMainWindow()
    qtbot.addWidget(console)
    ui = install_watch_and_sightings(console, watchlist, sightings, registry, bus,
                                     lambda: DUTY, paths)
    yield Env(watchlist, sightings, registry, ui, console, cameras)
    ui.shutdown()
    assert sightings.wait_for_clips(5)
    core.stop()


def entry(env: Env, name: str) -> int:
    return env.watchlist.create(SYSTEM, EntryInput(kind=Kind.PERSON, name=name)).id


def test_live_list_shows_new_sightings_and_their_clip_status(qtbot: QtBot, env: Env) -> None:
    live = env.ui.live
    assert live.model.rowCount() == 0
    assert env.console.findChild(QDockWidget, "sightingsDock") is env.ui.dock
    menu = env.ui.menu.menuAction().text().replace("&", "")
    assert menu == "Watch list"
    assert [a.text() for a in env.ui.menu.actions() if a.text()][:2] == [
        "Search watch list…", "Show sightings list"]
    watch = env.ui.open_watchlist()
    assert not watch.save_button.isEnabled()  # a duty officer reads the watch list only
    assert env.ui.open_watchlist() is watch  # one window, raised again
    handle = FakeHandle()
    handle.add_frame(1, T0)
    handle.add_frame(2, T0 + 30)
    person = entry(env, "Zhang Wei")
    first = env.tag(handle, 1, env.cameras[0], person)
    qtbot.waitUntil(lambda: live.model.rowCount() == 1)
    second = env.tag(handle, 2, env.cameras[1], person)
    qtbot.waitUntil(lambda: live.model.rowCount() == 2)
    model = live.model
    assert [model.view_at(r).id for r in range(2)] == [second.id, first.id]  # newest first
    assert model.index(0, WHO).data() == "Zhang Wei"
    assert model.index(0, TIME).data() == second.frame_time.astimezone().strftime(
        "%Y-%m-%d %H:%M:%S")
    assert model.index(0, CLIP).data() == "clip being cut…"
    # the engine finishes the clip on its own thread: the row follows on the GUI thread
    worker = threading.Thread(target=handle.finish_clip, args=(1,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: model.index(0, CLIP).data() == "clip ready")
    assert model.view_at(0).clip_path.endswith(".mp4")
    assert model.index(1, CLIP).data() == "clip being cut…"
    # thumbnails are decoded off the GUI thread, then cached
    model.index(0, PICTURE).data(Qt.ItemDataRole.DecorationRole)
    qtbot.waitUntil(lambda: isinstance(
        model.index(0, PICTURE).data(Qt.ItemDataRole.DecorationRole), QPixmap))
    handle.finish_clip(0)


def test_check_hashes_shows_verified_altered_missing(qtbot: QtBot, env: Env) -> None:
    handle = FakeHandle()
    handle.add_frame(5, T0, width=320, height=180)
    view = env.tag(handle, 5, env.cameras[0], entry(env, "Li Na"), Box(40, 30, 80, 60))
    clip = handle.finish_clip(0, b"a tiny clip")
    view = env.sightings.latest(DUTY, 1)[0]
    dialog = env.ui.open_sighting(view)
    dialog.check_hashes()
    assert dialog.snapshot_check.text() == "checking…"  # hashed off the GUI thread
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.last_check is not None
    assert dialog.snapshot_check.text() == "verified"
    assert dialog.clip_check.text() == "verified"
    snapshot = env.sightings.data_dir / view.snapshot_path
    data = bytearray(snapshot.read_bytes())
    data[len(data) // 2] ^= 0xFF
    snapshot.write_bytes(bytes(data))
    clip.unlink()
    dialog.check_hashes()
    qtbot.waitUntil(lambda: not dialog.busy)
    result = dialog.last_check
    assert result is not None and not result.intact
    assert dialog.snapshot_check.text() == "altered"
    assert dialog.clip_check.text() == "missing"
    # the box is drawn where it lies in the full frame
    box = dialog.snapshot.box_rect(QRectF(0, 0, 640, 360))
    assert box == QRectF(80, 60, 160, 120)
    dialog.close()


def test_timeline_lists_the_entrys_sightings_in_time_order(qtbot: QtBot, qapp: QApplication,
                                                           env: Env, tmp_path: Path) -> None:
    handle = FakeHandle()
    times = {1: T0 + 600, 2: T0, 3: T0 + 240, 4: T0 + 60}
    for seq, when in times.items():
        handle.add_frame(seq, when, width=320, height=180)
    person, other = entry(env, "Chen Gang"), entry(env, "Someone Else")
    order = [(1, 2), (2, 0), (3, 1), (4, 0)]  # (seq, camera) tagged out of time order
    for seq, camera in order:
        box = Box(100 + 20 * seq, 60, 50, 100)
        image, frame = handle.frames[seq]
        handle.frames[seq] = (street_scene(env.cameras[camera].name, seq, box), frame)
        env.tag(handle, seq, env.cameras[camera], person, box)
    env.tag(handle, 4, env.cameras[1], other)
    window = env.ui.open_timeline(person)
    qtbot.waitUntil(lambda: not window.busy)  # read off the GUI thread
    model = window.model
    views = model.views()
    assert [v.frame_time.timestamp() for v in views] == sorted(times.values())
    assert [v.camera_name for v in views] == ["North Gate", "North Gate", "Market Bridge",
                                              "School Gate"]
    assert {v.watch_entry_id for v in views} == {person}
    assert "4 sightings" in window.summary.text()
    # a new sighting of this entry appears in the open timeline
    handle.add_frame(9, T0 + 900, width=320, height=180)
    handle.frames[9] = (street_scene("Market Bridge", 9, Box(180, 60, 50, 100)),
                        handle.frames[9][1])
    env.tag(handle, 9, env.cameras[1], person)
    qtbot.waitUntil(lambda: model.rowCount() == 5)
    assert model.view_at(4).camera_name == "Market Bridge"
    # per camera: only that camera's sightings, newest first
    at_gate = env.ui.open_camera(env.cameras[0].id, env.cameras[0].name)
    assert at_gate is not None
    qtbot.waitUntil(lambda: not at_gate.busy)
    assert [v.frame_time.timestamp() for v in at_gate.model.views()] == [T0 + 60, T0]
    for row in range(model.rowCount()):
        model.index(row, PICTURE).data(Qt.ItemDataRole.DecorationRole)
    qtbot.waitUntil(lambda: all(isinstance(model.index(r, PICTURE).data(
        Qt.ItemDataRole.DecorationRole), QPixmap) for r in range(model.rowCount())))
    for i in range(len(handle.clips)):
        handle.finish_clip(i)
    qtbot.waitUntil(lambda: all(v.clip_status == "done" for v in model.views()))
    if os.environ.get("COMMANDROOM_SCREENSHOTS"):
        apply_dark_theme(qapp)
    window.resize(980, 640)
    window.show()
    qtbot.waitExposed(window)
    image = window.grab()
    assert not image.isNull()
    image.save(str(tmp_path / "timeline.png"))
    if os.environ.get("COMMANDROOM_SCREENSHOTS"):
        image.save(str(SCREENSHOTS / "timeline.png"))


def street_scene(label: str, seq: int, box: Box) -> np.ndarray:
    """A camera-like frame: a road, a pavement, a figure inside ``box``, an OSD line."""
    rng = np.random.default_rng(seq)
    frame = np.full((180, 320, 3), (60, 70, 62), np.uint8)
    cv2.fillPoly(frame, [np.array([(110, 0), (210, 0), (320, 180), (0, 180)])], (78, 78, 80))
    for y in range(10, 180, 34):
        cv2.line(frame, (160, y), (160, y + 16), (200, 200, 200), 2)
    shade = tuple(int(v) for v in rng.integers(40, 200, 3))
    x, y, w, h = box.x, box.y, box.w, box.h
    cv2.circle(frame, (x + w // 2, y + h // 5), h // 7, (150, 170, 205), -1)
    cv2.rectangle(frame, (x + w // 4, y + h // 3), (x + 3 * w // 4, y + h), shade, -1)
    noise = rng.integers(0, 12, frame.shape, dtype=np.uint8)
    frame = cv2.add(frame, noise)
    cv2.putText(frame, label, (6, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (255, 255, 255), 1)
    return frame


def make_clip(path: Path, frames: int = 10) -> None:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(frames):
            image = np.full((48, 64, 3), i * 20, np.uint8)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")))
        out.mux(stream.encode(None))


def test_player_plays_a_clip_at_its_pace_and_stops(qtbot: QtBot, tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    make_clip(clip)
    player = ClipPlayer()
    qtbot.addWidget(player)
    player.resize(320, 240)
    with qtbot.waitSignal(player.finished, timeout=5000) as ended:
        player.play(clip)
    assert ended.args == [""]
    assert player.frames == 10
    assert not player.playing
    player.play(clip)  # stopping mid-clip ends the worker at once
    player.stop()
    assert not player.playing
    with qtbot.waitSignal(player.finished, timeout=5000) as failed:
        player.play(tmp_path / "missing.mp4")
    assert failed.args[0]


def test_the_sightings_list_keeps_rows_at_the_default_console_size(
        qtbot: QtBot, make_app: AppFactory) -> None:
    """Seen on screen at 1600x900: the PTZ pad above it (a camera without ONVIF, nothing
    to steer) kept its disabled buttons and preset list, and the sightings list was left
    its header and no row."""
    app = make_app("--demo")
    console = app.console
    assert (console.width(), console.height()) == (1600, 900)
    pad = app.onvif_ui.pad
    qtbot.waitUntil(lambda: "ONVIF" in pad.reason.text())
    table = app.sightings_ui.live.table
    rows = table.verticalHeader().defaultSectionSize()
    qtbot.waitUntil(lambda: table.viewport().height() >= 3 * rows, timeout=5000)
