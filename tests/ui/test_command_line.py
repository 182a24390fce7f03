"""The one `commandroom` command line: global options before any command (or after an
administrator command), every command in --help, no camera password in argv."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from commandroom.cli import registered_subcommands
from tests.unit.auth.fixtures import fast_hasher
from ui.app import build_parser, main


@pytest.fixture(autouse=True)
def quick_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("commandroom.auth.service.default_hasher", fast_hasher)


def test_global_options_before_or_after_an_administrator_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "station"
    monkeypatch.delenv("COMMANDROOM_DATA_DIR", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO("admin-pass-1\n"))
    assert main(["--data-dir", str(data), "operator", "create", "--username", "chief",
                 "--role", "administrator"]) == 0
    assert capsys.readouterr().out == "created the first administrator chief\n"
    assert (data / "commandroom.db").exists()

    assert main(["--data-dir", str(data), "operator", "list"]) == 0
    before = capsys.readouterr().out
    assert main(["operator", "list", "--data-dir", str(data)]) == 0
    after = capsys.readouterr().out
    assert before == after and after.splitlines()[1].split()[:2] == ["chief", "administrator"]


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    commands = [" ".join(words) for words in registered_subcommands()]
    assert len(commands) >= 8
    for command in [*commands, "view URL..."]:
        assert f"\n  {command} " in text, command
    assert "--data-dir DIR" in text


def test_view_refuses_a_password_on_the_command_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["view", "rtsp://127.0.0.1/a", "--password", "s3cret-pw"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "--password-file" in err and "--ask-password" in err
    assert "s3cret-pw" not in err


def test_view_password_from_a_file_the_environment_or_a_prompt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.app import read_view_password

    parser = build_parser()
    secret = tmp_path / "camera-password"
    secret.write_text("from-file-1\nignored\n", encoding="utf-8")
    args = parser.parse_args(["view", "rtsp://127.0.0.1/a", "--password-file", str(secret)])
    assert read_view_password(args) == "from-file-1"

    monkeypatch.setenv("COMMANDROOM_VIEW_PASSWORD", "from-env-1")
    args = parser.parse_args(["view", "rtsp://127.0.0.1/a"])
    assert read_view_password(args) == "from-env-1"

    monkeypatch.setattr("getpass.getpass", lambda prompt="": "typed-1")
    args = parser.parse_args(["view", "rtsp://127.0.0.1/a", "--ask-password"])
    assert read_view_password(args) == "typed-1"

    missing = parser.parse_args(["view", "rtsp://127.0.0.1/a", "--password-file",
                                 str(tmp_path / "nope")])
    with pytest.raises(ValueError, match="cannot read the password file"):
        read_view_password(missing)
