"""The admin command line, run in-process against a private data dir."""

from __future__ import annotations

import argparse
import io
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command

from commandroom import cli
from commandroom.audit.trail import AuditTrail
from commandroom.auth.service import AuthService
from commandroom.config import Paths
from commandroom.db.engine import alembic_config, create_db_engine, open_database
from tests.unit.auth.fixtures import fast_hasher

ADMIN_PW = "admin-pass-1"


@pytest.fixture(autouse=True)
def quick_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("commandroom.auth.service.default_hasher", fast_hasher)


@pytest.fixture
def paths(data_dir: Path) -> Paths:
    return Paths.resolve(data_dir)


class Run:
    def __init__(self, paths: Paths, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
        self.paths, self.monkeypatch, self.capsys = paths, monkeypatch, capsys

    def __call__(self, *argv: str, stdin: str = "") -> tuple[int, str, str]:
        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = cli.run(list(argv), paths=self.paths)
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err


@pytest.fixture
def run(paths: Paths, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Run:
    return Run(paths, monkeypatch, capsys)


@pytest.fixture
def with_admin(run: Run) -> Run:
    code, out, _ = run("operator", "create", "--username", "admin", "--role", "administrator",
                       stdin=ADMIN_PW + "\n")
    assert code == 0, out
    return run


@pytest.fixture
def auth(paths: Paths, with_admin: Run) -> Iterator[AuthService]:
    engine, sessions = open_database(f"sqlite:///{paths.database_file}")
    yield AuthService(sessions, AuditTrail(sessions), hasher=fast_hasher())
    engine.dispose()


def test_first_operator_must_be_the_administrator(run: Run) -> None:
    code, _, err = run("operator", "create", "--username", "duty1", "--role", "duty_officer",
                       stdin="duty-pass-1\n")
    assert code == 1 and "first one must be an administrator" in err
    code, out, _ = run("operator", "create", "--username", "Admin", "--role", "administrator",
                       stdin=ADMIN_PW + "\n")
    assert (code, out) == (0, "created the first administrator admin\n")


def test_the_password_is_never_an_argument(run: Run) -> None:
    code, _, err = run("operator", "create", "--username", "admin", "--role", "administrator",
                       "--password", ADMIN_PW)
    assert code == 2 and "unrecognized arguments" in err


def test_bad_password_or_none_changes_nothing(with_admin: Run, auth: AuthService) -> None:
    code, _, err = with_admin("operator", "create", "--username", "duty1",
                              "--role", "duty_officer", stdin="short\n")
    assert code == 1 and err == "error: password must be at least 8 characters\n"
    code, _, err = with_admin("operator", "create", "--username", "duty1",
                              "--role", "duty_officer", stdin="")
    assert code == 1 and "no password given" in err
    code, out, _ = with_admin("operator", "list")
    assert "duty1" not in out


def test_terminal_input_asks_twice(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter(["admin-pass-1", "admin-pass-2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr(sys, "stdin", Tty())
    assert cli.run(["operator", "create", "--username", "a", "--role", "administrator"],
                   paths=run.paths) == 1
    answers = iter(["admin-pass-1", "admin-pass-1"])
    assert cli.run(["operator", "create", "--username", "a", "--role", "administrator"],
                   paths=run.paths) == 0


def test_create_list_reset_and_unlock(with_admin: Run, auth: AuthService) -> None:
    code, out, _ = with_admin("operator", "create", "--username", "duty1", "--role",
                              "duty_officer", "--display-name", "王警官", stdin="duty-pass-1\n")
    assert code == 0 and "must be changed at first login" in out
    code, _, err = with_admin("operator", "create", "--username", "duty1", "--role",
                              "viewer", stdin="duty-pass-1\n")
    assert code == 1 and "already exists" in err
    code, out, _ = with_admin("operator", "list")
    lines = out.splitlines()
    assert lines[0].split() == ["username", "role", "state", "last", "login", "name"]
    assert lines[1].split()[:3] == ["admin", "administrator", "active"]
    assert "王警官 (must change password)" in lines[2]

    code, out, _ = with_admin("operator", "reset", "--username", "duty1", stdin="new-pass-12\n")
    assert code == 0
    actor = auth.login("duty1", "new-pass-12")
    assert auth.must_change_password(actor)
    code, _, err = with_admin("operator", "reset", "--username", "ghost", stdin="new-pass-12\n")
    assert code == 1 and "no operator named 'ghost'" in err
    code, out, _ = with_admin("operator", "reset", "--username", "duty1", "--unlock-only")
    assert (code, out) == (0, "unlocked duty1\n")


def test_cli_changes_are_audited_under_the_os_user(with_admin: Run, paths: Paths) -> None:
    with_admin("operator", "create", "--username", "v1", "--role", "viewer",
               stdin="view-pass-1\n")
    with sqlite3.connect(paths.database_file) as conn:
        actors = conn.execute("SELECT actor, action FROM audit_event ORDER BY seq").fetchall()
    assert actors[0] == ("admin", "operator.bootstrap")
    assert actors[1][0].startswith("cli:") and actors[1][1] == "operator.create"


def test_audit_verify_reports_intact_and_broken(with_admin: Run, paths: Paths) -> None:
    with_admin("operator", "create", "--username", "v1", "--role", "viewer",
               stdin="view-pass-1\n")
    code, out, _ = with_admin("audit", "verify")
    assert code == 0 and out.splitlines()[0] == "chain intact: 2 events"
    with sqlite3.connect(paths.database_file) as conn:
        conn.execute("""UPDATE audit_event SET details='{"role":"administrator"}' WHERE seq=2""")
    code, out, _ = with_admin("audit", "verify")
    assert code == 1
    assert out == "BROKEN at event #2: stored content does not match its hash (edited)\n"


def test_audit_export(with_admin: Run, tmp_path: Path) -> None:
    with_admin("operator", "create", "--username", "v1", "--role", "viewer",
               stdin="view-pass-1\n")
    out_file = tmp_path / "audit.csv"
    code, out, _ = with_admin("audit", "export", "--out", str(out_file), "--action", "operator.c")
    assert (code, out) == (0, f"exported 1 events to {out_file}\n")
    assert out_file.read_text(encoding="utf-8").count("\n") == 2
    code, _, err = with_admin("audit", "export", "--out", str(out_file), "--since", "yesterday")
    assert code == 2 and "is not a date/time" in err
    code, out, _ = with_admin("audit", "verify")
    assert out.startswith("chain intact: 3 events")  # the export itself was recorded


def test_db_check_on_a_healthy_database(with_admin: Run) -> None:
    code, out, _ = with_admin("db", "check")
    assert code == 0
    assert out.splitlines() == [
        f"migrations: at head ({_head()})", "integrity_check: ok", "schema: matches the models"]


def _head() -> str:
    from alembic.script import ScriptDirectory

    engine = create_db_engine("sqlite://")
    try:
        return str(ScriptDirectory.from_config(alembic_config(engine)).get_current_head())
    finally:
        engine.dispose()


def test_db_check_without_a_database(run: Run, paths: Paths) -> None:
    code, out, _ = run("db", "check")
    assert code == 1 and out.startswith("no database at")
    assert not paths.database_file.exists()  # a check creates nothing


def test_db_check_on_an_old_database(run: Run, paths: Paths) -> None:
    paths.ensure()
    engine = create_db_engine(f"sqlite:///{paths.database_file}")
    command.upgrade(alembic_config(engine), "0001")
    engine.dispose()
    code, out, _ = run("db", "check")
    assert code == 1
    assert out.splitlines()[0].startswith("migrations: database at 0001, code at")
    assert "integrity_check: ok" in out


def test_usage_errors_exit_2(run: Run) -> None:
    assert run()[0] == 2
    assert run("operator")[0] == 2
    assert run("operator", "create")[0] == 2
    code, _, err = run("operator", "create", "--username", "x", "--role", "chief")
    assert code == 2 and "invalid choice" in err


def test_a_new_subcommand_is_one_decorated_function(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_REGISTRY", dict(cli._REGISTRY))

    @cli.subcommand("watchlist count", "count entries", cli.arg("--kind", default="person"))
    def watchlist_count(ctx: cli.CommandRun, args: argparse.Namespace) -> int:
        ctx.print(f"0 {args.kind} entries in {ctx.paths.data_dir.name}")
        return 0

    assert "watchlist" in cli.command_groups()
    assert run("watchlist", "count", "--kind", "vehicle") == (0, "0 vehicle entries in data\n", "")
    with pytest.raises(ValueError, match="registered twice"):
        cli.subcommand("watchlist count", "again")(watchlist_count)


def test_the_data_dir_option_wins(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    code, out, _ = run("--data-dir", str(other), "db", "check")
    assert code == 1 and str(other) in out
