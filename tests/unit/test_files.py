"""One rule for every file the app writes: after a whole shift's worth of writing, every
folder under the data folder (and the audit anchor folder) is 0700 and every file 0600."""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from commandroom.auth.permissions import SYSTEM, Actor, Role
from commandroom.cameras.csv_io import export_cameras_csv
from commandroom.cameras.registry import Camera
from commandroom.config import EvidenceSettings, Paths, Settings, VideoSettings, save_settings
from commandroom.files import copy_private, private_dir, write_private
from commandroom.logging_setup import configure_logging
from commandroom.runtime import CoreHooks, open_core
from commandroom.sightings.events import SightingClipReady
from commandroom.sightings.records import CameraRef, ClipStatus
from commandroom.video import StreamSpec
from commandroom.watchlist.records import EntryInput
from tests.unit.video.conftest import wait_until

SUPERVISOR = Actor("sam", Role.SUPERVISOR)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual desktop umask (022): what is private must be so by our doing."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def logs_restored() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _not_private(*roots: Path) -> list[str]:
    wrong = []
    for root in roots:
        for path in (root, *root.rglob("*")):
            mode = stat.S_IMODE(path.lstat().st_mode)
            want = 0o700 if path.is_dir() else 0o600
            if mode != want:
                wrong.append(f"{oct(mode)} {path.relative_to(root.parent)}")
    return sorted(wrong)


def test_a_shift_leaves_only_private_files_and_folders(
        data_dir: Path, private_audit_anchors: Path, tmp_path: Path, loose_umask: None,
        logs_restored: None) -> None:
    paths = Paths.resolve(data_dir)
    paths.ensure()
    configure_logging(paths.log_dir, console=False)
    logging.getLogger("commandroom.test").warning("a line in the log")
    settings = Settings(
        video=VideoSettings(open_timeout_s=2.0, read_timeout_s=2.0, idle_stop_s=0.3),
        evidence=EvidenceSettings(pre_seconds=0.5, post_seconds=0.3))
    settings.alerts.ack_port = 0
    # The whole core, crash recovery and all: every folder it makes is in the walk.
    core = open_core(paths, settings, hooks=CoreHooks(keyring=None))
    hub, audit, registry, watchlist = core.hub, core.audit, core.registry, core.watchlist
    try:
        registry.add(SYSTEM, Camera(id=None, name="Gate", main_url="rtsp://op:pw@127.0.0.1/g"))
        photo = tmp_path / "face.jpg"
        photo.write_bytes(b"\xff\xd8 a face \xff\xd9")
        entry = watchlist.create(SUPERVISOR, EntryInput(name="张伟"))
        watchlist.add_photo(SUPERVISOR, entry.id, photo)

        # Tag a sighting on a real stream: the snapshot, and the clip cut by the engine.
        clip_recorded = threading.Event()
        core.events.subscribe(SightingClipReady, lambda _event: clip_recorded.set())
        sightings = core.sightings
        handle = hub.subscribe(StreamSpec("demo://gate?w=320&h=180&fps=25&gop=0.5"), (160, 90))
        assert wait_until(lambda: handle.slot.seq >= 30, timeout=10)
        view = sightings.tag(SUPERVISOR, handle, None, CameraRef(None, "Gate", "East"), entry.id)
        assert clip_recorded.wait(timeout=15)  # cut, renamed, hashed and in the row
        [latest] = sightings.latest(SUPERVISOR)
        assert (latest.id, latest.clip_status) == (view.id, ClipStatus.DONE)
        handle.release()

        exports = paths.data_dir / "exports"  # where the officer chose; new folders ours
        watchlist.export_csv(SUPERVISOR, exports / "list.csv", exports / "photos")
        audit.export_csv(SUPERVISOR, exports / "audit" / "audit.csv")
        write_private(exports / "cameras.csv", export_cameras_csv(registry, SYSTEM).encode())
        copy_private(photo, exports / "snapshots" / "copy.jpg")
        save_settings(paths, Settings())
        logging.getLogger("commandroom.test").warning("and another after a rollover")
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.handlers.RotatingFileHandler):
                handler.doRollover()
        logging.getLogger("commandroom.test").warning("the new log file")
    finally:
        core.stop()

    written = {p.relative_to(paths.data_dir).parts[0] for p in paths.data_dir.rglob("*")}
    assert {"evidence", "watchlist", "exports", "logs", "commandroom.db", "secret.key",
            "settings.toml"} <= written
    assert list((paths.data_dir / "evidence").rglob("*.mp4"))  # the clip is in the walk
    assert list((paths.data_dir / "logs").glob("commandroom.log.1"))
    assert _not_private(paths.data_dir, private_audit_anchors) == []


def test_an_existing_folder_chosen_by_the_officer_is_left_as_it_is(
        tmp_path: Path, loose_umask: None) -> None:
    chosen = tmp_path / "usb"
    chosen.mkdir(mode=0o755)
    private_dir(chosen / "2026" / "11")
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o755
    assert stat.S_IMODE((chosen / "2026").stat().st_mode) == 0o700
    assert stat.S_IMODE((chosen / "2026" / "11").stat().st_mode) == 0o700
