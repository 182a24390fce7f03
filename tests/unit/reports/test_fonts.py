"""One font lookup for every PDF: the extraction record and the reports find (or miss)
the CJK font in the same place, and say how to install it."""

from __future__ import annotations

from pathlib import Path

import pytest

from commandroom import pdf_fonts
from commandroom.evidence_package.record_pdf import prepare_record
from commandroom.reports import Words
from commandroom.reports.document import new_report


def test_the_record_and_the_reports_load_the_same_face() -> None:
    record, report = prepare_record(), new_report(Words("en"))
    assert set(record.fonts) == set(report.fonts) == {pdf_fonts.CJK_FAMILY}
    assert record.fonts[pdf_fonts.CJK_FAMILY].ttffile == report.fonts[
        pdf_fonts.CJK_FAMILY].ttffile == pdf_fonts.cjk_font_file()


def test_without_the_font_both_say_which_package_to_install(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pdf_fonts, "FONT_FILES", (tmp_path / "none.ttc",))
    for make in (prepare_record, lambda: new_report(Words("zh_CN"))):
        with pytest.raises(pdf_fonts.CjkFontMissing, match="fonts-wqy-microhei"):
            make()
