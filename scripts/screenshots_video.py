"""The app with RTSP cameras behind faulty links, for the video screenshots of issues 12/13.

Run under an X server with two screens (console + wall), from the repo root:
    Xvfb :81 -screen 0 1920x1080x24 -screen 1 1920x1080x24 &
    DISPLAY=:81 openbox &
    DISPLAY=:81 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots_video.py [zh_CN]
It starts the test RTSP server on 127.0.0.1 and puts a fault proxy in front of three
cameras: a 30 kB/s link (slow), a byte-error rate of 0.0005 (damaged), 300 ms more delay.
The console shows a 3x3 grid of them with demo junctions; drive it with the keyboard
(xdotool: Ctrl+Shift+L sends the layout to the wall, Ctrl+I shows the figures) and take
screenshots (``import -window root``). It prints READY once the faults are on and runs
until the file named by the STOP line exists. Nothing here is part of the test suite.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from commandroom.auth.permissions import SYSTEM  # noqa: E402
from commandroom.cameras.layouts import LayoutState  # noqa: E402
from commandroom.cameras.registry import Camera  # noqa: E402
from commandroom.config import Paths, Settings  # noqa: E402
from tests.support.fault_proxy import FaultProxy  # noqa: E402
from tests.support.rtsp import ensure_test_clip, rtsp_server  # noqa: E402
from ui.app import build_app, build_parser  # noqa: E402
from ui.i18n import install_translators  # noqa: E402
from ui.theme import apply_dark_theme  # noqa: E402


def pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def main(language: str) -> None:
    qa = QApplication(sys.argv[:1])
    apply_dark_theme(qa)
    keep = install_translators(qa, language)
    paths = Paths.resolve(tempfile.mkdtemp(prefix="cr-video-shots-"))
    paths.ensure()
    settings = Settings()
    settings.alerts.ack_port = 0
    stop_file = Path(tempfile.mkdtemp(prefix="cr-video-stop-")) / "stop"
    with rtsp_server(live_mounts=2, clip=ensure_test_clip(), clip_mounts=6) as rtsp:
        slow, damaged, late = (FaultProxy(rtsp.port) for _ in range(3))
        try:
            app = build_app(paths, settings, build_parser().parse_args(["--demo"]))
            app.start()
            app.console.setGeometry(QGuiApplication.screens()[0].availableGeometry())
            group = app.registry.add_group(SYSTEM, "County Road 12")
            cameras = [
                ("Toll gate", "County Rd 12 x Expressway", rtsp.url("clip1", port=slow.port)),
                ("Market east", "Market St x East Ring Road",
                 rtsp.url("clip2", port=damaged.port)),
                ("Bridge north", "River Bridge north end", rtsp.url("live1", port=late.port)),
                ("Clinic", "Health St x Wenchang Rd", rtsp.url("clip3")),
                ("Grain store", "Granary Lane", rtsp.url("clip4")),
            ]
            ids = [app.registry.add(SYSTEM, Camera(
                id=None, name=name, junction=junction, group_id=group.id, main_url=url)).id
                for name, junction, url in cameras]
            demo = [c.id for c in app.registry.cameras(SYSTEM)
                    if c.main_url.startswith("demo")]
            app.console.grid.apply_state(LayoutState(grid="9", cameras=[*ids, *demo]))
            pump(6)  # everything plays cleanly first
            slow.rate_bytes_s = 30_000
            damaged.byte_error_rate = 0.0005
            late.delay_s = 0.3
            print("READY", flush=True)
            print("STOP", stop_file, flush=True)
            while not stop_file.exists():
                pump(0.2)
            app.shutdown()
        finally:
            for proxy in (slow, damaged, late):
                proxy.close()
    del keep


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "en")
