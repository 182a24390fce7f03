"""Seed a data folder with an incident 47 minutes old, for the timeline screenshot.

Usage (from the repository, with the shared virtualenv)::

    PYTHONPATH=. .venv/bin/python scripts/incident_demo.py /tmp/incidents-data
    PYTHONPATH=. .venv/bin/python -c "import sys; from ui.app import main; sys.exit(main())" \
        --data-dir /tmp/incidents-data --demo          # log in as duty / incident-demo-2026

It builds the real core on that folder with an injected clock set back in time and
makes, as the officer would have: the demo cameras, a wanted person on the watch list, a
sighting of him at the first demo camera (its snapshot is a real frame of that demo
camera, with the time burned in), an incident from the sighting 47 minutes ago, the
alert to both teams, the community team's acknowledgement by phone 2 min later, the case
team's by the link in its message at 3.5 min, on scene at 31 min. The incident is left
open: in the console, Ctrl+K opens the incidents, Enter the timeline, Ctrl+R and Return
resolve it as caught, now, 47 minutes after it opened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path

import cv2

from commandroom.alerts.content import AlertContent
from commandroom.auth.permissions import SYSTEM, Actor, Role
from commandroom.cameras.demo_cameras import ensure_demo_cameras
from commandroom.config import Paths, load_settings
from commandroom.incidents import How, State
from commandroom.runtime import Core, CoreHooks
from commandroom.sightings.models import SightingRow
from commandroom.video.demo_source import DemoParams, JunctionScene
from commandroom.watchlist.records import Category, EntryInput, Risk

USER, PASSWORD = "duty", "incident-demo-2026"
AGE = dt.timedelta(minutes=47)


class MovableClock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


def _snapshot(url: str, when: dt.datetime, path: Path) -> str:
    """A frame of the demo camera as it was at ``when``; returns its SHA-256."""
    scene = JunctionScene(DemoParams.parse(url))
    plane = scene.render(int(when.timestamp() * scene.fps) % 100_000, when.timestamp())
    image = cv2.cvtColor(plane.reshape(scene.h * 3 // 2, scene.w), cv2.COLOR_YUV2BGR_I420)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed(data_dir: Path) -> str:
    paths = Paths.resolve(data_dir)
    paths.ensure()
    clock = MovableClock(dt.datetime.now(dt.UTC) - AGE - dt.timedelta(seconds=40))
    core = Core(paths, load_settings(paths), hooks=CoreHooks(clock=clock, keyring=None))
    try:
        if core.auth.needs_bootstrap():
            core.auth.bootstrap_admin(USER, PASSWORD, "Duty officer Wang")
        officer = Actor(USER, Role.ADMINISTRATOR)
        ensure_demo_cameras(core.registry, SYSTEM)
        camera = core.registry.cameras(SYSTEM)[0]
        entry = core.watchlist.create(officer, EntryInput(
            name="Zhang San", category=Category.WANTED, risk=Risk.HIGH,
            reason="burglary, warrant 2026-113", case_reference="2026-113"))
        frame_time = clock.now
        relative = f"snapshots/incident-demo-{int(frame_time.timestamp())}.jpg"
        digest = _snapshot(camera.main_url, frame_time, paths.data_dir / relative)
        with core.sessions.begin() as session:
            row = SightingRow(watch_entry_id=entry.id, camera_id=camera.id,
                              camera_name=camera.name, junction=camera.junction,
                              frame_time=frame_time, seq=1, operator=USER,
                              note="grey jacket, heading north", snapshot_path=relative,
                              snapshot_sha256=digest, created_at=frame_time)
            session.add(row)
            session.flush()
            sighting_id = row.id
        clock.advance(seconds=40)
        incidents = core.incidents
        incident = incidents.create_from_sighting(officer, sighting_id)
        clock.advance(seconds=50)
        content = AlertContent(
            name=entry.name, category=Category.WANTED, risk=3, camera=camera.name,
            junction=camera.junction, map_x=camera.map_x, map_y=camera.map_y,
            frame_time=frame_time, snapshot_path=str(paths.data_dir / relative),
            snapshot_sha256=digest, note="grey jacket, heading north",
            evidence_ref=incident.number)
        alert_id = core.alerting.service.send(officer, sighting_id, content)
        teams = {t.key: t.id for t in core.alerting.teams.list_teams()}
        clock.advance(minutes=1, seconds=10)
        incidents.record(officer, incident.id, State.ACKNOWLEDGED, How.PHONE,
                         teams["community"], "Li Wei")
        clock.advance(minutes=1, seconds=30)
        core.alerting.acks.record(SYSTEM, alert_id, teams["case"], "Sgt Liu", "link")
        clock.advance(minutes=6)
        incidents.add_note(officer, incident.id, "Community team saw him enter the market")
        clock.advance(minutes=21, seconds=30)
        incidents.record(officer, incident.id, State.ON_SCENE, How.RADIO, teams["case"])
        return incident.number
    finally:
        core.stop()


if __name__ == "__main__":
    print(seed(Path(sys.argv[1])))
