"""Replay on the tiles, as an officer does it: keys to whatever has the keyboard focus.

The live cameras are the test RTSP server's /barcode mounts; the footage looked back at
is barcode video recorded into the app's own recording system. What a tile shows is read
from the barcode in the pixels it PAINTED (tests/ui/replay_support.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera
from commandroom.recording.policy import RecordingMode
from commandroom.recording.status import (
    RecorderProblem,
    RecorderState,
    RecorderStatus,
    RecorderStatusChanged,
)
from commandroom.sightings.events import SightingClipReady
from commandroom.video.state import StreamState
from commandroom.watchlist.records import Category, EntryInput, Risk
from tests.support.rtsp import RtspTestServer, rtsp_server
from tests.ui.conftest import AppFactory
from tests.ui.keyboard import press, type_keys
from tests.ui.replay_support import (
    FRAME_MS,
    border_is_amber,
    now_ms,
    painted_stamp,
    record_footage,
    shows_live_frame,
    shows_replay_frame,
)
from ui.app import CommandRoomApp
from ui.video.footer import footer_font, layout_footer
from ui.video.replay_texts import local_clock
from ui.video.tile import VideoTile

FOOTAGE_S = 60.0  # recorded up to 5 s ago: R, and R again, land in it
SETTLE_MS = 10_000


@dataclass
class Station:
    app: CommandRoomApp
    cameras: list[Camera]
    footage_start: float


@pytest.fixture(scope="module")
def server() -> Iterator[RtspTestServer]:
    with rtsp_server(live_mounts=0, clip_mounts=0, barcode_mounts=2) as srv:
        yield srv


def open_station(qtbot: QtBot, make_app: AppFactory, server: RtspTestServer,
                 count: int = 1) -> Station:
    app = make_app("--no-demo")
    mounts = ["barcode", "barcode2"][:count]
    cameras = [app.registry.add(SYSTEM, Camera(None, f"Gate {i + 1}", server.url(mount),
                                               junction="Xinhua Rd"))
               for i, mount in enumerate(mounts)]
    ids = [c.id for c in cameras if c.id is not None]
    start = time.time() - FOOTAGE_S - 5.0
    record_footage(app.core, ids, start, FOOTAGE_S)
    grid = app.console.grid
    for index, camera_id in enumerate(ids):
        grid.assign(index, camera_id)
    grid.select(grid.tiles[0])
    app.console.activateWindow()
    qtbot.waitUntil(app.console.isActiveWindow)
    for tile in grid.tiles[:count]:
        qtbot.waitUntil(lambda t=tile: shows_live_frame(t), timeout=SETTLE_MS)
    return Station(app, cameras, start)


def wait_replay_painted(qtbot: QtBot, tile: VideoTile) -> None:
    qtbot.waitUntil(lambda: shows_replay_frame(tile), timeout=SETTLE_MS)


def is_live(tile: VideoTile) -> bool:
    """The stream reports a decoded picture again (a paused reader may restart first)."""
    feed = tile.feed()
    return feed is not None and feed.status().state is StreamState.LIVE


def wait_still(qtbot: QtBot, tile: VideoTile) -> int:
    """The stamp of a paused tile once it no longer changes."""
    seen: list[int] = []

    def settled() -> bool:
        tile.update()
        seen.append(painted_stamp(tile))
        return len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]

    qtbot.waitUntil(settled, timeout=SETTLE_MS)
    return seen[-1]


def test_r_goes_30_s_back_the_keys_move_it_and_esc_is_live_again(
    qtbot: QtBot, make_app: AppFactory, server: RtspTestServer
) -> None:
    station = open_station(qtbot, make_app, server)
    tile = station.app.console.grid.tiles[0]
    assert abs(painted_stamp(tile) - now_ms()) < 2000  # live: the barcode says now
    assert tile.shown_badge == "LIVE" and not border_is_amber(tile)

    pressed = time.time()
    press(Qt.Key.Key_R)
    wait_replay_painted(qtbot, tile)
    stamp, elapsed_ms = painted_stamp(tile), (time.time() - pressed) * 1000
    wanted = (pressed - 30.0) * 1000
    # The frame nearest "30 s before the key", playing on since (the painted one, read back).
    assert -FRAME_MS * 2 <= stamp - wanted <= elapsed_ms + FRAME_MS * 2, (stamp - wanted)
    assert border_is_amber(tile)
    assert tile.shown_badge.startswith("REPLAY ")

    press(Qt.Key.Key_Space)  # pause
    paused = wait_still(qtbot, tile)
    assert tile.shown_badge == f"REPLAY {local_clock(paused / 1000)} ‖"

    press(Qt.Key.Key_R)  # again: a further 30 s back
    qtbot.waitUntil(lambda: abs(painted_stamp(tile) - (paused - 30_000)) <= FRAME_MS,
                    timeout=SETTLE_MS)
    back = wait_still(qtbot, tile)
    press(Qt.Key.Key_Period)  # one frame forward
    qtbot.waitUntil(lambda: painted_stamp(tile) == back + FRAME_MS, timeout=SETTLE_MS)
    press(Qt.Key.Key_Comma)  # one frame back
    qtbot.waitUntil(lambda: painted_stamp(tile) == back, timeout=SETTLE_MS)
    press(Qt.Key.Key_Right)  # 10 s forward (not "select the next tile")
    qtbot.waitUntil(lambda: abs(painted_stamp(tile) - (back + 10_000)) <= FRAME_MS,
                    timeout=SETTLE_MS)
    assert station.app.console.grid.selected is tile
    press(Qt.Key.Key_BracketRight)  # faster: 2x
    assert tile.replay is not None and tile.replay.clock.speed == 2.0
    qtbot.waitUntil(lambda: tile.shown_badge.endswith("‖ 2×"), timeout=SETTLE_MS)

    press(Qt.Key.Key_Escape)  # back to live, at once
    qtbot.waitUntil(lambda: shows_live_frame(tile) and is_live(tile), timeout=SETTLE_MS)
    assert abs(painted_stamp(tile) - now_ms()) < 2000
    assert tile.shown_badge == "LIVE" and not border_is_amber(tile)
    press(Qt.Key.Key_Right)  # on a live tile the arrows select tiles again
    assert station.app.console.grid.selected is station.app.console.grid.tiles[1]


def test_two_tiles_play_together_on_console_and_wall_and_esc_ends_the_group(
    qtbot: QtBot, make_app: AppFactory, server: RtspTestServer
) -> None:
    station = open_station(qtbot, make_app, server, count=2)
    app = station.app
    first, second = app.console.grid.tiles[:2]
    press(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # Ctrl+R: the grid together
    wait_replay_painted(qtbot, first)
    wait_replay_painted(qtbot, second)
    assert first.replay is not None and second.replay is not None
    assert first.replay.clock is second.replay.clock
    # While playing: the painted frames were recorded within one frame of each other.
    differences = []
    for _ in range(10):
        qtbot.wait(45)
        differences.append(abs(painted_stamp(first) - painted_stamp(second)))
    assert sorted(differences)[len(differences) // 2] <= FRAME_MS, differences
    press(Qt.Key.Key_Space)  # pauses both
    assert wait_still(qtbot, first) == wait_still(qtbot, second)
    assert border_is_amber(first) and border_is_amber(second)

    app.wall.show_window()  # one screen here: the wall is a window beside the console
    app.console.activateWindow()
    qtbot.waitUntil(app.console.isActiveWindow)
    press(Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wall_tile = app.wall.grid.selected
    assert wall_tile is not None
    wait_replay_painted(qtbot, wall_tile)
    assert wall_tile.replay is not None and wall_tile.replay.clock is first.replay.clock
    assert wait_still(qtbot, wall_tile) == wait_still(qtbot, first)
    assert border_is_amber(wall_tile) and wall_tile.shown_badge.startswith("REPLAY ")

    app.console.grid.select(second)
    press(Qt.Key.Key_Escape)  # Esc on one tile: the whole group is live again
    for tile in (first, second, wall_tile):
        qtbot.waitUntil(lambda t=tile: shows_live_frame(t) and is_live(t), timeout=SETTLE_MS)
        assert abs(painted_stamp(tile) - now_ms()) < 2000
        assert not border_is_amber(tile) and tile.shown_badge == "LIVE"


def test_a_tag_on_a_replaying_tile_records_the_frames_time_and_a_recorded_clip(
    qtbot: QtBot, make_app: AppFactory, server: RtspTestServer
) -> None:
    station = open_station(qtbot, make_app, server)
    app = station.app
    entry = app.watchlist.create(SYSTEM, EntryInput(name="Zhang San", category=Category.WANTED,
                                                    risk=Risk.HIGH))
    tile = app.console.grid.tiles[0]
    ready: list[SightingClipReady] = []
    clip_ready = threading.Event()
    app.events.subscribe(SightingClipReady, lambda e: (ready.append(e), clip_ready.set()))
    press(Qt.Key.Key_R)
    wait_replay_painted(qtbot, tile)
    press(Qt.Key.Key_Space)
    shown = wait_still(qtbot, tile)
    press(Qt.Key.Key_T)
    dialog = app.tagging.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.query.hasFocus)
    type_keys("Zh")
    with qtbot.waitSignal(app.tagging.saved, timeout=10_000) as saved:
        type_keys("\n")
    view = saved.args[0]
    assert view.watch_entry_id == entry.id
    # The time the frame was recorded (its barcode), not the time of the tag.
    assert abs(view.frame_time.timestamp() * 1000 - shown) <= 1
    assert now_ms() - shown > 25_000
    assert clip_ready.wait(30) and ready[0].status == "done", ready


def test_shown_cameras_are_recorded_while_shown_and_a_failing_recorder_says_so(
    qtbot: QtBot, make_app: AppFactory, server: RtspTestServer
) -> None:
    app = make_app("--no-demo")
    camera = app.registry.add(SYSTEM, Camera(None, "Gate", server.url("barcode")))
    assert camera.id is not None
    app.core.recording.parts.policy.set_mode(SYSTEM, camera.id, RecordingMode.WHILE_SHOWN)
    app.core.recorders.refresh()
    assert app.core.recorders.wait_idle(10)
    assert camera.id not in app.core.recorders.recorded()  # on no tile: not recorded
    grid = app.console.grid
    grid.assign(2, camera.id)
    qtbot.waitUntil(lambda: camera.id in app.core.recorders.recorded(), timeout=SETTLE_MS)

    tile = grid.tiles[2]
    app.events.publish(RecorderStatusChanged(camera.id, RecorderStatus(
        RecorderState.FAILING, RecorderProblem.DISK_FULL, "ENOSPC", retry_in_s=5.0)))
    qtbot.waitUntil(lambda: tile.recording_note == "REC ✕ disk full", timeout=SETTLE_MS)
    qtbot.waitUntil(lambda: shows_live_frame(tile), timeout=SETTLE_MS)  # live goes on
    app.events.publish(RecorderStatusChanged(camera.id, RecorderStatus(
        RecorderState.RECORDING)))
    qtbot.waitUntil(lambda: tile.recording_note == "", timeout=SETTLE_MS)


@pytest.mark.parametrize("scale", [1.0, 1.6], ids=["console", "wall"])
def test_replay_badge_comes_first_and_labels_never_overlap(qtbot: QtBot, scale: float) -> None:
    name, clock, junction = "Bus Station", "08:48:56", "Station Sq x County Rd 12"
    badge, rec = "REPLAY 10:41:07 ‖ 2×", "REC ✕ disk full"
    for width in range(60, 1000, 7):
        metrics = QFontMetrics(footer_font(QFont(), width, width * 9 // 16, scale))
        for mode, first in ((badge, True), ("LIVE", False)):
            layout = layout_footer(metrics, width, name, None if first else clock, junction,
                                   mode=mode, mode_first=first, rec=rec)
            rects = [label.rect for label in layout.labels] + [layout.dot]
            assert not any(a.intersects(b) for i, a in enumerate(rects)
                           for b in rects[i + 1:]), (width, layout)
            for label in layout.labels:
                assert label.rect.left() >= 0 and label.rect.right() < width
            roles = [label.role for label in layout.labels]
            if first:  # a replaying tile always says so, whole where it fits at all
                assert roles[0] == "mode"
                if width >= 300:
                    assert layout.labels[0].text == badge
            elif "mode" in roles:  # LIVE only where the name fits whole
                assert layout.label("name").text == name  # type: ignore[union-attr]


def test_a_paused_tile_waiting_in_a_hole_of_its_footage_still_says_paused(
    qtbot: QtBot,
) -> None:
    """A group member whose footage has a hole (a camera that dropped frames) waits in
    GAP while its clock is paused: its badge says paused like the others'."""
    from commandroom.video.replay_feed import ReplayState, ReplayStatus
    from ui.video.replay_texts import PAUSED_MARK, replay_badge

    waiting = ReplayStatus(ReplayState.GAP, position=1_780_000_000.0)
    assert replay_badge(waiting, paused=True).endswith(PAUSED_MARK)
    assert not replay_badge(waiting, paused=False).endswith(PAUSED_MARK)


def test_a_seek_on_the_timeline_replays_the_selected_tile_at_that_moment(
    qtbot: QtBot, make_app: AppFactory, server: RtspTestServer
) -> None:
    """The timeline's seek and "Play at this moment" reach the replay on the tiles (the
    composition root wires them): the painted barcode is the moment asked for."""
    station = open_station(qtbot, make_app, server)
    app, camera = station.app, station.cameras[0]
    assert camera.id is not None
    tile = app.console.grid.tiles[0]
    moment = station.footage_start + 20.0
    asked = time.time()
    app.timeline_ui.widget.seek(moment, camera.id)
    wait_replay_painted(qtbot, tile)
    elapsed_ms = (time.time() - asked) * 1000
    assert -FRAME_MS * 2 <= painted_stamp(tile) - moment * 1000 <= elapsed_ms + FRAME_MS * 2
    later = moment + 15.0  # a second seek moves the same replay
    app.play_at(camera.id, later)
    qtbot.waitUntil(lambda: abs(painted_stamp(tile) - later * 1000) < 2000, timeout=SETTLE_MS)
    assert tile.shown_badge.startswith("REPLAY ")


def test_the_timeline_cursor_follows_the_selected_tiles_replay(
    qtbot: QtBot, make_app: AppFactory, server: RtspTestServer
) -> None:
    """Seen on screen: R, Ctrl+P and Esc moved the tile, and the timeline's cursor stayed
    where the last seek on the timeline had put it (or never appeared)."""
    station = open_station(qtbot, make_app, server)
    app = station.app
    tile = app.console.grid.tiles[0]
    widget = app.timeline_ui.widget
    assert app.timeline_ui.dock.isVisible() and widget.playhead is None

    press(Qt.Key.Key_R)
    wait_replay_painted(qtbot, tile)
    press(Qt.Key.Key_Space)  # paused: the cursor must sit on the frame shown
    paused_ms = wait_still(qtbot, tile)
    qtbot.waitUntil(lambda: widget.playhead is not None
                    and abs(widget.playhead * 1000 - paused_ms) <= FRAME_MS * 2,
                    timeout=SETTLE_MS)

    press(Qt.Key.Key_Left)  # 10 s back: the cursor goes with it
    qtbot.waitUntil(lambda: widget.playhead is not None
                    and abs(widget.playhead * 1000 - (paused_ms - 10_000)) <= FRAME_MS * 2,
                    timeout=SETTLE_MS)

    press(Qt.Key.Key_Escape)  # live again: no cursor left on a moment nobody watches
    qtbot.waitUntil(lambda: widget.playhead is None, timeout=SETTLE_MS)
