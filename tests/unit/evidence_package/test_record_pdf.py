"""The extraction record PDF in the package: rendered by poppler, its text read back."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

from commandroom.evidence_package.manifest import MANIFEST_NAME, RECORD_NAME
from tests.unit.evidence_package.conftest import CASE, Station

FIELD_NAMES = ("电子数据提取笔录", "固定清单", "案件编号", "提取时间", "北京时间", "提取地点",
               "提取工具", "时钟偏差", "签名密钥指纹", "提取人（侦查人员）签名", "见证人签名",
               "Case number", "Witness signature")


def test_the_record_renders_with_the_chinese_fields_and_every_hash(
        station: Station, tmp_path: Path) -> None:
    result = station.package()
    pdf = tmp_path / "record.pdf"
    with zipfile.ZipFile(result.path) as archive:
        pdf.write_bytes(archive.read(RECORD_NAME))
        manifest = json.loads(archive.read(MANIFEST_NAME))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    for field in FIELD_NAMES:
        assert field in text, field
    assert CASE in text and "城关派出所指挥室" in text and "commandroom 0.1.0" in text
    assert "2026-05-01 16:00:05" in text  # the snapshot's time, Beijing
    assert "Xinhua Rd North: -2.500 s" in text  # the measured camera clock offset
    others = [i for i in manifest["items"] if i["kind"] != "extraction_record"]
    assert len(others) == 4
    for item in others:
        assert item["file"] in text and f"SHA-256: {item['sha256']}" in text
    assert result.key_fingerprint in text
    # The CJK font is embedded (a subset): the Chinese shows on any computer.
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts)
    assert any("WenQuanYi" in line for line in fonts)
    # And poppler renders page 1.
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True, capture_output=True)
    (page,) = tmp_path.glob("page*.png")
    assert page.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and page.stat().st_size > 5000
