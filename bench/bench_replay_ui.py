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
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bench.procstat import machine_busy_percent
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera
from commandroom.config import Paths, Settings
from commandroom.recording.policy import RecordingMode
from tests.support.rtsp import RtspTestServer
from tests.ui.replay_support import painted_stamp, shows_live_frame, shows_replay_frame
from ui.app import build_app, build_parser, prepare_qt_app
from ui.bridge import shutdown_background
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


def _key(key: Qt.Key) -> None:
    focus = QApplication.focusWidget() or QApplication.activeWindow()
    assert focus is not None, "no window has the keyboard"
    QTest.keyClick(focus, key)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=25)
    parser.add_argument("--record", type=float, default=40.0, help="seconds recorded first")
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
        print(f"recording for {args.record:.0f} s ...")
        end = time.monotonic() + args.record
        _pump_until(qt_app, lambda: time.monotonic() >= end, timeout=args.record + 5)
        print(f"tile {tile.width()}x{tile.height()} px, platform {qt_app.platformName()}")
        ui: list[float] = []
        core: list[float] = []
        errors: list[float] = []
        lookback, size = app.core.lookback, tile.pixel_size()
        for _ in range(args.tries):
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
            finally:
                handle.release()
        print("  " + _figures("R key -> first replay frame PAINTED on the tile", ui))
        print("  " + _figures("reference, same run: LookBack.replay -> frame in slot", core))
        print(f"  painted frame's barcode - (key press - 30 s): median "
              f"{statistics.median(errors):+.0f} ms, range {min(errors):+.0f}.."
              f"{max(errors):+.0f} (includes the time it played before the check)")
        print("  target: median <= 300 ms")
    finally:
        app.shutdown()
        shutdown_background()
        server.stop()
        del translators


if __name__ == "__main__":
    main()
