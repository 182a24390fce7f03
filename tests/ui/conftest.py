"""UI fixtures: the real composition root on a private data dir, demo cameras; the
GUI-thread database guard on for every UI test."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from commandroom.config import Paths, Settings
from commandroom.db.thread_guard import ENV_EXCUSED, ENV_MODE, ThreadGuard
from commandroom.runtime import CoreHooks
from ui.app import CommandRoomApp, build_app, build_parser, prepare_qt_app
from ui.bridge import UI_PACKAGES, shutdown_background

AppFactory = Callable[..., CommandRoomApp]

# Paths that open a database session on the GUI thread: counted, not raised. Each is
# "module:function" anywhere on the stack. Only start-up before the console shows belongs
# here (the app switches its guard on at the end of start()); every other path reads and
# writes on the UI's background executor (issue 14), and new UI code must too.
STARTUP = frozenset({
    "ui.app:build_app",  # opening, migrating, recovering (the core): before any window
    "ui.app:__init__",
    "ui.app:start",  # demo cameras, the saved console and wall layouts
    "ui.app:main",
    "ui.app:shutdown",  # the logout audited while quitting, after the event loop
    "ui.auth.install:login_at_start",  # the log-in dialog before the console exists
})


@pytest.fixture(autouse=True)
def gui_thread_database_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[ThreadGuard]:
    """Every UI test fails when UI code opens a database session on the GUI thread: the
    app's own guard raises (test mode), and so do windows a test builds on its own
    engines. The UI's background executor is shut after each test (no thread left)."""
    monkeypatch.setenv(ENV_MODE, "raise")  # the app's own guard (ui.app start()) too
    monkeypatch.setenv(ENV_EXCUSED, ",".join(sorted(STARTUP)))
    guard = ThreadGuard(threading.main_thread().ident or 0, strict=True,
                        watched_packages=UI_PACKAGES, excused=STARTUP)
    with guard.everywhere():
        yield guard
        shutdown_background()


@pytest.fixture
def make_app(qtbot: QtBot, tmp_path: Path) -> Iterator[AppFactory]:
    apps: list[CommandRoomApp] = []

    def factory(*argv: str, data: Path | None = None, settings: Settings | None = None,
                record_demo: bool = False, hooks: CoreHooks | None = None) -> CommandRoomApp:
        """``record_demo``: let the demo cameras record as in the app; off by default, so
        not every UI test runs an encoder and a reader more per demo camera on 2 cores.
        ``hooks``: what the test replaces in the core (e.g. a clock it moves)."""
        args: argparse.Namespace = build_parser().parse_args(list(argv))
        paths = Paths.resolve(data or tmp_path / "data")
        paths.ensure()
        chosen = settings or Settings()
        chosen.video.idle_stop_s = 0.5
        chosen.alerts.ack_port = 0  # several apps in one test session: any free port
        chosen.recording.demo_cameras_record = record_demo
        if settings is None:  # short clips: shutdown waits for clips being cut
            chosen.evidence.pre_seconds, chosen.evidence.post_seconds = 2.0, 1.0
        app = build_app(paths, chosen, args, hooks)
        # Not qtbot.addWidget(app.console): pytest-qt closes such widgets before fixtures
        # end, and closing the console means quitting (which may ask about alerts still
        # being sent). app.shutdown() below closes it, as quitting does.
        app.start()
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.shutdown()


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    """The application as main() prepares it for --lang zh_CN (translators, theme, display
    name); the session's language and look put back after."""
    style, palette, sheet = qapp.style().name(), qapp.palette(), qapp.styleSheet()
    locale, name = QLocale(), qapp.applicationDisplayName()
    translators = prepare_qt_app(qapp, "zh_CN")
    try:
        yield
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(locale)
        qapp.setApplicationDisplayName(name)
        qapp.setStyleSheet(sheet)
        qapp.setStyle(style)
        qapp.setPalette(palette)
