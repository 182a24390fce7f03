from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.playback_station import Station


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    built = Station(tmp_path)
    yield built
    built.close()
