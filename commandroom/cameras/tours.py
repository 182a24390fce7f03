"""Tours: a tile, or a whole layout, cycles through a list of cameras with a dwell time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tour:
    camera_ids: tuple[int, ...]
    dwell_s: float = 10.0
    tile_index: int | None = None  # None: the whole layout pages through the cameras

    def __post_init__(self) -> None:
        if not self.camera_ids:
            raise ValueError("a tour needs at least one camera")
        if self.dwell_s < 2:
            raise ValueError("a tour dwells at least 2 s on each step")

    def step_count(self, tiles: int) -> int:
        if self.tile_index is not None:
            return len(self.camera_ids)
        return max(1, -(-len(self.camera_ids) // max(1, tiles)))

    def assignment(self, step: int, tiles: int) -> dict[int, int | None]:
        """Tile index → camera id for ``step`` (steps wrap around)."""
        if self.tile_index is not None:
            return {self.tile_index: self.camera_ids[step % len(self.camera_ids)]}
        page = step % self.step_count(tiles)
        chunk = self.camera_ids[page * tiles:(page + 1) * tiles]
        return {i: (chunk[i] if i < len(chunk) else None) for i in range(tiles)}
