"""General recording settings from the console: one shared object, audited, saved, swept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow
from commandroom.auth.permissions import Actor, PermissionDenied, Role
from commandroom.config import Paths, RecordingSettings, Settings, load_settings, save_settings
from commandroom.recording.configuration import RecordingConfiguration
from commandroom.recording.retention import RetentionError
from commandroom.recording.service import RecordingSystem
from tests.unit.recording.conftest import RecStack

ADMIN = Actor("admin", Role.ADMINISTRATOR, 1)
DUTY = Actor("li", Role.DUTY_OFFICER, 2)


@pytest.fixture
def setup(stack: RecStack, tmp_path: Path) -> Iterator[tuple[RecordingConfiguration,
                                                             Settings, Paths, list[str]]]:
    paths = Paths.resolve(tmp_path / "conf")
    paths.ensure()
    settings = Settings(recording=RecordingSettings(folder=str(stack.root)))
    system = RecordingSystem(stack.sessions, paths, settings.recording, stack.audit, stack.bus)
    calls: list[str] = []
    config = RecordingConfiguration(
        system, stack.audit, save=lambda: save_settings(paths, settings),
        applied=lambda: calls.append("swept"))
    yield config, settings, paths, calls
    system.close()


def _actions(stack: RecStack) -> list[str]:
    with stack.sessions() as session:
        return list(session.scalars(select(AuditEventRow.action).order_by(AuditEventRow.seq)))


def test_an_administrator_changes_them_for_every_part_audited_and_saved(
    stack: RecStack, setup: tuple[RecordingConfiguration, Settings, Paths, list[str]]
) -> None:
    config, settings, paths, calls = setup
    result = config.configure(ADMIN, 120.0, 14, 50.0, 12.0)
    assert (result.segment_s, result.keep_days, result.quota_gb, result.warn_hours) == (
        120.0, 14, 50.0, 12.0)
    shared = settings.recording
    assert (shared.segment_s, shared.keep_days, shared.quota_gb) == (120.0, 14, 50.0)
    assert config._system.parts.retention.settings is shared
    assert config._system.parts.retention.quota_bytes == 50 * 1024**3
    assert _actions(stack) == ["recording.retention_settings", "recording.segment_length"]
    assert load_settings(paths).recording.keep_days == 14
    assert calls == ["swept"]


def test_others_are_refused_and_bad_values_change_nothing(
    stack: RecStack, setup: tuple[RecordingConfiguration, Settings, Paths, list[str]]
) -> None:
    config, settings, paths, calls = setup
    with pytest.raises(PermissionDenied):
        config.configure(DUTY, 60.0, 1, 0.0, 24.0)
    with pytest.raises(RetentionError, match="segment_s"):
        config.configure(ADMIN, 0.1, 30, 0.0, 24.0)
    with pytest.raises(RetentionError, match="keep_days"):
        config.configure(ADMIN, 60.0, 0, 0.0, 24.0)
    assert config.current().keep_days == 30 and settings.recording.segment_s == 60.0
    assert calls == [] and not paths.settings_file.exists()
    assert "recording.retention_settings" not in _actions(stack)
