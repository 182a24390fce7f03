from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from commandroom.auth.permissions import Actor, Role
from tests.support.alert_core import AlertStack, FakeClock, make_stack

OFFICER = Actor("wang", Role.DUTY_OFFICER, 7)
SUPERVISOR = Actor("chen", Role.SUPERVISOR, 8)
VIEWER = Actor("guest", Role.VIEWER, 9)
ADMIN = Actor("root", Role.ADMINISTRATOR, 1)  # teams are the administrator's


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def stack(tmp_path: Path, clock: FakeClock) -> Iterator[AlertStack]:
    stack = make_stack(tmp_path / "alerts.db", clock=clock)
    yield stack
    stack.close()
