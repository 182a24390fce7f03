"""The composition root itself: it builds on an empty data folder, starts and stops its
workers without leaving a thread, stops twice harmlessly, survives a failing stop step,
and builds for an administrator command only what the command asks for."""

from __future__ import annotations

import argparse
import io
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from commandroom import cli
from commandroom.auth.permissions import SYSTEM
from commandroom.camera_events.model import EventSource
from commandroom.camera_events.views import CameraEventStored
from commandroom.cameras.registry import Camera
from commandroom.config import Paths, Settings
from commandroom.runtime import PARTS, Core, CoreStopped, DataFolderInUse, open_core
from commandroom.runtime.hooks import CoreHooks
from commandroom.watchlist.records import EntryInput
from tests.unit.camera_events.fakes import FakeDevice

WORKERS = {"alert-dispatcher", "alert-ack-http", "recording-housekeeper",
           "camera-events-writer"}


def _settings() -> Settings:
    settings = Settings()
    settings.alerts.ack_port = 0  # the default port may be in use by another test run
    return settings


def _thread_names() -> set[str]:
    return {t.name for t in threading.enumerate() if t.is_alive()}


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths.resolve(tmp_path / "data")


@pytest.fixture
def core(paths: Paths) -> Iterator[Core]:
    made = open_core(paths, _settings())
    yield made
    made.stop()


def test_it_builds_every_part_on_an_empty_data_folder(core: Core, paths: Paths) -> None:
    assert [part for part in PARTS if not core.built(part)] == []
    assert paths.database_file.exists()
    assert (paths.data_dir / "secret.key").exists()  # no OS keyring on the test machine
    assert paths.recordings_dir.is_dir()  # the recording system's start-up recovery ran
    assert core.alerting.ack_server is not None and core.alerting.problem == ""
    # One object of each: the services share the same bus, database and audit sink.
    assert core.alerting.teams.list_teams() and core.registry.cameras(SYSTEM) == []


def test_the_plate_matcher_costs_nothing_until_a_plate_is_read(core: Core) -> None:
    assert core.built("plates") and not core.plates.ready
    assert not core.watchlist.index_ready  # nor did it load the watch list for it
    van = core.watchlist.create(SYSTEM, EntryInput(kind="vehicle", plate="鄂G·12345"))
    assert [(m.entry.id, m.score) for m in core.plates.match("鄂G1Z345")] == [(van.id, 0.9)]
    core.watchlist.archive(SYSTEM, van.id)  # the one event bus links them
    assert core.plates.match("鄂G12345") == []


def test_start_runs_the_workers_and_stop_ends_every_thread(core: Core) -> None:
    before = _thread_names()
    assert "onvif-loop" in before  # the ONVIF loop runs from the moment it is built
    core.start()
    assert _thread_names() >= WORKERS
    core.stop()
    assert not (WORKERS | {"onvif-loop"}) & _thread_names()


def test_stop_twice_does_nothing_more(
        core: Core, caplog: pytest.LogCaptureFixture) -> None:
    core.start()
    core.stop()
    with caplog.at_level(logging.DEBUG, "commandroom"):
        caplog.clear()
        core.stop()
    assert caplog.records == []  # nothing joined, closed or disposed a second time


def test_nothing_is_opened_again_after_stop(paths: Paths) -> None:
    core = Core(paths, _settings())
    assert core.events is core.events  # an in-memory part, built once, before stop
    core.stop()
    for part in ("sessions", "hub", "onvif"):  # the database, reader and loop threads
        with pytest.raises(CoreStopped):
            getattr(core, part)


def test_a_failing_stop_step_is_logged_and_the_rest_still_stop(
        core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    core.start()

    def broken_close() -> None:
        raise RuntimeError("a reader would not let go")

    monkeypatch.setattr(core.hub, "close", broken_close)
    with caplog.at_level(logging.ERROR, "commandroom.runtime.core"):
        core.stop()
    assert "stopping stream hub failed" in caplog.text
    assert not (WORKERS | {"onvif-loop"}) & _thread_names()  # the later steps still ran


def test_a_worker_that_cannot_start_stops_the_ones_that_did(
        core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise OSError("no more threads")

    monkeypatch.setattr(core.alerting.mqtt_acks, "start", refuse)  # the last of the steps
    with pytest.raises(OSError, match="no more threads"):
        core.start()
    assert not (WORKERS | {"onvif-loop"}) & _thread_names()


def test_a_second_core_on_the_same_folder_is_refused_before_it_touches_anything(
        core: Core, paths: Paths) -> None:
    """Its start-up recovery would take the first one's live recordings for a crash's
    debris: refused first, with nothing built, no thread and no port."""
    core.start()
    before = _thread_names()
    second = Core(paths, _settings())
    with pytest.raises(DataFolderInUse):
        second.open()
    assert [part for part in PARTS if second.built(part)] == []
    assert _thread_names() == before
    second.stop()
    core.stop()  # lets the folder go: the next console opens it
    third = open_core(paths, _settings())
    third.stop()


def test_a_core_asked_for_nothing_opens_nothing(paths: Paths) -> None:
    core = Core(paths, _settings())
    core.stop()
    assert not paths.data_dir.exists()


def test_an_administrator_command_builds_only_what_it_uses_and_starts_no_thread(
        paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_REGISTRY", dict(cli._REGISTRY))
    seen: dict[str, object] = {}

    @cli.subcommand("probe core", "what a command's core holds while it runs")
    def probe(cmd: cli.CommandRun, args: argparse.Namespace) -> int:
        before = _thread_names()
        cmd.core.auth.needs_bootstrap()
        cmd.core.watchlist.search(cmd.actor, "zhang")
        seen["built"] = [part for part in PARTS if cmd.core.built(part)]
        seen["new threads"] = _thread_names() - before
        seen["core"] = cmd.core
        return 0

    out = io.StringIO()
    assert cli.run(["probe", "core"], paths=paths, out=out, err=io.StringIO()) == 0
    assert seen["built"] == ["sessions", "events", "audit", "audit_sink", "watchlist", "auth"]
    assert seen["new threads"] == set()
    core = seen["core"]
    assert isinstance(core, Core)
    with pytest.raises(CoreStopped):  # the command's end stopped it
        _ = core.hub


def test_reading_incidents_builds_no_alerting_and_binds_no_port(paths: Paths) -> None:
    """A report beside the running app read incidents through a core that built alerting,
    whose ack endpoint binds its port at once: "address in use" logged as an ERROR."""
    core = Core(paths, _settings())
    try:
        assert core.incidents.list(SYSTEM) == []
        assert not core.built("alerting")
    finally:
        core.stop()


def test_camera_events_flow_from_a_camera_to_a_card_and_stop_with_the_core(
        paths: Paths) -> None:
    device = FakeDevice(0)
    core = open_core(paths, _settings(),
                     hooks=CoreHooks(event_clients={EventSource.ISAPI: device.client}))
    try:
        stored: list[CameraEventStored] = []
        both = threading.Event()
        core.events.subscribe(CameraEventStored,
                              lambda e: (stored.append(e), len(stored) == 2 and both.set()))
        core.watchlist.create(SYSTEM, EntryInput(kind="vehicle", plate="鄂A00002"))
        camera = core.registry.add(SYSTEM, Camera(None, "Gate", "rtsp://127.0.0.1:8554/gate",
                                                  event_source="isapi"))
        assert camera.id is not None
        device.camera_id = camera.id
        device.connections = [device.events(2)]  # 鄂A00001, then 鄂A00002 (on the list)
        core.start()
        assert f"camera-events-{camera.id}-isapi" in _thread_names()
        assert both.wait(10.0)
        # Each read is a card: the first as a one-character misread of the second.
        assert [(s.plate_read, s.score) for s in core.suggestions.pending(SYSTEM)] == [
            ("鄂A00001", 0.7), ("鄂A00002", 1.0)]
    finally:
        core.stop()
    assert not {n for n in _thread_names() if n.startswith("camera-events")}
