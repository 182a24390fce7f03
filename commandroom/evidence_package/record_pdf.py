"""The extraction record and evidence list (电子数据提取笔录 / 固定清单) as a PDF.

Pre-filled from the same values as the manifest: case, time, place, tool, every file with
its SHA-256 and the cameras' clock offsets, with blank places for two officers' and a
witness's signatures (the rules ask for two investigators and a witness or a recording of
the extraction). Every label is in Chinese and English.

fpdf2 writes it, in the app's one embedded CJK font (``commandroom.pdf_fonts`` says
which and why only one face). Loading that font is the slow part: ``prepare_record`` does
it first, on a worker, while the package's files are copied (hashing and writing release
the GIL), so it costs no time in the package.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from commandroom.evidence_package.manifest import (
    LEGAL_BASIS,
    TOOL_NAME,
    ItemInfo,
    ItemKind,
    PackageHeader,
    beijing,
)
from commandroom.pdf_fonts import CJK_FAMILY, add_cjk_font

_TEXT = CJK_FAMILY

KIND_WORDS = {
    ItemKind.SNAPSHOT: "快照 Snapshot",
    ItemKind.SIGHTING_CLIP: "视频片段 Clip",
    ItemKind.FOOTAGE: "录像 Footage",
    ItemKind.EXPORT_MANIFEST: "导出清单 Export manifest",
    ItemKind.EXTRACTION_RECORD: "提取笔录 Record",
}


_NOTE = ("原始文件逐字节复制，未经重新编码；每个文件的 SHA-256 及本笔录均列于 manifest.json，"
         "该清单以本站 Ed25519 密钥签名（commandroom evidence verify 可校验）。\n"
         "Original files copied byte for byte, never re-encoded; every file's SHA-256 and "
         "this record are listed in manifest.json, signed with the station's Ed25519 key "
         "(check with: commandroom evidence verify).")


class _Record(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(_TEXT, size=8)
        self.cell(0, 5, f"第 {self.page_no()} 页 / 共 {{nb}} 页   Page {self.page_no()} of {{nb}}",
                  align="C")


def _field(pdf: FPDF, label: str, value: str, size: float = 9) -> None:
    pdf.set_font(_TEXT, size=9)
    pdf.cell(58, 6, label, border=1)
    pdf.set_font(_TEXT, size=size)
    pdf.multi_cell(0, 6, value or " ", border=1, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _span(item: ItemInfo) -> str:
    if item.start is None:
        return "-"
    start = beijing(item.start)[:23].replace("T", " ")
    end = beijing(item.end)[11:23] if item.end is not None else ""
    return f"{start} – {end}" if end else start


def _offsets(items: Sequence[ItemInfo]) -> str:
    seen: dict[str, list[str]] = {}
    for item in items:
        if item.camera is not None:
            offsets = seen.setdefault(item.camera.name, [])
            if item.offset_text not in offsets:
                offsets.append(item.offset_text)
    if not seen:
        return "-"
    return "\n".join(f"{name}: {', '.join(offsets)}" for name, offsets in sorted(seen.items()))


def prepare_record() -> FPDF:
    """An empty record with its font loaded (the slow part): for ``render_record``."""
    return add_cjk_font(_Record(orientation="portrait", unit="mm", format="A4"))


def render_record(header: PackageHeader, items: Sequence[ItemInfo],
                  prepared: FPDF | None = None) -> bytes:
    """The PDF's bytes; ``items`` are every other file of the package."""
    pdf = prepared or prepare_record()
    pdf.set_creation_date(header.created)  # the same package, the same PDF
    pdf.set_title(f"电子数据提取笔录 {header.case_number}")
    pdf.set_creator(f"{TOOL_NAME} {header.tool_version}")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(15, 14, 15)
    pdf.add_page()

    pdf.set_font(_TEXT, size=16)
    pdf.cell(0, 9, "电子数据提取笔录 / 固定清单", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_TEXT, size=10)
    pdf.cell(0, 6, "Electronic data extraction record and evidence list", align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    created = header.created
    _field(pdf, "案件编号 Case number", header.case_number)
    _field(pdf, "证据包编号 Package ID", header.package_id)
    _field(pdf, "提取时间 Time (北京时间 Beijing)", _when(created))
    _field(pdf, "提取地点 Place", header.place)
    _field(pdf, "操作人 Operator", f"{header.operator} ({header.operator_role})")
    _field(pdf, "提取工具 Tool", f"{TOOL_NAME} {header.tool_version}")
    _field(pdf, "时钟偏差 Clock offset (camera − station)", _offsets(items))
    _field(pdf, "校验算法 Hash algorithm", "SHA-256")
    # 71 characters: smaller, so that it stays on one line (copied and compared whole).
    _field(pdf, "签名密钥指纹 Signing key (Ed25519)", header.key_fingerprint, size=7.5)
    _field(pdf, "依据 Legal basis", "\n".join(LEGAL_BASIS))

    pdf.ln(4)
    pdf.set_font(_TEXT, size=12)
    pdf.cell(0, 7, "固定清单 Evidence list", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for number, item in enumerate(items, start=1):
        _item(pdf, number, item)

    pdf.ln(3)
    pdf.set_font(_TEXT, size=8.5)
    pdf.multi_cell(0, 4.5, _NOTE, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _signatures(pdf)
    return bytes(pdf.output())


def _when(moment: datetime) -> str:
    return f"{beijing(moment)[:19].replace('T', ' ')}  (UTC {moment:%Y-%m-%d %H:%M:%S})"


def _item(pdf: FPDF, number: int, item: ItemInfo) -> None:
    if pdf.will_page_break(21):
        pdf.add_page()
    camera = (f"{item.camera.name} [{item.camera.id}] {item.camera.junction}".strip()
              if item.camera else "-")
    lines = (
        (item.file, 9, "T"),
        (f"类型 Kind: {KIND_WORDS.get(item.kind, item.kind)}    大小 Size: {item.bytes:,} B    "
         f"摄像机 Camera: {camera}", 8.5, ""),
        (f"时间 Time (北京 Beijing): {_span(item)}    时钟偏差 Offset: {item.offset_text}", 8.5,
         ""),
        (f"SHA-256: {item.sha256}", 8.5, "B"),
    )
    for index, (text, size, edge) in enumerate(lines):
        pdf.set_font(_TEXT, size=size)
        pdf.cell(8, 5, str(number) if index == 0 else "", border="L" + edge)
        pdf.cell(0, 5, text, border="R" + edge, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _signatures(pdf: FPDF) -> None:
    if pdf.will_page_break(48):
        pdf.add_page()
    pdf.ln(5)
    pdf.set_font(_TEXT, size=10)
    for label in ("提取人（侦查人员）签名 Officer 1 signature",
                  "提取人（侦查人员）签名 Officer 2 signature",
                  "见证人签名 Witness signature"):
        pdf.cell(80, 11, label)
        pdf.cell(55, 11, "_" * 26)
        pdf.cell(0, 11, "日期 Date ____________", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_TEXT, size=8.5)
    pdf.cell(0, 6, "见证人身份证号 Witness ID number: ______________________   "
                   "联系电话 Phone: ______________", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
