"""Takes the README's and the issues' screenshots from a real run of the app.

Run under an X server with two screens (console + wall), from the repo root:
    Xvfb :98 -screen 0 1920x1080x24 -screen 1 1920x1080x24 &
    DISPLAY=:98 QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots.py docs/screenshots
It starts the test RTSP server and a webhook receiver on 127.0.0.1, builds the app
through its composition root on a throw-away data dir, drives it as an officer would
and grabs each screen. Nothing here is part of the test suite.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import paho.mqtt.client as mqtt  # noqa: E402
from paho.mqtt.enums import CallbackAPIVersion  # noqa: E402

from commandroom.auth.permissions import SYSTEM  # noqa: E402
from commandroom.cameras.registry import Camera  # noqa: E402
from commandroom.config import Paths, Settings  # noqa: E402
from commandroom.db.base import utcnow  # noqa: E402
from commandroom.runtime import Core  # noqa: E402
from commandroom.watchlist.records import Category, EntryInput, Risk  # noqa: E402
from tests.support.receivers import WebhookReceiver, mosquitto  # noqa: E402
from tests.support.rtsp import SECURE_USER, ensure_test_clip, free_port, rtsp_server  # noqa: E402
from ui.app import build_app, build_parser  # noqa: E402
from ui.i18n import install_translators  # noqa: E402
from ui.theme import apply_dark_theme  # noqa: E402

SECRET = "screenshot-hook-secret"


def pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def grab(screen_index: int, path: Path) -> None:
    screen = QGuiApplication.screens()[screen_index]
    screen.grabWindow(0).save(str(path))
    print("wrote", path)


def provision_teams(paths: Paths, settings: Settings, hook_url: str, mqtt_port: int) -> None:
    """Both teams get the group robot (webhook); the community team also MQTT."""
    core = Core(paths, settings)
    teams = core.teams
    members = {"community": ["PC Zhao", "PC Wang"], "case": ["Sgt. Li Wei", "Sgt. Liu"]}
    for team in teams.list_teams():
        for name in members.get(team.key, []):
            teams.add_member(SYSTEM, team.id, name, phone="13800000000")
        teams.save_channel(SYSTEM, team.id, "webhook", "duty group robot",
                           {"url": hook_url, "signing_secret": SECRET})
        if team.key == "community":
            teams.save_channel(SYSTEM, team.id, "mqtt", "team radios app",
                               {"host": "127.0.0.1", "port": mqtt_port})
    core.stop()


def publish_ack(port: int, topic: str, payload: dict[str, object]) -> None:
    client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2)
    client.connect("127.0.0.1", port)
    client.loop_start()
    client.publish(topic, json.dumps(payload), qos=1).wait_for_publish(5)
    client.loop_stop()
    client.disconnect()


def main(out: Path, language: str) -> None:
    qa = QApplication(sys.argv[:1])
    apply_dark_theme(qa)
    keep = install_translators(qa, language)
    out.mkdir(parents=True, exist_ok=True)
    paths = Paths.resolve(tempfile.mkdtemp(prefix="cr-shots-"))
    paths.ensure()
    settings = Settings()
    settings.alerts.ack_port = 0
    settings.evidence.pre_seconds, settings.evidence.post_seconds = 3.0, 2.0
    webhook = WebhookReceiver(secret=SECRET).start()
    with rtsp_server(live_mounts=2, clip=ensure_test_clip(), clip_mounts=6) as rtsp, \
            mosquitto(Path(tempfile.mkdtemp(prefix="cr-mqtt-"))) as mqtt_port:
        provision_teams(paths, settings, webhook.url, mqtt_port)
        app = build_app(paths, settings, build_parser().parse_args(["--demo"]))
        app.start()
        console = app.console
        console.setGeometry(QGuiApplication.screens()[0].geometry())
        # --- a 3x3 grid of live RTSP tiles, one offline with its reason -----------------
        group = app.registry.add_group(SYSTEM, "County Road 12")
        names = ["Toll gate", "Market east", "Bridge north", "Clinic", "Bus depot",
                 "Grain store", "School lane"]
        mounts = ["live1", "live2", "clip1", "clip2", "clip3", "clip4", "clip5"]
        ids = []
        for name, mount in zip(names, mounts, strict=True):
            ids.append(app.registry.add(SYSTEM, Camera(
                id=None, name=name, junction=f"{name} junction", group_id=group.id,
                main_url=rtsp.url(mount))).id)
        ids.append(app.registry.add(SYSTEM, Camera(
            id=None, name="Secure gate", junction="Station yard", group_id=group.id,
            main_url=rtsp.url("secure")), SECURE_USER, "not-the-password").id)
        ids.append(app.registry.add(SYSTEM, Camera(
            id=None, name="Ferry pier", junction="River road", group_id=group.id,
            main_url=f"rtsp://127.0.0.1:{free_port()}/cam")).id)
        grid = console.grid
        from commandroom.cameras.layouts import LayoutState

        grid.apply_state(LayoutState(grid="9", cameras=list(ids)))
        grid.set_show_stats(True)
        pump(9)
        grab(0, out / "grid-3x3-rtsp.png")
        grid.set_show_stats(False)

        # --- back to the demo junctions; the wall 2x2 --------------------------------
        demo = [c.id for c in app.registry.cameras(SYSTEM) if c.main_url.startswith("demo")]
        grid.apply_state(LayoutState(grid="4", cameras=list(demo)))
        app.wall.send_layout(grid.state())
        app.watchlist.create(SYSTEM, EntryInput(
            name="Zhang San", id_number="11010519491231002X", category=Category.WANTED,
            risk=Risk.HIGH, reason="theft of a tricycle, case 2026-117"))
        app.watchlist.create(SYSTEM, EntryInput(
            name="Li Mei", category=Category.MISSING_PERSON, risk=Risk.HIGH,
            reason="82 years old, left home at 06:00"))
        app.watchlist.create(SYSTEM, EntryInput(
            kind="vehicle", plate="鄂G·12345", colour="white", make_model="Wuling van",
            category=Category.SUSPECT, risk=Risk.MEDIUM, reason="seen at two break-ins"))
        pump(4)
        grid.select(grid.tiles[1])
        dialog = app.tagging.start_tag()
        assert dialog is not None
        dialog.resize(1400, 720)
        dialog.query.setText("Zhang")
        from commandroom.sightings.records import Box

        full_h, full_w = dialog.canvas._rgb.shape[:2]
        dialog.canvas.set_box(Box(int(full_w * 0.35), int(full_h * 0.45),
                                  int(full_w * 0.12), int(full_h * 0.2)))
        pump(0.5)
        dialog.grab().save(str(out / "tag-dialog.png"))
        print("wrote", out / "tag-dialog.png")
        dialog.save()
        pump(2)
        send = app.alerts_ui.dialog
        assert send is not None
        send.grab().save(str(out / "alert-preview.png"))
        send.send()
        pump(3)
        first_alert = app.alerting.board.recent(SYSTEM, 1)[0].alert_id
        # a missing person (community team only), acknowledged through the link
        grid.select(grid.tiles[3])
        third = app.tagging.start_tag()
        assert third is not None
        third.query.setText("Li Mei")
        third.save()
        pump(2)
        if app.alerts_ui.dialog is not None:
            app.alerts_ui.dialog.send()
        pump(3)
        link_alert = app.alerting.board.recent(SYSTEM, 1)[0].alert_id
        # the van: nobody acknowledges, it escalates
        grid.select(grid.tiles[2])
        second = app.tagging.start_tag()
        assert second is not None
        second.query.setText("12345")
        second.save()
        pump(2)
        if app.alerts_ui.dialog is not None:
            app.alerts_ui.dialog.send()
        pump(3)
        teams = {t.key: t.id for t in app.alerting.teams.list_teams()}
        # 1) the case team phones in; 2) the community team answers on MQTT;
        # 3) the community team opens the link of the missing-person alert
        app.alerting.service.ack_by_console(SYSTEM, first_alert, teams["case"],
                                            "Sgt. Li Wei", "phone")  # a listed member
        for request in list(webhook.delivered.values()):
            body = request.json()
            if body.get("team", {}).get("key") != "community":
                continue
            if body.get("alert_id") == first_alert:
                publish_ack(mqtt_port, body["ack"]["mqtt_topic"], {
                    "idempotency_key": body["idempotency_key"], "alert_id": first_alert,
                    "token": body["ack"]["token"], "by": "PC Zhao"})
            if body.get("alert_id") == link_alert:
                # No address phones reach is configured here, so the messages carry no
                # link; post as the station's reverse proxy would pass a phone's form on.
                token = app.alerting.signer.link_token(link_alert, teams["community"],
                                          utcnow() + timedelta(hours=1))
                member = next(m.id for m in app.alerting.acks.members(teams["community"])
                              if m.name == "PC Wang")
                server = app.alerting.ack_server
                assert server is not None
                data = urllib.parse.urlencode({"t": token, "member": member}).encode()
                urllib.request.urlopen(urllib.request.Request(f"{server.base_url}/ack", data))
        pump(2)
        app.alerting.escalation.check(utcnow() + timedelta(minutes=11))
        pump(3)
        console.alerts_ui = app.alerts_ui
        grab(0, out / "console.png")
        grab(1, out / "wall.png")
        app.alerts_ui.dock.widget().grab().save(str(out / "alert-panel.png"))
        print("wrote", out / "alert-panel.png")
        (out / "webhook-receiver.log").write_text(
            "\n".join(json.dumps({"key": k, "path": r.path,
                                  "signature": {k.lower(): v for k, v in r.headers.items()}
                                  .get("x-commandroom-signature", "")[:20] + "…",
                                  "headline": r.json().get("headline", "")},
                                 ensure_ascii=False)
                      for k, r in list(webhook.delivered.items())) + "\n", encoding="utf-8")
        app.shutdown()
    webhook.stop()
    del keep


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"),
         sys.argv[2] if len(sys.argv) > 2 else "en")
