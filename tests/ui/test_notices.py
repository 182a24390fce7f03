"""Every notice the core can return is translated by the UI, with the same parameters;
in English it reads exactly as the core's own ``describe()`` (the CLI's words)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import commandroom
from commandroom import notices
from commandroom.notices import Notice, describe
from ui.common.notices import catalogue, notice_text

ROOT = Path(__file__).resolve().parents[2]
QM = ROOT / "resources" / "translations" / "commandroom_zh_CN.qm"


def _import_every_core_module() -> None:
    """Codes are defined where they are used: import everything so all are known."""
    for module in pkgutil.walk_packages(commandroom.__path__, "commandroom."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)


def _sample(code: str) -> Notice:
    return Notice(code, tuple((name, f"<{name}>") for name in notices.placeholders(code)))


@pytest.fixture(scope="module")
def core_codes() -> frozenset[str]:
    _import_every_core_module()
    return notices.codes()


def test_every_core_code_has_a_translation_with_the_same_parameters(
        qtbot: QtBot, core_codes: frozenset[str]) -> None:
    table = catalogue()
    assert sorted(core_codes - set(table)) == []  # missing in ui/common/notices.py
    assert sorted(set(table) - core_codes) == []  # left over after a code was removed
    for code, (names, text) in table.items():
        assert names == notices.placeholders(code), code
        assert sorted(set(re.findall(r"%\d", text))) == [f"%{i}" for i in
                                                          range(1, len(names) + 1)], code


def test_english_ui_reads_as_the_core_describes(qtbot: QtBot,
                                                core_codes: frozenset[str]) -> None:
    for code in sorted(core_codes):
        sample = _sample(code)
        assert notice_text(sample) == describe(sample), code


def test_the_chinese_ui_shows_no_english_sentence_for_a_core_notice(
        chinese: None, core_codes: frozenset[str]) -> None:
    untranslated = []
    for code in sorted(core_codes):
        text = notice_text(_sample(code))
        words = re.sub(r"<\w+>|\b[A-Z0-9]{2,}[\w.-]*\b|[\w.+-]+://\S+|\d+", "", text)
        if text == describe(_sample(code)) or re.search(r"[a-z]{3,} [a-z]{3,}", words):
            untranslated.append((code, text))
    assert untranslated == []


def test_nested_notices_are_translated_too(chinese: None, core_codes: frozenset[str]) -> None:
    from commandroom.onvif.uri_repair import repair_uri

    [warning] = repair_uri("rtsp://192.0.2.10/live", "10.1.2.3").warnings
    text = notice_text(warning)
    assert "192.0.2.10" in text and "10.1.2.3" in text
    assert "stream" not in text  # the nested word ("stream") is translated as well
