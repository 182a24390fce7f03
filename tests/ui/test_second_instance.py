"""A second console on a data folder in use: the officer is told before any window, in
their language, which folder and which running console, and it starts nothing."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from commandroom.config import Paths, Settings
from commandroom.runtime import DataFolderInUse
from commandroom.runtime.instance_lock import Holder, InstanceLock
from tests.ui.keyboard import modals_driven, press
from tests.ui.zh_walk import english_words
from ui.app import build_app
from ui.second_instance import folder_in_use_box, say_folder_in_use


def _settings() -> Settings:
    settings = Settings()
    settings.alerts.ack_port = 0
    return settings


def test_the_second_console_is_refused_and_told_which_folder_and_console(
        qtbot: QtBot, tmp_path: Path) -> None:
    paths = Paths.resolve(tmp_path / "data")
    paths.ensure()
    held = InstanceLock(paths.data_dir).acquire()  # the console already running
    args = argparse.Namespace(command=None, demo=False, no_demo=True)
    try:
        try:
            build_app(paths, _settings(), args)
        except DataFolderInUse as exc:
            refused = exc
        else:
            raise AssertionError("a second console was built on a folder in use")
        assert not paths.database_file.exists()  # nothing of the folder touched
        shown: list[str] = []

        def read_and_close(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            shown.append(box.text() + "\n" + box.informativeText())
            press(Qt.Key.Key_Return)

        with modals_driven([read_and_close]):
            say_folder_in_use(refused)
        assert len(shown) == 1
        assert "already running" in shown[0] and "Use its window" in shown[0]
        assert f"Data folder: {paths.data_dir}" in shown[0]
        assert f"Running: process {os.getpid()} on " in shown[0]
    finally:
        held.release()


def test_the_message_is_in_chinese_on_a_chinese_console(chinese: None, tmp_path: Path) -> None:
    box = folder_in_use_box(DataFolderInUse(
        tmp_path, Holder(4242, "station-pc", "2026-12-03 10:25:56")))
    for text in (box.windowTitle(), box.text(), box.informativeText()):
        assert not english_words(text, {"station", "pc", "tmp", "pytest", "of", "root"}
                                 | {w.lower() for w in tmp_path.parts})
    assert "4242" in box.informativeText() and str(tmp_path) in box.informativeText()
