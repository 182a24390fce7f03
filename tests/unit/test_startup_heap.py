"""Freezing what a process made at start: garbage is collected first, the rest frozen."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from commandroom.startup_heap import freeze_startup_objects


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


@pytest.fixture
def unfrozen_after() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the test session collects as before


@pytest.mark.usefixtures("unfrozen_after")
def test_leftover_cycles_are_collected_and_live_objects_frozen() -> None:
    kept = _Node()
    kept.other = _Node()
    lost = _Node()
    lost.other = _Node()
    lost.other.other = lost  # a cycle only the collector can free
    gone = weakref.ref(lost)
    del lost
    assert gone() is not None
    assert any(o is kept for o in gc.get_objects())

    frozen = freeze_startup_objects()

    assert gone() is None, "a cycle left over from start-up was frozen instead of freed"
    assert frozen == gc.get_freeze_count() > 0
    # No generation holds it any more: no collection walks it again.
    assert not any(o is kept for o in gc.get_objects())
    made_after = _Node()
    assert any(o is made_after for o in gc.get_objects())
