"""UI fixtures: the real composition root on a private data dir, demo cameras."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from commandroom.config import Paths, Settings
from ui.app import CommandRoomApp, build_app, build_parser

AppFactory = Callable[..., CommandRoomApp]


@pytest.fixture
def make_app(qtbot: QtBot, tmp_path: Path) -> Iterator[AppFactory]:
    apps: list[CommandRoomApp] = []

    def factory(*argv: str, data: Path | None = None, settings: Settings | None = None
                ) -> CommandRoomApp:
        args: argparse.Namespace = build_parser().parse_args(list(argv))
        paths = Paths.resolve(data or tmp_path / "data")
        paths.ensure()
        chosen = settings or Settings()
        chosen.video.idle_stop_s = 0.5
        chosen.alerts.ack_port = 0  # several apps in one test session: any free port
        if settings is None:  # short clips: shutdown waits for clips being cut
            chosen.evidence.pre_seconds, chosen.evidence.post_seconds = 2.0, 1.0
        app = build_app(paths, chosen, args)
        # Not qtbot.addWidget(app.console): pytest-qt closes such widgets before fixtures
        # end, and closing the console means quitting (which may ask about alerts still
        # being sent). app.shutdown() below closes it, as quitting does.
        app.start()
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.shutdown()
