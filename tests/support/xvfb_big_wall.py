"""Child process of the big-wall test: the app with its wall fullscreen on a 3840x2160 X
screen, layout "4+20", the cameras on the RTSP test server (issue 18, build item 4).

Usage: python -m tests.support.xvfb_big_wall DATA_DIR PORT N_CAMERAS SECONDS PROCESSES [WALL_PNG]
(DISPLAY set, QT_QPA_PLATFORM=xcb; screen 0 the console, screen 1 the wall; PROCESSES:
VideoSettings.reader_processes.)

Camera i (1-based) has main stream /main<i> (1920x1080) and sub stream /clip<i> (640x360).
The wall's 4 big tiles show cameras 1-4, its small tiles the others. Prints one JSON line:
per tile the stream it plays and what it painted over SECONDS, the readers the hub runs,
the GUI event loop's lateness. Writes the wall screen to WALL_PNG when given.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.layouts import BIG_WALL, LayoutState
from commandroom.cameras.registry import Camera
from commandroom.config import Paths, Settings
from ui.app import CommandRoomApp, build_app, build_parser
from ui.theme import apply_dark_theme

PROBE_MS = 10


def pump_until(predicate: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.005)
    return False


def add_cameras(app: CommandRoomApp, port: int, count: int) -> list[int]:
    """Cameras with a 1080p main and a 640x360 sub stream; the wall starts on 4+20 with
    them, the console on one empty tile (its own tiles would open more streams)."""
    base = f"rtsp://127.0.0.1:{port}"
    ids: list[int] = []
    for i in range(1, count + 1):
        camera = app.registry.add(SYSTEM, Camera(
            id=None, name=f"Junction {i:02d}", junction=f"J{i:02d}", main_url=f"{base}/main{i}",
            sub_url=f"{base}/clip{i}"))
        assert camera.id is not None
        ids.append(camera.id)
    app.layouts.save_current(SYSTEM, "console", LayoutState(grid="1", cameras=[None]))
    cells = [*ids, *[None] * 24][:24]
    app.layouts.save_current(SYSTEM, "wall", LayoutState(grid=BIG_WALL, cameras=cells))
    return ids


def measure(app: CommandRoomApp, seconds: float) -> dict[str, Any]:
    """What every wall tile painted over ``seconds``, its longest wait between two new
    pictures, and how late a 10 ms timer fired (the GUI thread busy in one go)."""
    tiles = [t for t in app.wall.grid.tiles if t.camera is not None]
    seq0 = [t.painted_seq for t in tiles]
    last_seq = list(seq0)
    start = time.monotonic()
    last_change = [start] * len(tiles)
    longest = [0.0] * len(tiles)
    paints = [0] * len(tiles)
    lateness: list[float] = []
    previous = [time.perf_counter()]

    def probe() -> None:
        now = time.perf_counter()
        lateness.append(max(0.0, (now - previous[0]) * 1000 - PROBE_MS))
        previous[0] = now
        moment = time.monotonic()
        for i, tile in enumerate(tiles):
            if tile.painted_seq != last_seq[i]:
                longest[i] = max(longest[i], moment - last_change[i])
                last_change[i], last_seq[i] = moment, tile.painted_seq
                paints[i] += 1

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(probe)
    timer.start()
    gui_cpu = time.thread_time()
    pump_until(lambda: False, seconds)
    gui_cpu = time.thread_time() - gui_cpu
    timer.stop()
    elapsed = time.monotonic() - start
    end = time.monotonic()
    ordered = sorted(lateness) or [0.0]
    per_tile = []
    for i, tile in enumerate(tiles):
        assert tile.handle is not None
        stats = tile.handle.stats()
        per_tile.append({
            "index": tile.index, "size": list(tile.pixel_size()), "url": tile.handle.spec.url,
            "pending": tile.pending is not None,
            "stream": [stats.width, stats.height], "decoded_fps": stats.fps,
            "seq_fps": (tile.painted_seq - seq0[i]) / elapsed,
            "paints_per_s": paints[i] / elapsed,
            "longest_gap_s": max(longest[i], end - last_change[i]),
        })
    return {"tiles": per_tile, "gui_thread_cpu_pct": 100 * gui_cpu / elapsed,
            "lag_p99_ms": ordered[int(0.99 * (len(ordered) - 1))],
            "lag_max_ms": ordered[-1]}


def main() -> None:
    data, port, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    seconds, processes = float(sys.argv[4]), int(sys.argv[5])
    shot = Path(sys.argv[6]) if len(sys.argv) > 6 else None
    qa = QApplication(sys.argv[:1])
    apply_dark_theme(qa)
    paths = Paths.resolve(data)
    paths.ensure()
    settings = Settings()
    settings.alerts.ack_port = 0
    settings.video.idle_stop_s = 0.5  # the sub streams the big tiles left stop soon
    settings.video.reader_processes = processes
    app = build_app(paths, settings, build_parser().parse_args([]))
    try:
        report(app, add_cameras(app, port, count), seconds, shot)
    finally:
        app.shutdown()


def report(app: CommandRoomApp, ids: list[int], seconds: float, shot: Path | None) -> None:
    # Every stream the cameras have, read before the start (the database is not for the
    # GUI thread once the app runs).
    cameras = [c for c in (app.registry.get(SYSTEM, i) for i in ids) if c is not None]
    specs = [app.registry.stream_spec(SYSTEM, c, main) for c in cameras for main in (True, False)]
    started = time.monotonic()
    app.start()
    app.console.setGeometry(QGuiApplication.screens()[0].availableGeometry())
    grid = app.wall.grid
    shown = [t for t in grid.tiles if t.camera is not None]

    def settled() -> bool:
        return all(t.painted_seq > 0 and t.pending is None for t in shown) \
            and app.hub.reader_count() == len(shown)

    live = pump_until(lambda: all(t.painted_seq > 0 for t in shown), 60)
    live_s = time.monotonic() - started
    steady = pump_until(settled, 45)
    steady_s = time.monotonic() - started
    figures = measure(app, seconds)
    if shot is not None:
        QGuiApplication.screens()[1].grabWindow(0).save(str(shot))
    opened = sorted(spec.url for spec in specs if app.hub.running(spec) is not None)
    window = app.wall.window
    print(json.dumps({
        "screens": [[s.name(), s.geometry().width(), s.geometry().height()]
                    for s in QGuiApplication.screens()],
        "wall_screen": window.screen().name(), "wall_fullscreen": window.isFullScreen(),
        "wall_size": [window.width(), window.height()], "grid": grid.state().grid,
        "tile_count": len(grid.tiles), "live": live, "live_s": round(live_s, 2),
        "steady": steady, "steady_s": round(steady_s, 2),
        "readers": app.hub.reader_count(), "opened": opened,
        "video_path": grid.video_path.name, **figures,
    }))


if __name__ == "__main__":
    main()
