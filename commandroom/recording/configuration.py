"""The general recording settings as the administrator changes them at the console.

One object holds them for the whole process: ``Settings.recording``, shared by the
recording system, its retention service, the recorders and the housekeeper. A change is
made to that object in place (so every part sees it at once), audited, written to
settings.toml, and followed by a sweep (a lower keep_days or quota applies now, not at
the next tick). The segment length applies to files the recorders start from then on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from commandroom.audit.api import AuditSink
from commandroom.auth.guard import open_access, requires
from commandroom.auth.permissions import Actor, Permission
from commandroom.recording.retention import RetentionError, RetentionService
from commandroom.recording.segmenter import MIN_SEGMENT_S
from commandroom.recording.service import RecordingSystem

MAX_SEGMENT_S = 3600.0


@dataclass(frozen=True)
class GeneralRecording:
    segment_s: float
    keep_days: int
    quota_gb: float  # 0: no quota
    warn_hours: float
    folder: Path  # where recordings are written (settings.toml; not changed here)


class RecordingConfiguration:
    def __init__(self, system: RecordingSystem, audit: AuditSink,
                 save: Callable[[], None], applied: Callable[[], None] = lambda: None) -> None:
        """``save`` writes settings.toml; ``applied`` runs after a change (a sweep)."""
        self._system = system
        self._audit = audit
        self._save = save
        self._applied = applied

    @open_access("the general recording settings: every operator sees them read-only; "
                 "they reveal no footage")
    def current(self) -> GeneralRecording:
        settings = self._system.settings
        return GeneralRecording(settings.segment_s, settings.keep_days, settings.quota_gb,
                                settings.warn_hours, self._system.root)

    @requires(Permission.MANAGE_SETTINGS)
    def configure(self, actor: Actor, segment_s: float, keep_days: int, quota_gb: float,
                  warn_hours: float) -> GeneralRecording:
        """Change them (administrator; audited; saved). ``RetentionError`` says which
        value is out of range, and nothing is changed then."""
        if not MIN_SEGMENT_S <= segment_s <= MAX_SEGMENT_S:
            raise RetentionError(
                f"segment_s must be {MIN_SEGMENT_S:g}..{MAX_SEGMENT_S:g}, not {segment_s:g}")
        retention: RetentionService = self._system.parts.retention
        shared = self._system.settings
        before_segment = shared.segment_s
        configured = retention.configure(actor, keep_days, quota_gb, warn_hours)
        # configure() made a copy: put the values into the one object everyone reads.
        shared.keep_days = configured.keep_days
        shared.quota_gb = configured.quota_gb
        shared.warn_hours = configured.warn_hours
        retention.settings = shared
        if segment_s != before_segment:
            shared.segment_s = segment_s
            with self._system.parts.index.sessions.begin() as session:
                self._audit.append(session, actor, "recording.segment_length", "", {
                    "from": before_segment, "to": segment_s})
        self._save()
        self._applied()
        return self.current()
