"""Replay on a tile: the R key pressed -> the first replayed frame PAINTED on the tile.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_replay_ui [--tries 25]
     (or on an X display: DISPLAY=:NN .venv/bin/python -m bench.bench_replay_ui)

The whole app (``build_app``: the Core, the console, the wall, the pump at its 100 Hz)
shows a camera on the RTSP test server's live /barcode mount (640x360@25, keyframe every
2 s), recorded through the real path (RecordingScheduler -> StreamHub.record ->
Recorder) for ``--record`` seconds. Then, alternating, each try is:

* UI: the tile live; R sent to the focus widget (as the officer's key); timed until the
  tile has painted a frame of the replay (``painted_seq`` of the replay's slot, set in
  ``paintEvent``); the painted frame's barcode against "key press - 30 s"; then Esc and
  wait for live again;
* reference (same run, same footage): ``LookBack.replay`` called directly, timed to the
  first frame in the slot (what bench_replay.py (a) measures): what the UI adds is the
  difference (the executor hop, the pump's tick, the paint).

``--timeline`` adds, in the same run and the same rounds, the timeline under the grid
(zoomed so the recording spans most of its width), each timed to the first frame PAINTED
recorded within a second of the moment asked for (barcode checked after):

* a real mouse click (QTest) on the camera's row at ``x_of`` a random recorded moment,
  the tile live; then again at another moment (5 s or more away), the tile replaying:
  a seek of the open replay;
* the same with Ctrl+J (go to time), the moment typed as HH:MM:SS into the focus widget,
  timed from the Return key;
* reference: the reference's handle seeked to a random moment -> a frame of it in the slot.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bench.procstat import machine_busy_percent
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera
from commandroom.config import Paths, Settings
from commandroom.recording.policy import RecordingMode
from commandroom.video.frames import Frame
from tests.support.rtsp import RtspTestServer
from tests.ui.replay_support import painted_stamp, shows_live_frame, shows_replay_frame
from ui.app import CommandRoomApp, build_app, build_parser, prepare_qt_app
from ui.bridge import shutdown_background
from ui.replay import timeline_paint
from ui.replay.time_scale import TimeWindow
from ui.video.tile import VideoTile


def _pump_until(qt_app: QApplication, done: object, timeout: float = 10.0) -> float:
    """Seconds until ``done()`` is true, running the event loop meanwhile."""
    began = time.perf_counter()
    while not done():  # type: ignore[operator]
        if time.perf_counter() - began > timeout:
            raise TimeoutError("the tile did not get there in time")
        qt_app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
    return time.perf_counter() - began


def _figures(label: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    return (f"{label}: median {statistics.median(ms):.0f} ms, p90 {p90:.0f}, "
            f"min {ms[0]:.0f}, max {ms[-1]:.0f} (n={len(ms)})")


def _key(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    focus = QApplication.focusWidget() or QApplication.activeWindow()
    assert focus is not None, "no window has the keyboard"
    QTest.keyClick(focus, key, modifier)


def _painted_moment(tile: VideoTile, moment: float) -> bool:
    """The tile has painted a replay frame recorded within a second of ``moment`` (a seek
    of an open replay still shows the old moment's frames until the new one arrives)."""
    frame = tile.replay.slot.latest() if tile.replay is not None else None
    return frame is not None and tile.painted_seq == frame.seq and _near(frame, moment)


def _near(frame: Frame | None, moment: float) -> bool:
    return frame is not None and abs(frame.capture_time - moment) < 1.0


class TimelineTries:
    """The timeline's seeks on a live then a replaying tile, by mouse and by Ctrl+J."""

    KINDS = ("click, tile live", "click, tile replaying", "Ctrl+J, tile live",
             "Ctrl+J, tile replaying")

    def __init__(self, qt_app: QApplication, app: CommandRoomApp, tile: VideoTile,
                 recorded_from: float, horizon: float) -> None:
        self.qt_app, self.app, self.tile = qt_app, app, tile
        self.widget = app.timeline_ui.widget
        self.recorded_from = recorded_from
        self.window = TimeWindow(recorded_from - 5, horizon - recorded_from + 10)
        self.times: dict[str, list[float]] = {kind: [] for kind in self.KINDS}
        self.errors: list[float] = []  # painted barcode - the moment asked for, ms
        self.asked: list[float] = []
        self.widget.seek_requested.connect(lambda _camera, moment: self.asked.append(moment))

    def moment(self, away_from: float | None = None) -> float:
        """A random recorded moment (4 s inside the recording), 5 s from ``away_from``."""
        while True:
            moment = random.uniform(self.recorded_from + 4, time.time() - 4)
            if away_from is None or abs(moment - away_from) >= 5:
                return moment

    def _timed(self, kind: str, act: Callable[[], None]) -> float:
        """``act`` (a click, the Return key) -> the moment it asked for painted."""
        self.asked.clear()
        began = time.perf_counter()
        act()
        assert len(self.asked) == 1, f"{kind}: the timeline asked for {self.asked}"
        moment = self.asked[0]
        _pump_until(self.qt_app, lambda: _painted_moment(self.tile, moment))
        self.times[kind].append(time.perf_counter() - began)
        self.errors.append(painted_stamp(self.tile) - moment * 1000)
        return moment

    def _click(self, moment: float) -> None:
        y = timeline_paint.AXIS_H + timeline_paint.ROW_H // 2
        QTest.mouseClick(self.widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(round(self.widget.x_of(moment)), y))

    def _type_time(self, moment: float) -> None:
        _key(Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
        focus = QApplication.focusWidget()
        assert focus is not None and focus.objectName() == "goToTimeEdit", focus
        QTest.keyClicks(focus, time.strftime("%H:%M:%S", time.localtime(moment)))

    def _back_to_live(self) -> None:
        self.app.replay.back_to_live(self.tile)
        _pump_until(self.qt_app, lambda: shows_live_frame(self.tile))

    def one_round(self) -> None:
        _pump_until(self.qt_app, lambda: shows_live_frame(self.tile))
        self.widget.set_window(self.window)  # Ctrl+J centred it elsewhere
        covered = self.window
        _pump_until(self.qt_app, lambda: self.widget.snapshot is not None
                    and self.widget.snapshot.covers(covered.start, covered.end))
        first = self._timed(self.KINDS[0], lambda: self._click(self.moment()))
        self._timed(self.KINDS[1], lambda: self._click(self.moment(first)))
        self._back_to_live()
        self._type_time(self.moment())
        first = self._timed(self.KINDS[2], lambda: _key(Qt.Key.Key_Return))
        self._type_time(self.moment(first))
        self._timed(self.KINDS[3], lambda: _key(Qt.Key.Key_Return))
        self._back_to_live()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=25)
    parser.add_argument("--record", type=float, default=40.0, help="seconds recorded first")
    parser.add_argument("--timeline", action="store_true",
                        help="also seek by the timeline: mouse click and Ctrl+J")
    args = parser.parse_args()
    print(f"machine busy before start: {machine_busy_percent(2.0):.0f} % "
          "(of all cores; other work skews the figures)")
    qt_app = QApplication.instance() or QApplication([])
    assert isinstance(qt_app, QApplication)
    translators = prepare_qt_app(qt_app, "en")
    server = RtspTestServer(live_mounts=0, clip_mounts=0).start()
    paths = Paths.resolve(Path(tempfile.mkdtemp(prefix="bench-replay-ui-")))
    paths.ensure()
    settings = Settings()
    settings.alerts.ack_port = 0
    app = build_app(paths, settings, build_parser().parse_args(["--no-demo"]))
    try:
        camera = app.registry.add(SYSTEM, Camera(None, "barcode 640x360", server.url("barcode")))
        assert camera.id is not None
        app.core.recording.parts.policy.set_mode(SYSTEM, camera.id, RecordingMode.CONTINUOUS)
        app.start()
        grid = app.console.grid
        grid.set_grid("4")
        grid.assign(0, camera.id)
        tile: VideoTile = grid.tiles[0]
        grid.select(tile)
        app.console.activateWindow()
        app.core.recorders.refresh()
        recorded_from = time.time()
        print(f"recording for {args.record:.0f} s ...")
        end = time.monotonic() + args.record
        _pump_until(qt_app, lambda: time.monotonic() >= end, timeout=args.record + 5)
        print(f"tile {tile.width()}x{tile.height()} px, platform {qt_app.platformName()}")
        ui: list[float] = []
        core: list[float] = []
        errors: list[float] = []
        core_seek: list[float] = []
        lookback, size = app.core.lookback, tile.pixel_size()
        home = QApplication.focusWidget()  # R and Esc go here, not to the timeline
        timeline = TimelineTries(qt_app, app, tile, recorded_from, time.time() + 30
                                 + 15 * args.tries) if args.timeline else None
        for _ in range(args.tries):
            if timeline is not None:
                timeline.one_round()
                if home is not None:
                    home.setFocus(Qt.FocusReason.OtherFocusReason)
            _pump_until(qt_app, lambda: shows_live_frame(tile))
            pressed, began = time.time(), time.perf_counter()
            _key(Qt.Key.Key_R)
            _pump_until(qt_app, lambda: shows_replay_frame(tile))
            ui.append(time.perf_counter() - began)
            errors.append(painted_stamp(tile) - (pressed - 30.0) * 1000)
            _key(Qt.Key.Key_Escape)
            began = time.perf_counter()
            handle = lookback.replay(SYSTEM, camera, size)
            try:
                _pump_until(qt_app, lambda h=handle: h.slot.seq > 0)
                core.append(time.perf_counter() - began)
                if timeline is not None:
                    moment, began = timeline.moment(), time.perf_counter()
                    handle.seek(moment)
                    _pump_until(qt_app, lambda h=handle, m=moment: _near(h.slot.latest(), m))
                    core_seek.append(time.perf_counter() - began)
            finally:
                handle.release()
        print("  " + _figures("R key -> first replay frame PAINTED on the tile", ui))
        print("  " + _figures("reference, same run: LookBack.replay -> frame in slot", core))
        print(f"  painted frame's barcode - (key press - 30 s): median "
              f"{statistics.median(errors):+.0f} ms, range {min(errors):+.0f}.."
              f"{max(errors):+.0f} (includes the time it played before the check)")
        if timeline is not None:
            across = timeline.widget.time_area().width
            print("  timeline seek -> first frame of the moment PAINTED "
                  f"({timeline.window.span:.0f} s across {across:.0f} px):")
            for kind, values in timeline.times.items():
                print("    " + _figures(kind, values))
            print("    " + _figures("reference, same run: handle.seek -> frame in slot",
                                    core_seek))
            errors_t = timeline.errors
            print(f"    painted frame's barcode - the moment the timeline asked for: median "
                  f"{statistics.median(errors_t):+.0f} ms, range {min(errors_t):+.0f}.."
                  f"{max(errors_t):+.0f}")
        print("  target: median <= 300 ms")
    finally:
        app.shutdown()
        shutdown_background()
        server.close()
        del translators


if __name__ == "__main__":
    main()
