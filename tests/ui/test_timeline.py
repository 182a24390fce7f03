"""The timeline under the grid, on the real console and core: recorded ranges, a gap with
its reason, an evidence lock and a sighting mark, read off the GUI thread; seeking by
click, drag and the keyboard; zoom limits; "Play at this moment" from sighting lists."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from commandroom.auth.permissions import SYSTEM
from commandroom.camera_events.model import CameraEvent, EventSource, EventState, EventType
from commandroom.lookback import SpanKind
from commandroom.lookback.marks import MarkKind
from commandroom.recording.locks import LockKind, add_lock
from commandroom.recording.models import RecordingGapRow
from commandroom.recording.status import GapReason
from commandroom.sightings.records import CameraRef
from commandroom.video.packet_sources import SegmentInfo
from commandroom.watchlist.records import EntryInput, Kind
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import focused, press, type_keys
from tests.unit.sightings.fakes import FakeHandle
from ui.app import CommandRoomApp
from ui.replay import timeline_paint as paint
from ui.replay.time_scale import MAX_SPAN_S, MIN_SPAN_S, TimeWindow
from ui.replay.timeline_data import TimelineSnapshot
from ui.replay.timeline_install import TimelineUi
from ui.replay.timeline_widget import TimelineWidget, gap_spans
from ui.watch_and_sightings import PLAY_PRE_ROLL_S

INFO = SegmentInfo("h264", 640, 360, Fraction(1, 90000), Fraction(25), None)
WINDOW_S = 600.0


@dataclass
class Scene:
    app: CommandRoomApp
    timeline: TimelineUi
    camera_id: int
    t0: float  # start of the window the test looks at (two hours ago, whole minute)
    sighting_at: float
    played: list[tuple[int, float]]


def _utc(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


def record(app: CommandRoomApp, camera_id: int, name: str, start: float, end: float) -> None:
    """Index one-minute segments over [start, end), as the recorder does."""
    index = app.core.recording.parts.index
    at = start
    while at < end:
        stop = min(at + 60.0, end)
        seg = index.open_segment(camera_id, name, f"test/{camera_id}/{at:.0f}.mp4", _utc(at),
                                 INFO, None)
        index.close_segment(seg, _utc(at), _utc(stop), 1000, "0" * 64)
        at = stop


@pytest.fixture
def scene(qtbot: QtBot, make_app: AppFactory) -> Iterator[Scene]:
    app = make_app("--demo")
    grid = app.console.grid
    tile = next(t for t in grid.tiles if t.camera is not None and t.camera.name == "School Gate")
    camera = tile.camera
    assert camera is not None and camera.id is not None
    t0 = (time.time() // 60) * 60 - 7200
    record(app, camera.id, camera.name, t0, t0 + 180)
    with app.sessions.begin() as session:  # the camera was offline for two minutes
        session.add(RecordingGapRow(camera_id=camera.id, start_at=_utc(t0 + 180),
                                    end_at=_utc(t0 + 300), reason=GapReason.STREAM_LOST.value))
        add_lock(session, camera.id, _utc(t0 + 100), _utc(t0 + 160), LockKind.EXPORT,
                 "job-1", "dan")
    record(app, camera.id, camera.name, t0 + 300, t0 + WINDOW_S)
    entry = app.watchlist.create(SYSTEM, EntryInput(kind=Kind.PERSON, name="Wang Wei")).id
    handle = FakeHandle()
    handle.add_frame(7, t0 + 130.0)
    app.sightings.tag(SYSTEM, handle, 7, CameraRef(camera.id, camera.name, camera.junction),
                      entry)
    handle.finish_clip()
    played: list[tuple[int, float]] = []
    app.play_at.connect(lambda cid, at: played.append((cid, at)))
    grid.select(tile)
    yield Scene(app, app.timeline_ui, camera.id, t0, t0 + 130.0, played)


def shown(widget: TimelineWidget, start: float, end: float
          ) -> Callable[[TimelineSnapshot], bool]:
    """A snapshot that covers [start, end) for the cameras the widget shows now. Covering
    is not enough: a read started for the camera selected at start-up (its live hour with
    the margin covers "now ± 10 min") may land after the test selected another one."""
    def ready(snapshot: TimelineSnapshot) -> bool:
        return snapshot.covers(start, end) and [r.camera_id for r in snapshot.rows] == [
            cid for cid, _name in widget.cameras]
    return ready


def show_window(qtbot: QtBot, scene: Scene) -> TimelineSnapshot:
    """Put the test's ten minutes on the timeline and wait for their data."""
    widget = scene.timeline.widget
    with qtbot.waitSignal(scene.timeline.data_ready, timeout=10_000,
                          check_params_cb=shown(widget, scene.t0, scene.t0 + WINDOW_S)
                          ) as ready:
        widget.set_window(TimeWindow(scene.t0, WINDOW_S))
    snapshot = ready.args[0]
    assert isinstance(snapshot, TimelineSnapshot)
    return snapshot


def row_y(index: int = 0) -> int:
    return paint.AXIS_H + index * paint.ROW_H + paint.ROW_H // 2 + 3


def test_ranges_gap_lock_and_sighting_from_a_real_core(qtbot: QtBot, scene: Scene) -> None:
    timeline = scene.timeline
    assert timeline.dock.isVisible() and timeline.widget.cameras == [
        (scene.camera_id, "School Gate")]
    show_window(qtbot, scene)
    t0 = scene.t0
    row = timeline.widget.rows()[0]
    inside = [(s.start, s.end, s.kind) for s in row.spans
              if s.end > t0 and s.start < t0 + WINDOW_S]
    assert (t0, t0 + 180, SpanKind.LOCAL) in inside
    assert (t0 + 300, t0 + WINDOW_S, SpanKind.LOCAL) in inside
    assert (t0 + 180, t0 + 300, "stream_lost") in gap_spans(row)
    # The export's lock, and the sighting's own: 30 s either side of its frame.
    assert sorted((lock.start, lock.end, lock.kind) for lock in row.locks) == [
        (t0 + 100, t0 + 160, "export"),
        (scene.sighting_at - 30, scene.sighting_at + 30, "sighting")]
    assert [(m.kind, m.moment, m.who) for m in row.marks] == [
        (MarkKind.SIGHTING, scene.sighting_at, "Wang Wei")]

    widget = timeline.widget
    y = float(row_y())
    gap_tip = widget.tip_at(QPointF(widget.x_of(t0 + 240), y))
    assert "No recording" in gap_tip and "offline" in gap_tip
    assert "Recorded" in widget.tip_at(QPointF(widget.x_of(t0 + 60), y))
    mark_tip = widget.tip_at(QPointF(widget.x_of(scene.sighting_at) + 2, y))
    assert "Wang Wei" in mark_tip and "tagged by system" in mark_tip
    lock_y = float(paint.AXIS_H + 4)
    assert "Evidence lock" in widget.tip_at(QPointF(widget.x_of(t0 + 110), lock_y))

    # What is painted: green where recorded, the gap's hatch, the lock's band, the mark.
    image = widget.grab().toImage()
    ratio = image.devicePixelRatio()

    def colour_at(moment: float, y_px: float) -> QColor:
        return image.pixelColor(int(widget.x_of(moment) * ratio), int(y_px * ratio))

    assert colour_at(t0 + 60, y) == paint.RECORDED
    gap_colours = {colour_at(t0 + 180 + i, y).name() for i in range(4, 116, 2)}
    assert paint.GAP.name() in gap_colours and paint.RECORDED.name() not in gap_colours
    assert colour_at(t0 + 130 + 5, paint.AXIS_H + 4) == paint.LOCK
    assert colour_at(scene.sighting_at, y) == paint.SIGHTING


def test_click_and_drag_seek_the_camera_at_the_moment_under_the_pointer(
        qtbot: QtBot, scene: Scene) -> None:
    show_window(qtbot, scene)
    widget = scene.timeline.widget
    per_px = WINDOW_S / (widget.width() - paint.LABEL_W)
    for moment in (scene.t0 + 10, scene.t0 + 333, scene.t0 + 590):
        x = round(widget.x_of(moment))
        with qtbot.waitSignal(widget.seek_requested, timeout=2000) as seek:
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(x, row_y()))
        camera_id, at = seek.args
        assert camera_id == scene.camera_id and abs(at - moment) <= per_px
        assert scene.played[-1] == (camera_id, at)  # the console's callable got it
    start, end = round(widget.x_of(scene.t0 + 100)), round(widget.x_of(scene.t0 + 400))
    count = len(scene.played)
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=QPoint(start, row_y()))
    for x in range(start, end, 25):
        QTest.mouseMove(widget, QPoint(x, row_y()))
    QTest.mouseMove(widget, QPoint(end, row_y()))
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=QPoint(end, row_y()))
    # A drag seeks where it starts and once where it ends, not once per pixel.
    assert len(scene.played) == count + 2
    assert abs(scene.played[-1][1] - (scene.t0 + 400)) <= per_px


def test_x_to_time_at_several_zooms_and_the_zoom_limits(qtbot: QtBot, scene: Scene) -> None:
    show_window(qtbot, scene)
    widget = scene.timeline.widget
    width = widget.width() - paint.LABEL_W
    for span in (60.0, 3600.0, 86400.0, 7 * 86400.0):
        widget.set_window(TimeWindow(scene.t0, span))
        assert widget.time_at(paint.LABEL_W) == pytest.approx(scene.t0)
        assert widget.time_at(paint.LABEL_W + width / 2) == pytest.approx(scene.t0 + span / 2)
        assert widget.x_of(scene.t0 + span) == pytest.approx(paint.LABEL_W + width)
    # Keys, to whatever has the focus: the timeline after a click in it.
    scene.app.console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is scene.app.console)
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(widget.width() - 5, row_y()))
    assert QApplication.focusWidget() is widget
    for _ in range(30):
        press(Qt.Key.Key_Plus)
    assert widget.time_window.span == MIN_SPAN_S
    for _ in range(30):
        press(Qt.Key.Key_Minus)
    assert widget.time_window.span == MAX_SPAN_S
    QTest.qWait(0)
    # The grid kept its arrows' meaning elsewhere; here they scroll the timeline.
    start = widget.time_window.start
    press(Qt.Key.Key_Right)
    assert widget.time_window.start == pytest.approx(start + MAX_SPAN_S / 10)


def test_go_to_time_by_keyboard_only(qtbot: QtBot, scene: Scene) -> None:
    show_window(qtbot, scene)
    console = scene.app.console
    console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    press(Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    box = focused()
    assert isinstance(box, QLineEdit) and box.objectName() == "goToTimeEdit"
    type_keys("half past ten\n")  # refused, with a sentence; the text stays
    message = scene.timeline.goto.message.text()
    assert "10:40" in message and focused() is box and box.text() == "half past ten"
    box.selectAll()
    wanted = datetime.fromtimestamp(scene.sighting_at)
    with qtbot.waitSignal(scene.timeline.widget.seek_requested, timeout=2000) as seek:
        type_keys(f"{wanted:%Y-%m-%d %H:%M:%S}\n")
    assert seek.args == [scene.camera_id, pytest.approx(scene.sighting_at)]
    widget = scene.timeline.widget
    assert focused() is widget and not scene.timeline.goto.isVisible()
    middle = widget.time_window.start + widget.time_window.span / 2
    assert middle == pytest.approx(scene.sighting_at)
    assert scene.played[-1][0] == scene.camera_id
    assert scene.played[-1][1] == pytest.approx(scene.sighting_at)


def test_play_at_this_moment_from_the_sightings_lists(qtbot: QtBot, scene: Scene) -> None:
    ui = scene.app.sightings_ui
    expected = (scene.camera_id, scene.sighting_at - PLAY_PRE_ROLL_S)
    window = ui.open_camera(scene.camera_id, "School Gate")
    assert window is not None
    qtbot.waitUntil(lambda: window.table.model().rowCount() > 0)  # read off the GUI thread
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.table.setFocus()
    window.table.selectRow(0)
    press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert scene.played == [expected]  # frame times are whole milliseconds here
    views = scene.app.sightings.latest(SYSTEM, 1)
    entry_id = views[0].watch_entry_id
    assert entry_id is not None
    timeline = ui.open_timeline(entry_id)  # the entry's own timeline
    qtbot.waitUntil(lambda: timeline.table.model().rowCount() > 0)
    timeline.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is timeline)
    timeline.table.setFocus()
    timeline.table.selectRow(0)
    press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert scene.played == [expected, expected]


def test_without_replay_a_seek_only_marks_the_moment(qtbot: QtBot, scene: Scene) -> None:
    scene.app.play_at.connect(None)
    show_window(qtbot, scene)
    widget = scene.timeline.widget
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton,
                     pos=QPoint(round(widget.x_of(scene.t0 + 30)), row_y()))
    assert widget.playhead == pytest.approx(scene.t0 + 30, abs=2)
    assert "Replay is not available" in scene.app.console.statusBar().currentMessage()


def test_hiding_is_remembered_and_new_segments_refresh(qtbot: QtBot, scene: Scene) -> None:
    show_window(qtbot, scene)
    timeline = scene.timeline
    scene.app.console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is scene.app.console)
    press(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not timeline.dock.isVisible() and not scene.app.settings.console.show_timeline
    press(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert timeline.dock.isVisible() and scene.app.settings.console.show_timeline
    scene.app.console.hide()  # as when quitting: the docks hide with the window
    assert scene.app.settings.console.show_timeline
    scene.app.console.show()
    # A recording that closes a segment in the window shows up without any action.
    from commandroom.recording.status import SegmentClosed
    with qtbot.waitSignal(timeline.data_ready, timeout=5000):
        scene.app.events.publish(SegmentClosed(scene.camera_id, 0, _utc(scene.t0),
                                               _utc(scene.t0 + 60), 1))


def test_a_synchronised_group_has_a_row_per_camera(qtbot: QtBot, scene: Scene) -> None:
    timeline = scene.timeline
    group = [c for c in scene.app.registry.cameras(SYSTEM)
             if c.name in ("School Gate", "Market Bridge")]
    timeline.set_group_source(lambda: group)
    assert [name for _cid, name in timeline.widget.cameras] == [c.name for c in group]
    show_window(qtbot, scene)
    rows = timeline.widget.rows()
    assert [r.camera_id for r in rows] == [c.id for c in group]
    gate = next(i for i, c in enumerate(group) if c.name == "School Gate")
    assert rows[gate].marks and not rows[1 - gate].marks  # each row its own camera's
    widget = timeline.widget
    with qtbot.waitSignal(widget.seek_requested, timeout=2000) as seek:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton,
                         pos=QPoint(round(widget.x_of(scene.t0 + 60)), row_y(1)))
    assert seek.args[0] == group[1].id  # the row under the pointer names the camera
    timeline.set_group_source(None)
    assert timeline.widget.cameras == [(scene.camera_id, "School Gate")]


def test_time_still_to_come_is_not_hatched_as_missing(qtbot: QtBot, scene: Scene) -> None:
    """Seen on screen: after "go to time", half the timeline lay after now and was hatched
    red like a gap ("no recording") although nothing could have been recorded there."""
    timeline = scene.timeline
    widget = timeline.widget
    now = time.time()
    with qtbot.waitSignal(timeline.data_ready, timeout=10_000,
                          check_params_cb=shown(widget, now - 600, now + 600)):
        widget.set_window(TimeWindow(now - 600, 1200))
    row = widget.rows()[0]
    assert any(s.kind == SpanKind.GAP and s.end > now + 300 for s in row.spans)  # the core's
    image = widget.grab().toImage()
    ratio = image.devicePixelRatio()
    y = int(row_y() * ratio)
    x0, x1 = int(widget.x_of(now + 60) * ratio), int(widget.x_of(now + 540) * ratio)
    future = {image.pixelColor(x, y).name() for x in range(x0, x1)}
    assert len(future) == 1, future  # one shade of empty row: no hatch
    x2, x3 = int(widget.x_of(now - 540) * ratio), int(widget.x_of(now - 480) * ratio)
    past = {image.pixelColor(x, y).name() for x in range(x2, x3)}
    assert paint.GAP.name() in past or paint.RECORDED_OPEN.name() in past \
        or paint.RECORDED.name() in past  # the past is still drawn


def test_camera_events_are_marks_at_their_time_with_their_words(
        qtbot: QtBot, scene: Scene) -> None:
    """A plate read and a motion event stored for the recorded camera: read off the GUI
    thread when they arrive, drawn at their device time, each its own shape and colour,
    the plate in the tooltip; a STOP adds no mark (its START did)."""
    show_window(qtbot, scene)
    timeline, widget = scene.timeline, scene.timeline.widget
    plate_at, motion_at = scene.t0 + 400.0, scene.t0 + 480.0

    def event(at: float, kind: EventType, state: EventState, plate: str = "") -> CameraEvent:
        return CameraEvent(camera_id=scene.camera_id, source=EventSource.ISAPI, type=kind,
                           state=state, device_time=_utc(at), received_at=_utc(at + 1.5),
                           topic="ANPR" if plate else "VMD", plate=plate)

    intake = scene.app.core.event_intake
    with qtbot.waitSignal(timeline.data_ready, timeout=10_000,
                          check_params_cb=lambda s: sum(
                              m.kind == MarkKind.EVENT for m in s.rows[0].marks) == 2):
        for stored in (event(plate_at, EventType.PLATE, EventState.PULSE, "鄂G12345"),
                       event(motion_at, EventType.MOTION, EventState.START),
                       event(motion_at + 20, EventType.MOTION, EventState.STOP)):
            intake.hand_over(stored)  # as a protocol client does; the timeline is not asked
    row = widget.rows()[0]
    assert [(m.moment, m.event_type, m.plate) for m in row.marks
            if m.kind == MarkKind.EVENT] == [(plate_at, "plate", "鄂G12345"),
                                              (motion_at, "motion", "")]
    assert [m.kind for m in row.marks].count(MarkKind.SIGHTING) == 1  # still there

    y = float(row_y())
    tip = widget.tip_at(QPointF(widget.x_of(plate_at) + 1, y))
    assert "Camera event: Plate read" in tip and "Plate: 鄂G12345" in tip
    assert "Camera event: Motion" in widget.tip_at(QPointF(widget.x_of(motion_at), y))

    image = widget.grab().toImage()
    ratio = image.devicePixelRatio()
    event_y = paint.AXIS_H + 2 + paint.EVENT_Y  # row 0's rectangle starts 2 px below the axis

    def colour_at(moment: float, dx: float = 0.0) -> QColor:
        return image.pixelColor(int((widget.x_of(moment) + dx) * ratio), int(event_y * ratio))

    assert colour_at(plate_at) == paint.PLATE_EVENT
    assert colour_at(plate_at, 4) == paint.PLATE_EVENT  # a plate is wide: 12 px
    assert colour_at(motion_at) == paint.event_colour("motion")
    assert colour_at(motion_at, 6) != paint.event_colour("motion")  # a small round dot
    assert paint.event_colour("motion") != paint.PLATE_EVENT
