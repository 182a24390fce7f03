"""A small station for playback tests: the core on a test folder, with one camera."""

from __future__ import annotations

from pathlib import Path

from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera
from commandroom.config import Paths, Settings
from commandroom.runtime import Core, CoreHooks


class Station:
    """The core's database, registry, secrets, audit and playback sources; one camera."""

    def __init__(self, tmp_path: Path) -> None:
        self.core = Core(Paths.resolve(tmp_path / "station"), Settings(),
                         hooks=CoreHooks(keyring=None))
        self.sessions = self.core.sessions
        self.secrets = self.core.secrets
        self.audit = self.core.audit
        self.registry = self.core.registry
        self.sources = self.core.playback_sources
        self.camera = self.registry.add(
            SYSTEM, Camera(id=None, name="Gate", main_url="rtsp://127.0.0.1:1/live"),
            user="cam-user", password="cam-pass")

    def close(self) -> None:
        self.core.stop()
