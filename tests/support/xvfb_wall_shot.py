"""Child process of the Xvfb acceptance test: the app on two real X screens.

Usage: python -m tests.support.xvfb_wall_shot DATA_DIR OUT_DIR  (DISPLAY set, xcb)
Prints one JSON line describing what it saw; writes console.png and wall.png.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from commandroom.config import Paths, Settings
from commandroom.wall import WallAlert
from ui.app import build_app, build_parser
from ui.theme import apply_dark_theme


def pump_until(predicate: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if callable(predicate) and predicate():
            return True
        time.sleep(0.02)
    return False


def main() -> None:
    data, out = Path(sys.argv[1]), Path(sys.argv[2])
    qa = QApplication(sys.argv[:1])
    apply_dark_theme(qa)
    paths = Paths.resolve(data)
    paths.ensure()
    settings = Settings()
    settings.alerts.ack_port = 0
    settings.recording.demo_cameras_record = False  # readers counted are the viewers'
    app = build_app(paths, settings, build_parser().parse_args(["--demo"]))
    app.start()
    app.console.setGeometry(QGuiApplication.screens()[0].availableGeometry())
    live = pump_until(lambda: all(t.painted_seq > 0 for t in app.wall.grid.tiles), 30)
    target = app.wall.grid.tiles[1].camera
    assert target is not None
    app.events.publish(WallAlert(
        camera_id=target.id, camera_name=target.name, junction=target.junction,
        who="Zhang San", category="wanted", frame_time=datetime.now(UTC)))
    banner = pump_until(app.wall.window.banner.isVisible, 5)
    pump_until(lambda: False, 1.0)  # let both screens repaint
    screens = QGuiApplication.screens()
    for index, name in ((0, "console.png"), (1, "wall.png")):
        screens[index].grabWindow(0).save(str(out / name))
    print(json.dumps({
        "screens": [s.name() for s in screens],
        "wall_screen": app.wall.window.screen().name(),
        "wall_fullscreen": app.wall.window.isFullScreen(),
        "live": live, "banner": banner, "readers": app.hub.reader_count(),
        "cameras_shown": len({t.camera.id for g in (app.console.grid, app.wall.grid)
                              for t in g.tiles if t.camera}),
    }))
    app.shutdown()


if __name__ == "__main__":
    main()
