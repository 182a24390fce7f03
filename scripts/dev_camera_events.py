"""Dev aid: the console with plate reads arriving, to look at the suggested-sighting cards
by hand (and take their screenshots). Not part of the app or the tests.

    DISPLAY=:84 PYTHONPATH=. .venv/bin/python scripts/dev_camera_events.py \\
        --data-dir /tmp/cr-events --demo --watch 鄂G12345 "White Wuling van" high \\
        --plate 鄂G1Z345 --after 8 [--repeat 2] [--motion] [--lang zh_CN]

It runs the console as ``commandroom`` does (the log-in dialog first), puts the --watch
vehicles on the watch list and, --after seconds once the console shows, hands a plate
read of each --plate at the first tile's camera to the event intake exactly as a
checkpoint camera's ANPR client does (``EventIntake.hand_over``), with a picture drawn
here; --repeat reads the first plate again (folded into its card); --motion adds motion
and line-crossing events on the other demo cameras (tile flashes, the events list);
--history N puts N events of every type on the first tile's camera over the last ten
minutes (the timeline's event marks; select that tile, F6 focuses the timeline).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from commandroom.auth.permissions import SYSTEM  # noqa: E402
from commandroom.camera_events.model import (  # noqa: E402
    CameraEvent,
    EventPicture,
    EventSource,
    EventState,
    EventType,
)
from commandroom.config import Paths, load_settings  # noqa: E402
from commandroom.watchlist.records import Category, EntryInput, Kind  # noqa: E402
from ui.app import CommandRoomApp, build_app, prepare_qt_app, run_console  # noqa: E402
from ui.auth.install import login_at_start  # noqa: E402
from ui.command_line import build_parser  # noqa: E402
from ui.i18n import choose_language  # noqa: E402


def plate_picture(plate: str) -> bytes:
    """A checkpoint-style picture: a dark road, a van's front, the blue plate."""
    image = QImage(704, 396, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a2f36"))
    painter = QPainter(image)
    painter.fillRect(QRect(150, 60, 404, 300), QColor("#d8dcdf"))  # the van's front
    painter.fillRect(QRect(190, 90, 324, 110), QColor("#4b5a68"))  # windscreen
    painter.fillRect(QRect(242, 262, 220, 60), QColor("#1446a0"))  # the plate
    painter.setPen(QColor("#ffffff"))
    font = QFont()
    font.setPixelSize(40)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRect(242, 262, 220, 60), Qt.AlignmentFlag.AlignCenter, plate)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", 85)
    return bytes(data.data())


def event(camera_id: int, kind: EventType, plate: str = "", ago_s: float = 0.0
          ) -> CameraEvent:
    now = datetime.now(UTC) - timedelta(seconds=ago_s)
    return CameraEvent(
        camera_id=camera_id, source=EventSource.ISAPI, type=kind,
        state=EventState.PULSE if kind in (EventType.PLATE, EventType.LINE_CROSSING)
        else EventState.START,
        device_time=now, received_at=now, topic=kind.value, plate=plate,
        plate_colour="blue" if plate else "",
        picture=EventPicture(plate_picture(plate)) if plate else None)


def push(app: CommandRoomApp, args: argparse.Namespace) -> None:
    tiles = [t for t in app.console.grid.tiles if t.camera is not None]
    first = tiles[0].camera
    assert first is not None and first.id is not None
    plates = list(args.plate) + [args.plate[0]] * args.repeat if args.plate else []
    for plate in plates:
        app.core.event_intake.hand_over(event(first.id, EventType.PLATE, plate))
    for n in range(args.history):
        for k, kind in enumerate(EventType):
            ago = 600.0 * (n + 1) / (args.history + 1) - 9.0 * k
            plate = args.plate[0] if kind is EventType.PLATE and args.plate else ""
            app.core.event_intake.hand_over(event(first.id, kind, plate, ago))
    if args.motion:
        for tile, kind in zip(tiles[1:], (EventType.MOTION, EventType.LINE_CROSSING,
                                         EventType.INTRUSION), strict=False):
            if tile.camera is not None and tile.camera.id is not None:
                app.core.event_intake.hand_over(event(tile.camera.id, kind))


def main() -> int:
    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--watch", nargs=3, action="append", default=[],
                       metavar=("PLATE", "NAME", "RISK"))
    extra.add_argument("--plate", action="append", default=[])
    extra.add_argument("--after", type=float, default=8.0)
    extra.add_argument("--repeat", type=int, default=0)
    extra.add_argument("--motion", action="store_true")
    extra.add_argument("--history", type=int, default=0)
    mine, rest = extra.parse_known_args()
    args = build_parser().parse_args(rest)
    paths = Paths.resolve(args.data_dir)
    paths.ensure()
    settings = load_settings(paths)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    translators = prepare_qt_app(qt_app, choose_language(args.lang or settings.language))
    app = build_app(paths, settings, args)
    actor = login_at_start(app.auth)
    if actor is None:
        app.shutdown()
        return 0
    app.log_in(actor)
    for plate, name, risk in mine.watch:  # before the GUI-thread guard goes on (start)
        app.watchlist.create(SYSTEM, EntryInput(
            kind=Kind.VEHICLE, name=name, plate=plate, colour="white",
            category=Category.WANTED, risk=risk, reason="dev: camera events"))
    QTimer.singleShot(int(mine.after * 1000), lambda: push(app, mine))
    try:
        return run_console(qt_app, app)
    finally:
        del translators


if __name__ == "__main__":
    sys.exit(main())
