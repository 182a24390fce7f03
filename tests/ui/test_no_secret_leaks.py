"""After a full flow that types every kind of secret, none is in any file the app wrote."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from commandroom.logging_setup import configure_logging
from commandroom.video.state import StreamState
from tests.support.rtsp import free_port
from tests.ui.conftest import AppFactory
from ui.console.camera_dialog import CameraDialog

ADMIN_PASSWORD = "Adm1n-Lantern-77"
OFFICER_PASSWORD = "Duty-Officer-4242"
RTSP_PASSWORD = "Rtsp-Kestrel-9001"
HOOK_SECRET = "hook-secret-Marigold-5"


@pytest.fixture
def own_logging() -> Iterator[None]:
    yield
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_commandroom", False):
            root.removeHandler(handler)
            handler.close()


def test_no_password_or_credential_in_logs_or_database(
    qtbot: QtBot, make_app: AppFactory, tmp_path: Path, own_logging: None
) -> None:
    data = tmp_path / "leak"
    app = make_app("--demo", data=data)
    configure_logging(app.paths.log_dir, "DEBUG", console=False)
    # operators: the first administrator, a duty officer, a login, a failed login
    admin = app.auth.bootstrap_admin("admin", ADMIN_PASSWORD)
    app.auth.create_operator(admin, "wang", OFFICER_PASSWORD, "duty_officer")
    app.auth.login("admin", ADMIN_PASSWORD)
    try:
        app.auth.login("admin", OFFICER_PASSWORD)
    except Exception:  # the failed login is part of the flow
        logging.getLogger("test").info("failed login done")
    # a camera typed in the dialog, with its password and credentials in the URL too
    dialog = CameraDialog(app.registry, admin)
    qtbot.addWidget(dialog)
    port = free_port()
    dialog.name.setText("Gate with password")
    dialog.main_url.setText(f"rtsp://officer:{RTSP_PASSWORD}@127.0.0.1:{port}/main")
    dialog.user.setText("officer")
    dialog.password.setText(RTSP_PASSWORD)
    dialog._save()
    qtbot.waitUntil(lambda: not dialog.busy)  # saved off the GUI thread
    assert dialog.saved is not None and dialog.saved.id is not None
    app.console.grid.assign(0, dialog.saved.id)  # the reader tries, fails, logs it
    tile = app.console.grid.tiles[0]
    qtbot.waitUntil(lambda: tile.handle is not None and tile.handle.status().state in (
        StreamState.RECONNECTING, StreamState.OFFLINE), timeout=15_000)
    # a team channel with its signing secret
    team = app.alerting.teams.list_teams()[0]
    app.alerting.teams.save_channel(admin, team.id, "webhook", "robot", {
        "url": f"http://127.0.0.1:{free_port()}/hook", "signing_secret": HOOK_SECRET})
    app.shutdown()
    for handler in logging.getLogger().handlers:
        handler.flush()
    written = [p for p in data.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in written) and any(p.suffix == ".db" for p in written)
    for path in written:
        raw = path.read_bytes()
        for secret in (ADMIN_PASSWORD, OFFICER_PASSWORD, RTSP_PASSWORD, HOOK_SECRET):
            assert secret.encode() not in raw, f"{secret} found in {path.name}"
    log_text = "".join(p.read_text("utf-8", "replace") for p in written if p.suffix == ".log")
    assert f"rtsp://officer:***@127.0.0.1:{port}" in log_text or \
        f"rtsp://127.0.0.1:{port}/main" in log_text
