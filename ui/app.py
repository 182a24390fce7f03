"""The one composition root: builds every service by constructor injection and starts the UI."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from commandroom import __version__
from commandroom.audit.anchor import open_audit_anchor
from commandroom.audit.denials import DenialAudit
from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM, Actor, Permission
from commandroom.auth.service import AuthService
from commandroom.cameras.demo_cameras import ensure_demo_cameras
from commandroom.cameras.layouts import LayoutState, LayoutStore, smallest_preset_for
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.cameras.streams import stream_spec
from commandroom.cli import is_command
from commandroom.cli import run_parsed as run_cli
from commandroom.config import Paths, Settings, load_settings, save_settings
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.logging_setup import configure_logging
from commandroom.onvif import OnvifService
from commandroom.onvif.ptz_control import PtzControl
from commandroom.redact import redact_url, strip_credentials
from commandroom.secrets.keystore import open_secret_store
from commandroom.sightings.references import sightings_of_entry
from commandroom.sightings.service import SightingService
from commandroom.video.hub import StreamHandle, StreamHub
from commandroom.video.stream_spec import StreamSpec
from commandroom.watchlist.service import WatchlistService
from ui.alerts.install import AlertsUi
from ui.alerts.runtime import build_alerting, start_alerting
from ui.auth.install import AuthUi, install_auth, login_at_start
from ui.bridge import guard_gui_thread, shutdown_background
from ui.command_line import build_parser, read_view_password
from ui.console.layout_actions import LayoutActions
from ui.console.main_window import ConsoleWindow
from ui.i18n import choose_language, install_translators
from ui.onvif.install import install_onvif
from ui.quitting import confirm_quit, pending_deliveries
from ui.sightings.install import install_watch_and_sightings
from ui.tagging.controller import TaggingController
from ui.theme import apply_dark_theme
from ui.video.status_bridge import StatusBridge
from ui.wall.controller import WallController
from ui.wall.panel import install_wall

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


class CommandRoomApp:
    """Everything the running app is made of, built once, stopped in reverse order."""

    def __init__(self, paths: Paths, settings: Settings, args: argparse.Namespace) -> None:
        self.paths = paths
        self.settings = settings
        self._stopped = False
        self.engine, self.sessions = open_database(settings.effective_database_url(paths))
        self.events = EventBus()
        # The OS keyring holds the key where there is one; else a 0600 key file.
        self.secrets = open_secret_store(paths, self.sessions)
        # The chain's anchor lives outside the data folder (commandroom.audit.anchor).
        self.audit = AuditTrail(self.sessions, anchor=open_audit_anchor(
            paths, settings.effective_database_url(paths)))
        self.denials = DenialAudit(self.sessions, self.audit).install()  # refusals audited
        self.registry = CameraRegistry(self.sessions, self.secrets, self.events, self.audit)
        # The operator at the console; the login flow replaces it before the UI shows.
        self.actor: Actor = SYSTEM
        self.layouts = LayoutStore(self.sessions)
        self.watchlist = WatchlistService(self.sessions, self.audit, self.events,
                                          references=sightings_of_entry, data_dir=paths.data_dir)
        self.sightings = SightingService(self.sessions, self.audit, self.events, self.watchlist,
                                         data_dir=paths.data_dir, evidence=settings.evidence)
        self.sightings.recover(SYSTEM)  # temp files and pending clips of an earlier crash
        self.status_bridge = StatusBridge()
        self.hub = StreamHub(settings.video, on_status=self.status_bridge.on_status,
                             evidence=settings.evidence)
        self.view = _view_streams(args) if args.command == "view" else None
        self._make_demo = bool(args.demo) and self.view is None
        self.auth = AuthService(self.sessions, self.audit)
        self.auth_ui: AuthUi | None = None
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
            lambda: {} if self.view else self.layouts.named(self.actor, "console"))

        self.onvif = OnvifService()
        self.ptz = PtzControl(self.onvif, self.sessions, self.audit)
        self.onvif_ui = install_onvif(self.console, self.registry, self.onvif, self.ptz,
                                      self.hub, self.current_actor)
        self.sightings_ui = install_watch_and_sightings(
            self.console, self.watchlist, self.sightings, self.registry, self.events,
            self.current_actor, paths)
        self.alerting = build_alerting(self.sessions, self.secrets, self.audit, self.events,
                                       settings.alerts)
        self.alerts_ui = AlertsUi(self.console, self.alerting, self.sightings, self.watchlist,
                                  self.registry, self.events, self.current_actor,
                                  paths.data_dir)
        self.tagging = TaggingController(
            self.console, self.console.grid, self.sightings, self.watchlist,
            self.current_actor, settings.evidence, paths.data_dir / "evidence" / "staging")
        self.tagging.saved.connect(self.alerts_ui.remember)
        self.tagging.alert_requested.connect(self.alerts_ui.open_send)
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
        start_alerting(self.alerting)
        first = self.initial_layout()
        self.console.start(first)
        self.console.show()
        if self.view is None:
            self.wall.start(first_run=first, fill_empty=self.demo_cameras_added > 0)
        self.db_guard = guard_gui_thread(self.engine)  # GUI-THREAD DB GUARD ON (issue 14)

    def request_quit(self) -> bool:
        """Ctrl+Q (console or wall) or the console's close button: ask if alerts are still
        being sent, log the operator out (audited: "auth.logout", reason "quit"), stop
        everything and end the process. False: the officer chose to keep running."""
        if self._stopped:
            return True
        session = self.auth_ui.session if self.auth_ui is not None else None
        if session is not None and session.locked:
            # Ctrl+Q on the wall must not end a locked console's session for its operator.
            self.auth_ui.overlay.error.setText(  # type: ignore[union-attr]
                QCoreApplication.translate("App", "Unlock the console first, then quit."))
            return False
        pending = pending_deliveries(self.alerting.board)
        if pending and not confirm_quit(self.console, pending):
            return False
        log.info("quit by %s (%d alert deliveries pending)", self.actor.username, pending)
        if session is not None:
            session.end("quit")
        self.shutdown()
        if self.exit_event_loop is not None:
            self.exit_event_loop(0)
        return True

    def shutdown(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self.auth_ui is not None:
            self.auth_ui.session.end()  # audits the logout
        # Stop in reverse order of building; one failing step must not leave threads.
        steps: list[Callable[[], object]] = [
            self.onvif_ui.shutdown,  # sends the stop to a camera still turning
            self.tagging.shutdown,
            self.alerts_ui.shutdown,
            self.sightings_ui.shutdown,
            self.wall.shutdown,
            self.console.close_for_quit,
            shutdown_background,  # after the last layout save and alert sent; before dispose
            lambda: self.sightings.wait_for_clips(
                timeout=self.settings.evidence.post_seconds + 5),
            self.hub.close,
            self.alerting.stop,
            self.onvif.close,
            self.denials.close,
            self.engine.dispose,
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
    app.start()
    try:
        return qt_app.exec()
    finally:
        app.shutdown()


def main(argv: Sequence[str] | None = None) -> int:
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

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    translators = prepare_qt_app(qt_app, choose_language(args.lang or settings.language))

    app = CommandRoomApp(paths, settings, args)
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
