"""What both reports share: an A4 page in the embedded CJK font with the page number
below, headings, label/value rows and tables (fpdf2's own table, which wraps long cells
and repeats its header on a new page)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace
from PIL.Image import Image

from commandroom.pdf_fonts import CJK_FAMILY, add_cjk_font
from commandroom.reports.words import Words

# The station's clock: Beijing time, no daylight saving.
BEIJING = timezone(timedelta(hours=8))
_HEADER_FILL = (220, 226, 235)
_ROW_FILL = (244, 246, 249)
# Only one face is embedded (commandroom.pdf_fonts): headings are larger, not bold.
_HEADINGS = FontFace(emphasis="", fill_color=_HEADER_FILL)

Cell = str | Image | None  # an image is a thumbnail, None an empty cell


class ReportPdf(FPDF):
    def __init__(self, words: Words) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.words = words
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(15, 14, 15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(CJK_FAMILY, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.words("page", page=self.page_no(), pages="{nb}"), align="C")
        self.set_text_color(0, 0, 0)


def new_report(words: Words) -> ReportPdf:
    """An empty report with its font loaded (the slow part, 0.4 s or more)."""
    pdf = ReportPdf(words)
    add_cjk_font(pdf)
    return pdf


def beijing(moment: datetime | None, seconds: bool = False) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S" if seconds
                                               else "%Y-%m-%d %H:%M")


def title(pdf: ReportPdf, text: str, subtitle: str, made: str) -> None:
    pdf.set_font(CJK_FAMILY, size=18)
    pdf.cell(0, 10, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(CJK_FAMILY, size=12)
    pdf.cell(0, 7, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(CJK_FAMILY, size=8.5)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(0, 5, made, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)


def heading(pdf: ReportPdf, text: str) -> None:
    if pdf.will_page_break(20):  # never a heading alone at the foot of a page
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(CJK_FAMILY, size=13)
    pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(120, 130, 150)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.5)


def fields(pdf: ReportPdf, rows: Sequence[tuple[str, str]], label_width: float = 38) -> None:
    """Label and value, one per line, the value wrapping."""
    table(pdf, [], [(label, value) for label, value in rows],
          widths=(label_width, pdf.epw - label_width), headings=False, size=10)


def sentences(pdf: ReportPdf, lines: Sequence[str], size: float = 11) -> None:
    pdf.set_font(CJK_FAMILY, size=size)
    for line in lines:
        pdf.multi_cell(0, 6.5, f"•  {line}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def table(pdf: ReportPdf, header: Sequence[str], rows: Sequence[Sequence[Cell]],
          widths: Sequence[float], *, headings: bool = True, size: float = 9,
          aligns: str = "") -> None:
    """``aligns``: one letter per column (L, C, R), left when missing."""
    pdf.set_font(CJK_FAMILY, size=size)
    pdf.set_draw_color(170, 176, 190)
    align = [{"R": "RIGHT", "C": "CENTER"}.get(a, "LEFT") for a in aligns.ljust(len(widths))]
    with pdf.table(col_widths=tuple(widths), width=sum(widths), align="LEFT",
                   first_row_as_headings=headings, headings_style=_HEADINGS,
                   cell_fill_color=_ROW_FILL, cell_fill_mode=TableCellFillMode.ROWS,
                   line_height=size * 0.55, padding=1.2, v_align="MIDDLE") as grid:
        if headings:
            head = grid.row()
            for text in header:
                head.cell(text)
        for values in rows:
            row = grid.row()
            for index, value in enumerate(values):
                if isinstance(value, Image):
                    row.cell(img=value, img_fill_width=True)
                else:
                    row.cell(value or "", align=align[index])
    pdf.ln(2)
