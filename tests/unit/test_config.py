from __future__ import annotations

import logging
from pathlib import Path

import pytest

from commandroom.config import Paths, Settings, load_settings, save_settings


def test_data_dir_keeps_everything_in_one_folder(tmp_path: Path) -> None:
    paths = Paths.resolve(tmp_path / "d")
    assert paths.config_dir == paths.data_dir == (tmp_path / "d").resolve()
    assert paths.log_dir == paths.data_dir / "logs"
    paths.ensure()
    assert (paths.data_dir.stat().st_mode & 0o777) == 0o700


def test_environment_variable_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMANDROOM_DATA_DIR", str(tmp_path / "env"))
    assert Paths.resolve().data_dir == (tmp_path / "env").resolve()
    # an explicit --data-dir wins over the environment
    assert Paths.resolve(tmp_path / "arg").data_dir == (tmp_path / "arg").resolve()


def test_settings_round_trip(tmp_path: Path) -> None:
    paths = Paths.resolve(tmp_path)
    settings = Settings(language="zh_CN")
    settings.video.stall_after_s = 1.5
    settings.evidence.pre_seconds = 7
    save_settings(paths, settings)
    loaded = load_settings(paths)
    assert loaded == settings
    assert (paths.settings_file.stat().st_mode & 0o777) == 0o600


def test_defaults_when_file_missing(tmp_path: Path) -> None:
    assert load_settings(Paths.resolve(tmp_path)) == Settings()


def test_bad_values_keep_defaults_and_say_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = Paths.resolve(tmp_path)
    paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text(
        'language = "zh_CN"\nbogus = 1\n[video]\nstall_after_s = "soon"\nidle_stop_s = 2\n',
        encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        settings = load_settings(paths)
    assert settings.language == "zh_CN"
    assert settings.video.stall_after_s == Settings().video.stall_after_s
    assert settings.video.idle_stop_s == 2.0
    assert "bogus" in caplog.text and "stall_after_s" in caplog.text


def test_broken_toml_gives_defaults(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    paths = Paths.resolve(tmp_path)
    paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text("language = ", encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        assert load_settings(paths) == Settings()
    assert "not valid TOML" in caplog.text
