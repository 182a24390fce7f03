"""Where "play camera X from moment T" goes: the replay controller, once it is wired.

The timeline (a click, a drag, "Go to time") and the sighting lists ("Play at this
moment") only know this callable; the composition root connects it to the replay on the
tiles. Until something is connected a request plays nothing and the caller says so.
"""

from __future__ import annotations

from collections.abc import Callable

PlayAt = Callable[[int, float], None]  # camera id, wall-clock moment (epoch seconds)


class PlayTarget:
    def __init__(self, target: PlayAt | None = None) -> None:
        self._target = target

    def connect(self, target: PlayAt | None) -> None:
        self._target = target

    @property
    def connected(self) -> bool:
        return self._target is not None

    def __call__(self, camera_id: int, moment: float) -> bool:
        """False: nothing plays recordings yet (the caller tells the officer)."""
        if self._target is None:
            return False
        self._target(camera_id, moment)
        return True
