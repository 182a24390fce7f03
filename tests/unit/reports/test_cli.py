"""`commandroom report incident|monthly` through the one command line (ui.app.main)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from commandroom.audit.trail import AuditEventRow
from tests.unit.reports.conftest import Station, pdf_text
from ui.app import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_incident_and_monthly_reports_from_the_command_line(
        station: Station, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    station.stack.close()  # the command opens the station's data itself
    data = str(station.data_dir)
    incident_pdf = tmp_path / "JX-2026-0001.pdf"
    code, out, err = _run(capsys, "--data-dir", data, "report", "incident", "JX-2026-0001",
                          "--lang", "en", "--out", str(incident_pdf))
    assert code == 0, err
    digest = hashlib.sha256(incident_pdf.read_bytes()).hexdigest()
    assert out.splitlines()[:2] == [f"report: {incident_pdf}", f"SHA-256: {digest}"]
    assert "Outcome caught — 47 min" in pdf_text(incident_pdf)

    monthly_pdf = tmp_path / "2026-11.pdf"
    code, out, err = _run(capsys, "--data-dir", data, "report", "monthly", "2026-11",
                          "--lang", "zh_CN", "--out", str(monthly_pdf))
    assert code == 0, err
    text = pdf_text(monthly_pdf)
    # The one incident of the month, none in October or a year before.
    assert "月度报告" in text and "警情数同比：无可比数据（去年同月为 0）" in text

    engine = create_engine(f"sqlite:///{station.data_dir / 'commandroom.db'}")
    with engine.connect() as connection:
        rows = connection.execute(select(AuditEventRow.action, AuditEventRow.subject,
                                         AuditEventRow.actor)
                                  .where(AuditEventRow.action == "report.export")).all()
    engine.dispose()
    assert [(action, subject) for action, subject, _ in rows] == [
        ("report.export", f"incident:{station.incident_id}"),
        ("report.export", "month:2026-11")]
    assert all(actor.startswith("cli:") for _, _, actor in rows)


def test_bad_input_says_so_and_writes_nothing(
        station: Station, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    station.stack.close()
    data = str(station.data_dir)
    out_pdf = tmp_path / "none.pdf"
    code, _, err = _run(capsys, "--data-dir", data, "report", "incident", "JX-2026-9999",
                        "--out", str(out_pdf))
    assert (code, err.strip()) == (1, "error: there is no incident JX-2026-9999")
    code, _, err = _run(capsys, "--data-dir", data, "report", "incident", "77",
                        "--out", str(out_pdf))
    assert code == 1 and "no incident 77" in err and "nothing written" in err
    with pytest.raises(SystemExit) as usage:  # argparse's usage error
        main(["--data-dir", data, "report", "monthly", "November", "--out", str(out_pdf)])
    assert usage.value.code == 2
    assert "not a month like 2026-11" in capsys.readouterr().err
    assert not out_pdf.exists()
