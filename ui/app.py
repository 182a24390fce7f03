"""The one composition root: builds every service by constructor injection and starts the UI."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from commandroom import __version__
from commandroom.audit import AuditTrail
from commandroom.auth.keystore import open_secret_store
from commandroom.auth.permissions import SYSTEM, Actor, Permission
from commandroom.auth.service import AuthService
from commandroom.cameras.demo import ensure_demo_cameras
from commandroom.cameras.layouts import LayoutState, LayoutStore, smallest_preset_for
from commandroom.cameras.registry import Camera, CameraRegistry
from commandroom.cameras.streams import stream_spec
from commandroom.cli import add_commands, command_summary, is_command
from commandroom.cli import run_parsed as run_cli
from commandroom.config import DATA_DIR_ENV, Paths, Settings, load_settings, save_settings
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.logging_setup import configure_logging
from commandroom.onvif import OnvifService
from commandroom.onvif.ptz_control import PtzControl
from commandroom.redact import redact_url, strip_credentials
from commandroom.sightings.service import SightingService
from commandroom.video.hub import StreamHandle, StreamHub
from commandroom.video.source import StreamSpec
from commandroom.watchlist.service import WatchlistService
from ui.alerts.install import AlertsUi
from ui.alerts.runtime import build_alerting, start_alerting
from ui.auth.install import AuthUi, install_auth, login_at_start
from ui.console.layout_actions import LayoutActions
from ui.console.main_window import ConsoleWindow
from ui.i18n import choose_language, install_translators
from ui.onvif.install import install_onvif
from ui.sightings.install import install_watch_and_sightings
from ui.tagging.controller import TaggingController
from ui.theme import apply_dark_theme
from ui.video.status_bridge import StatusBridge
from ui.wall.controller import WallController
from ui.wall.panel import install_wall

log = logging.getLogger(__name__)


VIEW_PASSWORD_ENV = "COMMANDROOM_VIEW_PASSWORD"


class _RefusePasswordArgument(argparse.Action):
    """``view --password X`` would show X in ``ps`` and the shell history: say what to use."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        parser.error("a password on the command line is visible to every user (ps) and in "
                     "the shell history; use --ask-password, --password-file FILE or "
                     f"${VIEW_PASSWORD_ENV}")


def build_parser() -> argparse.ArgumentParser:
    """The one ``commandroom`` command line: global options, then a command (none: the
    console; ``view``; or an administrator command such as ``operator list``)."""
    parser = argparse.ArgumentParser(
        prog="commandroom",
        description="Command-room console: live junction cameras, watch lists, sightings "
                    "and alerts to the community-policing and case-handling teams. "
                    "Without a command it opens the console.",
        epilog="commands:\n  view URL...       open the console with just these streams "
               "(nothing saved)\n" + command_summary()
               + "\n\nGlobal options go before the command; "
                 "`commandroom COMMAND --help` tells more.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"commandroom {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", default=None,
                        help=f"keep settings, database, evidence and logs in DIR "
                             f"(also ${DATA_DIR_ENV}); default: the user's data folders")
    parser.add_argument("--demo", action="store_true",
                        help="create the demo junction cameras (no network needed) if missing")
    parser.add_argument("--no-demo", action="store_true",
                        help="do not offer demo cameras on first run")
    parser.add_argument("--lang", choices=("en", "zh_CN"), default="",
                        help="user interface language (default: system locale)")
    parser.add_argument("--log-level", default="", help="DEBUG, INFO, WARNING or ERROR")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # allow_abbrev off: "--password" must not be taken for "--password-file".
    view = commands.add_parser(
        "view", allow_abbrev=False, help="open the console with just these streams",
        description="Open the console with just these streams; nothing is saved. The camera "
                    "password comes from --ask-password, --password-file or "
                    f"${VIEW_PASSWORD_ENV}, else from the URL (rtsp://user:password@...).")
    view.add_argument("urls", nargs="+", metavar="URL")
    view.add_argument("--user", default=None, help="camera user name")
    secret = view.add_mutually_exclusive_group()
    secret.add_argument("--ask-password", action="store_true",
                        help="ask for the camera password (not shown while typed)")
    secret.add_argument("--password-file", metavar="FILE", type=Path, default=None,
                        help="read the camera password from the first line of FILE")
    view.add_argument("--password", action=_RefusePasswordArgument, help=argparse.SUPPRESS)
    view.add_argument("--transport", choices=("tcp", "udp"), default="tcp")
    view.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                      help=argparse.SUPPRESS)
    add_commands(commands)
    return parser


def read_view_password(args: argparse.Namespace) -> str | None:
    """The camera password for ``view``, from where the operator put it; None: none given
    (the URL's own, if any, applies). Raises ``ValueError`` with a sentence to print."""
    if args.password_file is not None:
        try:
            text = Path(args.password_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read the password file {args.password_file}: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None
        return text.splitlines()[0] if text else ""
    if args.ask_password:
        return getpass.getpass("camera password: ")
    return os.environ.get(VIEW_PASSWORD_ENV)


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
        self.audit = AuditTrail(self.sessions)
        self.registry = CameraRegistry(self.sessions, self.secrets, self.events, self.audit)
        # The operator at the console; the login flow replaces it before the UI shows.
        self.actor: Actor = SYSTEM
        self.layouts = LayoutStore(self.sessions)
        self.watchlist = WatchlistService(self.sessions, self.audit, self.events,
                                          data_dir=paths.data_dir)
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
            remember_screen=self.remember_wall_screen,
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

    def remember_wall_screen(self, name: str) -> None:
        self.settings.wall.screen_name = name
        save_settings(self.paths, self.settings)

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

    def initial_layout(self) -> LayoutState:
        if self.view is not None:
            ids: list[int | None] = list(self.view.cameras)
            return LayoutState(grid=smallest_preset_for(len(ids)), cameras=ids)
        saved = self.layouts.load_current(self.actor, "console")
        if saved is not None:
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
            ensure_demo_cameras(self.registry, self.actor)
        start_alerting(self.alerting)
        first = self.initial_layout()
        self.console.start(first)
        self.console.show()
        if self.view is None:
            self.wall.start(first_run=first)

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
            self.console.close,
            lambda: self.sightings.wait_for_clips(
                timeout=self.settings.evidence.post_seconds + 5),
            self.hub.close,
            self.alerting.stop,
            self.onvif.close,
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
        ensure_demo_cameras(app.registry, app.actor)


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
    qt_app.setApplicationName("commandroom")
    qt_app.setApplicationDisplayName(QCoreApplication.translate("App", "Command room"))
    apply_dark_theme(qt_app)
    translators = install_translators(qt_app, choose_language(args.lang or settings.language))

    app = CommandRoomApp(paths, settings, args)
    actor = login_at_start(app.auth)
    if actor is None:  # cancelled: quit without showing anything
        app.shutdown()
        return 0
    app.log_in(actor)
    if args.command != "view" and not args.demo and not args.no_demo:
        _offer_demo(app)
    app.start()
    try:
        return qt_app.exec()
    finally:
        app.shutdown()
        del translators
        log.info("commandroom stopped")


if __name__ == "__main__":
    sys.exit(main())
