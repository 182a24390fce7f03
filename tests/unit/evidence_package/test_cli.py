"""`commandroom evidence export|verify|key` through the one command line (ui.app.main)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow
from commandroom.evidence_package.manifest import MANIFEST_NAME
from tests.unit.evidence_package.conftest import CASE, T0, Station
from tests.unit.evidence_package.support import flip_byte, rewrite
from ui.app import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_then_verify_good_and_tampered(
        station: Station, capsys: pytest.CaptureFixture[str]) -> None:
    station.core.stop()  # the command opens the station's data itself
    data = str(station.data_dir)
    code, out, err = _run(
        capsys, "--data-dir", data, "evidence", "export", "--case", CASE,
        "--sighting", str(station.sighting_id), "--camera", str(station.camera_id),
        "--from", "2026-05-01T16:00:03+08:00", "--to", f"{T0:%Y-%m-%d}T08:00:07+00:00",
        "--place", "城关派出所")
    assert code == 0, err
    package = Path(out.splitlines()[0].removeprefix("package: "))
    assert package.parent == station.data_dir / "packages" and package.is_file()
    with zipfile.ZipFile(package) as archive:  # the times given in +08:00, named in UTC
        assert "evidence/footage-1/cam1-Xinhua_Rd_North-20260501T080003Z.mp4" in \
            archive.namelist()
    fingerprint = out.splitlines()[-1].rsplit(" ", 1)[-1]

    code, key_out, _ = _run(capsys, "evidence", "key", "--data-dir", data)
    assert code == 0 and key_out.strip() == fingerprint

    code, out, _ = _run(capsys, "evidence", "verify", str(package), "--key", fingerprint)
    assert code == 0
    assert "signature: valid" in out and f"case: {CASE}" in out
    assert out.splitlines()[-1] == ("VERIFIED: the signature is valid and every file "
                                    "matches the manifest")

    with zipfile.ZipFile(package) as archive:
        names = [i["file"] for i in json.loads(archive.read(MANIFEST_NAME))["items"]]
    snapshot = next(n for n in names if n.endswith("snapshot.png"))
    footage = next(n for n in names if n.endswith(".mp4") and "footage" in n)
    rewrite(package, rename={snapshot: "evidence/other.png"})
    flip_byte(package, footage, at=5000)
    code, out, _ = _run(capsys, "evidence", "verify", str(package))
    assert code == 1
    lines = out.splitlines()
    assert f"CHANGED: {footage}: SHA-256 differs from the manifest" in out
    assert f"MISSING: {snapshot}: listed in the manifest, not in the package" in lines
    assert "NOT IN MANIFEST: evidence/other.png: in the package, not listed" in lines
    assert lines[-1] == "TAMPERED: 3 problem(s) found"

    from commandroom.db.engine import open_database

    engine, sessions = open_database(f"sqlite:///{station.data_dir / 'commandroom.db'}")
    try:
        with sessions() as session:
            event = session.scalars(select(AuditEventRow)
                                    .where(AuditEventRow.action == "evidence.package")).one()
    finally:
        engine.dispose()
    assert event.subject == CASE and event.actor.startswith("cli:")


def test_export_and_verify_refuse_bad_input_clearly(
        station: Station, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    station.core.stop()
    data = str(station.data_dir)
    code, _, err = _run(capsys, "--data-dir", data, "evidence", "export", "--case", CASE,
                        "--camera", str(station.camera_id), "--from", "2026-05-01T16:00")
    assert code == 1 and err == ("error: each --camera needs its own --from and --to; "
                                 "nothing written\n")
    code, _, err = _run(capsys, "--data-dir", data, "evidence", "export", "--case", CASE,
                        "--sighting", "999")
    assert code == 1 and err == "error: there is no sighting 999\n"
    not_zip = tmp_path / "not-a-package.zip"
    not_zip.write_bytes(b"hello")
    code, out, _ = _run(capsys, "evidence", "verify", str(not_zip))
    assert code == 1 and "UNREADABLE: not-a-package.zip: not a readable ZIP" in out
    code, _, err = _run(capsys, "evidence", "verify", str(tmp_path / "absent.zip"))
    assert code == 1 and "is not a file" in err
