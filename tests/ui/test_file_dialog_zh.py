"""Qt's own file dialog on a Chinese console: every label and the Type column in Chinese
(Qt's translation lacks some: resources/translations/qt/), file names as they are."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QTreeView
from pytestqt.qtbot import QtBot

from tests.ui.zh_walk import english_on, english_words, window_texts

ROOT = Path(__file__).resolve().parents[2]
GAPS = ROOT / "resources" / "translations" / "qt" / "qtbase_gaps_zh_CN.ts"


@pytest.mark.parametrize("mode", [QFileDialog.AcceptMode.AcceptOpen,
                                  QFileDialog.AcceptMode.AcceptSave])
def test_the_file_dialog_has_no_english_on_a_chinese_console(
        chinese: None, qtbot: QtBot, tmp_path: Path, mode: QFileDialog.AcceptMode) -> None:
    (tmp_path / "exports").mkdir()
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4\n")
    dialog = QFileDialog(None, "导出", str(tmp_path), "PDF 文件 (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # as on the station PC
    dialog.setAcceptMode(mode)
    qtbot.addWidget(dialog)
    dialog.show()
    view = dialog.findChild(QTreeView, "treeView")
    assert view is not None
    # The folder is read in the background: wait until both entries are listed.
    qtbot.waitUntil(lambda: view.model().rowCount(view.rootIndex()) == 2)
    QApplication.processEvents()
    # Labels, buttons, tooltips, headers; not the cells: those are file names (the whole
    # of /tmp's tree here), checked below for the one column that is not a name.
    seen = [item for item in window_texts(dialog, "file dialog") if "cell" not in item.where]
    model, root = view.model(), view.rootIndex()
    types = [model.index(row, 2, root).data() for row in range(model.rowCount(root))]
    assert "文件夹" in types and len(types) == 2  # the PDF's: "PDF 文档" from the MIME
    found = english_on(seen, {"pdf"}) + [  # database where it has one, else "pdf 文件"
        f"Type column | {t}" for t in types if english_words(t, {"pdf"})]
    assert found == [], "English in the file dialog:\n" + "\n".join(found)


def test_the_gaps_translation_is_compiled(tmp_path: Path) -> None:
    out = tmp_path / "check.qm"
    subprocess.run([str(ROOT / ".venv" / "bin" / "pyside6-lrelease"), "-silent", str(GAPS),
                    "-qm", str(out)], check=True)
    assert GAPS.with_suffix(".qm").read_bytes() == out.read_bytes(), \
        "run scripts/update_translations.sh"
