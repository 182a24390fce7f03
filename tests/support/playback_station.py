"""A small station for playback tests: database, secrets, audit, one camera, sources."""

from __future__ import annotations

from pathlib import Path

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.playback.store import PlaybackSources
from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key


class Station:
    """A database with one camera, its registry, secrets, audit and playback sources."""

    def __init__(self, tmp_path: Path) -> None:
        self.engine, self.sessions = open_database(f"sqlite:///{tmp_path / 'st.db'}")
        self.secrets = DatabaseSecretStore(self.sessions,
                                           load_or_create_key(tmp_path / "secret.key"))
        self.audit = AuditTrail(self.sessions)
        self.registry = CameraRegistry(self.sessions, self.secrets, EventBus(), self.audit)
        self.sources = PlaybackSources(self.sessions, self.secrets, self.audit)
        self.camera = self.registry.add(
            SYSTEM, Camera(id=None, name="Gate", main_url="rtsp://127.0.0.1:1/live"),
            user="cam-user", password="cam-pass")

    def close(self) -> None:
        self.engine.dispose()
