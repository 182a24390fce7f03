"""The one composition root of the core: every service, built once, in dependency order.

The console (``ui.app``), the administrator commands (``commandroom.cli``), the tests and
the benchmarks all get their services here, so a new service is wired in one place.

Each part is built on first use, after the parts it needs; nothing is opened before a
part asks for it, so an administrator command touches only the database (and never the
ack endpoint's port, the ONVIF loop or a crash recovery meant for the app). The app calls
``open`` (every part now, then the start-up recovery) and ``start`` (the background
workers); ``stop`` ends everything that was built, in reverse, and is safe to call twice.

Parts are built on the thread that first asks for them: the app builds them all on the
GUI thread before any worker runs; a command and a test are single-threaded at setup.
"""

from __future__ import annotations

import logging
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from commandroom import __version__
from commandroom.alerts.teams import TeamService
from commandroom.audit.anchor import open_audit_anchor
from commandroom.audit.api import AuditSink
from commandroom.audit.denials import DenialAudit
from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.auth.service import AuthService
from commandroom.camera_events.clients import default_factories
from commandroom.camera_events.evidence import EvidenceFinder, RecordedFootage, live_streams
from commandroom.camera_events.intake import EventIntake
from commandroom.camera_events.store import CameraEventLog
from commandroom.camera_events.suggestions import SuggestionService
from commandroom.cameras.layouts import LayoutStore
from commandroom.cameras.registry import CameraRegistry
from commandroom.config import Paths, Settings, save_settings
from commandroom.db.engine import create_db_engine, upgrade_database
from commandroom.events import EventBus
from commandroom.evidence_package.service import EvidencePackages
from commandroom.incidents import IncidentService
from commandroom.lookback import LookBack
from commandroom.lookback.marks import TimelineMarks
from commandroom.onvif import OnvifService
from commandroom.onvif.ptz_control import PtzControl
from commandroom.playback.source import PlaybackSource
from commandroom.playback.store import PlaybackSources
from commandroom.recording.configuration import RecordingConfiguration
from commandroom.recording.housekeeper import Housekeeper
from commandroom.recording.scheduler import RecordingScheduler
from commandroom.recording.service import RecordingSystem
from commandroom.reports import ReportService
from commandroom.runtime.alerting import Alerting, AlertingNeeds, Step, build_alerting
from commandroom.runtime.hooks import CoreHooks
from commandroom.runtime.instance_lock import InstanceLock
from commandroom.secrets.keystore import open_secret_store
from commandroom.secrets.store import DatabaseSecretStore
from commandroom.sightings.references import sightings_of_entry
from commandroom.sightings.service import SightingService
from commandroom.statistics import StatisticsService
from commandroom.video.hub import StatusListener, StreamHub
from commandroom.watchlist.plate_watch import PlateMatcher
from commandroom.watchlist.service import WatchlistService

log = logging.getLogger(__name__)

# In dependency order: ``open`` builds them so, and a part's builder only asks for
# parts before it in this list.
PARTS = (
    "sessions", "events", "secrets", "audit", "audit_sink", "denials", "registry", "layouts",
    "watchlist", "plates", "hub", "sightings", "auth", "onvif", "ptz", "teams", "alerting",
    "incidents", "playback_sources", "playback", "recording", "evidence_packages",
    "recorders", "housekeeper", "recording_config", "lookback", "timeline_marks",
    "camera_events", "suggestions", "event_intake", "statistics", "reports",
)


class CoreStopped(RuntimeError):
    """A part was asked for after ``stop``: it would open what stop has closed."""


class Core:
    def __init__(self, paths: Paths, settings: Settings, *, hooks: CoreHooks | None = None,
                 on_stream_status: StatusListener | None = None) -> None:
        """``on_stream_status``: told of every stream's state changes, on the reader's
        thread (the console passes its bridge to the GUI thread)."""
        self.paths = paths
        self.settings = settings
        self.hooks = hooks or CoreHooks()
        self._on_stream_status = on_stream_status
        self._engine: Engine | None = None
        self._started = False
        self._stopped = False
        self.instance_lock = InstanceLock(paths.data_dir)

    @property
    def database_url(self) -> str:
        return self.settings.effective_database_url(self.paths)

    @property
    def engine(self) -> Engine:
        self.sessions  # noqa: B018  (opens the database)
        assert self._engine is not None
        return self._engine

    def built(self, part: str) -> bool:
        """Whether ``part`` (a name in PARTS) has been built."""
        return part in self.__dict__

    # -- storage -----------------------------------------------------------------------
    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """The database, migrated to the code's schema before anything reads it."""
        self._check_not_stopped("the database")
        self.paths.ensure()
        engine = create_db_engine(self.database_url)
        if self.hooks.engine_setup is not None:
            self.hooks.engine_setup(engine)
        self._engine = engine
        upgrade_database(engine)
        return sessionmaker(engine, expire_on_commit=False)

    @cached_property
    def events(self) -> EventBus:
        return EventBus()

    @cached_property
    def secrets(self) -> DatabaseSecretStore:
        # The OS keyring holds the key where there is one; else a 0600 key file.
        return open_secret_store(self.paths, self.sessions, self.hooks.keyring)

    @cached_property
    def audit(self) -> AuditTrail:
        """The hash-chained trail; its anchor lives outside the data folder."""
        anchor = open_audit_anchor(self.paths, self.database_url, self.hooks.keyring)
        return AuditTrail(self.sessions, self.hooks.clock, anchor=anchor)

    @cached_property
    def audit_sink(self) -> AuditSink:
        """What every service appends to: the trail, unless a test records instead."""
        if self.hooks.audit_sink is not None:
            return self.hooks.audit_sink(self.sessions)
        return self.audit

    @cached_property
    def denials(self) -> DenialAudit:
        """Every refused permission check in this process goes into the trail."""
        return DenialAudit(self.sessions, self.audit).install()

    # -- cameras, watch list, video, sightings ------------------------------------------
    @cached_property
    def registry(self) -> CameraRegistry:
        return CameraRegistry(self.sessions, self.secrets, self.events, self.audit_sink)

    @cached_property
    def layouts(self) -> LayoutStore:
        return LayoutStore(self.sessions)

    @cached_property
    def watchlist(self) -> WatchlistService:
        return WatchlistService(self.sessions, self.audit_sink, self.events,
                                references=sightings_of_entry, data_dir=self.paths.data_dir)

    @cached_property
    def plates(self) -> PlateMatcher:
        """Camera plate reads against the vehicle watch list. Building it only subscribes
        to the watch list's events: the index of every plate is built on its first match
        (or ``warm``), so a start without plate-reading cameras pays nothing for it."""
        return PlateMatcher(self.watchlist, self.events)

    @cached_property
    def hub(self) -> StreamHub:
        self._check_not_stopped("the stream hub")
        return StreamHub(self.settings.video, on_status=self._on_stream_status,
                         evidence=self.settings.evidence)

    @cached_property
    def sightings(self) -> SightingService:
        return SightingService(self.sessions, self.audit_sink, self.events, self.watchlist,
                               data_dir=self.paths.data_dir, evidence=self.settings.evidence)

    @cached_property
    def auth(self) -> AuthService:
        return AuthService(self.sessions, self.audit_sink, self.hooks.clock, self.hooks.hasher)

    # -- ONVIF, alerting, playback, recording --------------------------------------------
    @cached_property
    def onvif(self) -> OnvifService:
        self._check_not_stopped("the ONVIF loop")
        return OnvifService()  # its event loop thread runs from here until stop

    @cached_property
    def ptz(self) -> PtzControl:
        return PtzControl(self.onvif, self.sessions, self.audit_sink, self.hooks.clock)

    @cached_property
    def teams(self) -> TeamService:
        """Teams, members, channels and routing rules (no worker: a command may use it)."""
        return TeamService(self.sessions, self.secrets, self.audit_sink, self.events)

    @cached_property
    def alerting(self) -> Alerting:
        """Binds the acknowledgement endpoint's port (its workers run from ``start``)."""
        needs = AlertingNeeds(self.sessions, self.secrets, self.audit_sink, self.events,
                              self.teams, self.sightings, self.watchlist, self.registry,
                              self.paths.data_dir)
        return build_alerting(needs, self.settings.alerts, self.hooks)

    @cached_property
    def incidents(self) -> IncidentService:
        """Incidents: they follow the alerts' events (a sighting's alert joins its incident,
        a team's acknowledgement moves it), so they come after alerting."""
        return IncidentService(self.sessions, self.audit_sink, self.events,
                               lambda: self.alerting.service, self.hooks.clock,
                               data_dir=self.paths.data_dir)

    @cached_property
    def statistics(self) -> StatisticsService:
        """The station's figures: reads only, no worker to start or stop."""
        return StatisticsService(self.sessions, self.audit_sink)

    @cached_property
    def reports(self) -> ReportService:
        """The incident and monthly reports as PDF, from the incidents and the figures."""
        return ReportService(self.sessions, self.audit_sink, lambda: self.incidents,
                             self.statistics, self.hooks.clock)

    @cached_property
    def playback_sources(self) -> PlaybackSources:
        return PlaybackSources(self.sessions, self.secrets, self.audit_sink)

    @cached_property
    def playback(self) -> PlaybackSource:
        return PlaybackSource(self.playback_sources, self.onvif)

    @cached_property
    def recording(self) -> RecordingSystem:
        return RecordingSystem(self.sessions, self.paths, self.settings.recording,
                               self.audit_sink, self.events, tool_version=__version__)

    @cached_property
    def evidence_packages(self) -> EvidencePackages:
        """Signed evidence packages of sightings and footage (the footage is cut by the
        recording exporter)."""
        parts = self.recording.parts
        return EvidencePackages(self.sessions, self.secrets, self.audit_sink, parts.export,
                                parts.index, self.paths.data_dir, __version__,
                                self.settings.evidence)

    @cached_property
    def recorders(self) -> RecordingScheduler:
        """Which cameras record now (their mode, and for "while shown" what the UI shows),
        each fed by the reader its tiles share; its worker runs from ``start``."""
        self._check_not_stopped("the recording scheduler")
        return RecordingScheduler(self.recording, self.hub, self.registry, self.events)

    @cached_property
    def housekeeper(self) -> Housekeeper:
        """Retention sweeps and the disk forecast on a timer, off the GUI thread and the
        recorders' threads; its worker runs from ``start``."""
        self._check_not_stopped("the recording housekeeper")
        recording = self.settings.recording
        return Housekeeper(self.recording, sweep_every_s=recording.sweep_every_s,
                           forecast_every_s=recording.forecast_every_s)

    @cached_property
    def recording_config(self) -> RecordingConfiguration:
        """The general recording settings as the administrator changes them: saved to
        settings.toml, swept at once."""
        return RecordingConfiguration(
            self.recording, self.audit_sink,
            save=lambda: save_settings(self.paths, self.settings),
            applied=self.housekeeper.run_now)

    @cached_property
    def lookback(self) -> LookBack:
        """Instant replay, playback at a moment, synchronised groups, the timeline."""
        return LookBack(self.hub, self.recording, playback=self.playback,
                        video=self.settings.video)

    @cached_property
    def timeline_marks(self) -> TimelineMarks:
        """Sightings and alerts of a camera in a time window (the timeline's marks)."""
        return TimelineMarks(self.sessions)

    # -- camera events -------------------------------------------------------------------
    @cached_property
    def camera_events(self) -> CameraEventLog:
        """The stored events and their pictures (the console's events list)."""
        return CameraEventLog(self.sessions, self.events, self.registry.directory,
                              self.audit_sink, data_dir=self.paths.data_dir,
                              settings=self.settings.events,
                              live=live_streams(self.registry, self.hub))

    @cached_property
    def suggestions(self) -> SuggestionService:
        """Plate reads matching the watch list as cards; confirmed ones become sightings."""
        footage = RecordedFootage(self.recording.parts.index, self.recording.root)
        finder = EvidenceFinder(live_streams(self.registry, self.hub), footage,
                                self.settings.evidence)
        return SuggestionService(self.sessions, self.events, self.audit_sink, self.plates,
                                 self.sightings, finder, data_dir=self.paths.data_dir,
                                 settings=self.settings.events)

    @cached_property
    def event_intake(self) -> EventIntake:
        """One connection per camera with an event source; its threads run from ``start``."""
        self._check_not_stopped("the camera event intake")
        self.suggestions  # noqa: B018  (listens to the stored events before any arrives)
        return EventIntake(self.registry.directory, self.events, self.camera_events,
                           self.hooks.event_clients or default_factories(self.registry,
                                                                         self.hub),
                           settings=self.settings.events)

    # -- life cycle ----------------------------------------------------------------------
    def open(self) -> Core:
        """Build every part now, then settle what a crash of an earlier run left (temp
        files and clips being cut; the recording folder). For the app, before its UI.

        Raises ``DataFolderInUse`` before touching anything when another console runs on
        the same data folder: its recovery would take that one's live files for debris."""
        self._check_not_stopped("the data folder")
        self.paths.ensure()
        self.instance_lock.acquire()
        try:
            for part in PARTS:
                getattr(self, part)
            self.sightings.recover(SYSTEM)
            self.suggestions.recover()
            self.recording.start()
        except BaseException:
            self.stop()
            raise
        return self

    def start(self) -> None:
        """Start the background workers in order; if one fails, stop everything."""
        if self._started:
            return
        self._started = True
        try:
            for name, start in self.alerting.start_steps():
                log.debug("starting %s", name)
                start()
            log.debug("starting the recording scheduler")
            self.recorders.start()
            log.debug("starting the recording housekeeper")
            self.housekeeper.start()
            log.debug("starting the camera event intake")
            self.event_intake.start()
        except BaseException:
            log.exception("the core could not start; stopping what did")
            self.stop()
            raise

    def stop(self) -> None:
        """Stop what was built, in reverse; a failing step is logged and the rest still
        run. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        for name, step in self._stop_steps():
            try:
                step()
            except Exception:
                log.exception("stopping %s failed", name)

    def _stop_steps(self) -> list[Step]:
        steps: list[Step] = []
        if self.built("event_intake"):
            # Its clients may read the hub's streams (local motion): before the hub; its
            # writer stores what is queued, before the database goes.
            steps.append(("camera event intake", self.event_intake.stop))
        if self.built("suggestions"):
            steps.append(("suggestions", self.suggestions.close))  # clips being cut
        if self.built("sightings"):
            # Clips still being cut need their stream's reader: before the hub closes.
            timeout = self.settings.evidence.post_seconds + 5
            steps.append(("evidence clips", lambda: self.sightings.wait_for_clips(timeout)))
        if self.built("lookback"):
            steps.append(("look back", self.lookback.close))  # replays: before the hub
        if self.built("housekeeper"):
            steps.append(("recording housekeeper", self.housekeeper.close))  # a sweep ends
        if self.built("recorders"):
            # Closes every file it writes (its gap says the app stopped): before the hub.
            steps.append(("recording scheduler", self.recorders.close))
        if self.built("hub"):
            steps.append(("stream hub", self.hub.close))
        if self.built("recording"):
            steps.append(("recording", self.recording.close))
        if self.built("alerting"):
            steps += self.alerting.stop_steps()
        if self.built("onvif"):
            steps.append(("ONVIF loop", self.onvif.close))
        if self.built("incidents"):
            steps.append(("incidents", self.incidents.close))
        if self.built("plates"):
            steps.append(("plate matcher", self.plates.close))
        if self.built("denials"):
            steps.append(("denial audit", self.denials.close))  # writes what is folded
        if self._engine is not None:
            steps.append(("database", self._engine.dispose))
        if self.instance_lock.held:
            steps.append(("data folder lock", self.instance_lock.release))  # the very last
        return steps

    def _check_not_stopped(self, what: str) -> None:
        if self._stopped:
            raise CoreStopped(f"{what} was asked for after the core stopped")


def open_core(paths: Paths, settings: Settings, *, hooks: CoreHooks | None = None,
              on_stream_status: StatusListener | None = None) -> Core:
    """A core with every part built and the crash recovery done; ``start`` it next."""
    return Core(paths, settings, hooks=hooks, on_stream_status=on_stream_status).open()
