"""The incident report of an incident taken to "caught in 47 min" through the real
services, in Chinese and in English: poppler reads back the field names and the figures,
lists the CJK font as embedded, finds the one snapshot whose file exists, and renders page
1; the report is audited with its SHA-256 and refused to a role that may not export."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from commandroom.audit.trail import AuditFilter, verify_chain
from commandroom.auth.permissions import PermissionDenied
from commandroom.reports import Lang
from tests.unit.reports.conftest import (
    OFFICER,
    SUPERVISOR,
    Station,
    fonts_embedded,
    pdf_text,
    render_page_one,
)

EXPECTED = {
    Lang.ZH_CN: ["警情报告", "事件编号 JX-2026-0001", "处置结果 已抓获 — 47 分钟",
                 "结果确认 wang记录（通过电台，Sgt Liu）", "到场 2026-11-30 16:30:00 (+30 分钟)",
                 "到场用时 30 分钟", "处置用时 47 分钟",
                 "签收用时 社区警务队 2 分钟，案件办理队 6 分钟",
                 "布控对象 张三 Zhang San (在逃人员)", "类别 在逃人员", "时间线",
                 "社区警务队 通过电话签收 (Li Wei)", "在 南门 发现目标（wang 标记）",
                 "证据包 EV-JX-2026-0001.zip", "嫌疑人在汽车站被控制", "第1页/共2页"],
    Lang.EN: ["Incident report", "Incident number JX-2026-0001", "Outcome caught — 47 min",
              "recorded by wang (by radio, Sgt Liu)", "On scene 2026-11-30 16:30:00 (+30 min)",
              "To scene 30 min", "To resolution 47 min",
              "To acknowledge Community policing 2 min, Case handling 6 min",
              "Watch-list entries 张三 Zhang San (Wanted)", "Timeline",
              "Community policing acknowledged by phone (Li Wei)",
              "Evidence package EV-JX-2026-0001.zip", "Suspect held at the bus station",
              "Page 1 of 2"],
}


@pytest.mark.parametrize("lang", list(Lang))
def test_report_reads_back_with_its_fields_and_figures(station: Station, tmp_path: Path,
                                                      lang: Lang) -> None:
    path = tmp_path / f"JX-2026-0001-{lang}.pdf"
    written = station.stack.core.reports.write_incident(SUPERVISOR, station.incident_id, lang,
                                                        path)
    assert written.path == path and written.sha256 == hashlib.sha256(
        path.read_bytes()).hexdigest()
    text = pdf_text(path)
    # pdftotext may break a line a table cell wraps, and it drops the spaces between
    # Chinese and figures in the page number: whitespace is single spaces, or none.
    missing = [phrase for phrase in EXPECTED[lang]
               if phrase not in text and phrase not in text.replace(" ", "")]
    assert not missing, text
    other = Lang.EN if lang is Lang.ZH_CN else Lang.ZH_CN
    assert EXPECTED[other][0] not in text  # one language per file
    fonts = fonts_embedded(path)
    assert fonts and all(emb == "yes" for _, emb in fonts), fonts
    assert all("WenQuanYi" in name for name, _ in fonts)
    # One thumbnail: the first sighting's snapshot; the second one's file is gone.
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    assert len(images) == 1
    page = render_page_one(path, tmp_path / f"page-{lang}")
    assert page.stat().st_size > 10_000


def test_timeline_is_in_order(station: Station, tmp_path: Path) -> None:
    path = tmp_path / "order.pdf"
    station.stack.core.reports.write_incident(SUPERVISOR, station.incident_id, Lang.EN, path)
    text = pdf_text(path)
    steps = ["+0:00", "+1:00", "+3:00", "+7:30", "+17:30", "+30:00", "+40:00", "+47:00"]
    where = [text.index(step) for step in ["−0:10", *steps]]
    assert where == sorted(where)


def test_each_report_written_is_audited_with_its_sha256(station: Station,
                                                        tmp_path: Path) -> None:
    core = station.stack.core
    written = core.reports.write_incident(SUPERVISOR, station.incident_id, "zh_CN",
                                          tmp_path / "audited.pdf")
    [event] = core.audit.query(SUPERVISOR, AuditFilter(action_prefix="report."))
    assert (event.actor, event.action, event.subject) == (
        "li", "report.export", f"incident:{station.incident_id}")
    assert event.details == {"kind": "incident", "number": "JX-2026-0001", "lang": "zh_CN",
                             "file": "audited.pdf", "sha256": written.sha256}
    assert verify_chain(core.sessions).ok


def test_a_duty_officer_may_not_export_a_report(station: Station, tmp_path: Path) -> None:
    core = station.stack.core
    with pytest.raises(PermissionDenied):
        core.reports.write_incident(OFFICER, station.incident_id, "en",
                                    tmp_path / "refused.pdf")
    assert not (tmp_path / "refused.pdf").exists()
    assert core.audit.query(SUPERVISOR, AuditFilter(action_prefix="report.")) == []
