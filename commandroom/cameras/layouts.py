"""Grid layouts: presets, custom spans, and named layouts saved in the database."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commandroom.auth.guard import requires
from commandroom.auth.permissions import Actor, Permission, require
from commandroom.cameras.models import LayoutRow
from commandroom.cameras.tours import Tour


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1


@dataclass(frozen=True)
class GridSpec:
    rows: int
    cols: int
    cells: tuple[Cell, ...]

    @property
    def size(self) -> int:
        return len(self.cells)


def uniform(n: int) -> GridSpec:
    return GridSpec(n, n, tuple(Cell(r, c) for r in range(n) for c in range(n)))


def big_plus(n_small_side: int) -> GridSpec:
    """One big tile top-left spanning (k-1)x(k-1) plus a ring of small ones: 6 = 1+5, 8 = 1+7."""
    k = n_small_side
    cells = [Cell(0, 0, k - 1, k - 1)]
    cells += [Cell(r, k - 1) for r in range(k - 1)]
    cells += [Cell(k - 1, c) for c in range(k)]
    return GridSpec(k, k, tuple(cells))


def four_big_plus_small() -> GridSpec:
    """A big wall: four 2x2 tiles filling the top-left 4x4 block of a 6x6 grid, and 20
    single cells around them (the right two columns, the bottom two rows).

    Every cell stays 16:9 on a 16:9 screen. On a 3840x2160 wall the big tiles are about
    1280x720, wider than ``main_stream_min_width`` (960), so they play the cameras' 1080p
    main streams; the small ones are about 640x360, the usual sub stream, shown 1:1 (one
    cell narrower than 960 on any wall up to 5760 px wide). Six columns is the least that
    gives four big tiles twice the small tiles' width, ``big_plus`` style.
    """
    cells = [Cell(r, c, 2, 2) for r in (0, 2) for c in (0, 2)]
    cells += [Cell(r, c) for r in range(4) for c in (4, 5)]
    cells += [Cell(r, c) for r in (4, 5) for c in range(6)]
    return GridSpec(6, 6, tuple(cells))


BIG_WALL = "4+20"  # preset name: 4 big tiles + 20 small

PRESETS: dict[str, GridSpec] = {
    "1": uniform(1),
    "4": uniform(2),
    "6": big_plus(3),
    "8": big_plus(4),
    "9": uniform(3),
    "16": uniform(4),
    "25": uniform(5),
    BIG_WALL: four_big_plus_small(),
}


def smallest_preset_for(n: int) -> str:
    for name in ("1", "4", "9", "16", "25"):
        if PRESETS[name].size >= n:
            return name
    side = 6
    while side * side < n:
        side += 1
    return f"custom:{side}x{side}"


def spec_for(name: str) -> GridSpec:
    """A preset by name, or ``custom:RxC`` for a uniform custom grid."""
    if name in PRESETS:
        return PRESETS[name]
    if name.startswith("custom:"):
        rows, _, cols = name.removeprefix("custom:").partition("x")
        r, c = int(rows), int(cols)
        if not (1 <= r <= 12 and 1 <= c <= 12):
            raise ValueError("a custom grid has 1 to 12 rows and columns")
        return GridSpec(r, c, tuple(Cell(i, j) for i in range(r) for j in range(c)))
    raise ValueError(f"unknown layout {name!r}")


@dataclass
class LayoutState:
    """What a grid shows: its grid and which camera sits in each cell (None = empty)."""

    grid: str = "4"
    cameras: list[int | None] = field(default_factory=list)
    custom_cells: list[Cell] | None = None
    tour: Tour | None = None  # a running tour is part of what a grid shows

    def to_json(self) -> str:
        data = asdict(self)
        if self.tour is not None:
            data["tour"]["camera_ids"] = list(self.tour.camera_ids)
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> LayoutState:
        data = json.loads(text)
        cells = data.get("custom_cells")
        tour = data.get("tour")
        return cls(
            grid=str(data.get("grid", "4")),
            cameras=[c if isinstance(c, int) else None for c in data.get("cameras", [])],
            custom_cells=[Cell(**c) for c in cells] if cells else None,
            tour=Tour(tuple(tour["camera_ids"]), float(tour["dwell_s"]), tour["tile_index"])
            if tour else None,
        )

    def grid_spec(self) -> GridSpec:
        if self.custom_cells:
            rows = max(c.row + c.row_span for c in self.custom_cells)
            cols = max(c.col + c.col_span for c in self.custom_cells)
            return GridSpec(rows, cols, tuple(self.custom_cells))
        return spec_for(self.grid)


class LayoutStore:
    """Current and named layouts per scope ('console', 'wall'). Anyone who may watch may
    arrange tiles; changing what the wall shows needs CONTROL_WALL."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @requires(Permission.VIEW_VIDEO)
    def save_current(self, actor: Actor, scope: str, state: LayoutState) -> None:
        _check_scope(actor, scope)
        with self._sessions.begin() as s:
            row = s.scalar(select(LayoutRow).where(LayoutRow.scope == scope,
                                                   LayoutRow.is_current.is_(True)))
            if row is None:
                s.add(LayoutRow(name="", scope=scope, spec=state.to_json(), is_current=True))
            else:
                row.spec = state.to_json()

    @requires(Permission.VIEW_VIDEO)
    def load_current(self, actor: Actor, scope: str) -> LayoutState | None:
        with self._sessions() as s:
            spec = s.scalar(select(LayoutRow.spec).where(LayoutRow.scope == scope,
                                                         LayoutRow.is_current.is_(True)))
        return LayoutState.from_json(spec) if spec else None

    @requires(Permission.VIEW_VIDEO)
    def save_named(self, actor: Actor, scope: str, name: str, state: LayoutState) -> None:
        _check_scope(actor, scope)
        name = name.strip()
        if not name:
            raise ValueError("a named layout needs a name")
        with self._sessions.begin() as s:
            row = s.scalar(select(LayoutRow).where(LayoutRow.scope == scope,
                                                   LayoutRow.name == name,
                                                   LayoutRow.is_current.is_(False)))
            if row is None:
                s.add(LayoutRow(name=name, scope=scope, spec=state.to_json(), is_current=False))
            else:
                row.spec = state.to_json()

    @requires(Permission.VIEW_VIDEO)
    def named(self, actor: Actor, scope: str) -> dict[str, LayoutState]:
        with self._sessions() as s:
            rows = s.execute(select(LayoutRow.name, LayoutRow.spec).where(
                LayoutRow.scope == scope, LayoutRow.is_current.is_(False)
            ).order_by(LayoutRow.name)).all()
        return {row.name: LayoutState.from_json(row.spec) for row in rows}

    @requires(Permission.VIEW_VIDEO)
    def delete_named(self, actor: Actor, scope: str, name: str) -> None:
        _check_scope(actor, scope)
        with self._sessions.begin() as s:
            for row in s.scalars(select(LayoutRow).where(LayoutRow.scope == scope,
                                                         LayoutRow.name == name,
                                                         LayoutRow.is_current.is_(False))):
                s.delete(row)


def _check_scope(actor: Actor, scope: str) -> None:
    if scope == "wall":
        require(actor, Permission.CONTROL_WALL)


def merge_cell(spec: GridSpec, index: int, direction: str) -> tuple[tuple[Cell, ...], list[int]]:
    """Grow cell ``index`` by one column ("right") or row ("down"), absorbing the cells it
    then covers. Returns the new cells and, for each, the index of the old cell it came
    from (so cameras follow). Raises ValueError when the grow would cut a cell in two."""
    cell = spec.cells[index]
    if direction == "right":
        grown = Cell(cell.row, cell.col, cell.row_span, cell.col_span + 1)
    elif direction == "down":
        grown = Cell(cell.row, cell.col, cell.row_span + 1, cell.col_span)
    else:
        raise ValueError(f"direction must be 'right' or 'down', not {direction!r}")
    if grown.col + grown.col_span > spec.cols or grown.row + grown.row_span > spec.rows:
        raise ValueError("the tile is already at the edge of the grid")

    def inside(c: Cell) -> bool:
        return (grown.row <= c.row and c.row + c.row_span <= grown.row + grown.row_span
                and grown.col <= c.col and c.col + c.col_span <= grown.col + grown.col_span)

    def overlaps(c: Cell) -> bool:
        return not (c.row >= grown.row + grown.row_span or c.row + c.row_span <= grown.row
                    or c.col >= grown.col + grown.col_span or c.col + c.col_span <= grown.col)

    cells: list[Cell] = []
    origin: list[int] = []
    for i, c in enumerate(spec.cells):
        if i == index:
            cells.append(grown)
        elif inside(c):
            continue  # absorbed into the grown tile
        elif overlaps(c):
            raise ValueError("that would cut another tile in two")
        else:
            cells.append(c)
        origin.append(i)
    return tuple(cells), origin
