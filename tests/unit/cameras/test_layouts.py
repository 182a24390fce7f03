from __future__ import annotations

import pytest

from commandroom.auth.permissions import SYSTEM as ADMIN
from commandroom.cameras.layouts import (
    BIG_WALL,
    PRESETS,
    Cell,
    LayoutState,
    LayoutStore,
    smallest_preset_for,
    spec_for,
)
from commandroom.cameras.registry import CameraRegistry
from commandroom.cameras.tours import Tour


def covered(name: str) -> set[tuple[int, int]]:
    spec = spec_for(name)
    cells: set[tuple[int, int]] = set()
    for c in spec.cells:
        for r in range(c.row, c.row + c.row_span):
            for k in range(c.col, c.col + c.col_span):
                assert (r, k) not in cells, "cells overlap"
                cells.add((r, k))
    return cells


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_tile_the_grid_exactly(name: str) -> None:
    spec = spec_for(name)
    assert spec.size == sum(int(part) for part in name.split("+"))  # "4+20": 24 tiles
    assert covered(name) == {(r, c) for r in range(spec.rows) for c in range(spec.cols)}


def test_big_wall_preset_has_four_big_tiles_twice_the_small_ones() -> None:
    spec = spec_for(BIG_WALL)
    big = [c for c in spec.cells if (c.row_span, c.col_span) == (2, 2)]
    small = [c for c in spec.cells if (c.row_span, c.col_span) == (1, 1)]
    assert (spec.rows, spec.cols) == (6, 6)  # 16:9 cells on a 16:9 wall
    assert len(big) == 4 and len(small) == 20 and spec.size == 24
    assert spec.cells[:4] == tuple(big)  # the big tiles come first: cameras 1-4
    assert {(c.row, c.col) for c in big} == {(0, 0), (0, 2), (2, 0), (2, 2)}


def test_custom_and_smallest() -> None:
    assert spec_for("custom:8x8").size == 64
    assert smallest_preset_for(3) == "4" and smallest_preset_for(10) == "16"
    assert smallest_preset_for(40) == "custom:7x7"
    with pytest.raises(ValueError):
        spec_for("custom:0x3")


def test_state_persists(registry: CameraRegistry) -> None:
    store = LayoutStore(registry._sessions)
    state = LayoutState(grid="6", cameras=[1, None, 3],
                        custom_cells=None, tour=Tour((1, 3), 8.0, None))
    store.save_current(ADMIN, "console", state)
    store.save_current(ADMIN, "console", state)
    assert store.load_current(ADMIN, "console") == state
    assert store.load_current(ADMIN, "wall") is None
    spans = LayoutState(grid="custom", cameras=[1, 2],
                        custom_cells=[Cell(0, 0, 2, 1), Cell(0, 1)])
    store.save_named(ADMIN, "console", "Night shift", spans)
    assert store.named(ADMIN, "console") == {"Night shift": spans}
    assert spans.grid_spec().rows == 2
    store.delete_named(ADMIN, "console", "Night shift")
    assert store.named(ADMIN, "console") == {}


def test_merge_cells_into_custom_spans() -> None:
    from commandroom.cameras.layouts import merge_cell

    spec = spec_for("9")
    cells, origin = merge_cell(spec, 0, "right")
    assert cells[0] == Cell(0, 0, 1, 2) and len(cells) == 8 and origin[:2] == [0, 2]
    grown = LayoutState(grid="custom", cameras=[], custom_cells=list(cells)).grid_spec()
    cells2, _ = merge_cell(grown, 0, "down")
    assert cells2[0] == Cell(0, 0, 2, 2) and len(cells2) == 6
    with pytest.raises(ValueError, match="edge"):
        merge_cell(spec, 2, "right")
    # a vertical span in column 1; growing tile (0,0) right would cut it in two
    tall, _ = merge_cell(spec, 1, "down")
    tall_spec = LayoutState(grid="custom", cameras=[], custom_cells=list(tall)).grid_spec()
    with pytest.raises(ValueError, match="cut"):
        merge_cell(tall_spec, 0, "right")
