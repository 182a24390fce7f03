"""``commandroom teams import FILE`` end to end through the CLI entry point."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

import commandroom.cli.teams  # noqa: F401  (registers "teams import")
from commandroom import cli
from commandroom.alerts.models import TeamChannelRow
from commandroom.config import Paths
from commandroom.db.engine import open_database
from tests.unit.alerts.test_provision import TEAMS_TOML


def test_teams_import_command(data_dir: Path, tmp_path: Path) -> None:
    paths = Paths.resolve(data_dir)
    file = tmp_path / "teams.toml"
    file.write_text(TEAMS_TOML, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert cli.run(["teams", "import", str(file)], paths=paths, out=out, err=err) == 0
    assert "imported 2 team(s) (community, traffic), 3 channel(s), 2 rule(s)" in out.getvalue()
    assert "rewritten without its secrets" in out.getvalue()
    assert "MAIL-PASSWORD" not in file.read_text(encoding="utf-8")
    engine, sessions = open_database(f"sqlite:///{paths.database_file}")
    with sessions() as session:
        assert len(session.scalars(select(TeamChannelRow)).all()) == 3
    engine.dispose()


def test_a_bad_file_is_one_clear_line(data_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "teams.toml"
    file.write_text('[[team]]\nkey = "x"\n', encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["teams", "import", str(file)], paths=Paths.resolve(data_dir), out=out, err=err)
    assert code == 1
    assert "every [[team]] needs key and name; nothing changed" in err.getvalue()


def test_a_missing_file_says_so(data_dir: Path, tmp_path: Path) -> None:
    err = io.StringIO()
    code = cli.run(
        ["teams", "import", str(tmp_path / "missing.toml")],
        paths=Paths.resolve(data_dir),
        out=io.StringIO(),
        err=err,
    )
    assert code == 1 and "cannot read" in err.getvalue()
