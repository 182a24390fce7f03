"""zh_CN is always complete: every string of ui/ is translated, and the .qm is current."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "commandroom_zh_CN.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent


def test_every_string_is_translated(tmp_path: Path) -> None:
    work = tmp_path / TS.name
    shutil.copy(TS, work)
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), "-silent", "-no-obsolete", "-locations",
                    "none", "-tr-function-alias", "translate+=_tr", *sources, "-ts", str(work)],
                   check=True, cwd=ROOT)
    root = ET.parse(work).getroot()
    messages = root.findall("./context/message")
    assert len(messages) > 50
    problems = []
    for message in messages:
        source = message.findtext("source")
        translation = message.find("translation")
        if translation is None or not (translation.text or "").strip() \
                or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(source)
    assert problems == [], f"untranslated zh_CN strings: {problems}"


def test_compiled_translation_is_current(tmp_path: Path) -> None:
    out = tmp_path / "check.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), "-silent", str(TS), "-qm", str(out)],
                   check=True)
    assert QM.read_bytes() == out.read_bytes(), "run scripts/update_translations.sh"
