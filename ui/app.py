"""The console: the windows over the core that ``commandroom.runtime.Core`` builds."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from commandroom import __version__
from commandroom.auth.permissions import SYSTEM, Actor, Permission
from commandroom.cameras.demo_cameras import ensure_demo_cameras
from commandroom.cameras.layouts import LayoutState, smallest_preset_for
from commandroom.cameras.registry import Camera
from commandroom.cameras.streams import stream_spec
from commandroom.cli import is_command
from commandroom.cli import run_parsed as run_cli
from commandroom.config import Paths, Settings, load_settings, save_settings
from commandroom.crash_hooks import install_crash_hooks
from commandroom.logging_setup import configure_logging
from commandroom.redact import redact_url, strip_credentials
from commandroom.runtime import Core, CoreHooks, DataFolderInUse
from commandroom.startup_heap import freeze_startup_objects
from commandroom.video.hub import StreamHandle
from commandroom.video.stream_spec import StreamSpec
from ui.alerts.install import AlertsUi
from ui.auth.install import AuthUi, install_auth, login_at_start
from ui.bridge import FutureBridge, guard_gui_thread, shutdown_background
from ui.camera_events.install import CameraEventsUi
from ui.command_line import build_parser, read_view_password
from ui.console.fit import show_fitting
from ui.console.layout_actions import LayoutActions
from ui.console.main_window import ConsoleWindow
from ui.i18n import choose_language, install_translators
from ui.incidents.install import IncidentsUi
from ui.onvif.install import install_onvif
from ui.qt_messages import route_qt_messages_to_log
from ui.quitting import confirm_quit, pending_deliveries
from ui.recording.install import RecordingUi
from ui.replay.controller import ReplayController
from ui.replay.play_target import PlayTarget
from ui.replay.recording_links import RecorderNotes, ShownCameras
from ui.replay.timeline_install import TimelineUi
from ui.second_instance import say_folder_in_use
from ui.statistics.install import StatisticsUi
from ui.stop_signals import StopSignals
from ui.tagging.controller import TaggingController
from ui.theme import apply_dark_theme
from ui.video.status_bridge import StatusBridge
from ui.wall.controller import WallController
from ui.wall.panel import install_wall
from ui.watch_and_sightings import install_watch_and_sightings

log = logging.getLogger(__name__)


@dataclass
class ViewStreams:
    """Streams given on the command line for `commandroom view`: never saved."""

    cameras: dict[int, Camera]
    specs: dict[int, StreamSpec]


def _view_streams(args: argparse.Namespace) -> ViewStreams:
    # main() reads it before any window shows (a prompt goes to the terminal).
    given = args.view_password if hasattr(args, "view_password") else read_view_password(args)
    cameras: dict[int, Camera] = {}
    specs: dict[int, StreamSpec] = {}
    for i, raw in enumerate(args.urls, start=1):
        url, user, password = strip_credentials(raw)
        cid = -i  # negative ids: not in the registry
        cameras[cid] = Camera(id=cid, name=redact_url(url), main_url=url)
        specs[cid] = StreamSpec(url=url, user=args.user or user,
                                password=given if given is not None else password,
                                transport=args.transport)
    return ViewStreams(cameras, specs)


def build_app(paths: Paths, settings: Settings, args: argparse.Namespace,
              hooks: CoreHooks | None = None) -> CommandRoomApp:
    """The core, opened (migrated, crash recovery done), and the console over it; the
    background workers start with ``CommandRoomApp.start``."""
    # An exception in a slot or a thread is logged and the console goes on (main installs
    # them first; here for whoever builds the app without main: a no-op when in place).
    install_crash_hooks()
    status_bridge = StatusBridge()  # stream states, from reader threads to the GUI thread
    core = Core(paths, settings, hooks=hooks, on_stream_status=status_bridge.on_status).open()
    try:
        return CommandRoomApp(core, status_bridge, args)
    except BaseException:
        core.stop()
        raise


class CommandRoomApp:
    """The console and wall windows over an opened core; ``shutdown`` closes the windows,
    then stops the core."""

    def __init__(self, core: Core, status_bridge: StatusBridge,
                 args: argparse.Namespace) -> None:
        self.core = core
        self.paths = core.paths
        self.settings = core.settings
        self._stopped = False
        self._quit_counting = False  # Ctrl+Q twice while counting: one question
        self._quit_bridge = FutureBridge()  # the pending deliveries, counted off the GUI thread
        # The services the windows are given (the core built each once).
        self.sessions = core.sessions
        self.events = core.events
        self.secrets = core.secrets
        self.audit = core.audit
        self.registry = core.registry
        self.layouts = core.layouts
        self.watchlist = core.watchlist
        self.sightings = core.sightings
        self.hub = core.hub
        self.auth = core.auth
        self.onvif = core.onvif
        self.ptz = core.ptz
        self.alerting = core.alerting
        self.status_bridge = status_bridge
        # The operator at the console; the login flow replaces it before the UI shows.
        self.actor: Actor = SYSTEM
        self.view = _view_streams(args) if args.command == "view" else None
        self._make_demo = bool(args.demo) and self.view is None
        self.auth_ui: AuthUi | None = None
        paths, settings = self.paths, self.settings
        self.console = ConsoleWindow(
            registry=self.registry,
            actor=self.current_actor,
            layouts=None if self.view else self.layouts,
            hub=self.hub,
            events=self.events,
            status_bridge=self.status_bridge,
            open_stream=self.open_stream,
            camera_lookup=self.lookup_camera,
            snapshots_dir=paths.snapshots_dir,
            main_stream_min_width=settings.video.main_stream_min_width,
            paint_hz=settings.video.paint_hz,
        )
        self.wall = WallController(
            open_stream=self.open_stream,
            camera_lookup=self.lookup_camera,
            layouts=None if self.view else self.layouts,
            actor=self.current_actor,
            settings=settings.wall,
            main_stream_min_width=settings.video.main_stream_min_width,
            save_settings=lambda: save_settings(self.paths, self.settings),
            console=self.console,
            pump=self.console.pump,
            events=self.events,
        )
        if self.view is None:
            self.layout_actions = LayoutActions(
                self.console, self.console.grid, self.layouts, self.current_actor,
                self.enabled_camera_ids, settings.wall.tour_dwell_s)
        self.wall_panel = install_wall(
            self.console, self.console.grid, self.wall, self.events,
            self.enabled_camera_ids,
            # The console's copy of the named layouts: the menu fills without the database.
            lambda: {} if self.view else self.layout_actions.named())

        self.onvif_ui = install_onvif(self.console, self.registry, self.onvif, self.ptz,
                                      self.hub, self.current_actor)
        self.sightings_ui = install_watch_and_sightings(
            self.console, self.watchlist, self.sightings, self.registry, self.events,
            self.current_actor, paths)
        self.alerts_ui = AlertsUi(self.console, self.alerting, self.events, self.current_actor)
        self.tagging = TaggingController(
            self.console, self.console.grid, self.sightings, self.watchlist,
            self.current_actor, settings.evidence, paths.data_dir / "evidence" / "staging")
        self.replay = ReplayController(
            self.console, self.console.grid, core.lookback, self.current_actor,
            self.lookup_camera, wall_grid=self.wall.grid, wall_tile_sent=self.wall.tile_sent)
        grids = [self.console.grid, self.wall.grid]
        self.shown_cameras = ShownCameras(grids, core.recorders.set_shown, self.console)
        self.recorder_notes = RecorderNotes(grids, self.events, self.console)
        # Where the timeline's seeks and "Play at this moment" go: the replay on the tiles.
        self.play_at = PlayTarget(self._play_at)
        self.sightings_ui.play_target = self.play_at
        self.timeline_ui = TimelineUi(
            self.console, self.console.grid, core.lookback, core.timeline_marks,
            self.sightings_ui.labels, self.events, self.current_actor, settings.console,
            lambda: save_settings(self.paths, self.settings), self.play_at)
        # A synchronised group shows one timeline row per camera; a replay started, moved
        # or ended changes which cameras those are.
        self.timeline_ui.set_group_source(self._replay_group_cameras)
        self.replay.changed.connect(self.timeline_ui.refresh_cameras)
        self.timeline_ui.set_replay_position(self.replay.focused_position)
        self.replay.changed.connect(self.timeline_ui.follow_replay)
        self.recording_ui = RecordingUi(self.console, self.console.grid, core,
                                        self.current_actor)
        # An export opened on a replaying tile proposes the moment it shows.
        self.recording_ui.replay_moment = self._replay_moment
        self.tagging.saved.connect(self.alerts_ui.remember)
        # Incidents: from a row of any sightings list, or from the sighting just tagged
        # (Ctrl+Shift+N in the console: the live list's row in focus, else the last tag).
        self.incidents_ui = IncidentsUi(self.console, core.incidents, self.events,
                                        self.current_actor, self.sightings_ui.thumbnails,
                                        reports=core.reports)
        self.incidents_ui.sighting_source = self.sightings_ui.focused_sighting
        self.tagging.saved.connect(self.incidents_ui.remember)
        self.sightings_ui.incident_requested.connect(self.incidents_ui.create_from_sighting)
        # And from an alert of the alert panel (Ctrl+Shift+D), or the one it belongs to.
        self.alerts_ui.panel.incident_requested.connect(self.incidents_ui.create_from_alert)
        self.tagging.alert_requested.connect(self.alerts_ui.open_send)
        self.statistics_ui = StatisticsUi(self.console, core.statistics, self.current_actor,
                                          reports=core.reports)
        self.camera_events_ui = CameraEventsUi(
            self.console, self.console.grid, core.suggestions, core.camera_events,
            self.events, self.current_actor, lambda: self.registry.directory.snapshot.cameras,
            settings.console, lambda: save_settings(self.paths, self.settings), paths.data_dir)
        # A confirmed suggestion goes on as a hand tag does: the alert preview opens, and
        # Ctrl+Shift+N makes an incident of it.
        self.camera_events_ui.confirmed.connect(self.alerts_ui.remember)
        self.camera_events_ui.confirmed.connect(self.incidents_ui.remember)
        self.camera_events_ui.confirmed.connect(self.alerts_ui.open_send)
        self.camera_events_ui.wall_alert.connect(self.wall.raise_alert)
        self.camera_events_ui.wall_clear.connect(self.wall.clear_suggestion)
        self.camera_events_ui.flash_requested.connect(self._flash_camera)
        self.console.quit_requested.connect(self.request_quit)
        self.wall.window.quit_requested.connect(self.request_quit)
        # Set by run_console: ends the event loop once everything has stopped.
        self.exit_event_loop: Callable[[int], None] | None = None
        self.demo_cameras_added = 0

    def enabled_camera_ids(self) -> list[int]:
        return [c.id for c in self.registry.cameras(self.actor, enabled_only=True)
                if c.id is not None]

    def current_actor(self) -> Actor:
        return self.actor

    def lookup_camera(self, camera_id: int) -> Camera | None:
        if self.view is not None and camera_id < 0:
            return self.view.cameras.get(camera_id)
        return self.registry.get(self.actor, camera_id)

    def open_stream(self, camera: Camera, size: tuple[int, int], main: bool) -> StreamHandle:
        if self.view is not None and camera.id is not None and camera.id < 0:
            spec = self.view.specs[camera.id]
        else:
            spec = stream_spec(self.registry, self.actor, camera, main)
        return self.hub.subscribe(spec, size)

    def add_demo_cameras(self) -> int:
        self.demo_cameras_added += ensure_demo_cameras(self.registry, self.actor)
        return self.demo_cameras_added

    def initial_layout(self) -> LayoutState:
        if self.view is not None:
            ids: list[int | None] = list(self.view.cameras)
            return LayoutState(grid=smallest_preset_for(len(ids)), cameras=ids)
        saved = self.layouts.load_current(self.actor, "console")
        # Demo cameras just made go on screen even over a saved grid with no camera in it
        # (whoever made the administrator, and however an earlier start ended).
        if saved is not None and not (self.demo_cameras_added and not any(saved.cameras)):
            return saved
        ids = [c.id for c in self.registry.cameras(self.actor, enabled_only=True)][:4]
        return LayoutState(grid="4", cameras=ids + [None] * (4 - len(ids)))

    def log_in(self, actor: Actor) -> None:
        """The operator who logged in; the Operator menu, idle lock and hand-over follow."""
        self.actor = actor
        self.auth_ui = install_auth(self.console, self.auth, self.audit, actor,
                                    self.settings.security.idle_lock_minutes)
        self.auth_ui.session.actor_changed.connect(self._actor_changed)

    def _actor_changed(self, actor: Actor) -> None:
        self.actor = actor

    def start(self) -> None:
        # Only an administrator may add cameras; --demo by anyone else just shows what is there.
        if self._make_demo and self.actor.can(Permission.MANAGE_CAMERAS):
            self.add_demo_cameras()
        self.core.start()  # the alerting workers
        first = self.initial_layout()
        self.console.start(first)
        if self.view is None:
            # Before the console is shown: with one screen and the wall beside it, the wall
            # sets the console's place before the window manager picks one.
            self.wall.start(first_run=first, fill_empty=self.demo_cameras_added > 0)
        show_fitting(self.console)
        self.db_guard = guard_gui_thread(self.core.engine)  # GUI-THREAD DB GUARD ON (issue 14)
        self.camera_events_ui.start()  # the suggestions still undecided, read off the GUI

    def _flash_camera(self, camera_id: int) -> None:
        """A camera event the officer chose to see: the camera's tiles flash, both grids."""
        for grid in (self.console.grid, self.wall.grid):
            for tile in grid.tiles_showing(camera_id):
                tile.flash()

    def _play_at(self, camera_id: int, moment: float) -> None:
        """A seek on the timeline or "Play at this moment": the selected tile's camera
        seeks (with its synchronised group); another camera opens at that moment."""
        tile = self.console.grid.selected
        if tile is not None and tile.camera is not None and tile.camera.id == camera_id:
            self.replay.seek_focused(moment)
        else:
            self.replay.open_at(camera_id, moment)

    def _replay_moment(self) -> datetime | None:
        """The moment the selected tile replays (None: live)."""
        position = self.replay.focused_position()
        return datetime.fromtimestamp(position, UTC) if position is not None else None

    def _replay_group_cameras(self) -> list[Camera]:
        """The cameras of the selected tile's synchronised group, in grid order (empty
        when it is live or replays alone: the timeline then shows that one camera)."""
        tile = self.console.grid.selected
        members = self.replay.group_of(tile) if tile is not None else []
        cameras: dict[int, Camera] = {}
        for member in members:
            if member.camera is not None and member.camera.id is not None:
                cameras.setdefault(member.camera.id, member.camera)
        return list(cameras.values()) if len(cameras) > 1 else []

    def request_quit(self) -> bool:
        """Ctrl+Q (console or wall) or the console's close button: ask if alerts are still
        being sent, log the operator out (audited: "auth.logout", reason "quit"), stop
        everything and end the process. The deliveries still pending are counted off the
        GUI thread, so the answer comes a moment later: True only when already stopped."""
        if self._stopped:
            return True
        if self._refuse_quit_while_locked() or self._quit_counting:
            return False
        self._quit_counting = True
        self._quit_bridge.run(pending_deliveries, self.alerting.board,
                              on_ok=self._quit_with, on_error=lambda _exc: self._quit_with(0))
        return False

    def stop_on_signal(self, name: str) -> None:
        """SIGTERM (the system shutting down, ``kill``) or SIGINT (Ctrl+C in the terminal):
        stop in order as Ctrl+Q does, locked or not and with no question: nobody is there
        to answer. Deliveries still pending go out at the next start."""
        if self._stopped:
            return
        log.warning("stopping on %s (the system or an administrator asked)", name)
        self._stop_and_exit("signal")

    def _refuse_quit_while_locked(self) -> bool:
        session = self.auth_ui.session if self.auth_ui is not None else None
        if session is not None and session.locked:
            # Ctrl+Q on the wall must not end a locked console's session for its operator.
            self.auth_ui.overlay.error.setText(  # type: ignore[union-attr]
                QCoreApplication.translate("App", "Unlock the console first, then quit."))
            return True
        return False

    def _quit_with(self, pending: int) -> None:
        """The count is in: ask when alerts are on their way, then quit."""
        self._quit_counting = False
        if self._stopped or self._refuse_quit_while_locked():
            return
        if pending and not confirm_quit(self.console, pending):
            return
        log.info("quit by %s (%d alert deliveries pending)", self.actor.username, pending)
        self._stop_and_exit("quit")

    def _stop_and_exit(self, reason: str) -> None:
        """The operator logged out (audited with ``reason``), everything stopped, the
        event loop ended: Ctrl+Q's end and a stop signal's alike."""
        if self.auth_ui is not None:
            self.auth_ui.session.end(reason)
        self.shutdown()
        if self.exit_event_loop is not None:
            self.exit_event_loop(0)

    def shutdown(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self.auth_ui is not None:
            self.auth_ui.session.end()  # audits the logout
        # The windows in reverse order of building, then the core (which waits for clips
        # being cut); one failing step must not leave threads.
        steps: list[Callable[[], object]] = [
            self.onvif_ui.shutdown,  # sends the stop to a camera still turning
            self.timeline_ui.shutdown,
            self.recording_ui.shutdown,  # an export still running is cancelled, removed
            self.tagging.shutdown,
            self.camera_events_ui.shutdown,
            self.replay.shutdown,
            self.shown_cameras.stop,
            self.recorder_notes.stop,
            self.alerts_ui.shutdown,
            self.incidents_ui.shutdown,
            self.statistics_ui.shutdown,
            self.sightings_ui.shutdown,
            self.wall.shutdown,
            self.console.close_for_quit,
            shutdown_background,  # after the last layout save and alert sent; before dispose
            self.core.stop,
        ]
        for step in steps:
            try:
                step()
            except Exception:
                log.exception("shutdown step failed")


def _offer_demo(app: CommandRoomApp) -> None:
    if app.registry.cameras(app.actor) or not app.actor.can(Permission.MANAGE_CAMERAS):
        return
    answer = QMessageBox.question(
        None,
        QCoreApplication.translate("App", "No cameras yet"),
        QCoreApplication.translate(
            "App", "There are no cameras yet. Create four demo junction cameras "
                   "(generated on this computer, no network needed)?"),
    )
    if answer == QMessageBox.StandardButton.Yes:
        app.add_demo_cameras()


def prepare_qt_app(qt_app: QApplication, language: str) -> list[QTranslator]:
    """Name, theme and language of the application; keep the returned translators alive.
    The display name comes after the translators: window systems append it to every
    window title, so set before them it stayed English in a Chinese console."""
    qt_app.setApplicationName("commandroom")
    apply_dark_theme(qt_app)
    translators = install_translators(qt_app, language)
    qt_app.setApplicationDisplayName(QCoreApplication.translate("App", "Command room"))
    return translators


def run_console(qt_app: QApplication, app: CommandRoomApp) -> int:
    """Show the console and run until the officer quits; 0 on a normal quit."""
    app.exit_event_loop = qt_app.exit
    stop_signals = StopSignals(app.stop_on_signal)
    app.start()
    # Once, before the loop: a full collection walking the ~262,000 objects of a started
    # console took 193-205 ms of the GUI thread, five frames unpainted (startup_heap.py).
    freeze_startup_objects()
    try:
        return qt_app.exec()
    finally:
        app.shutdown()
        stop_signals.restore()


def main(argv: Sequence[str] | None = None) -> int:
    install_crash_hooks()  # before anything can fail: logged, redacted, with traceback
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if is_command(args):
        return run_cli(args)
    if args.command == "view":
        try:  # before any window: --ask-password asks in the terminal
            args.view_password = read_view_password(args)
        except ValueError as exc:
            parser.error(str(exc))
    paths = Paths.resolve(args.data_dir)
    paths.ensure()
    settings = load_settings(paths)
    log_file = configure_logging(paths.log_dir, args.log_level or settings.log_level)
    log.info("commandroom %s starting; data in %s; log %s", __version__, paths.data_dir, log_file)
    route_qt_messages_to_log()

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    translators = prepare_qt_app(qt_app, choose_language(args.lang or settings.language))

    try:
        app = build_app(paths, settings, args)
    except DataFolderInUse as exc:
        log.error("not started: %s", exc)
        say_folder_in_use(exc)
        return 1
    actor = login_at_start(app.auth)
    if actor is None:  # cancelled: quit without showing anything
        app.shutdown()
        return 0
    app.log_in(actor)
    if args.command != "view" and not args.demo and not args.no_demo:
        _offer_demo(app)
    try:
        return run_console(qt_app, app)
    finally:
        del translators
        log.info("commandroom stopped")


if __name__ == "__main__":
    sys.exit(main())
