"""The officer's fastest path: T → type → Enter on a live tile, in 4 key presses."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from commandroom.auth.permissions import SYSTEM, Actor, Role
from commandroom.config import Settings
from commandroom.sightings.events import SightingClipReady
from commandroom.sightings.records import SightingView
from commandroom.video.worker_pool import (
    AUTO_READER_PROCESSES,
    READER_PROCESSES_ENV,
    auto_reader_processes,
)
from commandroom.watchlist.records import Category, EntryInput, Kind, Risk, SearchHit
from tests.ui.conftest import AppFactory
from ui.tagging.tag_dialog import candidate_text


def probe_duration(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                          "-of", "json", str(path)], capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout)["format"]["duration"])


# Readers in the app's process (0), and as the app starts by default: in worker
# processes where the computer has 2 CPUs or more (the suite's other tests pin threads,
# tests/conftest.py), the snapshot fetched and the clip's packets sent over the pipe.
@pytest.mark.parametrize("processes", [0, AUTO_READER_PROCESSES], ids=["threads", "default"])
def test_t_type_enter_saves_sighting_with_snapshot_and_clip(
    qtbot: QtBot, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    settings = Settings()
    settings.evidence.pre_seconds = 2.0
    settings.evidence.post_seconds = 2.0
    settings.video.reader_processes = processes
    if processes == AUTO_READER_PROCESSES:
        assert settings == Settings(evidence=settings.evidence)  # the default
        monkeypatch.delenv(READER_PROCESSES_ENV)
    app = make_app("--demo", settings=settings)
    pool = app.hub.worker_pool
    workers = len(pool.pids()) if pool is not None else 0
    assert workers == (0 if processes == 0 else auto_reader_processes(os.cpu_count()))
    entry = app.watchlist.create(SYSTEM, EntryInput(
        name="Zhang San", id_number="11010519491231002X", category=Category.WANTED,
        risk=Risk.HIGH, reason="theft"))
    console, grid = app.console, app.console.grid
    qtbot.waitUntil(lambda: grid.tiles[0].painted_seq > 60, timeout=20_000)  # > 2 s buffered
    console.activateWindow()
    qtbot.waitUntil(console.isActiveWindow)
    grid.select(grid.tiles[0])
    shown_seq = grid.tiles[0].painted_seq

    clip_ready = threading.Event()
    ready: list[SightingClipReady] = []
    app.events.subscribe(SightingClipReady, lambda e: (ready.append(e), clip_ready.set()))

    qtbot.keyClick(console, Qt.Key.Key_T)                      # 1
    dialog = app.tagging.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.query.hasFocus() or qtbot.waitUntil(dialog.query.hasFocus) is None
    qtbot.keyClicks(dialog.query, "Zh")                        # 2, 3
    assert dialog.chosen() == entry.id
    with qtbot.waitSignal(app.tagging.saved, timeout=10_000) as saved:
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)        # 4
    view: SightingView = saved.args[0]
    assert view.watch_entry_id == entry.id
    assert view.operator == app.actor.username
    assert view.seq >= shown_seq  # the frame the officer was looking at, frozen at T
    snapshot = app.paths.data_dir / view.snapshot_path
    assert hashlib.sha256(snapshot.read_bytes()).hexdigest() == view.snapshot_sha256
    assert clip_ready.wait(30), "the evidence clip was not finished"
    assert ready[0].status == "done", ready[0].error
    clip = app.paths.data_dir / ready[0].clip_path
    assert 3.0 <= probe_duration(clip) <= 6.5  # 2 s before + 2 s after, within a GOP
    result = app.sightings.verify(SYSTEM, view.id)
    assert (result.snapshot, result.clip) == ("verified", "verified")


def test_box_and_unknown_person_and_cancel(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    grid = app.console.grid
    qtbot.waitUntil(lambda: grid.tiles[1].painted_seq > 0, timeout=20_000)
    grid.select(grid.tiles[1])
    dialog = app.tagging.start_tag()
    assert dialog is not None
    dialog.resize(1200, 600)
    canvas = dialog.canvas
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=canvas.rect().center())
    qtbot.mouseMove(canvas, canvas.rect().center() + canvas.rect().center() / 4)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton,
                       pos=canvas.rect().center() + canvas.rect().center() / 4)
    assert canvas.box is not None and canvas.box.w > 8
    # nothing typed: the first choice opens a new file for an unknown person
    with qtbot.waitSignal(app.tagging.saved, timeout=10_000) as saved:
        dialog.save()
    view: SightingView = saved.args[0]
    assert view.box == canvas.box and view.watch_entry_id is not None
    assert app.watchlist.get(SYSTEM, view.watch_entry_id).category == "other"
    # a second tag, cancelled: nothing written
    before = len(app.sightings.latest(SYSTEM))
    second = app.tagging.start_tag()
    assert second is not None
    second.reject()
    assert len(app.sightings.latest(SYSTEM)) == before


def test_an_unknown_file_is_named_in_the_officers_language_and_local_time(
    chinese: None, qtbot: QtBot, make_app: AppFactory
) -> None:
    """Before: "Unknown person (Camera, 2026-11-29 10:31 UTC)" on a Chinese console."""
    app = make_app("--demo")  # in Chinese (the fixture), as main() builds it
    grid = app.console.grid
    qtbot.waitUntil(lambda: grid.tiles[1].painted_seq > 0, timeout=20_000)
    grid.select(grid.tiles[1])
    dialog = app.tagging.start_tag()
    assert dialog is not None
    with qtbot.waitSignal(app.tagging.saved, timeout=10_000) as saved:
        dialog.save()  # nothing typed: the first choice, a new unknown person
    view: SightingView = saved.args[0]
    assert view.watch_entry_id is not None
    name = app.watchlist.get(SYSTEM, view.watch_entry_id).name
    when = view.frame_time.astimezone().strftime("%Y-%m-%d %H:%M")
    assert name.startswith("身份不明人员（"), name
    assert view.camera_name in name and when in name and "UTC" not in name


def test_viewer_cannot_tag(qtbot: QtBot, make_app: AppFactory) -> None:
    app = make_app("--demo")
    app.actor = Actor("li", Role.VIEWER)
    assert app.tagging.start_tag() is None
    assert "may not tag" in app.console.statusBar().currentMessage()


@pytest.mark.integration
def test_tagging_a_live_rtsp_tile(qtbot: QtBot, make_app: AppFactory) -> None:
    """T → type → Enter on a tile of the real test RTSP server (H.264 over RTSP/TCP)."""
    from commandroom.cameras.registry import Camera
    from tests.support.rtsp import rtsp_server

    settings = Settings()
    settings.evidence.pre_seconds, settings.evidence.post_seconds = 1.0, 1.0
    with rtsp_server(live_mounts=1, clip_mounts=0) as server:
        app = make_app("--no-demo", settings=settings)
        camera = app.registry.add(SYSTEM, Camera(id=None, name="Toll gate",
                                                 main_url=server.url("live1")))
        entry = app.watchlist.create(SYSTEM, EntryInput(
            name="Zhou Qiang", category=Category.SUSPECT, risk=Risk.MEDIUM))
        grid, console = app.console.grid, app.console
        assert camera.id is not None
        grid.assign(0, camera.id)
        grid.select(grid.tiles[0])
        qtbot.waitUntil(lambda: grid.tiles[0].painted_seq > 50, timeout=20_000)
        console.activateWindow()
        qtbot.waitUntil(console.isActiveWindow)
        clip_ready = threading.Event()
        ready: list[SightingClipReady] = []
        app.events.subscribe(SightingClipReady, lambda e: (ready.append(e), clip_ready.set()))
        qtbot.keyClick(console, Qt.Key.Key_T)                       # 1
        dialog = app.tagging.dialog
        assert dialog is not None
        qtbot.keyClicks(dialog.query, "Zh")                         # 2, 3
        with qtbot.waitSignal(app.tagging.saved, timeout=10_000) as saved:
            qtbot.keyClick(dialog.query, Qt.Key.Key_Return)         # 4
        view: SightingView = saved.args[0]
        assert view.watch_entry_id == entry.id and view.camera_name == "Toll gate"
        assert clip_ready.wait(30) and ready[0].status == "done", ready
        assert 1.0 <= probe_duration(app.paths.data_dir / ready[0].clip_path) <= 4.5
        result = app.sightings.verify(SYSTEM, view.id)
        assert (result.snapshot, result.clip) == ("verified", "verified")
        app.shutdown()


def test_candidate_line_words_category_and_risk_and_says_the_plate_once() -> None:
    plate_only = SearchHit(id=1, kind=Kind.VEHICLE, label="鄂G·12345", id_number="",
                           plate="鄂G·12345", category=Category.WANTED, risk=Risk.HIGH,
                           archived=False)
    named = SearchHit(id=2, kind=Kind.VEHICLE, label="white van", id_number="",
                      plate="鄂G·54321", category=Category.SUSPECT, risk=Risk.MEDIUM,
                      archived=False)
    person = SearchHit(id=3, kind=Kind.PERSON, label="Zhang San",
                       id_number="11010519491231002X", plate="",
                       category=Category.MISSING_PERSON, risk=Risk.LOW, archived=False)
    assert candidate_text(plate_only) == "鄂G·12345  ·  Wanted  ·  High"
    assert candidate_text(named) == "white van  ·  Suspect  ·  Medium  ·  鄂G·54321"
    assert candidate_text(person) == \
        "Zhang San  ·  Missing person  ·  Low  ·  11010519491231002X"
