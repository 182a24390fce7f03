"""The registry's in-memory copy of cameras, groups and their stored credentials.

Tile painting, the tree's state dots and every wall lookup ask for cameras many times a
second on the GUI thread; none of that may wait for the database (a write elsewhere can
hold SQLite for its whole busy timeout). The registry reads from this snapshot and
reloads it right after each of its own writes commit, on the thread that wrote (the
UI's background executor), before it publishes ``CamerasChanged``: whoever reacts to
the event already reads the new state.

A camera changed by another process (the command line while the console runs) shows
after the next change made here, or the next start.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commandroom.cameras.registry import Camera, Group


@dataclass(frozen=True)
class Snapshot:
    """Everything the registry answers without the database; replaced whole, never
    changed, so a reader on any thread sees one consistent state."""

    cameras: tuple[Camera, ...] = ()  # ordered by name, as the registry lists them
    groups: tuple[Group, ...] = ()  # ordered by position, then name
    # credential reference -> (user, password): stream specs and ONVIF endpoints are
    # built from memory; the video engine holds these in memory anyway once it plays.
    credentials: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_id: dict[int, Camera] = field(default_factory=dict)


class CameraDirectory:
    """Holds the current :class:`Snapshot`; ``reload`` replaces it from the database."""

    def __init__(self, load: Callable[[], Snapshot]) -> None:
        self._load = load
        self._lock = threading.Lock()  # two writers reloading must not install an older copy
        self._snapshot = Snapshot()
        self.reloads = 0

    def reload(self) -> None:
        with self._lock:
            self._snapshot = self._load()
            self.reloads += 1

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot


def make_snapshot(cameras: list[Camera], groups: list[Group],
                  credentials: dict[str, tuple[str, str]]) -> Snapshot:
    return Snapshot(
        cameras=tuple(cameras), groups=tuple(groups), credentials=dict(credentials),
        by_id={c.id: c for c in cameras if c.id is not None})
