"""A viewer may watch video, nothing more: every watch-list and sighting method refuses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from commandroom.auth.permissions import PermissionDenied
from commandroom.sightings.records import CameraRef
from commandroom.sightings.service import SightingService
from commandroom.watchlist.records import EntryInput
from commandroom.watchlist.service import WatchlistService
from tests.unit.sightings.fakes import FakeHandle
from tests.unit.watchlist.support import DUTY, SUPERVISOR, VIEWER, RecordingAudit


def _calls(
    w: WatchlistService, s: SightingService, tmp: Path
) -> dict[str, Callable[[Any], object]]:
    handle = FakeHandle()
    handle.add_frame(1, 0.0)
    csv_file = tmp / "in.csv"
    csv_file.write_text("name\nx\n", "utf-8")
    return {
        "watchlist.get": lambda a: w.get(a, 1),
        "watchlist.search": lambda a: w.search(a, "x"),
        "watchlist.indexed": lambda a: w.indexed(a),
        "watchlist.create": lambda a: w.create(a, EntryInput(name="x")),
        "watchlist.edit": lambda a: w.edit(a, 1, EntryInput(name="y")),
        "watchlist.archive": lambda a: w.archive(a, 1),
        "watchlist.restore": lambda a: w.restore(a, 1),
        "watchlist.delete": lambda a: w.delete(a, 1),
        "watchlist.add_photo": lambda a: w.add_photo(a, 1, csv_file),
        "watchlist.preview_import": lambda a: w.preview_import(a, csv_file),
        "watchlist.import_csv": lambda a: w.import_csv(a, csv_file),
        "watchlist.export_csv": lambda a: w.export_csv(a, tmp / "out.csv"),
        "sightings.tag": lambda a: s.tag(a, handle, 1, CameraRef(None, "c"), 1),
        "sightings.get": lambda a: s.get(a, 1),
        "sightings.verify": lambda a: s.verify(a, 1),
        "sightings.latest": lambda a: s.latest(a),
        "sightings.timeline": lambda a: s.timeline(a, 1),
        "sightings.for_camera": lambda a: s.for_camera(a, 1),
        "sightings.trajectory": lambda a: s.trajectory(a, 1),
        "sightings.recover": lambda a: s.recover(a),
    }


def test_every_method_refuses_a_viewer(
    service: WatchlistService, sightings: SightingService, tmp_path: Path,
    audit: RecordingAudit,
) -> None:
    service.create(SUPERVISOR, EntryInput(name="target"))
    before = list(audit.events)
    calls = _calls(service, sightings, tmp_path)
    public = {f"watchlist.{n}" for n in dir(WatchlistService) if not n.startswith("_")}
    public |= {f"sightings.{n}" for n in dir(SightingService) if not n.startswith("_")}
    # Not actor-facing: the index hooks (and whether it is loaded), the in-transaction
    # helper other services use, waiting for clips at shutdown and the photo copy used by
    # import.
    internal = {"watchlist.warm_index", "watchlist.refresh_index", "watchlist.reload_index",
                "watchlist.index_ready",
                "watchlist.create_unknown_in",
                "watchlist.store_photo", "sightings.wait_for_clips"}
    assert public - internal == set(calls)
    for name, call in calls.items():
        with pytest.raises(PermissionDenied):
            call(VIEWER)
        assert audit.events == before, name
    assert not (tmp_path / "out.csv").exists()


def test_a_duty_officer_reads_and_tags_but_does_not_edit_or_export(
    service: WatchlistService, sightings: SightingService, tmp_path: Path
) -> None:
    entry = service.create(SUPERVISOR, EntryInput(name="target"))
    calls = _calls(service, sightings, tmp_path)
    assert calls["watchlist.get"](DUTY) == entry
    assert calls["sightings.tag"](DUTY) is not None
    for name in ("watchlist.create", "watchlist.edit", "watchlist.archive", "watchlist.delete",
                 "watchlist.import_csv", "watchlist.export_csv", "sightings.recover"):
        with pytest.raises(PermissionDenied):
            calls[name](DUTY)
