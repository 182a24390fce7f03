"""Screenshot: one alert as a WeCom group shows it — the text, then the snapshot.

    .venv/bin/python scripts/robot_screenshot.py docs/screenshots/wecom-robot-text-and-image.png

Starts the WeCom robot emulator on 127.0.0.1 (it enforces the published rules: 4,096
bytes of markdown, base64 + MD5 of a picture ≤ 2 MB, 20 a minute), sends one alert
with a long note and a full-HD PNG snapshot of a demo junction through the real
dispatcher, then shoots the page on which the emulator renders what it accepted, with
headless chromium (Debian package ``chromium``). Nothing else is contacted.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from commandroom.auth.permissions import Actor, Role  # noqa: E402
from commandroom.video.demo_source import DemoParams, JunctionScene  # noqa: E402
from tests.support.alert_core import make_stack, sample_content  # noqa: E402
from tests.support.robot_emulators import WeComRobot  # noqa: E402

NOTE = ("身穿蓝色外套，背黑色双肩包，从北门往镇政府方向步行，可能前往汽车站。"
        "Blue jacket, black backpack, walking from the north gate towards the town hall. ") * 40


def snapshot(path: Path) -> None:
    scene = JunctionScene(DemoParams("north-gate", 1920, 1080, label="North gate"))
    frame = cv2.cvtColor(scene.render(250, 1_796_000_000.0), cv2.COLOR_YUV2BGR_I420)
    cv2.imwrite(str(path), frame)


def main(out: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="robot-shot-"))
    robot = WeComRobot().start()
    try:
        stack = make_stack(work / "alerts.db", ack_base_url="https://ack.station.example")
        stack.teams.save_channel(Actor("admin", Role.ADMINISTRATOR),
                                 stack.team_id("community"), "webhook", "WeCom robot",
                                 {"url": robot.url, "preset": "wecom"})
        png = work / "snapshot.png"
        snapshot(png)
        content = sample_content(
            work, "missing_person", name="李四 Li Si", note=NOTE,
            frame_time=datetime.now(UTC) - timedelta(seconds=20),
            snapshot_path=str(png), snapshot_sha256=hashlib.sha256(png.read_bytes()).hexdigest())
        stack.service.send(Actor("wang", Role.DUTY_OFFICER), 1, content)
        dispatcher = stack.dispatcher()
        dispatcher.run_once()
        dispatcher.stop()
        print(f"snapshot {png.stat().st_size} bytes; robot accepted "
              f"{[c.json()['msgtype'] for c in robot.accepted]}, refused {robot.rejected}")
        assert len(robot.accepted) == 2 and not robot.rejected
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--hide-scrollbars", "--window-size=760,1160",
             f"--screenshot={out.resolve()}", robot.page_url],
            check=True, capture_output=True, timeout=60)
        stack.close()
    finally:
        robot.stop()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/screenshots/wecom-robot.png")
