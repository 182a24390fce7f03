"""The area map: hop positions of a trajectory, dragging cameras in the editor, the image."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key
from commandroom.sightings.records import ClipStatus, SightingView
from commandroom.sightings.trajectory import stops, trajectory
from ui.common.entry_texts import error_text
from ui.map.editor import move_with
from ui.map.geometry import hop_lines, to_widget
from ui.map.map_store import MapImageStore
from ui.map.trajectory_view import TrajectoryView
from ui.map.windows import MapEditorWindow, TrajectoryWindow
from ui.theme import apply_dark_theme
from ui.video.tile import CAMERA_MIME

BASE = datetime(2024, 5, 29, 8, 0, tzinfo=UTC)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
JUNCTIONS = {1: ("North Gate", (0.18, 0.22)), 2: ("Market Bridge", (0.62, 0.25)),
             3: ("School Gate", (0.70, 0.72)), 4: ("Bus Station", (0.25, 0.78))}


def sighting(sid: int, camera_id: int, minutes: float,
             position: tuple[float, float] | None) -> SightingView:
    name = JUNCTIONS.get(camera_id, (f"Camera {camera_id}", None))[0]
    return SightingView(
        id=sid, watch_entry_id=1, camera_id=camera_id, camera_name=name, junction="",
        frame_time=BASE + timedelta(minutes=minutes), seq=sid, operator="dan", box=None,
        note="", snapshot_path="", snapshot_sha256="", clip_path="", clip_sha256="",
        clip_status=ClipStatus.DONE, clip_error="", created_at=BASE,
        camera_map_position=position)


def area_map(path: Path) -> Path:
    """A small town plan: blocks, two main roads, a river, the junctions' crossings."""
    image = np.full((600, 900, 3), (214, 222, 226), np.uint8)
    for x in range(0, 900, 90):
        for y in range(0, 600, 75):
            cv2.rectangle(image, (x + 8, y + 8), (x + 80, y + 66), (196, 204, 208), -1)
    cv2.polylines(image, [np.array([(0, 330), (200, 300), (450, 360), (900, 320)])], False,
                  (200, 160, 110), 26)  # river
    roads = [[(0, 132), (900, 150)], [(160, 0), (230, 600)], [(560, 0), (630, 600)],
             [(0, 468), (900, 432)], [(230, 470), (560, 150)]]
    for road in roads:
        cv2.polylines(image, [np.array(road)], False, (255, 255, 255), 16)
        cv2.polylines(image, [np.array(road)], False, (120, 190, 240), 4)
    cv2.imwrite(str(path), image)
    return path


def test_trajectory_hops_are_placed_from_camera_map_positions(qtbot: QtBot) -> None:
    views = [sighting(1, 1, 0, JUNCTIONS[1][1]), sighting(2, 1, 2, JUNCTIONS[1][1]),
             sighting(3, 2, 9, JUNCTIONS[2][1]), sighting(4, 9, 15, None),  # not on the map
             sighting(5, 3, 21, JUNCTIONS[3][1])]
    view = TrajectoryView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.set_trajectory(stops(views), trajectory(views))
    assert len(view.stops) == 4 and len(view.hops) == 3  # two at North Gate: one stop
    rect = view.image_rect()
    exact = hop_lines(view.hops, rect, offset=0)
    assert [line.number for line in exact] == [1]  # hops to or from camera 9 cannot be drawn
    assert exact[0].start == QPointF(rect.x() + 0.18 * rect.width(),
                                     rect.y() + 0.22 * rect.height())
    assert exact[0].end == to_widget(rect, JUNCTIONS[2][1])
    drawn = view.hop_lines()[0]  # shifted sideways so A→B and B→A do not overlap
    assert math.dist(drawn.start.toTuple(), exact[0].start.toTuple()) == pytest.approx(5.0)
    label = view.hop_label(drawn)
    when = (BASE + timedelta(minutes=9)).astimezone().strftime("%H:%M:%S")
    assert label == f"1. {when}  (+7 min)"  # arrival time, time since leaving the last stop
    view.grab()  # paints without error


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[CameraRegistry]:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'map.db'}")
    secrets = DatabaseSecretStore(sessions, load_or_create_key(tmp_path / "secret.key"))
    yield CameraRegistry(sessions, secrets, EventBus(), AuditTrail(sessions))
    engine.dispose()


def test_dragging_a_camera_updates_its_map_position(qtbot: QtBot, registry: CameraRegistry,
                                                    tmp_path: Path) -> None:
    placed = registry.add(SYSTEM, Camera(None, "North Gate", "demo://1", map_x=0.25, map_y=0.5))
    loose = registry.add(SYSTEM, Camera(None, "School Gate", "demo://2"))
    store = MapImageStore(tmp_path / "data")
    window = MapEditorWindow(store, lambda: registry.cameras(SYSTEM),
                             move_with(lambda camera: registry.update(SYSTEM, camera)),
                             editable=True)
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    canvas = window.canvas
    assert [window.unplaced.item(i).text() for i in range(window.unplaced.count())] == [
        "School Gate"]
    rect = canvas.image_rect()
    start = to_widget(rect, (0.25, 0.5)).toPoint()
    end = to_widget(rect, (0.6, 0.3)).toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2))
    qtbot.mouseMove(canvas, end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)
    qtbot.waitUntil(lambda: not canvas.busy)  # saved off the GUI thread
    assert placed.id is not None and loose.id is not None
    moved = registry.get(SYSTEM, placed.id)
    assert moved is not None
    assert moved.map_x == pytest.approx(0.6, abs=0.003)
    assert moved.map_y == pytest.approx(0.3, abs=0.003)
    assert moved.main_url == "demo://1" and moved.name == "North Gate"  # nothing else changed
    # an unplaced camera dropped on the map (as the list or the camera tree drags it)
    mime = QMimeData()
    mime.setData(CAMERA_MIME, QByteArray(str(loose.id).encode()))
    target = to_widget(rect, (0.8, 0.9))
    drop = QDropEvent(target, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    canvas.dropEvent(drop)
    qtbot.waitUntil(lambda: not canvas.busy)
    dropped = registry.get(SYSTEM, loose.id)
    assert dropped is not None and (dropped.map_x, dropped.map_y) == pytest.approx((0.8, 0.9),
                                                                                   abs=0.003)
    assert window.unplaced.count() == 0


def test_a_role_that_cannot_move_cameras_is_told_so(qtbot: QtBot, registry: CameraRegistry,
                                                   tmp_path: Path) -> None:
    from commandroom.auth.permissions import Actor, Role

    officer = Actor("dan", Role.DUTY_OFFICER)
    camera = registry.add(SYSTEM, Camera(None, "North Gate", "demo://1", map_x=0.25, map_y=0.5))
    window = MapEditorWindow(MapImageStore(tmp_path), lambda: registry.cameras(officer),
                             move_with(lambda c: registry.update(officer, c)), editable=True)
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.canvas.place(camera.id or 0, QPointF(300, 300))
    qtbot.waitUntil(lambda: not window.canvas.busy)
    assert "may not manage_cameras" in window.message.text()
    back = window.canvas.cameras[camera.id or 0]  # the marker went back where it was
    assert (back.map_x, back.map_y) == (0.25, 0.5)
    still = registry.get(SYSTEM, camera.id or 0)
    assert still is not None and (still.map_x, still.map_y) == (0.25, 0.5)
    window.canvas.editable = False  # what the install does for such a role
    rect = window.canvas.image_rect()
    start = to_widget(rect, (0.25, 0.5)).toPoint()
    qtbot.mousePress(window.canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseRelease(window.canvas, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert window.message.text().count("may not") == 1  # no second attempt was made


def test_load_map_image_copies_it_into_the_data_dir(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = MapImageStore(data)
    assert store.path() is None
    window = TrajectoryWindow("Trajectory", store)
    qtbot.addWidget(window)
    broken = tmp_path / "notes.png"
    broken.write_text("not a picture")
    assert window.load_map_image(broken) is None
    assert "notes.png" in window.message.text()
    source = area_map(tmp_path / "town.png")
    with qtbot.waitSignal(window.map_changed):
        stored = window.load_map_image(source)
    assert stored is not None and stored.parent == data / "map"
    assert stored.read_bytes() == source.read_bytes()
    source.unlink()  # the map no longer depends on where it came from
    assert MapImageStore(data).path() == stored
    window.show_map(stored)
    assert window.view.map_image.width() == 900
    assert error_text(ValueError("x")) == "x"


def test_screenshot_trajectory(qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> None:
    store = MapImageStore(tmp_path / "data")
    store.load(area_map(tmp_path / "town.png"))
    cameras = [Camera(cid, name, f"demo://{cid}", map_x=pos[0], map_y=pos[1])
               for cid, (name, pos) in JUNCTIONS.items()]
    route = [(1, 0), (1, 1.5), (2, 7), (3, 16), (4, 31), (1, 44)]
    views = [sighting(i, cid, minutes, JUNCTIONS[cid][1])
             for i, (cid, minutes) in enumerate(route, start=1)]
    if os.environ.get("COMMANDROOM_SCREENSHOTS"):
        apply_dark_theme(qapp)
    window = TrajectoryWindow("Trajectory — Chen Gang", store)
    qtbot.addWidget(window)
    window.set_trajectory(stops(views), trajectory(views), cameras)
    window.resize(1280, 760)
    window.show()
    qtbot.waitExposed(window)
    assert len(window.view.hop_lines()) == 4
    assert window.stop_list.count() == 5
    image = window.grab()
    assert not image.isNull()
    image.save(str(tmp_path / "trajectory.png"))
    if os.environ.get("COMMANDROOM_SCREENSHOTS"):
        image.save(str(SCREENSHOTS / "trajectory.png"))
