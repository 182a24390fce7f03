from __future__ import annotations

import pytest

from commandroom.cameras.tours import Tour


def test_tile_tour_cycles_one_tile() -> None:
    tour = Tour((5, 6, 7), dwell_s=5, tile_index=2)
    assert [tour.assignment(s, 4) for s in range(4)] == [{2: 5}, {2: 6}, {2: 7}, {2: 5}]


def test_layout_tour_pages_and_pads() -> None:
    tour = Tour((1, 2, 3, 4, 5), dwell_s=5)
    assert tour.step_count(4) == 2
    assert tour.assignment(0, 4) == {0: 1, 1: 2, 2: 3, 3: 4}
    assert tour.assignment(1, 4) == {0: 5, 1: None, 2: None, 3: None}
    assert tour.assignment(2, 4) == tour.assignment(0, 4)


def test_bad_tours_are_refused() -> None:
    with pytest.raises(ValueError):
        Tour(())
    with pytest.raises(ValueError):
        Tour((1,), dwell_s=0.5)
