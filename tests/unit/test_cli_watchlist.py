"""`commandroom watchlist import|export` and `commandroom teams import` from the entry point."""

from __future__ import annotations

import io
from pathlib import Path

from commandroom.cli import command_groups, run
from commandroom.config import Paths


def call(paths: Paths, *argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), paths=paths, out=out, err=err)
    return code, out.getvalue() + err.getvalue()


def test_groups_include_feature_modules() -> None:
    assert {"operator", "audit", "db", "teams", "watchlist"} <= command_groups()


def test_watchlist_import_reports_bad_lines_and_exports(tmp_path: Path) -> None:
    paths = Paths.resolve(tmp_path / "d")
    paths.ensure()
    src = tmp_path / "list.csv"
    src.write_text("kind,name,id_number,category,risk\n"
                   "person,Zhang San,11010519491231002X,wanted,high\n"
                   "person,Bad Id,110105194912310021,suspect,high\n", encoding="gb18030")
    code, text = call(paths, "watchlist", "import", str(src))
    assert code == 1
    assert "1 created" in text and "line 3:" in text
    out = tmp_path / "out.csv"
    code, text = call(paths, "watchlist", "export", "--out", str(out))
    assert code == 0 and "1 entry written" in text
    assert "Zhang San" in out.read_text(encoding="utf-8-sig")


def test_teams_import_moves_secrets(tmp_path: Path) -> None:
    paths = Paths.resolve(tmp_path / "d")
    paths.ensure()
    toml = tmp_path / "teams.toml"
    toml.write_text(
        '[[team]]\nkey = "community"\nname = "Community policing"\n'
        '[[team.channel]]\nkind = "webhook"\nname = "robot"\n'
        'url = "http://127.0.0.1:9/hook"\nsigning_secret = "s3cret-value"\n',
        encoding="utf-8")
    code, text = call(paths, "teams", "import", str(toml))
    assert code == 0, text
    assert "s3cret-value" not in toml.read_text(encoding="utf-8")
    assert b"s3cret-value" not in (paths.data_dir / "commandroom.db").read_bytes()
