"""Recording as the app runs it: one object to create at start-up and close at exit.

Wiring::

    recording = RecordingSystem(sessions, paths, settings.recording, audit, bus)
    recording.start()                                 # folder, start-up recovery
    scheduler = RecordingScheduler(recording, hub, registry, bus).start()  # scheduler.py
    scheduler.set_shown(camera_ids)                   # the UI, whenever tiles change
    recording.housekeeping()                          # every few minutes: sweep + forecast
    scheduler.close(); hub.close(); recording.close()  # in this order at exit

The scheduler feeds each recorder through ``StreamHub.record`` (the live reader's
``SinkFanOut``) and stops it with ``recording.stop(camera_id, GapReason.RECORDING_OFF)``.

A recorder that reports a full disk triggers a retention sweep at once (the oldest
unlocked footage makes room); the forecast is published as ``DiskForecastChanged``
whenever its warning turns on or off.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from commandroom.audit.api import AuditSink
from commandroom.config import Paths, RecordingSettings
from commandroom.events import EventBus
from commandroom.files import private_dir, tighten_dir
from commandroom.recording.export import ExportService
from commandroom.recording.forecast import (
    DiskForecast,
    DiskForecastChanged,
    WriteRateMeter,
    forecast_disk,
)
from commandroom.recording.index import RecordingIndex
from commandroom.recording.locks import EvidenceLocks
from commandroom.recording.policy import RecordingPolicy
from commandroom.recording.recorder import RecordedCamera, Recorder, RecorderTuning
from commandroom.recording.recovery import RecoveryReport, recover
from commandroom.recording.retention import RetentionService, SweepResult
from commandroom.recording.status import (
    GapReason,
    RecorderProblem,
    RecorderState,
    RecorderStatusChanged,
)
from commandroom.recording.timeline import RecordingCatalog

log = logging.getLogger(__name__)

# A full disk frees this share of what recordings take (at most 1 GiB), oldest first.
DISK_FULL_FREE_SHARE = 0.1
DISK_FULL_FREE_MAX = 1024**3


class RecordingParts:
    """The services, each with its permission checks: what the UI and the engine call."""

    def __init__(self, sessions: sessionmaker[Session], root: Path,
                 settings: RecordingSettings, audit: AuditSink, tool_version: str,
                 bus: EventBus | None = None) -> None:
        self.index = RecordingIndex(sessions)
        self.catalog = RecordingCatalog(self.index, root)  # timeline, playback positions
        self.locks = EvidenceLocks(sessions, audit)
        self.policy = RecordingPolicy(  # modes per camera
            sessions, audit, bus, demo_cameras_record=settings.demo_cameras_record)
        self.retention = RetentionService(self.index, root, settings, audit)
        self.export = ExportService(self.index, root, audit, tool_version)


class RecordingSystem:
    def __init__(self, sessions: sessionmaker[Session], paths: Paths,
                 settings: RecordingSettings, audit: AuditSink, bus: EventBus,
                 tool_version: str = "", tuning: RecorderTuning | None = None) -> None:
        self.root: Path = settings.root(paths)
        self.parts = RecordingParts(sessions, self.root, settings, audit, tool_version, bus)
        self.settings = settings
        self._audit = audit
        self._bus = bus
        self._tuning = tuning
        self.rate = WriteRateMeter()
        self._lock = threading.Lock()
        self._recorders: dict[int, Recorder] = {}
        self._warned = False
        self._warned_hours: float | None = None
        self.forecast: DiskForecast | None = None  # the last one (the status bar at start)
        self._made_room: set[int] = set()  # cameras whose full disk was answered
        self._unsubscribe = bus.subscribe(RecorderStatusChanged, self._on_status)

    def start(self) -> RecoveryReport:
        """Create the folder and settle what a crash left (before any recorder runs)."""
        tighten_dir(private_dir(self.root))  # ours: 0700 even if made earlier
        return recover(self.parts.index, self.root, self._audit)

    def recorder_for(self, camera_id: int, camera_name: str) -> Recorder:
        """The camera's running recorder (started on first use): add it to the reader's
        ``SinkFanOut``."""
        with self._lock:
            recorder = self._recorders.get(camera_id)
            if recorder is None:
                recorder = Recorder(
                    RecordedCamera(camera_id, camera_name), self.parts.index, self.root,
                    self.settings, bus=self._bus, tuning=self._tuning,
                    on_bytes=self.rate.add,
                ).start()
                self._recorders[camera_id] = recorder
            return recorder

    def recording(self) -> list[int]:
        with self._lock:
            return sorted(self._recorders)

    def stop(self, camera_id: int, reason: GapReason = GapReason.RECORDING_OFF) -> None:
        """Stop recording a camera (take its recorder out of the fan-out first)."""
        with self._lock:
            recorder = self._recorders.pop(camera_id, None)
        if recorder is not None:
            recorder.close(reason)

    def housekeeping(self) -> tuple[SweepResult, DiskForecast]:
        """Retention sweep, then the disk forecast (published when its warning flips)."""
        result = self.parts.retention.sweep()
        return result, self.check_disk()

    def check_disk(self) -> DiskForecast:
        forecast = forecast_disk(self.root, self.rate.rate_bps(),
                                 self.parts.index.stored_bytes(),
                                 self.parts.retention.quota_bytes, self.settings.warn_hours)
        self.forecast = forecast
        # While warning, the status bar's "full in N h" must follow the count down: the
        # event goes out again when the whole hours change (minutes in the last hour),
        # not at every check.
        hours = _countdown(forecast.hours_to_full)
        if forecast.warn != self._warned or (forecast.warn and hours != self._warned_hours):
            if forecast.warn and not self._warned:
                log.warning("recording: at %.1f MB/s the disk is full in %.1f h",
                            forecast.rate_bps / 1e6, forecast.hours_to_full or 0)
            self._warned = forecast.warn
            self._warned_hours = hours
            self._bus.publish(DiskForecastChanged(forecast))
        return forecast

    def close(self) -> None:
        self._unsubscribe()
        with self._lock:
            recorders, self._recorders = list(self._recorders.values()), {}
        for recorder in recorders:
            recorder.close(GapReason.APP_NOT_RUNNING)

    def _on_status(self, event: RecorderStatusChanged) -> None:
        # On the recorder's writer thread: a sweep takes well under a second (bench).
        # Once per episode: if the room made is taken by something else, the retries
        # must not eat the recordings a tenth at a time.
        with self._lock:
            if event.camera_id not in self._recorders:
                return
            if event.status.problem is not RecorderProblem.DISK_FULL:
                if event.status.state is RecorderState.RECORDING:
                    self._made_room.discard(event.camera_id)
                return
            if event.camera_id in self._made_room:
                return
            self._made_room.add(event.camera_id)
        self.make_room()

    def make_room(self) -> SweepResult:
        """The disk is full: delete the oldest unlocked footage, a tenth of what is
        stored (at most 1 GiB), whatever the quota; audited like every retention."""
        stored = self.parts.index.stored_bytes()
        free = min(DISK_FULL_FREE_MAX, int(stored * DISK_FULL_FREE_SHARE))
        result = self.parts.retention.sweep(quota_bytes=max(0, stored - free), why="disk_full")
        if not result.deleted:
            log.warning("recording: disk full and nothing may be deleted "
                        "(all footage is locked)")
        return result


def _countdown(hours: float | None) -> float | None:
    """What the warning says: whole hours, or whole minutes within the last hour."""
    if hours is None:
        return None
    return float(int(hours)) if hours >= 1 else int(hours * 60) / 60
