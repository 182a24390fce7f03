"""Reports: the time to write the incident report and the monthly report (PDF).

Run: .venv/bin/python -m bench.bench_reports [--runs 5] [--png DIR]

The incident: taken through the real services on a moved clock to 20 timeline items
(sightings with real 1280x720 JPEG snapshots, the alert, both teams sent to and
acknowledging, notes, an evidence package, on scene, caught). The month: November 2026 of
a station with ``--incidents`` incidents, ``--sightings`` sightings and ``--alerts``
alerts generated over 13 months (tests/support/statistics_data.py), so it has a last
month and a same month last year.

Each report is written ``--runs`` times in Chinese and in English; printed: the whole
write (reading, font, rendering, hashing, writing the file, the audit row) and that
without loading the font (``ReportWritten.font_seconds``), median and worst. ``--png``
renders page 1 of each Chinese report at 80 dpi (pdftoppm) for docs/screenshots.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from commandroom.audit.trail import AuditTrail
from commandroom.config import Paths, Settings
from commandroom.incidents import How, LinkKind, Outcome, State
from commandroom.reports import Lang, ReportWritten
from commandroom.runtime import Core, CoreHooks
from tests.support.alert_core import FakeClock, make_stack, sample_content
from tests.support.statistics_data import generate, insert_all
from tests.unit.reports.conftest import OFFICER, START, SUPERVISOR, add_sighting, snapshot


def _incident_of_20(root: Path) -> tuple[Core, int]:
    clock = FakeClock(START)
    stack = make_stack(root / "incident.db", clock=clock, sighting_fk=True,
                       audit_factory=AuditTrail)
    core, data_dir = stack.core, stack.core.paths.data_dir
    incidents = core.incidents
    first = add_sighting(stack, START - timedelta(seconds=10), None,
                         snapshot(data_dir, "s0.jpg"))
    incident = incidents.create_from_sighting(OFFICER, first)
    clock.advance(minutes=1)
    stack.service.send(OFFICER, first, sample_content(root, frame_time=START))
    clock.advance(minutes=2)
    incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, How.PHONE,
                     stack.team_id("community"), "Li Wei")
    clock.advance(minutes=3)
    incidents.record(OFFICER, incident.id, State.ACKNOWLEDGED, How.RADIO,
                     stack.team_id("case"), "Sgt Liu")
    for index in range(1, 6):  # the target seen again on the way, and the officer's notes
        clock.advance(minutes=3)
        later = add_sighting(stack, clock(), None, snapshot(data_dir, f"s{index}.jpg"),
                             junction=f"路口 {index}")
        incidents.link(OFFICER, incident.id, LinkKind.SIGHTING, later)
        incidents.add_note(OFFICER, incident.id, f"第 {index} 次报告：目标向南行驶")
    clock.advance(minutes=4)
    incidents.record(OFFICER, incident.id, State.ON_SCENE, How.RADIO, stack.team_id("case"))
    incidents.link(OFFICER, incident.id, LinkKind.EVIDENCE_PACKAGE, ref="EV-2026-0001.zip")
    clock.advance(minutes=10)
    incidents.resolve(OFFICER, incident.id, Outcome.CAUGHT, How.RADIO, "Sgt Liu")
    items = len(incidents.timeline(OFFICER, incident.id))
    assert items == 20, items
    return core, incident.id


def _month_of_data(root: Path, args: argparse.Namespace) -> Core:
    core = Core(Paths.resolve(root / "station"), Settings(),
                hooks=CoreHooks(keyring=None, audit_sink=AuditTrail))
    first = date(2025, 11, 1)
    data = generate(7, first, (date(2026, 12, 1) - first).days, incidents=args.incidents,
                    sightings=args.sightings, alerts=args.alerts)
    started = time.perf_counter()
    insert_all(core.sessions, data)
    print(f"station: {args.incidents:,} incidents, {args.sightings:,} sightings, "
          f"{args.alerts:,} alerts inserted in {time.perf_counter() - started:.1f} s")
    return core


def _report(name: str, times: list[ReportWritten]) -> None:
    whole = [t.total_seconds * 1000 for t in times]
    bare = [(t.total_seconds - t.font_seconds) * 1000 for t in times]
    font = [t.font_seconds * 1000 for t in times]
    print(f"{name:<22} whole {statistics.median(whole):6.0f} ms (worst {max(whole):4.0f})"
          f"   without the font {statistics.median(bare):5.0f} ms (worst {max(bare):4.0f})"
          f"   font {statistics.median(font):4.0f} ms   {times[-1].size / 1024:5.0f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--incidents", type=int, default=13_000)
    parser.add_argument("--sightings", type=int, default=130_000)
    parser.add_argument("--alerts", type=int, default=26_000)
    parser.add_argument("--png", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
        root = Path(folder)
        incident_core, incident_id = _incident_of_20(root)
        month_core = _month_of_data(root, args)
        try:
            for lang in Lang:
                out = root / f"incident-{lang}.pdf"
                _report(f"incident (20 items) {lang}", [
                    incident_core.reports.write_incident(SUPERVISOR, incident_id, lang, out)
                    for _ in range(args.runs)])
                month = root / f"monthly-{lang}.pdf"
                _report(f"monthly 2026-11 {lang}", [
                    month_core.reports.write_monthly(SUPERVISOR, date(2026, 11, 1), lang,
                                                     month)
                    for _ in range(args.runs)])
                if args.png is not None and lang is Lang.ZH_CN:
                    for pdf, name in ((out, "incident-report-zh"),
                                      (month, "monthly-report-zh")):
                        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1",
                                        "-singlefile", str(pdf), str(args.png / name)],
                                       check=True)
        finally:
            incident_core.stop()
            month_core.stop()


if __name__ == "__main__":
    main()
