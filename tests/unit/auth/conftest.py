from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from commandroom.auth.permissions import Actor
from tests.unit.auth.fixtures import ADMIN_PASSWORD, Stack, make_stack


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    built = make_stack(tmp_path)
    yield built
    built.engine.dispose()


@pytest.fixture
def admin(stack: Stack) -> Actor:
    return stack.auth.bootstrap_admin("admin", ADMIN_PASSWORD, "Station Admin")
