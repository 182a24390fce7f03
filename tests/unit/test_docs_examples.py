"""The example files in docs/examples import as docs/import-formats.md says they do: the
documentation cannot drift from what the importers accept."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from commandroom.audit.trail import AuditTrail
from commandroom.auth.permissions import SYSTEM
from commandroom.cameras.csv_io import import_cameras_csv
from commandroom.cameras.registry import CameraRegistry
from commandroom.cli import run
from commandroom.config import Paths
from commandroom.db.engine import open_database
from commandroom.events import EventBus
from commandroom.secrets.store import DatabaseSecretStore, load_or_create_key

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
DOC = EXAMPLES.parent / "import-formats.md"


def _cli(paths: Paths, *argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), paths=paths, out=out, err=err)
    return code, out.getvalue() + err.getvalue()


def test_the_document_shows_each_example_and_the_readme_links_it() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in ("cameras.csv", "watchlist.csv", "teams.toml"):
        assert f"examples/{name}" in text
    readme = (EXAMPLES.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "docs/import-formats.md" in readme


def test_the_camera_example_imports_every_row(tmp_path: Path) -> None:
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        store = DatabaseSecretStore(sessions, load_or_create_key(tmp_path / "secret.key"))
        registry = CameraRegistry(sessions, store, EventBus(), AuditTrail(sessions))
        report = import_cameras_csv(registry, SYSTEM, (EXAMPLES / "cameras.csv").read_bytes())
        assert report.errors == []
        assert report.imported == ["Xinhua Rd North", "Market Bridge", "School Gate"]
        cameras = {c.name: c for c in registry.cameras(SYSTEM)}
        assert cameras["Xinhua Rd North"].ptz_capable and not cameras["School Gate"].enabled
        assert registry.credentials(SYSTEM, cameras["Xinhua Rd North"]) == ("viewer",
                                                                           "change-me")
        assert {g.name for g in registry.groups(SYSTEM)} == {"North", "Market"}
    finally:
        engine.dispose()


def test_the_watch_list_example_imports_with_its_photo(tmp_path: Path) -> None:
    paths = Paths.resolve(tmp_path / "d")
    paths.ensure()
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(EXAMPLES / "zhang-san.jpg", photos / "zhang-san.jpg")
    code, text = _cli(paths, "watchlist", "import", str(EXAMPLES / "watchlist.csv"),
                      "--photos", str(photos))
    assert code == 0, text
    assert "3 created" in text


def test_the_teams_example_imports_and_loses_its_secrets(tmp_path: Path) -> None:
    paths = Paths.resolve(tmp_path / "d")
    paths.ensure()
    copy = tmp_path / "teams.toml"  # the import rewrites the file it reads
    shutil.copy(EXAMPLES / "teams.toml", copy)
    code, text = _cli(paths, "teams", "import", str(copy))
    assert code == 0, text
    rewritten = copy.read_text(encoding="utf-8")
    for secret in ("REPLACE-WITH-ROBOT-KEY",
                   "REPLACE-WITH-TOKEN", "REPLACE-WITH-SIGNING-SECRET"):
        assert secret not in rewritten
    assert rewritten.count("secret_ref") == 2  # the robot key, the DingTalk token + secret


@pytest.mark.parametrize("name", ["cameras.csv", "watchlist.csv"])
def test_the_csv_examples_are_utf8(name: str) -> None:
    (EXAMPLES / name).read_bytes().decode("utf-8")
