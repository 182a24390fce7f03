"""A reports test's core: the real one, its real audit trail, on a clock the test moves,
with an incident taken from a sighting to "caught in 47 min" through the real services;
and the poppler tools that read the PDFs back as a person's viewer would."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import Actor, Role
from commandroom.incidents import How, LinkKind, Outcome, State
from commandroom.sightings.models import SightingRow
from commandroom.watchlist.models import WatchEntryRow
from tests.support.alert_core import AlertStack, FakeClock, make_stack, sample_content

OFFICER = Actor("wang", Role.DUTY_OFFICER, 7)
SUPERVISOR = Actor("li", Role.SUPERVISOR, 3)
START = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


@dataclass
class Station:
    stack: AlertStack
    clock: FakeClock
    data_dir: Path
    incident_id: int


def snapshot(data_dir: Path, name: str) -> str:
    """A real JPEG as the tagging writes it (1280x720), under the data folder."""
    image = Image.new("RGB", (1280, 720), (40, 90, 140))
    ImageDraw.Draw(image).rectangle((400, 200, 880, 520), fill=(220, 180, 60))
    path = data_dir / "snapshots" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=85)
    return f"snapshots/{name}"


def add_sighting(stack: AlertStack, frame_time: dt.datetime, entry_id: int | None,
                 snapshot_path: str, junction: str = "X12 / 主路") -> int:
    with stack.sessions.begin() as session:
        row = SightingRow(watch_entry_id=entry_id, camera_name="北门 North gate",
                          junction=junction, frame_time=frame_time, seq=1, operator="wang",
                          snapshot_path=snapshot_path,
                          snapshot_sha256=hashlib.sha256(b"x").hexdigest(),
                          created_at=frame_time)
        session.add(row)
        session.flush()
        return int(row.id)


def caught_in_47_minutes(stack: AlertStack, clock: FakeClock, data_dir: Path,
                         tmp_path: Path) -> int:
    """From a sighting to caught: two teams, acks by phone and radio, on scene at 30 min,
    a note, an evidence package, a second sighting whose snapshot file is gone."""
    incidents = stack.core.incidents
    with stack.sessions.begin() as session:
        entry = WatchEntryRow(kind="person", category="wanted", name="张三 Zhang San")
        session.add(entry)
        session.flush()
        entry_id = entry.id
    sighting_id = add_sighting(stack, START - dt.timedelta(seconds=10), entry_id,
                               snapshot(data_dir, "1.jpg"))
    incident = incidents.create_from_sighting(OFFICER, sighting_id)
    clock.advance(minutes=1)
    content = sample_content(tmp_path, frame_time=START - dt.timedelta(seconds=10))
    stack.service.send(OFFICER, sighting_id, content)
    clock.advance(minutes=2)
    incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, How.PHONE,
                     stack.team_id("community"), "Li Wei")
    clock.advance(minutes=4, seconds=30)
    incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, How.RADIO,
                     stack.team_id("case"), "Sgt Liu")
    clock.advance(minutes=10)
    later = add_sighting(stack, clock(), entry_id, "snapshots/gone.jpg", junction="南门")
    incidents.link(OFFICER, incident.id, LinkKind.SIGHTING, later)
    clock.advance(minutes=12, seconds=30)
    incidents.record(OFFICER, incident.id, State.ON_SCENE, How.RADIO, stack.team_id("case"))
    clock.advance(minutes=10)
    incidents.link(OFFICER, incident.id, LinkKind.EVIDENCE_PACKAGE,
                   ref="EV-JX-2026-0001.zip")
    clock.advance(minutes=7)
    incidents.add_note(OFFICER, incident.id, "嫌疑人在汽车站被控制 Suspect held at the bus station")
    incidents.resolve(OFFICER, incident.id, Outcome.CAUGHT, How.RADIO, "Sgt Liu")
    return incident.id


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    clock = FakeClock(START)
    stack = make_stack(tmp_path / "reports.db", clock=clock, sighting_fk=True,
                       audit_factory=AuditTrail)
    data_dir = stack.core.paths.data_dir
    incident_id = caught_in_47_minutes(stack, clock, data_dir, tmp_path)
    clock.advance(hours=2)
    yield Station(stack, clock, data_dir, incident_id)
    stack.close()


def pdf_text(path: Path) -> str:
    """The text as pdftotext reads it, whitespace made single spaces."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


def fonts_embedded(path: Path) -> list[tuple[str, str]]:
    """(font name, emb) for every font pdffonts lists."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    # name type encoding emb sub uni object ID: the emb column is 5th from the end.
    return [(line.split()[0], line.split()[-5]) for line in lines if line.strip()]


def render_page_one(path: Path, out_prefix: Path, resolution: int = 50) -> Path:
    subprocess.run(["pdftoppm", "-r", str(resolution), "-png", "-f", "1", "-l", "1",
                    "-singlefile", str(path), str(out_prefix)], check=True,
                   capture_output=True)
    return out_prefix.with_suffix(".png")
